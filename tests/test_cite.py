"""``faq:cite`` and ``faq:quote :cite:``: notes formatted from BibTeX entries."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from conftest import BASE_CONF, ROOTS, Built, html_page, warnings_of

from sphinx_faq_ext.testing import copy_root

if TYPE_CHECKING:
    from conftest import MakeApp, MakeProject
    from sphinx.testing.util import SphinxTestApp

BIB_CONF = BASE_CONF.replace('"myst_parser", ', '"myst_parser", "sphinxcontrib.bibtex", ') + (
    'bibtex_bibfiles = ["refs.bib"]\n'
)
BIB = (ROOTS / "test-book" / "refs.bib").read_text("utf8")


def notes(built: Built | SphinxTestApp, docname: str, anchor: str) -> list[str]:
    """The texts of the notes of question *anchor*, without back links (of a Built or an app)."""
    question = html_page(built.outdir, docname).find("section", id=anchor)
    listing = question.find("section", role="doc-endnotes", recursive=False)
    texts = []
    for item in listing.find_all("li"):
        item.find("a", role="doc-backlink").decompose()
        texts.append(re.sub(r"\s+", " ", item.get_text()).strip())
    return texts


def test_first_citation_full_later_short(book_html: Built) -> None:
    assert book_html.warnings == ""
    assert notes(book_html, "part-a", "a-1") == [
        "Errico Malatesta, Anarchy (London: Freedom Press, 1974), p. 29",
        "Malatesta, Anarchy, p. 33",
        "Alfie Kohn, No Contest: The Case Against Competition "
        "(Boston: Houghton Mifflin, 1986), p. 7",
        "Kohn, No Contest",
    ]
    # a new question starts over with the full form; faq:quote :cite: takes the same path
    assert notes(book_html, "part-a", "a-2-1") == [
        "Errico Malatesta, Anarchy (London: Freedom Press, 1974), p. 33",
        "Malatesta, Anarchy, p. 40",
    ]
    # incollection: title in quotation marks, the book in italics; rST role
    assert notes(book_html, "part-b", "b-1") == [
        "Emma Goldman, \u201cAnarchism: What It Really Stands For,\u201d in Red Emma Speaks, "
        "ed. Alix Kates Shulman (Amherst: Humanity Books, 1998), p. 49",
    ]


def test_titles_are_italic_and_markers_numbered(book_html: Built) -> None:
    soup = book_html.page("part-a")
    a1 = soup.find("section", id="a-1")
    assert [m.get_text() for m in a1.select("a.faq-noteref")] == ["[1]", "[2]", "[3]", "[4]"]
    first = a1.find("li", id="a-1-note-1")
    assert first.find("em").get_text() == "Anarchy"
    assert "faq-cite-full" in first.find(class_="faq-cite")["class"]
    assert "faq-cite-short" in a1.find("li", id="a-1-note-2").find(class_="faq-cite")["class"]


def test_cited_works_are_in_the_bibliography(book_html: Built) -> None:
    soup = book_html.page("contents")
    labels = [label.get_text() for label in soup.select("div.citation span.label")]
    assert labels == ["[Gol98]", "[Koh86]", "[Mal74]"]  # the uncited entry is left out


def test_latex_footnotes_hold_the_formatted_note(book_latex: Built) -> None:
    tex = book_latex.text("booktest.tex")
    assert (r"{Errico Malatesta, \sphinxstyleemphasis{Anarchy} (London: Freedom Press, 1974), "
            r"p. 29}") in tex
    assert r"{Malatesta, \sphinxstyleemphasis{Anarchy}, p. 33}" in tex


def test_unknown_and_malformed_keys_warn_and_keep_the_text(make_project: MakeProject) -> None:
    app = make_project({
        "conf.py": BIB_CONF,
        "refs.bib": BIB,
        "index.md": """# T

:::{faq:question} Q?
:number: A

Text.{faq:cite}`nosuchkey, p. 3` More.{faq:cite}`, p. 4`

```{faq:quote}
:author: Someone
:cite: alsomissing
:page: 9

Quoted.
```
:::
""",
    })
    app.build()
    warnings = warnings_of(app)
    assert "index.md:6: WARNING: unknown BibTeX key 'nosuchkey' in faq:cite [faq.unknown-cite]" \
        in warnings
    assert "index.md:6: WARNING: faq:cite needs a BibTeX key" in warnings
    assert "[faq.malformed-cite]" in warnings
    assert "index.md:8: WARNING: unknown BibTeX key 'alsomissing' in faq:cite" in warnings
    assert notes(app, "index", "a") == ["nosuchkey, p. 3", "p. 4", "alsomissing, p. 9"]


def test_styles_are_configurable(make_project: MakeProject) -> None:
    text = "# T\n\n:::{faq:question} Q?\n:number: A\n\nA.{faq:cite}`malatesta1974, p. 1` " \
           "B.{faq:cite}`malatesta1974, p. 2`\n:::\n"
    app = make_project({
        "conf.py": BIB_CONF + 'faq_cite_style = "unsrt"\nfaq_cite_short = False\n',
        "refs.bib": BIB,
        "index.md": text,
    })
    app.build()
    assert warnings_of(app) == ""
    assert notes(app, "index", "a") == [
        "Errico Malatesta. Anarchy. Freedom Press, London, 1974, p. 1",
        "Errico Malatesta. Anarchy. Freedom Press, London, 1974, p. 2",
    ]


def test_unknown_style_warns_and_falls_back(make_project: MakeProject) -> None:
    app = make_project({
        "conf.py": BIB_CONF + 'faq_cite_style = "no-such-style"\n',
        "refs.bib": BIB,
        "index.md": "# T\n\n:::{faq:question} Q?\n:number: A\n\nA.{faq:cite}`kohn1986`\n:::\n",
    })
    app.build()
    assert "faq_cite_style 'no-such-style' is not a pybtex formatting style" in warnings_of(app)
    assert notes(app, "index", "a") == [
        "Alfie Kohn, No Contest: The Case Against Competition (Boston: Houghton Mifflin, 1986)"
    ]


def test_without_sphinxcontrib_bibtex(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": "# T\n\n:::{faq:question} Q?\n:number: A\n\n"
                    "A.{faq:cite}`kohn1986, p. 7`\n:::\n",
    })
    app.build()
    warnings = warnings_of(app)
    assert "index.md:6: WARNING: faq:cite needs 'sphinxcontrib.bibtex'" in warnings
    assert "[faq.cite-without-bibtex]" in warnings
    assert notes(app, "index", "a") == ["kohn1986, p. 7"]


def test_editing_the_bib_file_rebuilds_the_citing_documents(
    make_app: MakeApp, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    copy_root(ROOTS / "test-book", src)
    make_app("html", srcdir=src).build()

    bib = src / "refs.bib"
    edited = bib.read_text("utf8").replace("{No Contest: The", "{Still No Contest: The")
    bib.write_text(edited, encoding="utf8")
    app = make_app("html", srcdir=src)
    app.build()
    status = re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue())
    reading = re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", status)
    # the documents citing from the bib file, and the bibliography's, are read again
    assert sorted(reading) == ["contents", "part-a", "part-b"]
    assert notes(app, "part-a", "a-1")[2].startswith("Alfie Kohn, Still No Contest: The Case")
    assert notes(app, "part-a", "a-1")[3] == "Kohn, Still No Contest"
    contents = (Path(app.outdir) / "contents.html").read_text("utf8")
    assert "Still No Contest: The Case Against Competition</em> —" in contents  # works quoted


def test_parallel_equals_serial(make_app: MakeApp, tmp_path: Path) -> None:
    """Citations registered in worker processes reach the bibliography and the tables."""
    pages = []
    for jobs in (1, 2):
        src = tmp_path / f"j{jobs}"
        copy_root(ROOTS / "test-book", src)
        app = make_app("html", srcdir=src, parallel=jobs)
        app.build()
        # (a second app in one test re-registers Sphinx's nodes: not our warnings)
        assert [w for w in warnings_of(app).splitlines() if "already registered" not in w] == []
        pages.append({path.name: path.read_text("utf8")
                      for path in sorted(Path(app.outdir).glob("*.html"))})
    assert pages[0].keys() == pages[1].keys()
    for name in pages[0]:
        assert pages[0][name] == pages[1][name], name
    assert "Mal74" in pages[1]["contents.html"]  # cited from part-a, read by a worker
