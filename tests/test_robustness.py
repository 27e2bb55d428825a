"""Input that used to crash or lose text: a located warning (or none), and every word kept.

Each case is written in MyST and in reStructuredText (issue 13).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import BASE_CONF, warnings_of
from external_tools import epubcheck, latexmk, need_module, sphinx_process

from sphinx_faq_ext.testing import write_project

if TYPE_CHECKING:
    from conftest import MakeProject
    from sphinx.testing.util import SphinxTestApp

TOC = "# Book\n\n```{toctree}\na\nb\n```\n"
RST_TOC = "Book\n====\n\n.. toctree::\n\n   a\n   b\n"


def faq_warnings(app: SphinxTestApp) -> list[str]:
    return [line for line in warnings_of(app).splitlines() if "[faq." in line]


def no_traceback(app: SphinxTestApp) -> None:
    text = warnings_of(app)
    assert "Traceback" not in text and "Exception occurred" not in text, text


def md_question(body: str, number: str = "A", title: str = "One", extra: str = "") -> str:
    # No blank line before the closing fence: MyST-Parser 3 then counts the
    # lines of nested directives one too many.
    return f":::{{faq:question}} {title}\n:number: {number}\n{extra}\n{body.rstrip()}\n:::\n"


def rst_question(body: str, number: str = "A", title: str = "One", extra: str = "") -> str:
    indented = "\n".join(f"   {line}" if line else "" for line in body.splitlines())
    return f".. faq:question:: {title}\n   :number: {number}\n{extra}\n{indented}\n"


def page(syntax: str, *questions: str) -> dict[str, str]:
    if syntax == "md":
        return {"index.md": "# Title\n\n\n" + "\n".join(questions)}
    return {"index.rst": "Title\n=====\n\n" + "\n".join(questions)}


SYNTAXES = pytest.mark.parametrize("syntax", ["md", "rst"])


def quote(syntax: str, options: dict[str, str], text: str = "") -> str:
    if syntax == "md":
        lines = [f":{key}: {value}".rstrip() for key, value in options.items()]
        return "```{faq:quote}\n" + "\n".join(lines) + ("\n\n" + text if text else "") + "\n```\n"
    lines = [f"   :{key}: {value}".rstrip() for key, value in options.items()]
    return ".. faq:quote::\n" + "\n".join(lines) + ("\n\n   " + text if text else "") + "\n"


# -- crashes ---------------------------------------------------------------------


@SYNTAXES
def test_quote_with_nothing_at_all(make_project: MakeProject, syntax: str) -> None:
    q = md_question if syntax == "md" else rst_question
    app = make_project(page(syntax, q(quote(syntax, {}) + "\nAfter the quote.\n")))
    app.build()
    no_traceback(app)
    warnings = "\n".join(faq_warnings(app))
    assert re.search(rf"index\.{syntax}:7: WARNING: faq:quote has no quoted text "
                     r"\[faq\.empty-quote\]", warnings), warnings
    assert "After the quote." in (app.outdir / "index.html").read_text("utf8")


@SYNTAXES
def test_number_with_thousands_of_digits(make_project: MakeProject, syntax: str) -> None:
    q = md_question if syntax == "md" else rst_question
    long = "9" * 5000
    app = make_project(page(syntax, q("Answer.", number=f"A.{long}"),
                            q("Next.", number=f"A.{long}.7", title="Two")))
    app.build()
    no_traceback(app)
    warnings = "\n".join(faq_warnings(app))
    # A.999…9 has no parent A: located, and the number survives
    assert re.search(rf"index\.{syntax}:4: WARNING: FAQ question A\.9{{5000}} has no parent "
                     r"question A \[faq\.missing-parent\]", warnings), warnings[:300]
    html = (app.outdir / "index.html").read_text("utf8")
    assert f"A.{long}.7" in html and "Answer." in html and "Next." in html


@SYNTAXES
def test_author_with_unbalanced_brace(make_project: MakeProject, syntax: str) -> None:
    q = md_question if syntax == "md" else rst_question
    app = make_project(page(syntax, q(quote(syntax, {"author": "{Foo Bar"}, "Quoted words."))))
    app.build()
    no_traceback(app)
    assert faq_warnings(app) == []
    assert "{Foo Bar" in (app.outdir / "index.html").read_text("utf8")
    assert "{Foo Bar" in (app.outdir / "genindex.html").read_text("utf8")


def _deep(syntax: str, depth: int, heading: str) -> str:
    if syntax == "md":
        opening = "".join(f"{':' * (depth + 4 - i)}{{faq:question}} Q{i}\n\n"
                          for i in range(depth))
        closing = "".join(f"{':' * (5 + i)}\n" for i in range(depth))
        return f"# Title\n\n{opening}Deepest answer.\n\n## {heading}\n\nBelow it.\n\n{closing}"
    text = "Title\n=====\n\n"
    for i in range(depth):
        text += "   " * i + f".. faq:question:: Q{i}\n\n"
    pad = "   " * depth
    underline = "-" * len(heading)
    return text + f"{pad}Deepest answer.\n\n{pad}{heading}\n{pad}{underline}\n\n{pad}Below it.\n"


@SYNTAXES
def test_text_builder_below_its_section_levels(make_project: MakeProject, syntax: str) -> None:
    app = make_project({f"index.{syntax}": _deep(syntax, 6, "A heading in the answer")},
                       buildername="text")
    app.build()
    no_traceback(app)
    assert faq_warnings(app) == []
    text = (app.outdir / "index.txt").read_text("utf8")
    assert "1.1.1.1.1.1 Q5" in text and "Deepest answer." in text and "Below it." in text
    # eight levels: the eighth is underlined with the last of text_sectionchars
    assert re.search(r"\nA heading in the answer\n`{23}\n", text), text


def _levels(syntax: str, depth: int) -> dict[str, str]:
    numbers = [".".join(["A", *["1"] * level]) for level in range(depth)]
    if syntax == "md":
        body = "".join(md_question(f"Answer {n}.", number=n, title=f"Question {n}")
                       for n in numbers)
        return {"index.md": "# Title\n\n```{faq:index}\n```\n\n" + body}
    body = "".join(rst_question(f"Answer {n}.", number=n, title=f"Question {n}") for n in numbers)
    return {"index.rst": "Title\n=====\n\n.. faq:index::\n\n" + body}


@SYNTAXES
def test_question_index_deeper_than_latex_lists(make_project: MakeProject, syntax: str) -> None:
    app = make_project(_levels(syntax, 7), buildername="latex")
    app.build()
    no_traceback(app)
    assert faq_warnings(app) == []
    [tex] = app.outdir.glob("*.tex")
    source = tex.read_text("utf8")
    depth = deepest = 0
    for match in re.finditer(r"\\(begin|end)\{itemize\}", source):
        depth += 1 if match.group(1) == "begin" else -1
        deepest = max(deepest, depth)
    assert deepest == 4, deepest
    assert "A.1.1.1.1.1.1" in source
    latexmk(app.outdir, tex.name)  # "Too deeply nested" fails here
    assert tex.with_suffix(".pdf").stat().st_size > 0


# -- text lost -----------------------------------------------------------------------


@SYNTAXES
def test_numbers_differing_in_case_keep_their_notes(
    make_project: MakeProject, syntax: str
) -> None:
    q = md_question if syntax == "md" else rst_question
    note = "{{faq:note}}`{}`" if syntax == "md" else "\\ :faq:note:`{}`"
    pairs = [("B", "b"), ("A.1", "a.1"), ("1.2", "q.1.2")]
    questions = []
    for index, (upper, lower) in enumerate(pairs):
        for number, title in ((upper, f"U{index}"), (lower, f"L{index}")):
            questions.append(q(f"Text{note.format('note of ' + number)}.", number, title))
    project = page(syntax, *questions)
    project["conf.py"] = (
        "extensions = ['myst_parser', 'sphinx_faq_ext']\n"
        "myst_enable_extensions = ['colon_fence']\nshow_warning_types = True\n"
        "suppress_warnings = ['faq.missing-parent']\n"
        "faq_notes_style = 'inline'\n"
    )
    app = make_project(project)
    app.build()
    no_traceback(app)
    warnings = "\n".join(faq_warnings(app))
    line = 10 if syntax == "md" else 9  # of b; B is on line 4
    assert re.search(rf"index\.{syntax}:{line}: WARNING: FAQ question number b differs from B "
                     rf"\(index\.{syntax}, line 4\) only in case; .*\[faq\.number-case\]",
                     warnings), warnings
    html = (app.outdir / "index.html").read_text("utf8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for number in [n for pair in pairs for n in pair]:
        # each question shows its own note, and the note text appears once
        assert html.count(f"[note of {number}]") == 1, number
    assert 'id="b"' in html and 'id="a-1"' in html and 'id="q-1-2"' in html  # kept as ever


@pytest.mark.parametrize("builder",
                         ["html", "singlehtml", "latex", "text", "man", "texinfo", "faqpdf"])
@pytest.mark.parametrize("syntax", ["md", "rst"])
@pytest.mark.parametrize("numbers", [("B", "b"), ("Q", "Q")])
@pytest.mark.parametrize("style", ["", "inline"])  # "": each builder's default
def test_colliding_numbers_across_documents(make_project: MakeProject, syntax: str, builder: str,
                                            numbers: tuple[str, str], style: str) -> None:
    q = md_question if syntax == "md" else rst_question
    note = "{{faq:note}}`{}`" if syntax == "md" else "\\ :faq:note:`{}`"
    head = "# Page {}\n\n" if syntax == "md" else "Page {0}\n======\n\n"
    project = {
        f"index.{syntax}": TOC if syntax == "md" else RST_TOC,
        f"a.{syntax}": head.format("A") + q(f"Body{note.format('first note')}.", numbers[0]),
        f"b.{syntax}": head.format("B") + q(f"Body{note.format('second note')}.", numbers[1]),
    }
    if style:
        project["conf.py"] = BASE_CONF + f"faq_notes_style = {style!r}\n"
    overrides = {}
    if builder == "faqpdf":  # the HTML checks below are the WeasyPrint engine's
        need_module("weasyprint")
        overrides = {"faq_pdf_engine": "weasyprint"}
    app = make_project(project, buildername=builder, confoverrides=overrides)
    app.build()
    no_traceback(app)
    subtype = "number-case" if numbers[0] != numbers[1] else "duplicate-number"
    warnings = "\n".join(faq_warnings(app))
    line = 3 if syntax == "md" else 4
    assert re.search(rf"b\.{syntax}:{line}: WARNING: .*\[faq\.{subtype}\]", warnings), warnings
    if builder != "faqpdf":  # its HTML has each note twice: footnote and (hidden) list
        text = "\n".join(path.read_text("utf8") for path in app.outdir.rglob("*")
                         if path.suffix in {".html", ".tex", ".txt", ".1", ".texi"}
                         and "_sources" not in path.parts)
        assert text.count("first note") == 1 and text.count("second note") == 1, builder
    if builder == "html":  # one page each: the anchors as read, the contents link to them
        toc, second = ((app.outdir / f"{name}.html").read_text("utf8") for name in ("index", "b"))
        anchor = "b--e9d71f" if numbers == ("B", "b") else "q-q"
        assert f'id="{anchor}"' in second and f'href="b.html#{anchor}"' in toc
    if builder in ("singlehtml", "faqpdf"):
        # the one page, or (faqpdf by chapter) one a chapter and the front matter
        htmls = [path.read_text("utf8") for path in app.outdir.rglob("*.html")]
        assert len(htmls) == 1 or builder == "faqpdf"
        ids = [i for html in htmls for i in re.findall(r'\bid="([^"]+)"', html)]
        assert [i for i, n in Counter(ids).items() if n > 1] == []
        for html in htmls:
            for ref in re.findall(r'href="(?:#|faq-join:)([^"]+-note(?:ref)?-\d+)"', html):
                assert ref in ids, ref  # every note link lands
        if builder == "faqpdf":
            from pypdf import PdfReader

            [pdf] = app.outdir.glob("*.pdf")
            pdf_text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
            assert pdf_text.count("first note") == 1 and pdf_text.count("second note") == 1


@SYNTAXES
def test_quote_with_note_and_cite_keeps_both(make_project: MakeProject, syntax: str) -> None:
    q = md_question if syntax == "md" else rst_question
    options = {"author": "Emma Goldman", "cite": "goldman1910, p. 4", "note": "Reprinted 1969."}
    app = make_project(page(syntax, q(quote(syntax, options, "Quoted words."))))
    app.build()
    no_traceback(app)
    warnings = "\n".join(faq_warnings(app))  # no bibtex here: the cite stays as written
    assert re.search(rf"index\.{syntax}:7: WARNING: faq:cite needs 'sphinxcontrib.bibtex'",
                     warnings), warnings
    html = (app.outdir / "index.html").read_text("utf8")
    assert "goldman1910, p. 4" in html and "Reprinted 1969." in html
    assert '<a class="faq-noteref" href="#a-note-2"' in html.replace(' role="doc-noteref"', "")


def test_rst_note_keeps_backslashes(make_project: MakeProject) -> None:
    app = make_project(page("rst", rst_question(r"Path :faq:note:`C:\\dir and \*stars\*`.")))
    app.build()
    assert faq_warnings(app) == []
    html = (app.outdir / "index.html").read_text("utf8")
    assert "C:\\dir and *stars*" in html


def test_myst_note_keeps_backslashes(make_project: MakeProject) -> None:
    app = make_project(page("md", md_question(r"Path {faq:note}`C:\\dir and \*stars\*`.")))
    app.build()
    assert faq_warnings(app) == []
    html = (app.outdir / "index.html").read_text("utf8")
    assert "C:\\dir and *stars*" in html


@SYNTAXES
@pytest.mark.parametrize("option", ["number", "label"])
def test_empty_number_or_label_keeps_the_question(
    make_project: MakeProject, syntax: str, option: str
) -> None:
    if syntax == "md":
        text = f":::{{faq:question}} First\n:{option}:\n\nAnswer kept.\n:::\n"
    else:
        text = f".. faq:question:: First\n   :{option}:\n\n   Answer kept.\n"
    app = make_project(page(syntax, text))
    app.build()
    no_traceback(app)
    [warning] = faq_warnings(app)
    if option == "number":
        assert re.search(rf"index\.{syntax}:4: WARNING: empty :number:; numbering the question "
                         r"automatically \[faq\.malformed-number\]", warning), warning
    else:
        assert re.search(rf"index\.{syntax}:4: WARNING: empty :label: ignored "
                         r"\[faq\.empty-label\]", warning), warning
    html = (app.outdir / "index.html").read_text("utf8")
    assert "Answer kept." in html and '<span class="faq-number">1</span>' in html


# -- wrong or missing output -------------------------------------------------------


@SYNTAXES
@pytest.mark.parametrize("style", ["endnotes", "footnotes", "inline"])
def test_note_in_a_question_title(make_project: MakeProject, syntax: str, style: str) -> None:
    q = md_question if syntax == "md" else rst_question
    note = "{faq:note}`*Anarchy*, p. 1`" if syntax == "md" else "\\ :faq:note:`*Anarchy*, p. 1`"
    head = "# Page {}\n\n" if syntax == "md" else "Page {0}\n======\n\n"
    conf = ("extensions = ['myst_parser', 'sphinx_faq_ext']\nmyst_enable_extensions = "
            f"['colon_fence']\nshow_warning_types = True\nfaq_notes_style = '{style}'\n")
    app = make_project({
        "conf.py": conf,
        f"index.{syntax}": TOC if syntax == "md" else RST_TOC,
        f"a.{syntax}": head.format("A") + q("Body.", "A", title=f"Why{note}?"),
        f"b.{syntax}": head.format("B") + q("Other body.", "B", title="Other"),
    })
    app.build()
    no_traceback(app)
    assert faq_warnings(app) == []
    for name in ("index.html", "a.html", "b.html"):
        html = (app.outdir / name).read_text("utf8")
        assert not re.search(r"<a\b(?:(?!</a>).)*<a\b", html, re.S), name  # no link in a link
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert [i for i, n in Counter(ids).items() if n > 1] == [], name
        if name != "a.html":
            assert "a-note-1" not in html and "a-noteref-1" not in html, name
    html = (app.outdir / "a.html").read_text("utf8")
    if style == "inline":
        assert "[<em>Anarchy</em>, p. 1]" in html
    else:
        assert 'href="#a-note-1"' in html and 'id="a-note-1"' in html and "Anarchy" in html
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(script)["mainEntity"][0]["name"] == "A Why?"


@SYNTAXES
def test_sources_and_names_show_text_not_markup(make_project: MakeProject, syntax: str) -> None:
    q = md_question if syntax == "md" else rst_question
    options = {"author": "*Kropotkin*, Peter", "source": "The **Conquest** of Bread"}
    sources = "```{faq:sources}\n```\n" if syntax == "md" else ".. faq:sources::\n"
    app = make_project(page(syntax, q(quote(syntax, options, "Words.")), sources))
    app.build()
    no_traceback(app)
    assert faq_warnings(app) == []
    html = (app.outdir / "index.html").read_text("utf8")
    assert "<strong>Kropotkin, Peter</strong>" in html
    assert "<em>The Conquest of Bread</em>" in html
    assert "Kropotkin, Peter" in (app.outdir / "genindex.html").read_text("utf8")
    assert "*Kropotkin*" not in (app.outdir / "genindex.html").read_text("utf8")


@SYNTAXES
def test_ref_by_label_ignores_case(make_project: MakeProject, syntax: str) -> None:
    q = md_question if syntax == "md" else rst_question
    ref = ("{faq:ref}" if syntax == "md" else ":faq:ref:") + "`see <why-SOLIDARITY>`"
    app = make_project(page(syntax, q("Answer.", extra=("   " if syntax == "rst" else "")
                                      + ":label: Why-Solidarity\n"),
                            q(f"Then {ref}.", "B", title="Two")))
    app.build()
    assert faq_warnings(app) == []
    assert '<a class="reference internal" href="#a"' in (app.outdir / "index.html").read_text()


@SYNTAXES
def test_role_in_a_title_warns_at_its_line(make_project: MakeProject, syntax: str) -> None:
    q = md_question if syntax == "md" else rst_question
    ref = "{faq:ref}`Z.9`" if syntax == "md" else ":faq:ref:`Z.9`"
    app = make_project(page(syntax, q("Answer.", title=f"See {ref}")))
    app.build()
    [warning] = faq_warnings(app)
    assert re.search(rf"index\.{syntax}:4: WARNING: unknown FAQ question 'Z.9'", warning), warning


@SYNTAXES
def test_url_must_be_safe(make_project: MakeProject, syntax: str) -> None:
    q = md_question if syntax == "md" else rst_question
    app = make_project(page(
        syntax,
        q(quote(syntax, {"author": "X", "url": "javascript:alert(1)"}, "Words.")),
        q(quote(syntax, {"author": "Y", "source": "Work", "url": "https://example.org/w"},
                "More."), "B", title="Two"),
    ))
    app.build()
    warnings = "\n".join(faq_warnings(app))
    assert re.search(rf"index\.{syntax}:7: WARNING: :url: 'javascript:alert\(1\)' is not an "
                     r"http\(s\), ftp or mailto address; not linked \[faq\.unsafe-url\]",
                     warnings), warnings
    html = (app.outdir / "index.html").read_text("utf8")
    assert 'href="javascript' not in html and 'cite="javascript' not in html
    assert "javascript:alert(1)" in html  # shown as text, not lost
    assert 'href="https://example.org/w"' in html


@SYNTAXES
def test_anonymous_quote(make_project: MakeProject, syntax: str) -> None:
    q = md_question if syntax == "md" else rst_question
    app = make_project(page(syntax, q(quote(syntax, {"anonymous": "", "source": "Leaflet"},
                                            "Words of nobody."))))
    app.build()
    assert faq_warnings(app) == []
    html = (app.outdir / "index.html").read_text("utf8")
    assert "Words of nobody." in html and "Leaflet" in html


def test_anchors_are_distinct_and_keep_ordinary_ones() -> None:
    from sphinx_faq_ext.numbering import anchor_for, next_sibling, sort_key, unique_anchor

    assert [anchor_for(n) for n in ("A.2.6", "3.1", "B", "IV.10")] == ["a-2-6", "q-3-1", "b",
                                                                         "iv-10"]
    numbers = ["B", "b", "A.1", "a.1", "1.2", "q.1.2", "Q.1.2", "II.b", "ii.B", "2a", "2A"]
    assert len({anchor_for(n) for n in numbers}) == len(numbers)
    assert anchor_for("b") == anchor_for("b")  # stable
    assert unique_anchor("a", {"a", "a--2"}) == "a--3"
    long = "9" * 5000
    assert next_sibling(f"A.{long}", "A") == "A.1" + "0" * 5000
    assert sorted([f"A.{long}", "A.10", "A.9", "A.010"], key=sort_key)[:2] == ["A.9", "A.10"]


def test_epub_built_inside_the_source_folder(tmp_path: Path) -> None:
    """``sphinx-build -b epub . _build/epub``: no version, no copyright, no exclude_patterns."""
    import os

    from conftest import REPO

    src = tmp_path / "book"
    outdir = src / "_build" / "epub"
    (outdir / ".doctrees" / "left-over").mkdir(parents=True)
    # A source-like file in the build folders must not become a document.
    (outdir / ".doctrees" / "left-over" / "stray.md").write_text("# Stray\n", "utf8")
    write_project(src, {"index.md": "# Book\n\n" + md_question("Answer.")},
                  conf="project = 'Book'\nextensions = ['myst_parser', 'sphinx_faq_ext']\n"
                       "myst_enable_extensions = ['colon_fence']\n")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for _ in range(2):  # the second build finds the first one's doctrees in place
        done = sphinx_process(Path(), Path("_build/epub"), "epub", options=("-W",), cwd=src,
                              env=env)
        assert "WARNING" not in done.warnings, done.warnings
    [epub] = outdir.glob("*.epub")
    assert not list(outdir.rglob("stray.xhtml"))
    # Without version and copyright the ePub is still valid (empty metadata left out).
    assert epubcheck(epub) == []


BIB = """@book{goldman1917,
  author = {Emma Goldman},
  title = {Anarchism and Other Essays},
  publisher = {Mother Earth},
  year = {1917},
}
"""
BIB_CONF = BASE_CONF.replace(
    '"sphinx_faq_ext"]', '"sphinxcontrib.bibtex", "sphinx_faq_ext"]'
) + 'bibtex_bibfiles = ["refs.bib"]\n'


@SYNTAXES
@pytest.mark.parametrize("builder", ["html", "latex"])
def test_cite_outside_questions_in_a_section_title(make_project: MakeProject, syntax: str,
                                                   builder: str) -> None:
    """Found by the fuzz harness: the name's index entry sat inside the bracketed note,
    which crashed Sphinx's LaTeX IndexInSectionTitleTransform; in HTML the title's
    copies in the toctree repeated the note's id."""
    if syntax == "md":
        chapter = {"a.md": "# Top {faq:cite}`goldman1917, p. 5`\n\nText.\n"}
        root = {"index.md": "# Book\n\n```{toctree}\na\n```\n"}
    else:
        title = "Top :faq:cite:`goldman1917, p. 5`"
        chapter = {"a.rst": f"{title}\n{'=' * len(title)}\n\nText.\n"}
        root = {"index.rst": "Book\n====\n\n.. toctree::\n\n   a\n"}
    app = make_project({"conf.py": BIB_CONF, "refs.bib": BIB, **root, **chapter}, builder)
    app.build()
    no_traceback(app)
    assert re.search(rf"a\.{syntax}:1: WARNING: source note outside any faq:question.*"
                     r"\[faq\.note-outside-question\]", "\n".join(faq_warnings(app)))
    if builder == "latex":
        tex = next(app.outdir.glob("*.tex")).read_text("utf8")
        assert "Anarchism and Other Essays" in tex
        assert r"\index{Goldman" in tex
        return
    for name in ("index.html", "a.html"):
        html = (app.outdir / name).read_text("utf8")
        ids = Counter(re.findall(r'\bid="([^"]+)"', html))
        assert [i for i, n in ids.items() if n > 1] == [], name
    assert "Anarchism and Other Essays" in (app.outdir / "a.html").read_text("utf8")


@SYNTAXES
def test_heading_named_like_a_question_keeps_its_own_id(
    make_project: MakeProject, syntax: str
) -> None:
    """``## A`` before and ``## B`` after the questions A and B: every id once; the
    questions keep ``#a``/``#b`` (their links), the headings get other ids."""
    if syntax == "md":
        files = {"index.md": "# Title\n\n## A\n\nBefore.\n\n" + md_question("One.")
                 + "\n" + md_question("Two {faq:ref}`A`.", number="B", title="Two")
                 + "\n## B\n\nAfter.\n"}
    else:
        files = {"index.rst": "Title\n=====\n\nA\n-\n\nBefore.\n\n" + rst_question("One.")
                 + "\n" + rst_question("Two :faq:ref:`A`.", number="B", title="Two")
                 + "\nB\n-\n\nAfter.\n"}
    app = make_project(files)
    app.build()
    no_traceback(app)
    html = (app.outdir / "index.html").read_text("utf8")
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for anchor, title in (("a", "One"), ("b", "Two")):
        pattern = rf'<section[^>]*\sid="{anchor}"[^>]*>\s*<h\d[^>]*>(.*?)</h'
        section = re.search(pattern, html, re.S)
        assert section and title in section.group(1), anchor
    assert 'href="#a"' in html
    assert "Before." in html and "After." in html
