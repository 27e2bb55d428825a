"""Text, manual page and Texinfo: the generated tables degrade to plain lists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOTS, warnings_of
from sphinx.testing.util import SphinxTestApp

OUTPUT = {"text": "contents.txt", "man": "booktest.1", "texinfo": "booktest.texi"}


@pytest.mark.parametrize("builder", list(OUTPUT))
def test_tables_and_notes_in_plain_builders(tmp_path: Path, builder: str) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-book", src)
    app = SphinxTestApp(builder, srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    assert [w for w in warnings_of(app).splitlines() if "[faq" in w] == []
    text = (Path(app.outdir) / OUTPUT[builder]).read_text("utf8")
    for expected in ("A.2.1 Liberty?", "B.1 What about human nature?", "Malatesta, Errico",
                     "No Contest: The Case Against Competition"):
        assert expected in text, expected
    if builder != "text":  # the whole book is one file: the notes are in it too
        assert "Malatesta, " in text and "p. 29" in text
