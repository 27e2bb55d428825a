"""``nox -s book``: one command builds docs/ to HTML, ePub and PDF (WeasyPrint)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import REPO, pdf_outline
from external_tools import python
from pypdf import PdfReader


def test_book_command_builds_the_three_formats(tmp_path: Path) -> None:
    """The script behind ``nox -s book``, default engine, into a fresh folder."""
    out = tmp_path / "book"
    result = python(str(REPO / "tools" / "build_book.py"), "--output", str(out))
    printed = dict(
        line.split(None, 1) for line in result.stdout.split("The book is in", 1)[1]
        .splitlines()[1:] if line.strip()
    )
    assert set(printed) == {"html", "epub", "pdf"}
    files = {fmt: Path(path.strip()) for fmt, path in printed.items()}
    for path in files.values():
        assert path.is_file() and out in path.parents, path
    assert "A.2.6" in files["html"].with_name("book").joinpath("a-2-6.html").read_text("utf8")
    with zipfile.ZipFile(files["epub"]) as epub:
        assert epub.read("mimetype") == b"application/epub+zip"
    reader = PdfReader(files["pdf"])
    assert reader.metadata.title == "sphinx-faq-ext"
    titles = [title for _depth, title, _page in pdf_outline(reader)]
    assert "A.2.6 Why is solidarity important to anarchists?" in titles
