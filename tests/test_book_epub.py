"""The whole-book features in an ePub: index, works quoted, BibTeX notes, EPUBCheck."""

from __future__ import annotations

import pytest
from conftest import Built, build_root
from external_tools import epubcheck


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_root(tmp_path_factory.mktemp("book-epub"), "book", "epub",
                      copyright="2026, tests", version="1", epub_show_urls="no")


def test_index_and_sources_link_into_the_book(epub: Built) -> None:
    assert [w for w in epub.warnings.splitlines() if "[faq" in w] == []
    contents = epub.soup("contents.xhtml")
    index = [a["href"] for a in contents.find("ul", class_="faq-index").find_all("a")]
    assert index[:3] == ["part-a.xhtml#a", "part-a.xhtml#a-1", "part-a.xhtml#a-2"]
    sources = contents.find("ul", class_="faq-sources")
    links = [a["href"] for a in sources.find_all("a")]
    assert links[:2] == ["part-b.xhtml#b-1", "part-a.xhtml#a-1"]  # Goldman's two works
    for href in index + links:
        page, anchor = href.split("#")
        assert epub.soup(page).find(id=anchor) is not None, href
    assert not (epub.outdir / "faq.json").exists()


def test_bibtex_notes_are_epub_endnotes(epub: Built) -> None:
    a1 = epub.soup("part-a.xhtml").find("section", id="a-1")
    note = a1.find("li", id="a-1-note-1")
    assert note["epub:type"] == "endnote"
    assert note.find(class_="faq-cite-full").get_text() == (
        "Errico Malatesta, Anarchy (London: Freedom Press, 1974), p. 29")
    marker = a1.find("a", href="#a-1-note-1")
    assert marker["epub:type"] == "noteref"


@pytest.mark.tool
def test_epubcheck_accepts_it(epub: Built) -> None:
    assert epubcheck(epub.file("*.epub")) == []
