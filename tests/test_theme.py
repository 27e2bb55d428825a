"""The HTML theme without a browser: registration, page context, JSON-LD.

Each test project is built once per module (``built`` below); the browser
tests in ``test_browser_theme.py`` look at the same kinds of pages in Chromium.
"""

from __future__ import annotations

import json
import re
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from conftest import Built, build_root
from hypothesis import given
from hypothesis import strategies as st

from sphinx_faq_ext.builders.html.jsonld import script_json
from sphinx_faq_ext.theme import THEME_DIR, THEME_NAME
from sphinx_faq_ext.theme.context import (
    edit_url,
    read_the_docs_downloads,
    read_the_docs_repository,
)

#: Our own CSS + JS, uncompressed, must stay under this (issue 4).
ASSET_BUDGET = 60 * 1024
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def built(tmp_path_factory: pytest.TempPathFactory, root: str, builder: str,
          language: str | None = None) -> Built:
    """Build ``tests/roots/test-<root>`` with *builder* (in *language*) in a fresh folder."""
    tmp = tmp_path_factory.mktemp(f"{root}-{builder}-{language or 'en'}")
    return build_root(tmp, root, builder, **({"language": language} if language else {}))


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The FAQ test book (extension + theme, sidenotes) as HTML."""
    return built(tmp_path_factory, "theme", "html")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Ordinary documentation on the theme alone (no ``sphinx_faq_ext`` extension)."""
    return built(tmp_path_factory, "theme-plain", "html")


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The FAQ test book with ``language = "de"``."""
    return built(tmp_path_factory, "theme", "html", "de")


# -- registration and size ---------------------------------------------------


def test_entry_point_names_the_theme_module() -> None:
    (point,) = [p for p in entry_points(group="sphinx.html_themes") if p.name == THEME_NAME]
    assert point.value == "sphinx_faq_ext.theme"
    assert callable(point.load().setup)


def test_theme_toml_inherits_basic() -> None:
    config = tomllib.loads((THEME_DIR / "theme.toml").read_text("utf8"))
    assert config["theme"]["inherit"] == "basic"
    assert "faq-theme.css" in config["theme"]["stylesheets"]


def test_own_css_and_js_stay_within_budget() -> None:
    assets = sorted((THEME_DIR / "static").glob("*.css")) + sorted(
        (THEME_DIR / "static").glob("*.js")
    )
    sizes = {path.name: path.stat().st_size for path in assets}
    total = sum(sizes.values())
    print(f"theme CSS + JS: {total} bytes ({total / 1024:.1f} KiB) of {ASSET_BUDGET}: {sizes}")
    assert {"faq-theme.css", "faq-theme.js"} <= set(sizes)
    assert total <= ASSET_BUDGET


def test_code_colours_meet_wcag_contrast() -> None:
    from sphinx_faq_ext.theme import pygments_styles as styles

    for style, background in ((styles.FaqLightStyle, styles.LIGHT_CODE_BACKGROUND),
                              (styles.FaqDarkStyle, styles.DARK_CODE_BACKGROUND)):
        colours = {f"#{d['color']}" for _token, d in style if d["color"]}
        assert len(colours) > 5
        worst = min(styles.contrast(c, background) for c in colours)
        assert worst >= 4.5, (style.__name__, worst)
    # The backgrounds are the CSS's.
    css = (THEME_DIR / "static" / "faq-theme.css").read_text("utf8")
    assert f"--faq-code-bg: {styles.LIGHT_CODE_BACKGROUND};" in css
    assert f"--faq-code-bg: {styles.DARK_CODE_BACKGROUND};" in css


def test_theme_alone_serves_plain_documentation(plain: Built) -> None:
    assert plain.warnings == ""
    assert "sphinx_faq_ext.theme" in plain.extensions
    assert "sphinx_faq_ext" not in plain.extensions
    index = plain.page("index")
    assert index.find("link", href=re.compile(r"_static/faq-theme\.css"))
    assert index.find("script", src=re.compile(r"_static/faq-theme\.js"))
    assert (plain.outdir / "_static" / "faq-theme.js").is_file()
    body = index.find(role="main")
    for selector in ("div.highlight pre", "table.docutils", "div.admonition.warning",
                     ".sd-card", ".sd-tab-set", "details.sd-dropdown"):
        assert body.select_one(selector) is not None, selector
    assert index.select_one("header .faq-header-note").get_text() == "Second edition"
    api = plain.page("api")
    assert api.select_one("dt.sig .sig-name").get_text() == "render"
    crumbs = [li.get_text(strip=True) for li in api.select("nav.faq-breadcrumbs li")]
    assert crumbs == ["Plain docs", "API"]
    # No FAQ content, no JSON-LD.
    assert not JSONLD.search(plain.text("index.html"))


# -- navigation context ----------------------------------------------------------


def test_book_builds_cleanly(book: Built) -> None:
    assert book.warnings == ""
    assert {"sphinx_faq_ext", "myst_parser"} <= set(book.extensions)


def test_sidebar_marks_current_question_and_opens_its_branch(book: Built) -> None:
    tree = book.page("a-1").select_one("nav#faq-sidebar .faq-tree")
    current = tree.select("a.current")
    assert [a.get_text(" ", strip=True) for a in current] == ["A.1 Where does the word come from?"]
    # Its branch is open: A's entry is "current" and lists A.1 and A.2.
    (branch,) = tree.select("li.toctree-l1.current")
    assert branch.a.get_text(" ", strip=True) == "A What is anarchism?"
    assert [a.get_text(" ", strip=True) for a in branch.select("li.toctree-l2 > a")] == [
        "A.1 Where does the word come from?",
        "A.2 Is </script><!-- & “quoted” text safe?",
    ]
    # Elsewhere the tree stays closed: on the index, A's children are hidden.
    index_tree = book.page("index").select_one(".faq-tree")
    assert index_tree.select("li.toctree-l2") == []


def crumbs_of(build: Built, name: str) -> list[str]:
    return [li.get_text(strip=True) for li in build.page(name).select("nav.faq-breadcrumbs li")]


def test_breadcrumbs_follow_question_numbers(book: Built) -> None:
    crumbs = book.page("a-2").select("nav.faq-breadcrumbs li")
    assert [li.get_text(strip=True) for li in crumbs] == ["Theme test book", "A", "A.2"]
    assert crumbs[1].a["href"] == "a.html#a"
    assert crumbs[-1].span["aria-current"] == "page"
    assert crumbs[-1].span["title"].startswith("A.2 Is </script>")


def test_breadcrumbs_follow_a_single_question_chain_down(book: Built) -> None:
    """A page titled by question C holding only C.1, holding only C.1.1."""
    assert crumbs_of(book, "c") == ["Theme test book", "C", "C.1", "C.1.1"]
    links = [li.a["href"] for li in book.page("c").select("nav.faq-breadcrumbs li") if li.a]
    assert links == ["index.html", "#c", "#c-1"]


def test_breadcrumbs_ignore_a_question_below_a_heading_title(book: Built) -> None:
    """A question further down a page titled by a heading is not the page's place."""
    assert book.page("reading").find("section", id="z") is not None
    assert crumbs_of(book, "reading") == ["Theme test book", "Reading the book"]


def test_breadcrumbs_of_a_showcase_page_are_its_toctree_path(book: Built) -> None:
    """Like docs/book/a-2-6.md: a heading, then one question tree B → B.1 → B.1.1."""
    assert book.page("showcase").find("section", id="b-1-1") is not None
    assert crumbs_of(book, "showcase") == ["Theme test book", "B.1.1 — a showcase"]


def test_previous_and_next_questions(book: Built) -> None:
    nav = book.page("a-1").select_one("nav.faq-page-footer .faq-prevnext")
    assert nav.select_one("a[rel=prev]")["href"] == "a.html"
    assert nav.select_one("a[rel=next]")["href"] == "a-2.html"
    assert nav.select_one("a[rel=next]").get_text(" ", strip=True).startswith("Next A.2 Is")


def test_downloads_and_edit_link_from_theme_options(book: Built) -> None:
    a1 = book.page("a-1")
    downloads = {a.get_text(): a["href"] for a in a1.select(".faq-downloads a")}
    assert downloads == {
        "ePub": "https://example.org/book.epub",
        "PDF": "https://example.org/book.pdf",
    }
    edit = a1.select_one(".faq-edit a")
    assert edit["href"] == "https://github.com/example/book/edit/stable/src/a-1.md"
    # Generated pages have no source to edit.
    assert book.page("genindex").select_one(".faq-edit") is None


def test_read_the_docs_downloads_from_environment() -> None:
    environ = {
        "READTHEDOCS": "True",
        "READTHEDOCS_PROJECT": "anarchist-faq",
        "READTHEDOCS_VERSION": "latest",
        "READTHEDOCS_LANGUAGE": "es",
    }
    assert read_the_docs_downloads(environ, "epub,pdf") == {
        "epub": "https://anarchist-faq.readthedocs.io/_/downloads/es/latest/epub/",
        "pdf": "https://anarchist-faq.readthedocs.io/_/downloads/es/latest/pdf/",
    }
    custom = {**environ, "READTHEDOCS_CANONICAL_URL": "https://faq.example.org/es/latest/"}
    assert read_the_docs_downloads(custom, "pdf") == {
        "pdf": "https://faq.example.org/_/downloads/es/latest/pdf/"
    }
    assert read_the_docs_downloads({**environ, "READTHEDOCS": ""}, "pdf") == {}
    assert read_the_docs_downloads({**environ, "READTHEDOCS_VERSION": ""}, "pdf") == {}


def test_edit_links_for_other_hosts() -> None:
    gitlab = {"theme_repository_url": "https://gitlab.com/g/faq/", "theme_repository_path": ""}
    assert edit_url(gitlab, "a.md") == "https://gitlab.com/g/faq/-/edit/main/a.md"
    template = {"theme_edit_url_template": "https://x.org/{branch}/{path}?edit",
                "theme_repository_branch": "dev", "theme_repository_path": "docs/"}
    assert edit_url(template, "b/c.md") == "https://x.org/dev/docs/b/c.md?edit"
    assert edit_url({}, "a.md") == ""
    rtd = {"READTHEDOCS": "True", "READTHEDOCS_GIT_CLONE_URL": "git@github.com:o/faq.git",
           "READTHEDOCS_GIT_IDENTIFIER": "v2"}
    assert read_the_docs_repository(rtd) == ("https://github.com/o/faq", "v2")
    assert edit_url({"theme_repository_path": "docs"}, "a.md", rtd) == (
        "https://github.com/o/faq/edit/v2/docs/a.md"
    )


def test_search_index_titles_carry_question_numbers(book: Built) -> None:
    index = book.text("searchindex.js")
    assert '"A.1 Where does the word come from?"' in index


def test_sidenotes_in_footnotes_style(book: Built) -> None:
    a1 = book.page("a-1")
    markers = a1.select("a.faq-noteref")
    assert [m.get_text() for m in markers] == ["[1]", "[2]", "[3]"]
    for marker in markers:
        sidenote = marker.find_next_sibling()
        assert sidenote.name == "span" and "faq-sidenote" in sidenote["class"]
        assert sidenote["aria-hidden"] == "true"
    assert "Kropotkin" in markers[0].find_next_sibling().get_text()
    # The end list stays for narrow screens.
    assert len(a1.select("section.faq-notes li.faq-note")) == 3


# -- translated labels ---------------------------------------------------------------

#: The theme's labels in English and German (``locale/de``), by where they stand.
LABELS = {
    ".faq-skip-link": ("Skip to content", "Zum Inhalt springen"),
    ".faq-menu-label": ("Contents", "Inhalt"),
    ".faq-mode-label": ("Dark mode", "Dunkelmodus"),
    ".faq-downloads-label": ("Download", "Herunterladen"),
    ".faq-edit a": ("Edit this page", "Diese Seite bearbeiten"),
    ".faq-prev .faq-prevnext-label": ("Previous", "Zurück"),
    ".faq-next .faq-prevnext-label": ("Next", "Weiter"),
    "label[for=faq-search-input]": ("Search the book", "Im Buch suchen"),
    # Sphinx's own string, translated by Sphinx's catalog.
    ".faq-search-link": ("Search", "Suche"),
}
ATTRIBUTES = {  # selector, attribute: English, German
    (".faq-mode-toggle", "title"): ("Dark mode", "Dunkelmodus"),
    ("#faq-search-input", "placeholder"): ("Search the book", "Im Buch suchen"),
    ("nav.faq-sidebar", "aria-label"): ("Book", "Buch"),
    ("nav.faq-breadcrumbs", "aria-label"): ("Breadcrumbs", "Pfadnavigation"),
    ("nav.faq-page-footer", "aria-label"): ("Page navigation", "Seitennavigation"),
}


@pytest.mark.parametrize("language", ["en", "de"])
def test_theme_labels_in_the_build_language(book: Built, german: Built, language: str) -> None:
    build, column = (book, 0) if language == "en" else (german, 1)
    assert build.warnings == ""
    a1 = build.page("a-1")
    assert a1.html["lang"] == language
    for selector, texts in LABELS.items():
        assert a1.select_one(selector).get_text(strip=True) == texts[column], selector
    for (selector, attribute), texts in ATTRIBUTES.items():
        assert a1.select_one(selector)[attribute] == texts[column], (selector, attribute)
    # Sphinx's credit, which Sphinx's German catalog leaves English: ours has it.
    credit = a1.select_one(".faq-footer p")
    assert credit.get_text().startswith(("Created using Sphinx ", "Erstellt mit Sphinx ")[column])
    assert credit.a["href"] == "https://www.sphinx-doc.org/"


def test_theme_alone_translates_its_labels(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Without the extension the theme registers the catalog itself (French here)."""
    french = built(tmp_path_factory, "theme-plain", "html", "fr")
    assert french.warnings == ""
    assert "sphinx_faq_ext" not in french.extensions
    index = french.page("index")
    assert index.select_one(".faq-skip-link").get_text() == "Aller au contenu"
    assert index.select_one(".faq-mode-label").get_text() == "Mode sombre"
    # Ordinary docs (no FAQ questions) are "documentation", not a book.
    search = index.select_one("#faq-search-input")
    assert search["placeholder"] == "Rechercher dans la documentation"
    assert index.select_one("nav.faq-sidebar")["aria-label"] == "Documentation"


def test_labels_fall_back_to_sphinx_for_languages_we_lack() -> None:
    """Italian: no catalog of ours; Sphinx's has "Contents", nobody has "Dark mode"."""
    import sphinx
    from sphinx import locale

    from sphinx_faq_ext import LOCALE_DIR
    from sphinx_faq_ext.theme.context import faq_gettext

    try:
        locale.init([Path(sphinx.__file__).parent / "locale"], "it")
        locale.init([LOCALE_DIR], "it", "sphinx_faq_ext")
        assert faq_gettext("Contents") == "Contenuti"
        assert faq_gettext("Dark mode") == "Dark mode"
        locale.translators.clear()
        locale.init([Path(sphinx.__file__).parent / "locale"], "de")
        locale.init([LOCALE_DIR], "de", "sphinx_faq_ext")
        assert faq_gettext("Dark mode") == "Dunkelmodus"
    finally:
        locale.translators.clear()


# -- JSON-LD -------------------------------------------------------------------


def test_jsonld_names_questions_and_answers(book: Built) -> None:
    html = book.text("a-2.html")
    (raw,) = JSONLD.findall(html)
    # Nothing in the script could end it early or open a comment.
    assert "<" not in raw and ">" not in raw and "&" not in raw
    data = json.loads(raw)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "FAQPage"
    names = [q["name"] for q in data["mainEntity"]]
    assert names == ["A.2 Is </script><!-- & “quoted” text safe?", "A.2.1 A sub-question"]
    answer = data["mainEntity"][0]["acceptedAnswer"]
    assert answer["@type"] == "Answer"
    assert answer["text"].startswith("Titles and answers may hold </script>, <!-- and &amp;;")
    assert "Text under the heading still belongs to the answer." in answer["text"]
    # Without the sub-question, the note markers or the notes.
    assert "Text of the sub-question" not in answer["text"]
    assert "[1]" not in answer["text"] and "must not reach" not in answer["text"]


def test_jsonld_only_on_pages_with_questions(book: Built) -> None:
    assert JSONLD.search(book.text("a-1.html"))
    assert not JSONLD.search(book.text("index.html"))
    assert not JSONLD.search(book.text("search.html"))


def test_script_json_escapes_markup() -> None:
    text = script_json({"name": "</script><script>alert(1)</script> & \u2028"})
    assert text == (
        '{"name": "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e'
        ' \\u0026 \\u2028"}'
    )
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & \u2028"}


@given(st.recursive(st.text(alphabet=st.sampled_from("<>&/\u2028\u2029\"\\ aé\n!-")) | st.text(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=8))
def test_script_json_is_json_with_nothing_script_could_end_on(data: object) -> None:
    """The escapes leave the JSON meaning the same, and every character they
    replace is gone: as the character-by-character table did (``str.translate``)."""
    text = script_json(data)
    assert json.loads(text) == data
    assert not set(text) & set("<>&\u2028\u2029")
    table = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}
    assert text == json.dumps(data, ensure_ascii=False).translate(table)


def test_no_jsonld_or_theme_markup_in_epub(tmp_path_factory: pytest.TempPathFactory) -> None:
    epub = built(tmp_path_factory, "theme", "epub")
    pages = list(epub.outdir.glob("*.xhtml"))
    assert len(pages) >= 3
    for path in pages:
        text = path.read_text("utf8")
        assert "application/ld+json" not in text, path.name
        assert "faq-breadcrumbs" not in text, path.name
