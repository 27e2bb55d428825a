"""The Typst engine prints the root's captioned toctrees as the book's parts.

A book whose root groups its chapters in captioned toctrees (``Volume 1``,
``Volume 2``, ``Supplementary Material``) printed no trace of them in the
Typst PDF: only the title pages named the volumes, and the third caption,
inside volume 2, was nowhere (An Anarchist FAQ's *Supplementary Material*).
As in the LaTeX PDF, each caption is now a part: its title alone on a
right-hand page, a line of the contents and a bookmark.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import pdf_outline, sphinx_build
from external_tools import pdf_page_texts
from pypdf import PdfReader
from test_latex_book import _appendix_book, _parts_book

CAPTIONS = ["Volume 1", "Volume 2", "Supplementary Material"]


@pytest.mark.parametrize("by_chapter", [True, False])
def test_captioned_toctrees_are_parts_of_each_volume(tmp_path: Path, by_chapter: bool) -> None:
    src = _parts_book(tmp_path / "parts", CAPTIONS)
    built = sphinx_build(src, "faqpdf", faq_pdf_by_chapter=by_chapter,
                         faq_pdf_volumes=[["chapter1"], ["chapter2", "chapter3"]])
    assert built.warnings == "", built.warnings
    expected = {1: ["Volume 1"], 2: ["Volume 2", "Supplementary Material"]}
    for volume, captions in expected.items():
        pdf = built.outdir / f"parts-{volume}.pdf"
        texts = [" ".join(text.split()) for text in pdf_page_texts(pdf)]
        reader = PdfReader(pdf)
        labels = reader.page_labels
        contents = next(text for text in texts if text.startswith("Contents"))
        outline = [(title, page) for _depth, title, page in pdf_outline(reader)]
        chapters = [f"Chapter {number}" for number in ((1,) if volume == 1 else (2, 3))]
        starts = [next(n for n, text in enumerate(texts) if text.startswith(chapter))
                  for chapter in chapters]
        for caption, chapter_start in zip(captions, starts, strict=True):
            # the caption alone on its page (and the page number), a right-hand page
            # before its first chapter
            page = next(n for n, text in enumerate(texts)
                        if text.removesuffix(labels[n]).strip() == caption)
            assert page < chapter_start and page % 2 == 0, (caption, page, chapter_start)
            assert (caption, page) in outline, outline
            # in the contents with its page's number, before its chapter
            assert re.search(rf"{caption}[\s.\u2060]*{labels[page]}\b", contents), contents
            assert contents.index(caption) < contents.index(chapters[captions.index(caption)]), \
                contents
        for other in set(CAPTIONS) - set(captions):
            assert not any(text.removesuffix(labels[n]).strip() == other
                           for n, text in enumerate(texts)), (volume, other)


@pytest.mark.parametrize("by_chapter", [True, False])
def test_a_part_of_one_chapter_of_its_name_prints_its_title_once(
    tmp_path: Path, by_chapter: bool,
) -> None:
    """An Anarchist FAQ's *Supplementary Material* is a part of one chapter, also
    called *Supplementary Material*: the title printed twice, alone on the
    part's page and again as the chapter's heading on the next right-hand page,
    and listed twice in the contents and the bookmarks.  The chapter's heading
    is the part's now: once on the page, where its text begins, once in the
    contents (as a part, above the chapter's questions) and one top-level
    bookmark.  Other parts keep their own page."""
    src = _parts_book(tmp_path / "parts", CAPTIONS)
    (src / "chapter3.md").write_text(
        "# Supplementary  material\n\nThese appendices build on the main text.\n\n"
        ":::{faq:question} Question 3?\n:number: 3\n\nAnswer 3.\n:::\n", "utf8")
    built = sphinx_build(src, "faqpdf", faq_pdf_by_chapter=by_chapter)
    assert built.warnings == "", built.warnings
    pdf = built.outdir / "parts.pdf"
    texts = [" ".join(text.split()) for text in pdf_page_texts(pdf)]
    labels = PdfReader(pdf).page_labels
    title = "Supplementary material"
    headed = [n for n, text in enumerate(texts) if text.lower().startswith(title.lower())]
    assert len(headed) == 1, [texts[n] for n in headed]
    # the heading (the chapter's spelling), then its text, on a right-hand page
    page = headed[0]
    assert texts[page].startswith(f"{title} These appendices build on the main text."), \
        texts[page]
    assert page % 2 == 0
    outline = pdf_outline(PdfReader(pdf))
    assert [(depth, page) for depth, name, page in outline
            if name.lower() == title.lower()] == [(0, headed[0])], outline
    # the other parts still have their page
    for caption in CAPTIONS[:2]:
        assert any(text.removesuffix(labels[n]).strip() == caption
                   for n, text in enumerate(texts)), caption
    contents = next(text for text in texts if text.startswith("Contents"))
    assert contents.lower().count(title.lower()) == 1, contents
    assert re.search(rf"{title}[\s.\u2060]*{labels[page]}\b", contents, re.IGNORECASE), contents


def test_an_appendix_questions_are_at_the_depth_of_its_introduction(tmp_path: Path) -> None:
    """The Typst PDF's side of ``test_latex_book``'s test of the same name: the
    questions a toctree at the end of an appendix's *Introduction* lists are
    the appendix's, beside the introduction in the bookmarks (they were
    under it) and at its level in the contents."""
    src = _appendix_book(tmp_path / "appendix")
    built = sphinx_build(src, "faqpdf")
    assert built.warnings == "", built.warnings
    depths = {title: depth for depth, title, _page in
              pdf_outline(PdfReader(built.outdir / "appendix.pdf"))}
    assert depths["Appendix 1 The Symbols of Anarchy"] == 0, depths
    assert depths["Introduction"] == 1, depths
    assert depths["Appendix 1.1 What is the history of the Black Flag?"] == 1, depths
    assert depths["Appendix 1.2 Why the red and black flag?"] == 1, depths
