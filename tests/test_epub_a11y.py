"""ePub accessibility: DAISY Ace finds nothing; EPUB Accessibility metadata; languages.

The ePubs are the ones :mod:`test_epub` builds (docs/ and every test project
that uses the extension), shared through the session's build folder, so
EPUBCheck and Ace look at the same files.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

import pytest
from conftest import read_page, warnings_of
from external_tools import ace
from seed import words
from test_epub import PROJECTS, build_epub

if TYPE_CHECKING:
    from conftest import MakeProject

OPF = {"opf": "http://www.idpf.org/2007/opf"}
#: What every ePub of ours declares (EPUB Accessibility 1.1), Ace's names.
ACCESSIBILITY_METADATA = {
    "schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
    "schema:accessibilityHazard", "schema:accessibilitySummary",
}


def ace_violations(report: dict[str, Any]) -> list[str]:
    """Every failed check of an Ace report, one readable line each."""
    found = []
    for document in report["assertions"]:
        page = document["earl:testSubject"]["url"]
        for check in document["assertions"]:
            if check["earl:result"]["earl:outcome"] == "pass":
                continue
            test, result = check["earl:test"], check["earl:result"]
            where = " | ".join(result.get("earl:pointer", {}).get("css", []))
            snippet = words(result.get("html", ""))[:160]
            found.append(f"{page}: {test['dct:title']} ({test['earl:impact']}): "
                         f"{test['dct:description']} [{where}] {snippet}".rstrip())
    return found


@pytest.mark.tool
@pytest.mark.browser
def test_ace_reports_no_violations(epub_tmp: Path, artifacts: Path) -> None:
    """docs/ and every test project: 0 violations, and the metadata is there."""
    built = {project: build_epub(epub_tmp, project) for project in PROJECTS}

    def check(project: str) -> dict[str, Any]:
        return ace(built[project].file("*.epub"), epub_tmp / f"ace-{project}")

    with ThreadPoolExecutor(max_workers=2) as pool:  # each Ace runs 4 pages at once
        reports = dict(zip(PROJECTS, pool.map(check, PROJECTS), strict=True))
    (artifacts / "ace-docs.json").write_text(json.dumps(reports["docs"], indent=1), "utf8")
    violations = {project: ace_violations(report) for project, report in reports.items()}
    text = "\n".join(f"{p}: {line}" for p, lines in violations.items() for line in lines)
    assert sum(map(len, violations.values())) == 0, f"Ace found:\n{text}"
    for project, report in reports.items():
        assert report["earl:result"]["earl:outcome"] == "pass", project
        assert set(report["a11y-metadata"]["present"]) >= ACCESSIBILITY_METADATA, project
        assert len(report["assertions"]) >= 3, project  # Ace did look at the pages
    assert {"docs", "book", "epub-design", "theme-plain", "many-questions"} <= set(reports)


# -- what Ace checks, without Ace --------------------------------------------------


def opf_metadata(outdir: Path) -> list[tuple[str, str]]:
    """(property, text) of every ``<meta property>`` of content.opf, in order."""
    opf = ElementTree.parse(outdir / "content.opf")
    return [
        (meta.attrib["property"], meta.text or "")
        for meta in opf.iterfind(".//opf:metadata/opf:meta[@property]", OPF)
    ]


def test_accessibility_metadata_defaults(epub_tmp: Path) -> None:
    docs = opf_metadata(build_epub(epub_tmp, "docs").outdir)
    plain = opf_metadata(build_epub(epub_tmp, "basic").outdir)
    assert [value for prop, value in plain if prop == "schema:accessMode"] == ["textual"]
    # docs/ holds screenshots: its content is also visual
    assert [value for prop, value in docs if prop == "schema:accessMode"] == [
        "textual", "visual"]
    for metadata in (docs, plain):
        assert ("schema:accessModeSufficient", "textual") in metadata
        features = [value for prop, value in metadata if prop == "schema:accessibilityFeature"]
        assert features == ["structuralNavigation", "tableOfContents", "readingOrder"]
        assert [v for p, v in metadata if p == "schema:accessibilityHazard"] == ["none"]
        (summary,) = [v for p, v in metadata if p == "schema:accessibilitySummary"]
        assert summary.startswith("The text follows the reading order")
        assert not [p for p, _v in metadata if p == "dcterms:conformsTo"]  # no claim by default


def test_every_page_says_its_language(epub_tmp: Path) -> None:
    """``lang`` and ``xml:lang`` on every XHTML page (Ace html-has-lang)."""
    built = build_epub(epub_tmp, "docs")
    pages = [*built.outdir.rglob("*.xhtml")]
    assert len(pages) >= 10
    for page in pages:
        html = built.soup(str(page.relative_to(built.outdir))).find("html")
        assert (html.get("lang"), html.get("xml:lang")) == ("en", "en"), page


def test_navigation_roles_match_epub_types(epub_tmp: Path) -> None:
    built = build_epub(epub_tmp, "docs")
    nav = built.soup("nav.xhtml").find("nav")
    assert (nav["epub:type"], nav["role"]) == ("toc", "doc-toc")
    captions = built.soup("index.xhtml").find_all("p", class_="caption")
    assert len(captions) >= 3
    for caption in captions:  # toctree captions under the page title
        assert (caption["role"], caption["aria-level"]) == ("heading", "2")


def test_notes_landmarks_are_named_after_their_question(epub_tmp: Path) -> None:
    page = build_epub(epub_tmp, "many-questions").soup("section-b.xhtml")
    names = [notes["aria-label"] for notes in page.find_all("section", class_="faq-notes")]
    assert len(names) == len(set(names)) == 20
    assert names[:2] == ["Notes to B", "Notes to B.1"]


OVERRIDES = """
language = "de"
faq_epub_accessibility = {
    "accessibilityFeature": ["structuralNavigation", "tableOfContents", "alternativeText"],
    "accessibilitySummary": "Ein Buch & mehr.",
    "conformsTo": "EPUB Accessibility 1.1 - WCAG 2.1 Level AA",
    "accessibilityHazard": ["noFlashingHazard", "flashy"],
    "accessMode": 3,
    "colour": "blue",
}
"""


def test_accessibility_metadata_from_conf_py(make_project: MakeProject) -> None:
    """Set properties replace the defaults; bad ones warn and fall back."""
    from conftest import BASE_CONF

    app = make_project({
        "conf.py": BASE_CONF + OVERRIDES,
        "index.md": "# T\n\n:::{faq:question} Q?\n:number: A\n\nText.{faq:note}`N`\n:::\n",
    }, buildername="epub")
    app.build()
    warnings = warnings_of(app)
    assert "faq_epub_accessibility['accessibilityHazard']: 'flashy' is not one of" in warnings
    assert "faq_epub_accessibility['accessMode'] must be a string or a list" in warnings
    assert "faq_epub_accessibility['colour'] is not one of" in warnings
    assert warnings.count("[faq.config]") == 3
    opf = (Path(app.outdir) / "content.opf").read_text("utf8")
    metadata = opf_metadata(Path(app.outdir))
    assert [v for p, v in metadata if p == "schema:accessibilityFeature"] == [
        "structuralNavigation", "tableOfContents", "alternativeText"]
    assert [v for p, v in metadata if p == "schema:accessibilityHazard"] == ["noFlashingHazard"]
    assert [v for p, v in metadata if p == "schema:accessMode"] == ["textual"]  # the default
    assert ("schema:accessibilitySummary", "Ein Buch & mehr.") in metadata
    assert "Ein Buch &amp; mehr." in opf  # escaped in the XML
    assert ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA") in metadata
    # the book's language on every page, and its notes named in it
    page = read_page(Path(app.outdir) / "index.xhtml")
    assert (page.html["lang"], page.html["xml:lang"]) == ("de", "de")
    assert page.find("section", class_="faq-notes")["aria-label"] == "Anmerkungen zu A"


def test_default_summary_in_the_book_language(make_project: MakeProject) -> None:
    from conftest import BASE_CONF

    app = make_project({"conf.py": BASE_CONF + 'language = "fr"\n', "index.md": "# T\n"},
                       buildername="epub")
    app.build()
    (summary,) = [v for p, v in opf_metadata(Path(app.outdir))
                  if p == "schema:accessibilitySummary"]
    assert summary.startswith("Le texte suit l")
    assert "dans la table des matières" in summary


def test_regional_language_is_a_bcp47_tag() -> None:
    from sphinx_faq_ext.builders.epub_a11y import html_tag

    assert 'lang="pt-BR" xml:lang="pt-BR"' in html_tag("pt_BR")
    assert 'lang="x-&quot;" xml:lang="x-&quot;"' in html_tag('x_"')
