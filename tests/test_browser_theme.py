"""The theme in a real browser: Debian's Chromium driven by Playwright.

The HTML is built once per module (the documentation, the FAQ test book and a
plain project), served by a local ``http.server`` thread (search needs http),
and visited as a reader would: sidebar, previous/next, dark mode, search, note
markers, a phone-sized screen, and axe-core's accessibility rules.  Screenshots
go to the ``artifacts`` folder.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from conftest import DOCS, ROOTS, need_tool

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("FAQ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1400, "height": 900}
TABLET = {"width": 800, "height": 1000}
PHONE = {"width": 360, "height": 780}
SHOWCASE = "book/a-2-6.html"


# -- building and serving -----------------------------------------------------------


def build_html(srcdir: Path, outdir: Path) -> Path:
    """Build *srcdir* to HTML in *outdir* (a fresh Sphinx app, cleaned up after)."""
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=srcdir, builddir=outdir.parent,
                        status=StringIO(), warning=StringIO())
    try:
        app.build()
        return Path(app.outdir)
    finally:
        app.cleanup()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Base URLs of the served builds: ``docs``, ``book``, ``plain`` and ``many``."""
    root = tmp_path_factory.mktemp("sites")
    for name in ("theme", "theme-plain", "many-questions"):
        shutil.copytree(ROOTS / f"test-{name}", root / "src" / name)
    outdirs = {
        "docs": build_html(DOCS, root / "docs" / "_build"),
        "book": build_html(root / "src" / "theme", root / "book" / "_build"),
        "plain": build_html(root / "src" / "theme-plain", root / "plain" / "_build"),
        "many": build_html(root / "src" / "many-questions", root / "many" / "_build"),
    }
    served = root / "www"
    served.mkdir()
    for name, outdir in outdirs.items():
        (served / name).symlink_to(outdir, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        yield {name: f"{base}/{name}/" for name in outdirs}
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's; Playwright never downloads one here)."""
    need_tool("chromium", available=Path(CHROMIUM).is_file())
    need_tool("playwright", available=importlib.util.find_spec("playwright") is not None)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser: Any, url: str, viewport: dict[str, int] = DESKTOP,
              scheme: str = "light") -> Any:
    """A new page in its own context (own localStorage), loaded and settled."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.faq_errors = errors
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def close(page: Any) -> None:
    assert page.faq_errors == [], f"JavaScript errors: {page.faq_errors}"
    page.context.close()


def luminance(css_color: str) -> float:
    """Rough relative brightness (0 black to 1 white) of ``rgb(r, g, b)``."""
    channels = [float(c) for c in css_color[css_color.index("(") + 1 : -1].split(",")[:3]]
    return sum(channels) / (3 * 255)


def background(page: Any) -> float:
    return luminance(page.evaluate("getComputedStyle(document.body).backgroundColor"))


# -- moving through the book ------------------------------------------------------


def test_navigate_by_sidebar(browser: Any, sites: dict[str, str]) -> None:
    page = open_page(browser, sites["docs"] + "index.html")
    page.locator("#faq-sidebar .faq-tree a", has_text="A.2.6 — the showcase question").click()
    page.wait_for_url("**/book/a-2-6.html")
    tree = page.locator("#faq-sidebar .faq-tree")
    assert tree.locator("a.current").first.inner_text() == "A.2.6 — the showcase question"
    # The current page's branch is open down to the question itself.
    question = tree.locator("li.current a", has_text="Why is solidarity important")
    assert question.is_visible()
    question.click()
    page.wait_for_url("**/book/a-2-6.html#a-2-6")
    page.wait_for_function(
        "document.querySelector('.faq-tree a[aria-current]')?.hash === '#a-2-6'"
    )
    crumbs = page.locator("nav.faq-breadcrumbs li").all_inner_texts()
    # The page is titled by a heading, not by the question: its toctree path.
    assert [c.strip() for c in crumbs] == ["sphinx-faq-ext", "A.2.6 — the showcase question"]
    close(page)


def test_navigate_by_next_and_previous(browser: Any, sites: dict[str, str]) -> None:
    page = open_page(browser, sites["book"] + "a.html")
    page.locator("nav.faq-page-footer .faq-prevnext a[rel=next]").click()
    page.wait_for_url("**/a-1.html")
    assert page.locator("h1").inner_text().startswith("A.1 Where does the word come from?")
    page.locator("nav.faq-page-footer .faq-prevnext a[rel=next]").click()
    page.wait_for_url("**/a-2.html")
    page.locator("nav.faq-page-footer .faq-prevnext a[rel=prev]").click()
    page.wait_for_url("**/a-1.html")
    page.locator("nav.faq-page-footer .faq-prevnext a[rel=prev]").click()
    page.wait_for_url("**/a.html")
    close(page)


def test_search_finds_question_by_number(browser: Any, sites: dict[str, str]) -> None:
    page = open_page(browser, sites["docs"] + SHOWCASE)
    page.fill("#faq-search-input", "solidarity")
    page.press("#faq-search-input", "Enter")
    page.wait_for_url("**/search.html?q=solidarity*")
    page.wait_for_selector("#search-results ul.search li a", timeout=20_000)
    results = page.locator("#search-results ul.search li > a")
    found = {results.nth(i).inner_text(): results.nth(i).get_attribute("href")
             for i in range(results.count())}
    question = [text for text in found if text.startswith("A.2.6 Why is solidarity")]
    assert question, found
    assert found[question[0]].endswith("book/a-2-6.html#a-2-6")
    # Snippets come from the page's text, not from its breadcrumbs or navigation.
    snippets = page.locator("#search-results p.context").all_inner_texts()
    assert snippets and not any("Previous" in s or "Edit this page" in s for s in snippets)
    assert any("solidarity" in s.lower() for s in snippets)
    close(page)


# -- light and dark ------------------------------------------------------------------


def test_dark_mode_toggle_persists(browser: Any, sites: dict[str, str]) -> None:
    page = open_page(browser, sites["docs"] + SHOWCASE, scheme="light")
    toggle = page.locator("header .faq-mode-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert background(page) > 0.8
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert background(page) < 0.2
    page.reload()
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert background(page) < 0.2
    assert page.locator("header .faq-mode-toggle").get_attribute("aria-pressed") == "true"
    # …and on the next page.
    following = page.locator("nav.faq-page-footer .faq-prevnext a[rel=next]")
    target = following.evaluate("a => a.href")
    following.click()
    page.wait_for_url(target)
    assert background(page) < 0.2
    # Back to light: the choice equals the system's again, so nothing is stored.
    page.locator("header .faq-mode-toggle").click()
    assert background(page) > 0.8
    assert page.evaluate("localStorage.getItem('faq-theme')") is None
    close(page)


def test_dark_mode_follows_the_system(browser: Any, sites: dict[str, str]) -> None:
    page = open_page(browser, sites["plain"] + "index.html", scheme="dark")
    assert background(page) < 0.2
    assert page.locator("header .faq-mode-toggle").get_attribute("aria-pressed") == "true"
    # Pygments' dark stylesheet is switched on with the mode.
    assert page.evaluate("document.getElementById('pygments_dark_css').media") == "all"
    close(page)


# -- notes ----------------------------------------------------------------------------


def test_note_marker_popover_and_focus_round_trip(browser: Any, sites: dict[str, str]) -> None:
    page = open_page(browser, sites["docs"] + SHOWCASE)
    marker = page.locator("#a-2-6-noteref-4")
    # Hovering a marker shows its note in place.
    page.locator("#a-2-6-noteref-2").hover()
    popover = page.locator("#faq-popover[role=tooltip]")
    popover.wait_for(state="visible")
    assert "Anarchy" in popover.inner_text()
    assert page.locator("#a-2-6-noteref-2").get_attribute("aria-describedby") == "faq-popover"
    # Focusing one does the same, from the keyboard.
    marker.focus()
    page.wait_for_function("document.getElementById('faq-popover')?.innerText.includes('Marut')")
    assert marker.get_attribute("aria-describedby") == "faq-popover"
    page.keyboard.press("Escape")
    assert page.locator("#faq-popover").count() == 0
    # Activating it moves focus to note 4; its back link returns to the marker.
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'a-2-6-note-4'")
    assert page.evaluate("location.hash") == "#a-2-6-note-4"
    page.locator("#a-2-6-note-4 a.faq-backlink").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'a-2-6-noteref-4'")
    assert page.evaluate("location.hash") == "#a-2-6-noteref-4"
    close(page)


def test_sidenotes_on_wide_screens_end_list_on_narrow(browser: Any,
                                                       sites: dict[str, str]) -> None:
    page = open_page(browser, sites["book"] + "a-1.html", viewport=DESKTOP)
    marker = page.locator("#a-1-noteref-1")
    sidenote = page.locator("#a-1-noteref-1 + .faq-sidenote")
    assert sidenote.is_visible()
    text = page.locator("[role=main] p").first.bounding_box()
    box, mark = sidenote.bounding_box(), marker.bounding_box()
    assert box["x"] >= text["x"] + text["width"], "sidenote overlaps the text"
    assert box["x"] + box["width"] <= DESKTOP["width"]
    assert abs(box["y"] - mark["y"]) < 40, "sidenote not beside its marker"
    # No popover where the margin already shows the note.
    marker.hover()
    page.wait_for_timeout(200)
    assert page.locator("#faq-popover").count() == 0
    # The narrowest screen with sidenotes still has room for them.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert sidenote.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.set_viewport_size(TABLET)
    assert not sidenote.is_visible()
    assert page.locator("section.faq-notes li.faq-note").first.is_visible()
    marker.hover()
    page.locator("#faq-popover").wait_for(state="visible")
    close(page)


# -- reading ---------------------------------------------------------------------------


def test_measure_is_readable(browser: Any, sites: dict[str, str]) -> None:
    """About 65 to 75 characters a line at desktop and tablet widths."""
    for viewport in (DESKTOP, TABLET):
        page = open_page(browser, sites["docs"] + SHOWCASE, viewport=viewport)
        per_line = page.evaluate(
            """() => {
              const p = [...document.querySelectorAll('#a-2-6 > p')]
                .sort((a, b) => b.textContent.length - a.textContent.length)[0];
              const lines = p.getBoundingClientRect().height
                / parseFloat(getComputedStyle(p).lineHeight);
              return p.textContent.length / Math.round(lines);
            }"""
        )
        print(f"{viewport['width']} px: {per_line:.1f} characters a line")
        assert 63 <= per_line <= 77, per_line
        close(page)


@pytest.mark.parametrize(
    ("site", "path"),
    [("docs", SHOWCASE), ("docs", "index.html"), ("docs", "search.html?q=solidarity"),
     ("plain", "index.html"), ("plain", "api.html"), ("book", "a-1.html")],
)
def test_no_horizontal_scroll_on_a_phone(browser: Any, sites: dict[str, str], site: str,
                                         path: str) -> None:
    page = open_page(browser, sites[site] + path, viewport=PHONE)
    width = "document.documentElement.scrollWidth"
    assert page.evaluate(width) <= PHONE["width"]
    # The book's tree opens behind the "Contents" button.
    menu = page.locator(".faq-menu-toggle")
    assert menu.is_visible() and not page.locator("#faq-sidebar").is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.locator("#faq-sidebar .faq-tree").is_visible()
    assert page.evaluate(width) <= PHONE["width"]
    close(page)


def test_print_stylesheet(browser: Any, sites: dict[str, str]) -> None:
    """Printing gives black text on white with the text alone, even in dark mode."""
    page = open_page(browser, sites["docs"] + SHOWCASE, scheme="dark")
    page.emulate_media(media="print")
    assert background(page) > 0.95
    assert luminance(page.evaluate("getComputedStyle(document.body).color")) < 0.05
    for hidden in ("#faq-sidebar", "header.faq-header", "nav.faq-breadcrumbs",
                   "nav.faq-page-footer .faq-prevnext"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("section.faq-notes").is_visible()
    close(page)


def test_screenshots(browser: Any, sites: dict[str, str], artifacts: Path) -> None:
    """Desktop light and dark, tablet and phone shots of the showcase, kept as artifacts."""
    shots = {  # name: (viewport, colour scheme, element scrolled to the top)
        "theme-desktop-light": (DESKTOP, "light", ""),
        "theme-desktop-dark": (DESKTOP, "dark", "figure.faq-quote"),
        "theme-tablet-light": (TABLET, "light", "#a-2-6"),
        "theme-phone-light": (PHONE, "light", ""),
        "theme-phone-dark": (PHONE, "dark", "#a-2-6"),
    }
    for name, (viewport, scheme, selector) in shots.items():
        page = open_page(browser, sites["docs"] + SHOWCASE, viewport, scheme)
        if selector:
            page.locator(selector).first.evaluate("el => el.scrollIntoView()")
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000, name
        close(page)
    sidenotes = open_page(browser, sites["book"] + "a-1.html", DESKTOP)
    sidenotes.screenshot(path=str(artifacts / "theme-sidenotes.png"))
    close(sidenotes)
    if os.environ.get("FAQ_UPDATE_SCREENSHOTS"):
        # Refresh the set shown in README.md and docs/reference/theme.md.
        folder = DOCS / "_static" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("desktop-light", "desktop-dark", "phone-light", "sidenotes"):
            shutil.copyfile(artifacts / f"theme-{name}.png", folder / f"{name}.png")


# -- accessibility -------------------------------------------------------------------


def axe_source() -> str:
    """axe-core's script, as installed from PyPI with axe-playwright-python."""
    spec = importlib.util.find_spec("axe_playwright_python")
    need_tool("axe-core (pip install axe-playwright-python)", available=spec is not None)
    assert spec is not None and spec.origin is not None
    return (Path(spec.origin).parent / "axe.min.js").read_text("utf8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("site", "path"),
    [("docs", SHOWCASE), ("docs", "index.html"), ("docs", "search.html?q=solidarity"),
     # Highlighted code, tables, admonitions, sphinx-design components.
     ("plain", "index.html")],
)
def test_axe_reports_no_violations(browser: Any, sites: dict[str, str], site: str, path: str,
                                   scheme: str) -> None:
    page = open_page(browser, sites[site] + path, scheme=scheme)
    if path.startswith("search"):
        page.wait_for_selector("#search-results ul.search li", timeout=20_000)
        page.wait_for_function("!document.querySelector('#search-progress')?.textContent"
                               " || document.querySelector('#search-results p')")
    assert axe_violations(page, f"{path} ({scheme})") == []
    close(page)


def axe_violations(page: Any, label: str) -> list[str]:
    """axe-core's violations on *page*, one readable line each."""
    page.evaluate(axe_source())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    print(f"axe {result['testEngine']['version']} on {label}: "
          f"{len(result['passes'])} rules passed")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_a_page_of_twenty_questions(browser: Any, sites: dict[str, str],
                                           scheme: str) -> None:
    """Each question's notes are a landmark named after it (axe landmark-unique)."""
    page = open_page(browser, sites["many"] + "section-b.html", scheme=scheme)
    notes = page.locator("section[role=doc-endnotes]")
    names = notes.evaluate_all("sections => sections.map(s => s.getAttribute('aria-label'))")
    assert len(names) == 20
    assert names[:3] == ["Notes to B", "Notes to B.1", "Notes to B.2"]
    assert len(set(names)) == 20
    assert axe_violations(page, f"twenty questions ({scheme})") == []
    close(page)
