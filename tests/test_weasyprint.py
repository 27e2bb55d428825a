"""The ``faqpdf`` builder: a WeasyPrint PDF of the showcase, read back page by page."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup
from conftest import (
    DOCS,
    ROOTS,
    WEASYPRINT,
    Built,
    pdf_outline,
    read_page,
    sphinx_build,
    warnings_of,
)
from external_tools import pdf_page_texts
from pypdf import PdfReader
from seed import load_seed, squash

from sphinx_faq_ext.testing import copy_root, write_project

if TYPE_CHECKING:
    from conftest import MakeProject

MM = 72 / 25.4
#: Page margins of pdf/weasyprint/static/book.css are 17/18 mm; the running head and the
#: page number sit in them, so cropping 13 mm keeps only the page area.
MARGIN_CROP = 13 * MM


def build(tmp: Path, root: str, **overrides: Any) -> Built:
    """Build test root *root* with ``faqpdf`` in a fresh copy under *tmp*.

    The ``pdf`` root gets the showcase question of docs/ first.
    """
    srcdir = tmp / root
    copy_root(ROOTS / f"test-{root}", srcdir)
    if root == "pdf":
        shutil.copy(DOCS / "book" / "a-2-6.md", srcdir / "a-2-6.md")
    return sphinx_build(srcdir, "faqpdf", **WEASYPRINT, **overrides)


#: The book laid out in one piece, and chapter by chapter then joined (the
#: default for a book of two or more chapters, see test_pdf_parts.py).
MODES: dict[str, dict[str, Any]] = {
    "one-piece": {"faq_pdf_by_chapter": False},
    "by-chapter": {"parallel": 2},
}


@pytest.fixture(scope="module", params=sorted(MODES))
def footnotes_app(request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("footnotes"), "pdf", **MODES[request.param])


def book_html(app: Built) -> list[Path]:
    """The HTML the PDF was laid out from: one file, or one a chapter and the front matter."""
    parts = app.outdir / "_parts"
    if parts.is_dir():
        return sorted(parts.glob("*.html"))
    return [app.outdir / "solidarityfaq.html"]


@pytest.fixture(scope="module")
def endnotes_app(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(
        tmp_path_factory.mktemp("endnotes"), "pdf", faq_notes_style={"faqpdf": "endnotes"}
    )


def page_texts(pdf: Path, *, crop: bool) -> list[str]:
    """Each page's text; *crop* drops the margins (running head, folio)."""
    return pdf_page_texts(pdf, crop=MARGIN_CROP if crop else 0)


@dataclass
class Footnote:
    number: str
    marker: str
    text: str
    before: str  # normalised text just before the marker


def footnotes_of(app: Built) -> list[Footnote]:
    """The footnote spans of the intermediate HTML, with their context."""
    notes = []
    spans = [span for html in book_html(app) for span in read_page(html).select(
        "span.faq-footnote")]
    for span in spans:
        block = span.find_parent(["p", "figcaption", "li"])
        before = ""
        for piece in block.find_all(string=True):
            if piece.find_parent("span", class_="faq-footnote") is span:
                break
            if piece.find_parent("span", class_="faq-footnote"):
                continue  # another note's text: printed at the page foot
            before += piece
        notes.append(Footnote(span["data-number"], span["data-marker"],
                              span.get_text(), squash(before)[-15:]))
    return notes


def pdf_of(app: Built) -> Path:
    return app.outdir / "solidarityfaq.pdf"


def test_builds_without_warnings(footnotes_app: Built) -> None:
    assert footnotes_app.warnings == ""
    assert pdf_of(footnotes_app).read_bytes().startswith(b"%PDF-")


def test_one_page_ids_are_unique_and_every_link_lands(footnotes_app: Built) -> None:
    pages = [read_page(html) for html in book_html(footnotes_app)]
    ids = [tag["id"] for page in pages for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))
    # a link to another chapter laid out apart is "faq-join:<id>" (weasyprint/chapters.py)
    links = [a["href"].removeprefix("#").removeprefix("faq-join:")
             for page in pages for a in page.find_all("a", href=True)
             if a["href"].startswith(("#", "faq-join:"))]
    assert "b" in links and "a-2-6" in links  # faq:ref across documents
    assert [link for link in links if link not in ids] == []
    # the second chapter's "Cross-references" keeps its id, the third's is renamed
    def holding(ident: str) -> BeautifulSoup:
        return next(page for page in pages if page.find(id=ident))
    assert holding("cross-references").find(id="cross-references").find_previous(
        id="document-more")
    assert holding("cross-references-2").find(id="cross-references-2").find_previous(
        id="document-third")
    assert "third-xrefs" in links


def test_outline_lists_the_questions_nested(footnotes_app: Built) -> None:
    reader = PdfReader(pdf_of(footnotes_app))
    outline = pdf_outline(reader)
    titles = [title for _, title, _ in outline]
    assert "A What is Anarchism?" in titles
    assert "B.1 Is it natural?" in titles
    depth = {title: level for level, title, _ in outline}
    assert depth["A.2.6 Why is solidarity important to anarchists?"] == depth[
        "A.2 What does anarchism stand for?"
    ] + 1 == depth["A What is Anarchism?"] + 2
    assert depth["B.1 Is it natural?"] == depth["B What about mutual aid?"] + 1
    assert not any("¶" in title for title in titles)


def test_title_page_and_contents_with_page_numbers(footnotes_app: Built) -> None:
    pdf = pdf_of(footnotes_app)
    texts = page_texts(pdf, crop=False)
    title_page = " ".join(texts[0].split())
    assert "Solidarity FAQ" in title_page
    assert "Test Author & Co. <x>" in title_page  # escaped in HTML, intact in print
    assert texts[1].lstrip().startswith("Contents")
    reader = PdfReader(pdf)
    # the printed number of the page (by chapter: counted from the first chapter,
    # which the page label says too)
    pages = {title: reader.page_labels[page] for _, title, page in pdf_outline(reader)}
    lines = [line.strip() for line in texts[1].splitlines() if line.strip()]
    for title in ("A.2.6 Why is solidarity important to anarchists?", "B.1 Is it natural?"):
        line = next(line for line in lines if line.startswith(title))
        printed = re.search(r"(\d+)$", line)
        assert printed, line
        assert printed.group(1) == pages[title], (line, pages[title])


def test_running_head_shows_the_current_question(footnotes_app: Built) -> None:
    pdf = pdf_of(footnotes_app)
    full = page_texts(pdf, crop=False)
    body = page_texts(pdf, crop=True)
    heads = [" ".join(page.split()[: len(page.split()) - len(b.split())]) for page, b in
             zip(full, body, strict=True)]
    solidarity = "A.2.6 Why is solidarity important to anarchists?"
    pages = [i for i, text in enumerate(body) if "Max Stirner saw" in text]
    assert pages, "the showcase's last paragraphs are missing"
    assert heads[pages[0]].startswith(solidarity), heads[pages[0]]
    kropotkin = [i for i, text in enumerate(body) if "habits of mutual aid" in text]
    assert heads[kropotkin[0]].startswith(("B What about mutual aid?", "More questions"))
    assert not heads[0].strip(), "the title page has no running head"
    # page numbers in the foot: counting from the title page, or by chapter
    # from the first chapter; the page labels say the same
    labels = PdfReader(pdf).page_labels
    assert full[5].split()[-1] == labels[5]
    if not (footnotes_app.outdir / "_parts").is_dir():
        assert labels[5] == "6"


def marker_pages(pages: list[str], note: Footnote) -> list[int]:
    """The pages showing *note*'s marker after the words before it.

    When a page break falls inside those words ("assailed prop-" | "erty. [7]"),
    the end of them that is on the marker's page is looked for instead.
    """
    marker = squash(note.marker)
    for start in range(len(note.before) - 3):
        on = [i for i, text in enumerate(pages) if note.before[start:] + marker in text]
        if on:
            return on
    return []


def test_each_note_is_on_its_markers_page(footnotes_app: Built, artifacts: Path) -> None:
    pdf = pdf_of(footnotes_app)
    shutil.copy(pdf, artifacts / "faqpdf-showcase-footnotes.pdf")
    notes = footnotes_of(footnotes_app)
    assert len(notes) == 9 + 3  # the showcase's nine, and three in the second chapter
    pages = [squash(text) for text in page_texts(pdf, crop=True)]
    for note in notes:
        on = marker_pages(pages, note)
        assert len(on) == 1, f"marker {note.marker} after …{note.before} on pages {on}"
        body = squash(f"{note.number}.{note.text}")
        assert body in pages[on[0]], f"note {note.number} not at the foot of page {on[0] + 1}"
    # and the end-of-question lists are not printed in footnotes style
    assert not any(re.search(r"Notes1\.", text) for text in pages)


def body_text_without_footnotes(pdf: Path, notes: list[Footnote]) -> str:
    text = "".join(squash(page) for page in page_texts(pdf, crop=True))
    for note in notes:
        text = text.replace(squash(f"{note.number}.{note.text}"), "", 1)
    return re.sub(r"\[\d+\]", "", text)


def test_every_seed_sentence_is_printed(footnotes_app: Built) -> None:
    pdf = pdf_of(footnotes_app)
    notes = footnotes_of(footnotes_app)
    text = body_text_without_footnotes(pdf, notes)
    sentences = load_seed().sentences
    assert len(sentences) > 40
    missing = [s for s in sentences if squash(s) not in text]
    assert missing == []


def test_endnotes_mode(endnotes_app: Built, artifacts: Path) -> None:
    assert endnotes_app.warnings == ""
    pdf = pdf_of(endnotes_app)
    shutil.copy(pdf, artifacts / "faqpdf-showcase-endnotes.pdf")
    assert not any("faq-footnote" in read_page(html).body.decode()
                   for html in book_html(endnotes_app))
    pages = [squash(text) for text in page_texts(pdf, crop=True)]
    whole = "".join(pages)
    # the nine notes, in order, after the last paragraph of the answer
    last = whole.index(squash("conditioned to blindly obey leaders."))
    notes_at = whole.index("Notes1.", last)
    seed_notes = load_seed().notes
    assert len(seed_notes) == 9
    position = notes_at
    for number, note in enumerate(seed_notes, start=1):
        found = whole.find(squash(f"{number}.{note}"), position)
        assert found > 0, f"endnote {number} missing or out of order"
        position = found
    # markers stay in the text as [n]
    assert squash("human behaviour.\u201d\u00a0[1]") in whole
    # and the outline still lists the questions
    titles = [t for _, t, _ in pdf_outline(PdfReader(pdf))]
    assert "A.2.6 Why is solidarity important to anarchists?" in titles


def test_entry_point_builds_a_project_without_the_extension(tmp_path: Path) -> None:
    built = build(tmp_path, "pdf-plain")
    assert built.warnings == ""
    text = " ".join(page_texts(built.outdir / "plain.pdf", crop=True)[-1].split())
    assert "Just text, no questions." in text


def test_own_stylesheets_apply_and_a_missing_one_warns(tmp_path: Path) -> None:
    built = build(tmp_path, "pdf-plain", faq_pdf_css=["custom.css", "missing.css"])
    assert "faq_pdf_css: no stylesheet" in built.warnings
    assert "missing.css; ignored [faq.config]" in built.warnings
    assert built.warnings.count("WARNING") == 1
    page = PdfReader(built.outdir / "plain.pdf").pages[0]
    assert round(float(page.mediabox.width)) == 595  # A4 from custom.css, not our A5


def test_missing_weasyprint_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from sphinx_faq_ext.builders.pdf.weasyprint import builder

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # makes the import fail
    with pytest.raises(builder.WeasyPrintMissingError, match=r"sphinx-faq-ext\[pdf\]"):
        builder.load_weasyprint()


@pytest.mark.parametrize("baseurl", ["", "https://example.org/book/"])
def test_links_to_pages_outside_the_book(make_project: MakeProject, baseurl: str) -> None:
    """``genindex.html`` is not in the PDF: a website link with html_baseurl, else text."""
    app = make_project({"index.md": (
        "# Book\n\nSee the {ref}`general index <genindex>`, [the site](https://example.org/x)"
        " and the {ref}`search page <search>`.\n"
    )}, "faqpdf", confoverrides={"html_baseurl": baseurl})
    app.build()
    assert warnings_of(app) == ""
    (pdf,) = Path(app.outdir).glob("*.pdf")
    uris = {
        annot.get_object()["/A"]["/URI"]
        for page in PdfReader(pdf).pages for annot in page.get("/Annots") or []
        if "/URI" in annot.get_object().get("/A", {})
    }
    assert not [uri for uri in uris if uri.startswith("file:")]
    expected = {"https://example.org/x"}
    if baseurl:
        expected |= {baseurl + "genindex.html", baseurl + "search.html"}
    assert uris == expected
    text = " ".join(PdfReader(pdf).pages[-1].extract_text().split())
    assert "See the general index, the site and the search page." in text


def test_link_to_a_document_lands_on_its_first_page(tmp_path: Path) -> None:
    """``{doc}`b``` goes to chapter B's own first page, not the page before its break
    (Sphinx's ``document-b`` anchor stands before the chapter's page break)."""
    filler = "\n\n".join(f"Filler paragraph {i}, long enough to fill the A5 pages of the "
                         "chapter one after the other." for i in range(60))
    src = write_project(tmp_path / "src", {
        "index.md": "# Links\n\n```{toctree}\na\nb\n```\n",
        "a.md": f"# Chapter A\n\nSee {{doc}}`b` for more.\n\n{filler}\n",
        "b.md": "# Chapter B\n\nThe second chapter.\n",
    }, conf='extensions = ["myst_parser", "sphinx_faq_ext"]\nproject = "Links"\n')
    built = sphinx_build(src, "faqpdf", **WEASYPRINT)
    assert not built.warnings, built.warnings
    reader = PdfReader(built.outdir / "links.pdf")
    body = [i for i, page in enumerate(reader.pages)
            if "The second chapter." in (page.extract_text() or "")]
    assert len(body) == 1
    landing = []
    for number, page in enumerate(reader.pages):
        text = page.extract_text() or ""
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "See Chapter B" in text and "/Dest" in annot:
                dest = reader.named_destinations[str(annot["/Dest"])]
                landing.append((number, reader.get_destination_page_number(dest)))
    links_from_text = [target for source, target in landing if source < body[0]]
    assert links_from_text and set(links_from_text) == {body[0]}
