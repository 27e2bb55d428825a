"""The theme and the extension on everyday documentation, without a browser.

Question titles recorded for ``faq:index`` and ``faq.json`` read like the
headings (SmartQuotes), a quotation's note marker is glued to its last word,
ordinary docs are labelled as documentation, and ``logo_dark``.  The browser
side (widths, scrolling, the logos on screen) is in ``test_browser_theme.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from conftest import BASE_CONF, html_page, warnings_of

from sphinx_faq_ext.theme.context import logo_dark_url

if TYPE_CHECKING:
    from conftest import MakeProject
    from sphinx.testing.util import SphinxTestApp

QUOTED = (
    "# Book\n\n```{faq:index}\n```\n\n"
    ':::{faq:question} Is power ever "absolute"?\n:number: 1\n\n'
    "```{faq:quote}\n:author: Someone\n:note: *Book*, p. 4\n\n"
    "Happiness is a way of travel.\n```\n:::\n"
)


def built_pages(app: SphinxTestApp) -> tuple[BeautifulSoup, dict]:
    app.build()
    assert warnings_of(app) == ""
    outdir = Path(app.outdir)
    return html_page(outdir, "index"), json.loads((outdir / "faq.json").read_text("utf8"))


@pytest.mark.parametrize(
    ("conf", "expected"),
    [("", "Is power ever \u201cabsolute\u201d?"),
     ('language = "de"\n', "Is power ever \u201eabsolute\u201c?"),
     ("smartquotes = False\n", 'Is power ever "absolute"?')],
)
def test_recorded_titles_get_the_headings_quotes(make_project: MakeProject, conf: str,
                                                 expected: str) -> None:
    html, data = built_pages(make_project({"conf.py": BASE_CONF + conf, "index.md": QUOTED}))
    heading = html.select_one("section.faq-question h2").get_text(" ", strip=True)
    assert heading.startswith(f"1 {expected}")
    entry = html.select_one(".faq-index-entry").get_text()
    assert entry == f"1 {expected}"
    assert data["questions"][0]["title"] == expected


def test_quotation_marker_is_glued_to_the_last_word(make_project: MakeProject) -> None:
    html, _data = built_pages(make_project({"index.md": QUOTED}))
    paragraph = html.select_one("figure.faq-quote blockquote p")
    marker = paragraph.select_one("a.faq-noteref")
    assert marker.previous_sibling == "Happiness is a way of travel."
    assert re.search(r"travel\.<a ", str(paragraph))


def test_ordinary_docs_are_labelled_documentation(make_project: MakeProject) -> None:
    conf = 'extensions = ["sphinx_faq_ext"]\nhtml_theme = "sphinx_faq_ext"\n'
    for language, search, nav in (("en", "Search the docs", "Documentation"),
                                  ("de", "Dokumentation durchsuchen", "Dokumentation")):
        app = make_project({"conf.py": conf + f"language = {language!r}\n",
                            "index.rst": "Docs\n====\n\nText.\n"})
        app.build()
        html = html_page(app.outdir, "index")
        assert html.select_one("#faq-search-input")["placeholder"] == search
        assert html.select_one("label[for=faq-search-input]").get_text() == search
        assert html.select_one("nav.faq-sidebar")["aria-label"] == nav


def test_logo_dark(make_project: MakeProject) -> None:
    conf = ('extensions = ["sphinx_faq_ext"]\nhtml_theme = "sphinx_faq_ext"\n'
            'html_logo = "light.svg"\nhtml_static_path = ["static"]\n'
            'html_theme_options = {"logo_dark": "dark.svg"}\n')
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'
    app = make_project({"conf.py": conf, "light.svg": svg, "static/dark.svg": svg,
                        "index.rst": "Docs\n====\n\nText.\n"})
    app.build()
    assert warnings_of(app) == ""
    outdir = Path(app.outdir)
    html = html_page(outdir, "index")
    light, dark = html.select(".faq-site-title img.faq-logo")
    assert light["src"] == "_static/light.svg" and "faq-logo-light" in light["class"]
    assert dark["src"] == "_static/dark.svg" and "faq-logo-dark" in dark["class"]
    assert light["alt"] == dark["alt"] == ""
    assert (outdir / "_static" / "dark.svg").is_file()


def test_logo_dark_url() -> None:
    def pathto(name: str, resource: int = 0) -> str:
        return f"../{name}"

    url = "https://example.org/dark.svg"
    for option, expected in (("", ""), ("dark.svg", "../_static/dark.svg"),
                             ("_static/d.svg", "../_static/d.svg"), (url, url)):
        assert logo_dark_url({"theme_logo_dark": option, "pathto": pathto}) == expected


@pytest.mark.sphinx("html", testroot="theme-api")
def test_api_test_project_builds_without_warnings(app: SphinxTestApp) -> None:
    """The browser tests' API project: autodoc pages, indexes, glossary, no warnings."""
    app.build()
    assert warnings_of(app) == ""
    outdir = Path(app.outdir)
    api = html_page(outdir, "api")
    assert len(api.select("dl.field-list > dt")) >= 5
    assert len(api.select("dt.sig")) >= 4
    for page in ("genindex.html", "py-modindex.html", "glossary.html", "tables.html"):
        assert (outdir / page).is_file()
    # "On this page" on the long API page, under its title, with every entry;
    # none on the short index page.
    toc = api.select_one("nav.faq-page-toc")
    assert toc["aria-labelledby"] == "faq-page-toc-title"
    hrefs = [a["href"] for a in toc.select("a")]
    assert "#bookshelf_api.BookshelfArrangementStrategyNotFoundError" in hrefs
    assert "#" not in hrefs
    assert "Strategy<wbr/>Not<wbr/>Found" in str(toc)
    # The general index: one list a letter, qualifiers kept together.
    genindex = html_page(outdir, "genindex")
    assert not genindex.select("table.indextable")
    assert genindex.select("ul.faq-genindex > li .faq-genindex-qualifier")
    # No FAQ questions: a documentation project, with its light and dark logos.
    index = html_page(outdir, "index")
    assert index.select_one("nav.faq-page-toc") is None
    assert index.select_one("nav.faq-sidebar")["aria-label"] == "Documentation"
    assert len(index.select(".faq-site-title img.faq-logo")) == 2
