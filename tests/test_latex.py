"""LaTeX: escaping, footnotes and endnotes, quotes, outline; compiled PDFs read back.

Three PDFs in the whole session (LaTeX runs are slow): docs/ under xelatex
(its conf.py), the escaping project under pdflatex with footnotes, and the
same project under xelatex with endnotes.  Each is compiled once even with
pytest-xdist: the first worker to need it compiles it under a file lock in the
session's shared temporary folder, the others read the result.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import Built, build_once, pdf_outline, xdist_shared_dir
from external_tools import engine_log, latexmk
from pypdf import PdfReader
from seed import load_seed, squash

from sphinx_faq_ext import nodes as faq_nodes
from sphinx_faq_ext.testing import write_project

if TYPE_CHECKING:
    from pypdf import PageObject
    from pypdf.generic import DictionaryObject
    from sphinx.testing.util import SphinxTestApp

SPECIAL = r"Jean-Paul & Co. 100% #1 \textbf{x} ~^_$ {}"
SPECIAL_TEX = (
    r"Jean\sphinxhyphen{}Paul \& Co. 100\% \#1 \textbackslash{}textbf\{x\} "
    r"\textasciitilde{}\textasciicircum{}\_\$ \{\}"
)
#: Running heads and page numbers sit in the top and bottom margins (of the
#: A5 book page: the head's baseline is about 50 pt below the top, the first
#: text line about 72 pt; the folio's about 69 pt above the foot, the lowest
#: footnote line about 93 pt).
HEAD_MARGIN = 60
FOOT_MARGIN = 80


@dataclass(frozen=True)
class Compiled(Built):
    """A LaTeX build of *texname*, compiled to PDF."""

    texname: str = ""

    @property
    def tex(self) -> str:
        return self.text(self.texname)

    @property
    def pdf(self) -> Path:
        return self.outdir / Path(self.texname).with_suffix(".pdf")

    @property
    def engine_log(self) -> str:
        """The TeX engine's log."""
        return engine_log(self.outdir, self.texname)

    def runs(self) -> list[list[Run]]:
        """The text runs of every page."""
        return [page_runs(page) for page in PdfReader(self.pdf).pages]


@dataclass
class Run:
    """A piece of text as pypdf reports it, with its position and size."""

    x: float
    y: float
    size: float
    text: str


def page_runs(page: PageObject) -> list[Run]:
    runs: list[Run] = []

    def visit(
        text: str, cm: list[float], tm: list[float], _font: DictionaryObject | None, size: float
    ) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append(Run(x, y, size, text))

    page.extract_text(visitor_text=visit)
    height = float(page.mediabox.height)
    return [run for run in runs if FOOT_MARGIN < run.y < height - HEAD_MARGIN]


def build_and_compile(
    shared: Path, name: str, project: str, texname: str, overrides: dict[str, Any]
) -> Compiled:
    """Build *project* to LaTeX and compile it, once per test run."""
    built = build_once(shared, name, project, "latex", overrides,
                       after=lambda outdir: latexmk(outdir, texname))
    return Compiled(built.outdir, built.warnings, texname=texname)


@pytest.fixture(scope="session")
def shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder all xdist workers of this session share."""
    return xdist_shared_dir(tmp_path_factory, "latex-pdfs")


@pytest.fixture(scope="module")
def docs_pdf(shared_tmp: Path) -> Compiled:
    return build_and_compile(shared_tmp, "docs", "docs", "sphinx-faq-ext.tex", {})


@pytest.fixture(scope="module")
def footnotes_pdf(shared_tmp: Path) -> Compiled:
    return build_and_compile(
        shared_tmp, "footnotes", "latex-escape", "escapes.tex", {"latex_engine": "pdflatex"}
    )


@pytest.fixture(scope="module")
def endnotes_pdf(shared_tmp: Path) -> Compiled:
    return build_and_compile(
        shared_tmp, "endnotes", "latex-escape", "escapes.tex",
        {"latex_engine": "xelatex", "faq_notes_style": {"latex": "endnotes"}},
    )


@dataclass(frozen=True)
class Overfull:
    """An overfull line of the TeX log: how much too wide, and what it shows."""

    points: float
    text: str


_OVERFULL = re.compile(
    r"^Overfull \\hbox \(([\d.]+)pt too wide\) (?:in paragraph at lines [\d-]+|detected at "
    r"line \d+)\n(.*?)\n\n", re.MULTILINE | re.DOTALL)
#: Font switches in a logged box (``\TU/FreeSerif(0)/m/n/10``, ``\T1/ptm/m/n/10``).
_FONT = re.compile(r"\\(?:TU|T1|OT1|OMS|OML|LY1|TS1|U)/\S*?/\d+(?:\.\d+)? ?")
#: What an overfull line holding a URL, a path, a domain or a file name shows.  (Not
#: ``an_identifier``: inline code in the narrow columns of docs/' tables overflows too,
#: which is no URL's doing.)
#: A URL, or a path of two or more parts or with a file extension: not "GNU/Linux",
#: "PDF/UA-" or "205/205" in a narrow table cell (those are the table's problem).
URL_LIKE = re.compile(
    r"://|www\.|\w\.(?:org|com|net|edu|html?|pdf)\b|\w/[\w.-]+/|\w/[\w-]+\.[a-z]{1,4}\b"
)


def overfull_lines(log: str) -> list[Overfull]:
    """Every ``Overfull \\hbox`` of a TeX log (its lines are cut at 79 characters)."""
    return [Overfull(float(match[1]), _FONT.sub("", match[2].replace("\n", "")))
            for match in _OVERFULL.finditer(log)]


def url_overfull_lines(log: str) -> list[Overfull]:
    """The overfull lines a URL, path or identifier ran into the margin."""
    return [line for line in overfull_lines(log) if URL_LIKE.search(line.text)]


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every PDF bookmark, in order."""
    return pdf_outline(PdfReader(pdf))


#: Typewriter fonts as they are named in a PDF (FreeMono, t1xtt, cmtt10, lmmono…).
TYPEWRITER = re.compile(r"mono|courier|cmtt|(^|\+)(t1x)?tt", re.IGNORECASE)


#: An index page: its first line is the head "Index" (or the running head,
#: after the folio).
INDEX_PAGE = re.compile(r"\s*(\d+\s+)?Index\s*\n")


def index_entry_fonts(pdf: Path, name: str) -> set[str]:
    """The fonts of the text runs holding *name* on the index pages."""
    fonts: set[str] = set()

    def visit(
        text: str, _cm: list[float], _tm: list[float], font: DictionaryObject | None, _size: float
    ) -> None:
        if name in text and font is not None:
            fonts.add(str(font.get("/BaseFont")).lstrip("/"))

    for page in PdfReader(pdf).pages:
        text = page.extract_text()
        if INDEX_PAGE.match(text) and name in text:
            page.extract_text(visitor_text=visit)
    return fonts


# -- without compiling --------------------------------------------------------


@pytest.mark.sphinx("latex", testroot="latex-escape")
def test_every_node_of_ours_has_visitors_for_every_writer(app: SphinxTestApp) -> None:
    """Every node the extension registers renders in LaTeX, text, man, Texinfo."""
    handlers = app.registry.translation_handlers
    ours = {
        name for name, (visit, _depart) in handlers["html"].items()
        if visit.__module__.startswith("sphinx_faq_ext")
    }
    assert {"quote", "note_ref", "notes_list", "note_item", "note_backlink"} <= ours
    for writer in ("latex", "text", "man", "texinfo"):
        missing = sorted(ours - set(handlers.get(writer, {})))
        assert missing == [], f"{writer}: {missing}"
    assert not set(handlers.get("epub", {})) & ours, "no epub= visitors (Sphinx issue 9219)"
    assert faq_nodes.quote.__name__ in handlers["latex"]


@pytest.mark.sphinx("latex", testroot="latex-escape", freshenv=True)
def test_cycle_collector_paused_while_the_book_is_written(app: SphinxTestApp) -> None:
    """Python's cycle collector is paused while LaTeX writes the book (it walked the
    whole heap again and again for no garbage), and runs again after the build."""
    import gc

    during: list[bool] = []
    app.connect("doctree-resolved", lambda _app, _tree, _doc: during.append(gc.isenabled()))
    assert gc.isenabled()
    app.build()
    assert during and not any(during)
    assert gc.isenabled()


@pytest.mark.sphinx("latex", testroot="latex-escape", freshenv=True)
def test_cycle_collector_runs_again_after_a_failed_build(app: SphinxTestApp) -> None:
    """A build that fails while writing leaves the collector running."""
    import gc

    def fail(_app: Any, _tree: Any, _doc: str) -> None:
        raise RuntimeError("write failed")

    app.connect("doctree-resolved", fail)
    with pytest.raises(Exception, match="write failed"):
        app.build()
    assert gc.isenabled()


# -- footnotes (default), pdflatex ---------------------------------------------


def test_user_strings_are_escaped_in_the_tex(footnotes_pdf: Compiled, artifacts: Path) -> None:
    shutil.copy(footnotes_pdf.pdf, artifacts / "latex-escapes-footnotes.pdf")
    tex = footnotes_pdf.tex
    assert footnotes_pdf.warnings.strip() == ""
    assert r"#1 \textbf{x}" not in tex
    body = tex[tex.index(r"\begin{document}"):]
    # question title, title note, role note, quote note, author and work
    assert body.count(SPECIAL_TEX) >= 6, body
    assert re.search(r"\\chapter\{S Is " + re.escape(SPECIAL_TEX) + r" safe\?", body)
    assert r"\faqattribution{" + SPECIAL_TEX in body


def test_notes_are_real_footnotes_by_default(footnotes_pdf: Compiled) -> None:
    tex = footnotes_pdf.tex
    assert "This is pdfTeX" in footnotes_pdf.engine_log
    assert "undefined references" not in footnotes_pdf.engine_log
    # numbered from 1 in each question, as readers cite them: S has 1-3, S.1 and S.1.1 one each
    assert tex.count(r"\faqfootnote{") == 4  # role note, quote note, S.1, S.1.1
    assert r"\faqfootnote{2}{Role note: " + SPECIAL_TEX + "}" in tex
    assert r"\faqfootnote{1}{Nested note}" in tex
    assert r"\faqfootnote{1}{Deeper note}" in tex
    # the note in the question title: a mark in the heading, the text after it
    assert r"\texorpdfstring{\faqtitlenotemark{1}}{}}" in tex
    assert r"\footnotetext[1]{Title note: " + SPECIAL_TEX + "}" in tex
    assert r"\begin{faqnotes}" not in tex
    # In the PDF the notes are set small at the foot of the page.
    runs = [run for page in footnotes_pdf.runs() for run in page]
    small = squash("".join(run.text for run in runs if run.size < 9))
    expected = [
        (1, f"Title note: {SPECIAL}"), (2, f"Role note: {SPECIAL}"),
        (3, f"Quote note: {SPECIAL}"), (1, "Nested note"), (1, "Deeper note"),
    ]
    assert small.endswith(squash("".join(f"{number}{note}" for number, note in expected)))
    # the marks in the text (the title's is set larger) carry the same numbers,
    # then come the footnotes' own numbers
    marks = [run.text.strip() for run in runs if run.size < 7 and run.text.strip().isdigit()]
    assert marks == ["2", "3", "1", "1", "1", "2", "3", "1", "1"], marks


def test_special_characters_print_as_written(footnotes_pdf: Compiled) -> None:
    text = squash(" ".join(page.extract_text() for page in PdfReader(footnotes_pdf.pdf).pages))
    assert text.count(squash(SPECIAL)) >= 7  # title (+ contents, head), notes, author, work


def test_quote_environment_with_attribution(footnotes_pdf: Compiled) -> None:
    tex = footnotes_pdf.tex
    quote = tex[tex.index(r"\begin{faqquote}"):tex.index(r"\end{faqquote}")]
    assert "A quotation by an author whose name needs escaping." in quote
    assert quote.index(r"\faqfootnote{") < quote.index(r"\faqattribution{")
    assert r"\sphinxtitleref{Works of " + SPECIAL_TEX + "}, p. 12}" in quote


def test_index_of_names_in_roman_with_makeindex(footnotes_pdf: Compiled) -> None:
    """Quoted authors are indexed; Sphinx would set the entries in typewriter."""
    assert footnotes_pdf.tex.count(r"@\spxentry{Jean\sphinxhyphen{}Paul") == 1
    assert r"\renewcommand\sphinxstyleindexentry[1]{#1}" in (
        footnotes_pdf.outdir / "sphinxfaqext.sty"
    ).read_text("utf8")
    fonts = index_entry_fonts(footnotes_pdf.pdf, "Jean-Paul & Co. 100%")
    assert fonts, "the author is not in the printed index"
    assert not [font for font in fonts if TYPEWRITER.search(font)], fonts


def test_outline_escaped_title_without_note_mark(footnotes_pdf: Compiled) -> None:
    titles = [title for _depth, title, _page in outline(footnotes_pdf.pdf)]
    assert f"S Is {SPECIAL} safe?" in titles
    assert "S.1 A nested question?" in titles
    assert "S.1.1 A deeper question?" in titles


# -- endnotes, xelatex ---------------------------------------------------------


def test_endnotes_style_gives_per_question_lists(endnotes_pdf: Compiled, artifacts: Path) -> None:
    shutil.copy(endnotes_pdf.pdf, artifacts / "latex-escapes-endnotes.pdf")
    tex = endnotes_pdf.tex
    assert endnotes_pdf.warnings.strip() == ""
    assert "This is XeTeX" in endnotes_pdf.engine_log
    # every marker links to its note and back, the title's note included
    assert "undefined references" not in endnotes_pdf.engine_log
    assert r"\faqfootnote" not in tex
    assert tex.count(r"\begin{faqnotes}") == 3  # S, S.1, S.1.1
    assert tex.count(r"\faqnotemark{") == 4
    assert tex.count(r"\faqtitlenoteref{") == 1  # the note in the question title
    reader = PdfReader(endnotes_pdf.pdf)
    texts = [page.extract_text() for page in reader.pages]
    contents = next(text for text in texts if "Contents" in text)
    assert "safe?" in contents
    assert "[1]" not in contents  # the title's note marker stays out of the contents
    text = squash(" ".join(page.extract_text() for page in PdfReader(endnotes_pdf.pdf).pages))
    for notes in (
        [f"Title note: {SPECIAL}", f"Role note: {SPECIAL}", f"Quote note: {SPECIAL}"],
        ["Nested note"],
        ["Deeper note"],
    ):
        listed = "Notes" + "".join(f"{n}.{note}" for n, note in enumerate(notes, start=1))
        assert squash(listed).replace("↩", "") in text.replace("←", "").replace("↩", ""), listed


def test_marker_in_an_upper_cased_heading_links_to_its_note(endnotes_pdf: Compiled) -> None:
    """The link's target name is digits only (safe in an upper-cased heading)."""
    found = re.search(r"\\faqtitlenoteref\{(\d+)\}\{\{\[\}1\{\]\}\}", endnotes_pdf.tex)
    assert found, "no linked marker in the heading"
    anchor = found.group(1)
    assert endnotes_pdf.tex.count(rf"\hypertarget{{{anchor}}}{{}}") == 1  # on the note
    reader = PdfReader(endnotes_pdf.pdf)
    links = [
        (index, [float(x) for x in annotation["/Rect"]])
        for index, page in enumerate(reader.pages)
        for annotation in (ref.get_object() for ref in page.get("/Annots", []))
        if annotation.get("/A", {}).get("/D") == anchor
    ]
    assert len(links) == 1, links
    page_index, (left, bottom, right, top) = links[0]
    runs = endnotes_pdf.runs()[page_index]
    heading = next(run for run in runs if "safe?" in run.text)  # the chapter head
    mark = next(run for run in runs if run.text.strip() == "[1]" and run.y > heading.y - 5)
    assert left - 1 <= mark.x <= right and bottom - 1 <= mark.y <= top, (mark, links)
    # the link lands on the note (the anchor sits one line above its baseline)
    destination = reader.named_destinations[anchor]
    note = next(
        run for run in endnotes_pdf.runs()[reader.get_destination_page_number(destination)]
        if "Title note" in run.text
    )
    assert 0 <= float(destination.top) - note.y < 20, (destination, note)


def test_back_links_land_on_their_markers(endnotes_pdf: Compiled) -> None:
    """Each note's arrow leads back to the line of its marker, not to the heading."""
    reader = PdfReader(endnotes_pdf.pdf)
    pages = endnotes_pdf.runs()
    checked = 0
    for marker_text, note_text in (("The answer starts here.", "Role note"),
                                   ("Nested answer.", "Nested note"),
                                   ("Deeper answer.", "Deeper note")):
        page_index, note = next(
            (index, run) for index, runs in enumerate(pages) for run in runs
            if note_text in run.text
        )
        arrows = [
            annotation["/A"]["/D"]
            for ref in reader.pages[page_index].get("/Annots", [])
            if (annotation := ref.get_object()).get("/A", {}).get("/D")
            and abs(float(annotation["/Rect"][1]) - note.y) < 4  # on the note's line
        ]
        assert len(arrows) == 1, (note_text, arrows)
        destination = reader.named_destinations[arrows[0]]
        marker = next(
            run for run in pages[reader.get_destination_page_number(destination)]
            if marker_text in run.text
        )
        assert 0 <= float(destination.top) - marker.y < 20, (note_text, destination, marker)
        checked += 1
    assert checked == 3


# -- docs/ (the showcase), xelatex --------------------------------------------


def test_docs_build_cleanly(docs_pdf: Compiled, artifacts: Path) -> None:
    shutil.copy(docs_pdf.pdf, artifacts / "latex-docs.pdf")
    assert docs_pdf.warnings.strip() == ""
    assert "This is XeTeX" in docs_pdf.engine_log
    assert "undefined references" not in docs_pdf.engine_log


def test_outline_lists_the_questions_with_numbers(docs_pdf: Compiled) -> None:
    entries = outline(docs_pdf.pdf)
    found = {title: (depth, page) for depth, title, page in entries}
    a = found["A What is Anarchism?"]
    a2 = found["A.2 What does anarchism stand for?"]
    a26 = found["A.2.6 Why is solidarity important to anarchists?"]
    assert a[0] < a2[0] < a26[0]  # nested A > A.2 > A.2.6
    page = PdfReader(docs_pdf.pdf).pages[a26[1]].extract_text()
    # pypdf reads no spaces between the words of xelatex's bold sans heads
    assert squash("Why is solidarity important to anarchists?") in squash(page)


def test_no_url_runs_into_the_margin(docs_pdf: Compiled) -> None:
    """URLs, paths and identifiers break inside the measure (test_latex_book.py)."""
    assert url_overfull_lines(docs_pdf.engine_log) == []


def test_printed_contents_list_the_questions(docs_pdf: Compiled) -> None:
    """Down to A.2.6, under a root toctree whose :maxdepth: stops at sections."""
    texts = [page.extract_text() for page in PdfReader(docs_pdf.pdf).pages]
    first = next(n for n, text in enumerate(texts) if "A.2.6 — the showcase question" in text)
    contents = squash(" ".join(texts[first:first + 6]))
    for title in ("A What is Anarchism?", "A.2 What does anarchism stand for?",
                  "A.2.6 Why is solidarity important to anarchists?"):
        assert squash(title) in contents, title


def test_index_of_names_in_roman_with_xindy(docs_pdf: Compiled) -> None:
    """xelatex sorts the index with xindy (sphinx.xdy): the same roman names."""
    for name in ("Kohn, Alfie", "Malatesta, Errico"):
        fonts = index_entry_fonts(docs_pdf.pdf, name)
        assert fonts, f"{name} is not in the printed index"
        assert not [font for font in fonts if TYPEWRITER.search(font)], (name, fonts)
        assert [font for font in fonts if "Serif" in font], (name, fonts)


def test_quote_attribution_is_flush_right(docs_pdf: Compiled) -> None:
    for page in docs_pdf.runs():
        attribution = next(
            (run for run in page if "Alfie Kohn," in run.text and run.text.startswith("\u2014")),
            None,
        )
        if attribution is None:
            continue
        left_edge = min(run.x for run in page if run.size > 9)
        right_edge = max(run.x for run in page if run.size > 9)
        last = max((run for run in page if run.y == attribution.y), key=lambda run: run.x)
        # an em dash (not "---": xelatex has no TeX ligatures here), well right
        # of the text's left edge, its line ending at the right margin
        assert attribution.x > left_edge + 40, (attribution, left_edge)
        assert last.x >= right_edge - 120
        return
    pytest.fail("quote by Alfie Kohn not found")


def test_pdf_has_every_sentence_and_note_of_the_seed(docs_pdf: Compiled) -> None:
    seed = load_seed()
    pages = docs_pdf.runs()
    body = squash("".join(run.text for page in pages for run in page if run.size >= 9))
    missing = [sentence for sentence in seed.sentences if squash(sentence) not in body]
    assert missing == []
    footnotes = squash("".join(run.text for page in pages for run in page if run.size < 9))
    for number, note in enumerate(seed.notes, start=1):
        assert squash(f"{number}{note}") in footnotes, note


@pytest.mark.parametrize("builder", ["latex", "html", "epub"])
def test_header_only_markdown_table_builds(tmp_path: Path, builder: str) -> None:
    """MyST makes a header-only table without the ``tbody`` the DTD requires;
    Sphinx's LaTeX builder stopped on it (StopIteration).  It gets an empty body."""
    from conftest import sphinx_build

    src = write_project(tmp_path / "src", {
        "index.md": "# T\n\n| Alpha | Beta |\n|---|---|\n\nAfter the table.\n",
    }, conf='extensions = ["myst_parser", "sphinx_faq_ext"]\nproject = "T"\n')
    built = sphinx_build(src, builder)
    assert "Traceback" not in built.warnings
    if builder == "latex":
        tex = (built.outdir / "t.tex").read_text("utf8")
        assert "Alpha" in tex and "After the table." in tex
        latexmk(built.outdir, "t.tex")
        text = " ".join(page.extract_text() for page in PdfReader(built.outdir / "t.pdf").pages)
        assert "Alpha" in text and "Beta" in text and "After the table." in text
    elif builder == "html":
        html = (built.outdir / "index.html").read_text("utf8")
        assert re.search(r"<thead>.*Alpha.*</thead>\s*<tbody>\s*</tbody>", html, re.S)


def test_long_note_in_a_chapter_title_is_printed_after_it(tmp_path: Path) -> None:
    """LaTeX sets a title as one box: a 400-word note left in a chapter title as
    bracketed text (a note outside any question) ran off the page's foot and took
    the next paragraph with it, with no warning about the loss (fuzz, seed 7).
    The note is printed as a paragraph after the title; a title still too long
    is a located ``faq.long-title`` warning."""
    from conftest import sphinx_build

    note = "Notestart " + "long " * 400 + "Zq9"
    long_title = "Titlestart " + "word " * 100 + "titleend"
    src = write_project(tmp_path / "src", {
        "index.md": "# T\n\n```{toctree}\na\nb\n```\n",
        "a.md": f"# Chapter {{faq:note}}`{note}`\n\nFollowingpara words.\n",
        "b.md": f"# {long_title}\n\nSecondpara words.\n",
    }, conf='extensions = ["myst_parser", "sphinx_faq_ext"]\nproject = "T"\n'
            "show_warning_types = True\n")
    built = sphinx_build(src, "latex")
    assert "Traceback" not in built.warnings
    assert re.search(r"b\.md:1: WARNING: a title of \d+ characters.*\[faq\.long-title\]",
                     built.warnings), built.warnings
    assert "a.md:1: WARNING: a title" not in built.warnings  # its note moved out
    tex = (built.outdir / "t.tex").read_text("utf8")
    assert re.search(r"\\chapter\{Chapter\}", tex), tex[:3000]
    latexmk(built.outdir, "t.tex")
    text = " ".join(page.extract_text() for page in PdfReader(built.outdir / "t.pdf").pages)
    for word in ("Chapter", "Notestart", "Zq9", "Followingpara"):
        assert word in text, word
    assert text.index("Notestart") < text.index("Followingpara")
