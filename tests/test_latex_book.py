"""The LaTeX book's lines, printed contents and title page (tests/roots/test-latex-lines).

The test root puts long URLs, paths and identifiers everywhere a book prints
them (text, a link whose text is not its address, source notes set as
footnotes, quotes' ``:url:``), nests questions four deep under a root
toctree of ``:maxdepth: 1``, and has an author too long for one line of the
A5 title page.  It is compiled three times per test run (once even with
pytest-xdist, as in ``test_latex.py``): with pdflatex, Read the Docs' default
engine, and with xelatex; and with pdflatex and the break points switched
back to Sphinx's (``url.sty``'s) in the preamble, which shows that the root's
lines do run into the margin without them.  Before this change the root
compiled with 5 overfull lines (4 URLs or identifiers, 1 title page), its
contents listed only question A, and its title page read "Release 2.1".
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOTS, pdf_outline, sphinx_build, xdist_shared_dir
from docutils import nodes
from external_tools import latexmk, pdftotext
from pypdf import PdfReader
from seed import squash
from test_latex import Compiled, build_and_compile, overfull_lines, url_overfull_lines

from sphinx_faq_ext.builders.latex.transforms import BREAK, BREAK_IN_WORD, break_points, breakable
from sphinx_faq_ext.testing import copy_root

#: 2021-03-06: the date every build of this module prints.
EPOCH = "1615000000"
DATE = "March 2021"
QUESTIONS = ["A", "A.1", "A.1.1", "A.1.1.1"]
#: Every address and long token of the test root, as a reader must find it.
LONG_TEXTS = [
    "https://www.example.org/library/writers/kropotkin/mutual-aid/"
    "a-factor-of-evolution-chapter-one.html",
    "http://www.cwi.nl/cwi/people/Jack.Jansen/spunk/library/writers/kropotkin/sp001503.html",
    "dmoz.org/Society/Politics/Libertarian/Collectivist_Libertarianism/",
    "http://www.spunk.org/library/writers/kropotkin/sp001503/"
    "mutual_aid_chapter_one_revised.html",
    "Anarchist_FAQ_Section_A_Version_15_4_final_revised_edition.pdf",
    "www.infoshop.org/faq/append46_the_russian_revolution.pdf",
    "faq-editorial-collective-maintainers@lists.example.org",
    "https://theanarchistlibrary.org/library/petr-kropotkin-mutual-aid-a-factor-of-evolution",
    "https://theanarchistlibrary.org/library/errico-malatesta-anarchy#toc-chapter-three-and-a-half",
    "https://en.wikipedia.org/wiki/Mutual_Aid:_A_Factor_of_Evolution_(Kropotkin_book)"
    "#Reception_and_influence",
]
#: url.sty's own breaks and costs, as Sphinx leaves them, and no marks in the text.
SPHINX_BREAKS = r"""
\renewcommand\faqbreak{}\renewcommand\faqbreakinword{}
\def\UrlBreaks{\do\.\do\@\do\\\do\/\do\!\do\_\do\|\do\;\do\>\do\]\do\)\do\,\do\?\do\&%
  \do\'\do+\do\=\do\#}
\def\UrlBigBreaks{\do\:}
\mathchardef\UrlBreakPenalty=\binoppenalty \mathchardef\UrlBigBreakPenalty=\relpenalty
\Urlmuskip=0mu
"""


@contextmanager
def source_date_epoch() -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set while Sphinx builds (it dates the title page)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


@dataclass(frozen=True)
class Book(Compiled):
    """The test root compiled by *engine*."""

    engine: str = "pdflatex"


def compiled(shared: Path, name: str, overrides: dict[str, Any]) -> Book:
    with source_date_epoch():
        built = build_and_compile(shared, name, "latex-lines", "lines.tex", overrides)
    return Book(built.outdir, built.warnings, texname=built.texname,
                engine=str(overrides.get("latex_engine", "pdflatex")))


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return xdist_shared_dir(tmp_path_factory, "latex-book-pdfs")


@pytest.fixture(scope="module", params=["pdflatex", "xelatex"])
def book(request: pytest.FixtureRequest, shared: Path) -> Book:
    # xelatex without a release: the title page then has no version line
    overrides: dict[str, Any] = {"latex_engine": request.param}
    if request.param == "xelatex":
        overrides["release"] = ""
    return compiled(shared, request.param, overrides)


@pytest.fixture(scope="module")
def sphinx_breaks(shared: Path) -> Book:
    return compiled(shared, "sphinx-breaks", {"latex_elements": {"preamble": SPHINX_BREAKS}})


def pages(pdf: Path) -> list[str]:
    return [pdftotext(pdf, page=number) for number in range(1, len(PdfReader(pdf).pages) + 1)]


# -- break points, without compiling ------------------------------------------------------


def marked(token: str) -> str:
    """*token* with ``|`` where it may break and ``'`` where it may break in a word."""
    out, previous = "", 0
    for offset, mark in break_points(token):
        out += token[previous:offset] + {BREAK: "|", BREAK_IN_WORD: "'"}[mark]
        previous = offset
    return out + token[previous:]


def test_break_points_after_slashes_and_before_signs() -> None:
    assert marked("https://www.example.org/faq/a-2-6.html") == (
        "https://|www|.example|.org/|faq/|a-2-6|.html")
    # never at a token's edges: no line starts or ends with a lone sign
    assert marked("(www.spunk.org/library/).") == "(www|.spunk|.org/|library/)."
    assert marked("Some_Long_Identifier_Name") == "Some|_Long|_Identifier|_Name"
    # a run of letters as long as a line's third may break anywhere, at a higher cost;
    # a word-long one is left whole
    assert marked("example.org/a1b2c3d4e5f6a7b8c9d0e") == (
        "example|.org/|a'1'b'2'c'3'd'4'e'5'f'6'a'7'b'8'c'9'd'0'e")
    assert marked("ChristieBooks.com/Libertarianism") == "ChristieBooks|.com/|Libertarianism"


def test_words_are_left_to_tex() -> None:
    """Words (letters, hyphens, apostrophes) and short tokens stay whole: TeX hyphenates."""
    for text in ("Antidisestablishmentarianism is a word",
                 "anarcho-syndicalists' self-management, e.g. mutual aid",
                 "see www.x.org or a/b", "1,000,000 people in 1990s-2000s"):
        assert breakable(text) is None, text


def test_breakable_keeps_every_character() -> None:
    text = "Read http://www.spunk.org/library/writers/sp001503.html, then Some_Long_Name_Here."
    pieces = breakable(text)
    assert pieces is not None
    assert len([piece for piece in pieces if isinstance(piece, nodes.inline)]) == 2
    rebuilt = "".join(
        piece.astext() if not isinstance(piece, nodes.inline) else
        "".join(child.astext() for child in piece.children if not isinstance(child, nodes.raw))
        for piece in pieces
    )
    assert rebuilt == text
    raws = [child.astext() for piece in pieces if isinstance(piece, nodes.inline)
            for child in piece.children if isinstance(child, nodes.raw)]
    assert raws and set(raws) <= {BREAK, BREAK_IN_WORD}


# -- the .tex ---------------------------------------------------------------------------


def test_marks_only_where_the_writer_prints_text(book: Book) -> None:
    tex = book.tex
    body = tex[tex.index(r"\begin{document}"):]
    # a link's own text, a note's address, an identifier in the text
    assert r"dmoz\faqbreak{}.org/\faqbreak{}Society/" in body
    assert r"See http://\faqbreak{}www\faqbreak{}.spunk" in body
    assert r"Anarchist\faqbreak{}\_FAQ" in body
    # never in an address Sphinx prints with \url, nor in its link target
    for url in re.findall(r"\\sphinx(?:url|href)\{([^}]*)\}", body):
        assert "faqbreak" not in url, url
    # never in a heading (contents, bookmarks, running heads)
    for heading in re.findall(r"\\(?:chapter|section|subsection|subsubsection)\{[^\n]*", body):
        assert "faqbreak" not in heading, heading


def test_addresses_sphinx_shows_break_too(tmp_path: Path) -> None:
    """latex_show_urls: an address written after its link, or in a footnote."""
    for mode, expected in (("inline", r" (http://\faqbreak{}dmoz\faqbreak{}.org/"),
                           ("footnote", r"\sphinxnolinkurl{http://dmoz.org/Society/")):
        src = tmp_path / mode
        copy_root(ROOTS / "test-latex-lines", src)
        built = sphinx_build(src, "latex", latex_show_urls=mode)
        assert expected in built.text("lines.tex"), mode


def test_contents_depth_follows_the_book_class(tmp_path: Path) -> None:
    """The level of the deepest question's heading, as Sphinx sets it; the user's wins."""
    cases: dict[str, tuple[dict[str, Any], str | None]] = {
        "manual": ({}, r"\faqcontentsdepth{3}"),  # A.1.1.1 is a \subsubsection
        "section": ({"latex_toplevel_sectioning": "section"}, r"\faqcontentsdepth{4}"),
        "part": ({"latex_toplevel_sectioning": "part"}, r"\faqcontentsdepth{2}"),
        "user": ({"latex_elements": {"tocdepth": r"\setcounter{tocdepth}{0}"}}, None),
    }
    for name, (overrides, expected) in cases.items():
        src = tmp_path / name
        copy_root(ROOTS / "test-latex-lines", src)
        built = sphinx_build(src, "latex", **overrides)
        assert "WARNING" not in built.warnings, built.warnings
        tex = built.text("lines.tex")
        preamble = tex[:tex.index(r"\begin{document}")]
        if expected is None:
            assert r"\faqcontentsdepth" not in tex, name
            assert r"\setcounter{tocdepth}{0}" in preamble
        else:
            # after Sphinx's own value (from :maxdepth: 1), before the user's preamble
            assert preamble.count(r"\faqcontentsdepth") == 1, name
            assert expected in preamble, (name, preamble[-800:])
            assert preamble.index(r"\setcounter{tocdepth}") < preamble.index(expected)
            assert preamble.index(expected) < preamble.index(r"\title{")


def test_title_page_values_are_defaults_the_user_overrides(tmp_path: Path) -> None:
    cases: dict[str, tuple[dict[str, Any], list[str], list[str]]] = {
        "de": ({"language": "de"},
               [r"\renewcommand{\releasename}{Version}", r"\date{März 2021}",
                r"\faqmaketitle"], [r"\releasename}{Release}"]),
        "es": ({"language": "es"},
               [r"\renewcommand{\releasename}{Versión}", r"\date{marzo de 2021}"], []),
        "today": ({"today": "Spring 2020"}, [r"\date{Spring 2020}"], []),
        "today_fmt": ({"today_fmt": "%d %B %Y"}, [r"\date{06 March 2021}"], []),
        "user": ({"latex_elements": {"releasename": "Edition", "maketitle": r"\sphinxmaketitle"}},
                 [r"\renewcommand{\releasename}{Edition}", r"\sphinxmaketitle"],
                 [r"\faqmaketitle"]),
        "no-release": ({"release": "", "version": ""},
                       [r"\renewcommand{\releasename}{}", r"\date{March 2021}"],
                       [r"\releasename}{Version}"]),
    }
    for name, (overrides, present, absent) in cases.items():
        src = tmp_path / name
        copy_root(ROOTS / "test-latex-lines", src)
        with source_date_epoch():
            built = sphinx_build(src, "latex", **overrides)
        tex = built.text("lines.tex")
        preamble = tex[:tex.index(r"\sphinxtableofcontents")]
        for text in present:
            assert text in preamble, (name, text)
        for text in absent:
            assert text not in preamble, (name, text)


# -- compiled -------------------------------------------------------------------------


def test_without_the_breaks_the_lines_run_into_the_margin(sphinx_breaks: Book) -> None:
    """The control: what the root's lines do with Sphinx's breaks only."""
    overfull = url_overfull_lines(sphinx_breaks.engine_log)
    assert len(overfull) >= 3, overfull_lines(sphinx_breaks.engine_log)
    assert max(line.points for line in overfull) > 50, overfull


@pytest.mark.tool
def test_no_line_runs_into_the_margin(book: Book) -> None:
    assert book.warnings.strip() == ""
    assert {"pdflatex": "This is pdfTeX", "xelatex": "This is XeTeX"}[book.engine] in (
        book.engine_log)
    assert overfull_lines(book.engine_log) == []
    assert "undefined references" not in book.engine_log


@pytest.mark.tool
def test_every_address_is_printed_whole_and_linked(book: Book) -> None:
    text = squash("".join(pages(book.pdf)))
    for long_text in LONG_TEXTS:
        assert squash(long_text) in text, long_text
    targets = {
        str(annotation["/A"]["/URI"])
        for page in PdfReader(book.pdf).pages
        for annotation in (ref.get_object() for ref in page.get("/Annots", []))
        if "/URI" in annotation.get("/A", {})
    }
    assert {LONG_TEXTS[0], LONG_TEXTS[1], LONG_TEXTS[-1],
            "http://" + LONG_TEXTS[2], LONG_TEXTS[7]} <= targets, targets


def contents_entries(pdf: Path) -> list[tuple[str, str]]:
    """(question number, page) of each entry of the printed contents."""
    texts = pages(pdf)
    first = next(n for n, text in enumerate(texts) if text.lstrip().startswith("Contents"))
    entries = []
    for number in range(first + 1, len(texts) + 1):
        if number > first + 1 and re.match(r"\s*A Where", texts[number - 1]):
            break  # the first chapter
        # laid out, an entry's last line ends with its page (after a dotted leader)
        for line in pdftotext(pdf, page=number, layout=True).splitlines():
            found = re.match(r"\s*(A(?:\.\d+)*) [A-Z].*?\s(\d+)$", line.rstrip())
            if found:
                entries.append((found[1], found[2]))
    return entries


@pytest.mark.tool
def test_contents_reach_the_deepest_question(book: Book) -> None:
    """The root toctree's :maxdepth: 1 gave a contents of chapters only."""
    entries = contents_entries(book.pdf)
    assert [number for number, _page in entries] == QUESTIONS, entries
    # each entry's page is the page its question starts on
    texts = pages(book.pdf)
    labels = PdfReader(book.pdf).page_labels
    for number, page in entries:
        start = next(n for n, text in enumerate(texts)
                     if re.search(rf"^{re.escape(number)} [A-Z]", text, re.MULTILINE)
                     and not text.lstrip().startswith("Contents"))
        assert labels[start] == page, (number, page, labels[start])


@pytest.mark.tool
def test_bookmarks_go_as_deep_as_the_contents(book: Book) -> None:
    outline = pdf_outline(PdfReader(book.pdf))
    questions = [(depth, title.split()[0]) for depth, title, _page in outline
                 if re.match(r"A(\.\d+)* ", title)]
    assert [number for _depth, number in questions] == QUESTIONS, outline
    depths = [depth for depth, _number in questions]
    assert depths == sorted(set(depths)) and len(set(depths)) == 4, questions


@pytest.mark.tool
def test_title_page_gives_version_and_date(book: Book) -> None:
    title_page = pdftotext(book.pdf, page=1)
    words = " ".join(title_page.split())
    assert words.startswith("Long Lines")
    assert "Release" not in words
    if book.engine == "xelatex":  # release = "": no version line
        assert "Version" not in words, words
    else:
        assert "Long Lines Version 2.1 " in words, words
    assert squash("The Editorial Collective of a Book with a Rather Long Name") in squash(words)
    assert words.endswith(DATE), words


def _parts_book(src: Path, captions: list[str]) -> Path:
    """A book whose root lists one chapter under each of *captions* (a toctree each)."""
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_faq_ext"]\nproject = "Parts"\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'author = "Editors"\nexclude_patterns = ["_build"]\nshow_warning_types = True\n'
        'latex_engine = "pdflatex"\n'
        'latex_documents = [("index", "parts.tex", "Parts", "Editors", "manual")]\n',
        "utf8")
    toctrees = []
    for number, caption in enumerate(captions, 1):
        name = f"chapter{number}"
        (src / f"{name}.md").write_text(
            f"# Chapter {number}\n\n:::{{faq:question}} Question {number}?\n:number: "
            f"{number}\n\nAnswer {number}.\n:::\n", "utf8")
        toctrees.append(f"```{{toctree}}\n:maxdepth: 1\n:caption: {caption}\n\n{name}\n```\n")
    (src / "index.md").write_text("# Parts\n\nThe edition's note.\n\n" + "\n".join(toctrees),
                                  "utf8")
    return src


def test_root_toctree_captions_are_printed_parts(tmp_path: Path) -> None:
    """Two or more captioned toctrees in the root are the book's parts in the PDF.

    Before: Sphinx named the printed contents after the first caption
    ("Volume 1") and printed no other caption; volume 2 was nowhere.
    """
    captions = ["Volume 1", "Volume 2", "Supplementary & Other Material"]
    src = _parts_book(tmp_path / "parts", captions)
    built = sphinx_build(src, "latex")
    assert "WARNING" not in built.warnings, built.warnings
    tex = built.text("parts.tex")
    assert r"\renewcommand{\contentsname}" not in tex  # the contents keep their name
    body = tex[tex.index(r"\begin{document}"):]
    marks = [body.index(r"\faqpart{Volume 1}"), body.index(r"\chapter{Chapter 1}"),
             body.index(r"\faqpart{Volume 2}"), body.index(r"\chapter{Chapter 2}"),
             body.index(r"\faqpart{Supplementary \& Other Material}"),
             body.index(r"\chapter{Chapter 3}")]
    assert marks == sorted(marks)
    latexmk(built.outdir, "parts.tex")
    reader = PdfReader(built.outdir / "parts.pdf")
    outline = [(depth, title) for depth, title, _ in pdf_outline(reader)]
    # each part a top-level bookmark with its chapter below it
    for number, caption in enumerate(captions, 1):
        index = outline.index((0, caption))
        assert outline[index + 1] == (1, f"Chapter {number}"), outline
    pages = [squash(pdftotext(built.outdir / "parts.pdf", page=number))
             for number in range(1, len(reader.pages) + 1)]
    contents = next(page for page in pages if "Contents" in page)
    for caption in captions:
        assert squash(caption) in contents, contents
    assert contents.index("Volume2") < contents.index("Chapter2") < contents.index("Supplementary")


def test_one_captioned_toctree_is_no_part(tmp_path: Path) -> None:
    src = _parts_book(tmp_path / "one", ["Chapters"])
    built = sphinx_build(src, "latex")
    assert "WARNING" not in built.warnings, built.warnings
    tex = built.text("parts.tex")
    assert r"\faqpart" not in tex.split(r"\begin{document}")[1]


def _fonts_of(page: Any, text: str) -> set[str]:
    """The fonts (their /BaseFont, subset tag dropped) that set the words of *text* on
    *page* (runs with a letter: not the page number)."""
    fonts: set[str] = set()

    def visit(run: str, _cm: Any, _tm: Any, font: Any, _size: Any) -> None:
        if font is not None and re.search("[A-Za-z]", run) and run.strip() in text:
            fonts.add(str(font.get("/BaseFont", "")).split("+")[-1])

    page.extract_text(visitor_text=visit)
    return fonts


def test_part_titles_in_the_family_of_chapter_heads(tmp_path: Path) -> None:
    """Before: a part's title (\\part*: \\normalfont) was serif, the chapter heads sans."""
    src = _parts_book(tmp_path / "fonts", ["Volume 1", "Volume 2"])
    built = sphinx_build(src, "latex")
    latexmk(built.outdir, "parts.tex")
    reader = PdfReader(built.outdir / "parts.pdf")
    texts = [pdftotext(built.outdir / "parts.pdf", page=n)
             for n in range(1, len(reader.pages) + 1)]
    part = next(n for n, text in enumerate(texts) if text.lstrip().startswith("Volume 1"))
    chapter = next(n for n, text in enumerate(texts)
                   if text.lstrip().startswith("Chapter 1") and "Contents" not in text)
    part_fonts = _fonts_of(reader.pages[part], "Volume 1")
    head_fonts = _fonts_of(reader.pages[chapter], "Chapter 1")
    assert part_fonts and part_fonts == head_fonts, (part_fonts, head_fonts)


def _appendix_book(src: Path) -> Path:
    """An appendix as An Anarchist FAQ's ``append2`` is written: a question whose
    answer has a heading (``## Introduction``), its sub-questions listed by a
    hidden toctree at the end of that heading's text."""
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_faq_ext"]\nproject = "Appendix"\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'author = "Editors"\nexclude_patterns = ["_build"]\nshow_warning_types = True\n'
        'latex_engine = "pdflatex"\n'
        'latex_documents = [("index", "appendix.tex", "Appendix", "Editors", "manual")]\n',
        "utf8")
    (src / "index.md").write_text("# Appendix\n\n```{toctree}\n:maxdepth: 1\n\nsection\n"
                                  "symbols/index\n```\n", "utf8")
    (src / "section.md").write_text(
        ":::{faq:question} What is anarchism?\n:number: A\n\nText.\n\n"
        "::::{faq:question} Where does it come from?\n:number: A.1\n\nAn answer.\n::::\n"
        ":::\n", "utf8")
    (src / "symbols").mkdir()
    (src / "symbols" / "index.md").write_text(
        ":::{faq:question} The Symbols of Anarchy\n:number: Appendix 1\n\n"
        "Its questions.\n\n## Introduction\n\nText of the introduction.\n\n"
        "```{toctree}\n:hidden:\n\nappendix-1-1\nappendix-1-2\n```\n\n:::\n", "utf8")
    for number, title in ((1, "What is the history of the Black Flag?"),
                          (2, "Why the red and black flag?")):
        (src / "symbols" / f"appendix-1-{number}.md").write_text(
            f":::{{faq:question}} {title}\n:number: Appendix 1.{number}\n\n"
            f"Answer {number}.\n:::\n", "utf8")
    return src


def test_an_appendix_questions_are_at_the_depth_of_its_introduction(tmp_path: Path) -> None:
    """The sub-questions of an appendix whose answer has a heading
    (*Introduction*) and lists them by a toctree at the end of that heading's
    text were printed as sub-sections of the introduction: one step deeper in
    the contents than the introduction, though both are parts of the appendix
    (and deeper than A.1 under A).  A toctree that ends the text of a heading
    inside a question now lists its documents under the question, in the
    same place in the reading order."""
    src = _appendix_book(tmp_path / "appendix")
    built = sphinx_build(src, "latex")
    assert "WARNING" not in built.warnings, built.warnings
    latexmk(built.outdir, "appendix.tex")
    toc = (built.outdir / "appendix.toc").read_text("utf8")
    levels = {title: level for level, title in
              re.findall(r"\\contentsline \{(\w+)\}\{([^{}]*)\}", toc)}
    assert levels["A What is anarchism?"] == levels["Appendix 1 The Symbols of Anarchy"] \
        == "chapter", toc
    assert levels["A.1 Where does it come from?"] == "section", toc
    assert levels["Introduction"] == "section", toc
    assert levels["Appendix 1.1 What is the history of the Black Flag?"] == "section", toc
    assert levels["Appendix 1.2 Why the red and black flag?"] == "section", toc
    # the reading order is the same: the introduction, then the questions
    text = " ".join(pdftotext(built.outdir / "appendix.pdf").split())
    text = text[text.index("Its questions."):]  # the appendix, after the contents
    assert (text.index("Text of the introduction.")
            < text.index("Appendix 1.1 What is the history") < text.index("Answer 2.")), text


def test_a_part_of_one_chapter_of_its_name_prints_its_title_once(tmp_path: Path) -> None:
    """As in the Typst PDF (``test_typst_book_parts``): a part whose one chapter
    has the part's caption as its title (An Anarchist FAQ's *Supplementary
    Material*) printed the title on a page of its own, then again as the
    chapter's heading on the next right-hand page, and listed it twice.  Now
    the chapter's heading is the part's: no part page, the chapter's line of
    the contents and its bookmark at the level of a part."""
    src = _parts_book(tmp_path / "parts", ["Volume 1", "Volume 2", "Supplementary Material"])
    (src / "chapter3.md").write_text(
        "# Supplementary  material\n\nThese appendices build on the main text.\n\n"
        ":::{faq:question} Question 3?\n:number: 3\n\nAnswer 3.\n:::\n", "utf8")
    built = sphinx_build(src, "latex")
    assert "WARNING" not in built.warnings, built.warnings
    tex = built.text("parts.tex")
    assert r"\faqpart{Supplementary Material}" not in tex
    assert r"\faqpart{Volume 2}" in tex
    latexmk(built.outdir, "parts.tex")
    toc = (built.outdir / "parts.toc").read_text("utf8")
    lines = re.findall(r"\\contentsline \{(\w+)\}\{([^{}]*)\}", toc)
    assert [level for level, title in lines if "upplementary" in title] == ["part"], toc
    assert ("chapter", "Chapter 2") in lines, toc
    pdf = built.outdir / "parts.pdf"
    outline = pdf_outline(PdfReader(pdf))
    assert [depth for depth, title, _page in outline if "upplementary" in title] == [0], outline
    assert [depth for depth, title, _page in outline if title == "Chapter 2"] == [1], outline
    texts = [" ".join(pdftotext(pdf, page=n + 1).split())
             for n in range(len(PdfReader(pdf).pages))]
    headed = [n for n, text in enumerate(texts) if text.startswith("Supplementary material")]
    assert len(headed) == 1, texts
    assert "These appendices build on the main text." in texts[headed[0]]
