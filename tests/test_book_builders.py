"""Text, manual page and Texinfo: the generated tables degrade to plain lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_root

OUTPUT = {"text": "contents.txt", "man": "booktest.1", "texinfo": "booktest.texi"}


@pytest.mark.parametrize("builder", list(OUTPUT))
def test_tables_and_notes_in_plain_builders(tmp_path: Path, builder: str) -> None:
    built = build_root(tmp_path, "book", builder)
    assert [w for w in built.warnings.splitlines() if "[faq" in w] == []
    text = built.text(OUTPUT[builder])
    for expected in ("A.2.1 Liberty?", "B.1 What about human nature?", "Malatesta, Errico",
                     "No Contest: The Case Against Competition"):
        assert expected in text, expected
    if builder != "text":  # the whole book is one file: the notes are in it too
        assert "Malatesta, " in text and "p. 29" in text
