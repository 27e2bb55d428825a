"""ePub 3: EPUBCheck accepts docs/ and every test project; notes, quotes, nav.

Each project is built once per module (a cached fixture) and checked with the
real EPUBCheck (the ``epubcheck`` package runs the official jar with Java).
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from bs4 import Tag
from conftest import ROOTS, Built, MakeProject, build_once, warnings_of
from external_tools import chromium, epubcheck
from seed import words

_USES_US = re.compile(r"extensions\s*=\s*\[[^\]]*\"sphinx_faq_ext\"")
#: Roots that do not load the extension themselves, built to ePub with it
#: added (their own ``extensions`` plus ours): theme-plain is ordinary
#: documentation with sphinx-design tab sets, cards and dropdowns.
ADD_US = {"theme-plain": ["sphinx_design", "sphinx_faq_ext"]}
#: docs/ and every test project that uses the extension (found, not listed, so
#: a new fixture root is checked without editing this file).
PROJECTS = [
    "docs",
    *sorted(
        path.name.removeprefix("test-")
        for path in ROOTS.glob("test-*")
        if _USES_US.search((path / "conf.py").read_text("utf8"))
        or path.name.removeprefix("test-") in ADD_US
    ),
]
#: Projects of ours that must also build without a single Sphinx warning.
STRICT = ["docs", "epub-bibtex", "epub-design", "latex-escape", "many-questions"]


def build_epub(shared: Path, project: str) -> Built:
    """Build *project* (``docs`` or a test root) to ePub, once per test run.

    The builder leaves the unpacked ePub in the output folder beside the
    ``.epub`` file: :meth:`Built.soup` reads its files.
    """
    overrides: dict[str, Any] = {}
    if project in ADD_US:
        overrides["extensions"] = ADD_US[project]
    return build_once(shared, project, project, "epub", overrides)


@pytest.fixture(scope="module")
def docs_epub(epub_tmp: Path) -> Built:
    return build_epub(epub_tmp, "docs")


@pytest.fixture(scope="module")
def bibtex_epub(epub_tmp: Path) -> Built:
    return build_epub(epub_tmp, "epub-bibtex")


@pytest.mark.tool
def test_epubcheck_reports_nothing(epub_tmp: Path, artifacts: Path) -> None:
    """One test for all projects: the checks run side by side (Java is slow to start)."""
    epubs = {project: build_epub(epub_tmp, project).file("*.epub") for project in PROJECTS}
    for project, epub in epubs.items():
        shutil.copy(epub, artifacts / f"epub-{project}.epub")
    with ThreadPoolExecutor(max_workers=4) as pool:
        checks = dict(zip(epubs, pool.map(epubcheck, epubs.values()), strict=True))
    problems = {project: found for project, found in checks.items() if found}
    report = "\n".join(f"{p}: {line}" for p, lines in problems.items() for line in lines)
    assert problems == {}, report
    assert len(checks) >= 5  # docs and the roots: nothing silently left out
    assert {"epub-design", "theme-plain"} <= set(checks)  # sphinx-design in an ePub


@pytest.mark.parametrize("project", STRICT)
def test_builds_without_warnings(project: str, epub_tmp: Path) -> None:
    assert build_epub(epub_tmp, project).warnings.strip() == ""


def test_notes_carry_epub_semantics(docs_epub: Built) -> None:
    page = docs_epub.soup("book/a-2-6.xhtml")
    markers = page.find_all("a", class_="faq-noteref")
    assert len(markers) == 9
    for number, marker in enumerate(markers, start=1):
        assert marker["epub:type"] == "noteref"
        assert marker["role"] == "doc-noteref"
        assert marker.get_text() == f"[{number}]"
        # never alone at the start of a line: a no-break space glues it to its word
        before = marker.previous_sibling
        assert before is None or not str(before).endswith((" ", "\n")), repr(before)
        note = page.find(id=marker["href"].removeprefix("#"))
        assert note is not None, marker
        assert note["epub:type"] == "endnote"
        backlink = note.find("a", class_="faq-backlink")
        assert backlink["href"] == f"#{marker['id']}"
    notes = page.find("section", class_="faq-notes")
    assert notes["epub:type"] == "endnotes"
    assert notes["role"] == "doc-endnotes"
    assert "Red Emma Speaks" in notes.get_text()


def test_no_deprecated_dpub_roles(docs_epub: Built, bibtex_epub: Built) -> None:
    """doc-endnote and doc-biblioentry are deprecated (EPUBCheck RSC-017)."""
    for built in (docs_epub, bibtex_epub):
        for page in built.outdir.rglob("*.xhtml"):
            text = page.read_text("utf8")
            assert not re.search(r'role="doc-(endnote|biblioentry)"', text), page


def test_bibliography_entries_keep_their_semantics(bibtex_epub: Built) -> None:
    page = bibtex_epub.soup("section-a.xhtml")
    entries = page.find_all(attrs={"epub:type": "biblioentry"})
    assert [entry["role"] for entry in entries] == ["listitem", "listitem"]
    assert entries[0].find_parent(attrs={"role": "list"}) is not None
    assert "Kropotkin" in page.get_text()
    # a faq:cite note formatted from the same bibliography is an endnote too
    note = page.find(id="a-2-6-note-1")
    assert note["epub:type"] == "endnote"
    assert "Mutual Aid: A Factor of Evolution" in note.get_text()
    assert "Malatesta" in page.get_text()


def test_quotes_keep_their_attribution(docs_epub: Built) -> None:
    page = docs_epub.soup("book/a-2-6.xhtml")
    captions = [
        words(figure.find("figcaption").get_text())
        for figure in page.find_all("figure", class_="faq-quote")
    ]
    assert captions[0].startswith("— Ret Marut, The BrickBurner")
    assert captions[1] == "— Alfie Kohn, No Contest: The Case Against Competition, p. 7"
    assert captions[2] == "— Errico Malatesta, Anarchy, p. 33"


def nav_entries(built: Built) -> list[tuple[str, str]]:
    """(href, text) of every link of nav.xhtml."""
    nav = built.soup("nav.xhtml")
    return [(a["href"], words(a.get_text())) for a in nav.find_all("a")]


def ncx_entries(built: Built) -> list[tuple[str, str]]:
    """(src, text) of every navPoint of toc.ncx."""
    ncx = built.soup("toc.ncx")
    return [
        (point.find("content")["src"], point.find("text").get_text().strip())
        for point in ncx.find_all("navpoint")
    ]


def test_questions_in_navigation_with_numbers(docs_epub: Built) -> None:
    expected = ("book/a-2-6.xhtml#a-2-6", "A.2.6 Why is solidarity important to anarchists?")
    assert expected in nav_entries(docs_epub)
    assert expected in ncx_entries(docs_epub)
    # nested under A.2, itself under A
    nav = docs_epub.soup("nav.xhtml")
    link = nav.find("a", href="book/a-2-6.xhtml#a-2-6")
    parents = [li.find("a").get_text() for li in link.find_parents("li")][1:3]
    assert parents == ["A.2 What does anarchism stand for?", "A What is Anarchism?"]


def test_questions_deeper_than_tocdepth_stay_in_navigation(bibtex_epub: Built) -> None:
    """A.2.6.1 sits at level 5, past epub_tocdepth (3); ordinary headings do not."""
    hrefs = [href for href, _text in nav_entries(bibtex_epub)]
    assert "section-a.xhtml#a-2-6-1" in hrefs
    assert "section-a.xhtml#a-2-6-1" in [src for src, _text in ncx_entries(bibtex_epub)]
    assert "section-a.xhtml#a-heading-inside-the-answer" not in hrefs
    assert "section-a.xhtml#bibliography" in hrefs  # level 2: within epub_tocdepth


def test_root_document_questions_in_navigation(epub_tmp: Path) -> None:
    built = build_epub(epub_tmp, "basic")
    entries = nav_entries(built)
    assert ("index.xhtml#a", "A What is it?") in entries
    assert ("index.xhtml#a-1", "A.1 Why?") in entries


def test_page_questions_deeper_than_tocdepth_stay_in_navigation(
        make_project: MakeProject) -> None:
    """Pages that are one question each, five levels down (an imported book's
    appendices): Sphinx names such a page without an anchor, and it stays."""
    question = ":::{{faq:question}} {title}\n:number: {number}\n\n{body}\n:::\n"

    def toctree(*names: str) -> str:
        return "```{toctree}\n:maxdepth: 1\n\n" + "\n".join(names) + "\n```"

    app = make_project({
        "index.md": "# Book\n\n" + toctree("supplement") + "\n",
        "supplement.md": "# Supplement\n\nIntro.\n\n" + toctree("appendix") + "\n",
        "appendix.md": question.format(title="Appendix", number="1",
                                       body="Text.\n\n" + toctree("part")),
        "part.md": question.format(title="A part", number="1.1",
                                   body="Text.\n\n" + toctree("chapter", "deep")),
        "chapter.md": question.format(title="A chapter", number="1.1.1", body="Yes."),
        "deep.md": "# Not a question\n\nText.\n\n## A heading\n\n"
                   + question.format(title="Deep", number="1.1.2", body="Yes."),
    }, buildername="epub")
    app.build()
    built = Built(Path(app.outdir), warnings_of(app))
    assert built.warnings == ""
    hrefs = [href for href, _text in nav_entries(built)]
    assert "chapter.xhtml" in hrefs  # level 4: a page that is a question
    assert "deep.xhtml#q-1-1-2" in hrefs  # level 6: a question inside a page
    assert "deep.xhtml" not in hrefs  # level 4, but its page is no question
    assert "deep.xhtml#a-heading" not in hrefs
    assert "chapter.xhtml" in [src for src, _text in ncx_entries(built)]


def test_ncx_uid_is_the_opf_identifier(bibtex_epub: Built) -> None:
    """Sphinx writes epub_uid here (Sphinx issue 11184, EPUBCheck NCX-001)."""
    opf = bibtex_epub.soup("content.opf")
    unique = opf.find("package")["unique-identifier"]
    identifier = opf.find("dc:identifier", id=unique)
    ncx = bibtex_epub.soup("toc.ncx")
    uid = ncx.find("meta", attrs={"name": "dtb:uid"})["content"]
    assert uid == identifier.get_text() == "urn:uuid:0b5b1f7e-3f0e-4d4e-9a39-5d0c6f1b7a11"


def test_reader_stylesheet_not_the_html_theme(docs_epub: Built) -> None:
    """The ePub uses the epub theme plus faq-epub.css, never the HTML theme."""
    page = docs_epub.soup("book/a-2-6.xhtml")
    sheets = sorted(link["href"] for link in page.find_all("link", rel="stylesheet"))
    assert {"../_static/epub.css", "../_static/faq-epub.css"} <= set(sheets)
    assert not [sheet for sheet in sheets if "faq-theme" in sheet]
    assert not list(docs_epub.outdir.rglob("faq-theme.*"))
    css = docs_epub.text("_static/faq-epub.css")
    assert "figcaption.attribution" in css
    manifest = docs_epub.soup("content.opf").find_all("item")
    assert "_static/faq-epub.css" in [item["href"] for item in manifest]


def test_question_titles_in_navigation_are_escaped_and_without_notes(epub_tmp: Path) -> None:
    """A title holding ``&`` and a faq:note: the nav shows the title alone."""
    built = build_epub(epub_tmp, "latex-escape")
    special = r"Jean-Paul & Co. 100% #1 \textbf{x} ~^_$ {}"
    assert ("index.xhtml#s", f"S Is {special} safe?") in nav_entries(built)
    assert ("index.xhtml#s", f"S Is {special} safe?") in ncx_entries(built)
    assert "S Is Jean-Paul &amp; Co." in built.text("nav.xhtml")


# -- sphinx-design components (sphinx_faq_ext/builders/epub/transforms.py) -------
@pytest.fixture(scope="module")
def design_epub(epub_tmp: Path) -> Built:
    return build_epub(epub_tmp, "epub-design")


def _words(element: Tag) -> str:
    return words(element.get_text())


def test_design_pages_are_well_formed_xhtml(design_epub: Built, epub_tmp: Path) -> None:
    """No HTML void ``<input>`` or namespace-less ``<svg>``: XML parsers accept every page.

    EPUBCheck says so too (test above); this check needs no Java.
    """
    plain = build_epub(epub_tmp, "theme-plain")
    pages = [*design_epub.outdir.glob("*.xhtml"), *plain.outdir.glob("*.xhtml")]
    assert len(pages) >= 5
    for page in pages:
        text = page.read_text("utf8")
        ElementTree.fromstring(text.encode())  # raises on malformed XML
        for widget in ("<input", "<label", "<details", "<summary", "<svg"):
            assert widget not in text, (page.name, widget)


def test_tab_sets_read_as_labelled_sections(design_epub: Built) -> None:
    page = design_epub.soup("questions.xhtml")
    tab_sets = page.find_all("div", class_="faq-epub-tab-set")
    assert len(tab_sets) == 2  # tab-set and tab-set-code
    tabs = tab_sets[0].find_all("div", class_="faq-epub-tab", recursive=False)
    labels = [_words(tab.find("p", class_="faq-epub-tab-label")) for tab in tabs]
    assert labels == ["Kropotkin", "Malatesta"]
    # every tab's content is there and visible, after its label
    first, second = (tab.find("div", class_="faq-epub-tab-content") for tab in tabs)
    assert "— Peter Kropotkin, Mutual Aid, p. 6" in _words(first.find("figcaption"))
    assert _words(second) == "Solidarity is the condition of freedom[2]."
    assert not page.find(class_=re.compile(r"^sd-tab-(content|label|item|set)$"))
    # notes inside tabs keep their numbers and reach the question's notes
    markers = [a.get_text() for a in page.find_all("a", class_="faq-noteref")]
    assert markers == ["[1]", "[2]"]
    assert page.find(id="a-note-2")["epub:type"] == "endnote"
    # :name: of a tab stays a link target, on its label
    assert page.find(id="malatesta-tab").get_text() == "Malatesta"
    assert page.find("a", href="#malatesta-tab") is not None
    code_labels = [_words(p) for p in tab_sets[1].find_all("p", class_="faq-epub-tab-label")]
    assert code_labels == ["PYTHON", "JAVASCRIPT"]
    assert 'console.log("hello");' in _words(tab_sets[1])


def test_dropdowns_are_open_boxes(design_epub: Built) -> None:
    page = design_epub.soup("questions.xhtml")
    boxes = page.find_all("div", class_="faq-epub-dropdown")
    titles = [
        _words(title) if (title := box.find("p", class_="faq-epub-dropdown-title")) else None
        for box in boxes
    ]
    assert titles == [
        "A closed dropdown with an icon", None,
        "First of the accordion", "Second of the accordion",
    ]
    bodies = [_words(box.find("div", class_="faq-epub-dropdown-body")) for box in boxes]
    assert bodies == [
        "The hidden text of the dropdown.", "A dropdown without a title.",
        "The open item.", "The closed item.",
    ]
    assert page.find(id="closed-dropdown") is boxes[0].find("p")
    assert page.find("a", href="#closed-dropdown") is not None
    assert not [c for box in boxes for c in box["class"] if c.startswith("sd-fade-in")]


def test_icons_left_out_card_links_visible(design_epub: Built) -> None:
    page = design_epub.soup("components.xhtml")
    links = page.find_all("a", class_="faq-epub-card-link")
    assert [(a["href"], _words(a)) for a in links] == [
        ("https://example.org/", "Example"),
        ("questions.xhtml", "Questions with tabs and dropdowns"),
    ]
    for link in links:  # not hidden, not laid over the whole card
        assert not {"sd-hide-link-text", "sd-stretched-link"} & set(link["class"])
    text = _words(page)
    assert "An octicon inside text, and a material icon ." in text
    for kept in ("primary", "A button link", "A button reference", "Nov 27, 2026",
                 "Build the ePub", "Text beside the flow.", "Footer text"):
        assert kept in text, kept


def test_plain_docs_tabs_and_dropdowns_in_epub(epub_tmp: Path) -> None:
    """theme-plain, built with the extension added: nothing of its components is lost."""
    conf = (ROOTS / "test-theme-plain" / "conf.py").read_text("utf8")
    for extension in ADD_US["theme-plain"][:-1]:  # the root's own, then ours
        assert f'"{extension}"' in conf, extension
    page = build_epub(epub_tmp, "theme-plain").soup("index.xhtml")
    labels = [_words(p) for p in page.find_all("p", class_="faq-epub-tab-label")]
    assert labels == ["Light", "Dark"]
    text = _words(page)
    for kept in ("The light tab.", "The dark tab.", "A dropdown", "Hidden until opened.",
                 "First card", "More card text."):
        assert kept in text, kept


@pytest.mark.browser
def test_design_components_visible_in_a_browser(design_epub: Built, artifacts: Path) -> None:
    """With the ePub's own stylesheets (sphinx-design's included), every tab and dropdown shows."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 480, "height": 800})
        page.goto((design_epub.outdir / "questions.xhtml").as_uri())  # parsed as XML
        page.screenshot(path=artifacts / "epub-design-chromium.png", full_page=True)
        for text in ("Mutual aid is as much", "Solidarity is the condition", "console.log",
                     "The hidden text of the dropdown.", "The closed item."):
            assert page.get_by_text(text).first.is_visible(), text
        assert page.locator("p.faq-epub-tab-label").evaluate_all(
            "labels => labels.map(l => getComputedStyle(l).fontWeight)"
        ) == ["700"] * 4
