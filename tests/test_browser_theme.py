"""The theme in a real browser: Debian's Chromium driven by Playwright.

The HTML is built once per session (the documentation, the FAQ test book, a
plain project and an API reference), served by a local ``http.server`` thread
(search needs http), and visited as a reader would: sidebar, previous/next,
dark mode, search, note markers, every page at every screen width, and
axe-core's accessibility rules.  Screenshots go to the ``artifacts`` folder.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DOCS, build_once, xdist_shared_dir
from external_tools import chromium, need_module

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1400, "height": 900}
TABLET = {"width": 800, "height": 1000}
PHONE = {"width": 360, "height": 780}
WIDE = {"width": 1920, "height": 1080}
#: Every page of every site is checked at each of these widths.
WIDTHS = (320, 360, 768, 1280, 1920, 2560)
SHOWCASE = "book/a-2-6.html"
#: Served name -> project built (``docs`` or ``tests/roots/test-<name>``).
SITES = {"docs": "docs", "book": "theme", "plain": "theme-plain", "api": "theme-api",
         "many": "many-questions"}


# -- building and serving -----------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@pytest.fixture(scope="module")
def site_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The HTML folders of :data:`SITES`, each built once per session."""
    shared = xdist_shared_dir(tmp_path_factory, "html-sites")  # test_showcase's too
    return {name: build_once(shared, project, project, "html", {}).outdir
            for name, project in SITES.items()}


def pages_of(outdir: Path) -> list[str]:
    """Every page of a built site (generated ones such as genindex included)."""
    return sorted(path.relative_to(outdir).as_posix() for path in outdir.rglob("*.html")
                  if not {"_static", "_sources", "_images"} & set(path.parts))


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory,
          site_dirs: dict[str, Path]) -> Iterator[dict[str, str]]:
    """Base URLs of the served builds: ``docs``, ``book``, ``plain`` and ``api``."""
    outdirs = site_dirs
    served = tmp_path_factory.mktemp("www")
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
    with chromium() as launched:
        yield launched


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


# -- everyday documentation: API pages, indexes, wide code and tables ------------------

#: Per page and width: the page's overflow, words broken inside field-list labels,
#: and descriptions (field lists, glossaries, option lists, indexes) cut off.
FIT_REPORT = """() => {
  const width = document.documentElement.clientWidth;
  const report = {scroll: document.documentElement.scrollWidth, broken: [], cut: []};
  for (const dt of document.querySelectorAll("dl.field-list > dt")) {
    const walker = document.createTreeWalker(dt, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      // A break after a hyphen is a break between words.
      for (const word of text.data.matchAll(/[^\\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(text, word.index);
        range.setEnd(text, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) report.broken.push(word[0]);
      }
    }
  }
  const described = "dl.field-list > :is(dt, dd), dl.glossary > :is(dt, dd),"
    + " dl.option-list > :is(dt, dd), table.indextable td, dt.sig";
  for (const el of document.querySelectorAll(described)) {
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || el.scrollWidth > el.clientWidth + 1)) {
      report.cut.push(el.textContent.trim().slice(0, 40));
    }
  }
  return report;
}"""


@pytest.mark.parametrize("site", list(SITES))
def test_every_page_fits_every_width(browser: Any, sites: dict[str, str],
                                     site_dirs: dict[str, Path], site: str) -> None:
    """From 320 to 2560 px: no sideways scrolling, field-list labels broken only
    between words, no description cut off at the right edge."""
    paths = pages_of(site_dirs[site])
    assert "genindex.html" in paths
    page = open_page(browser, sites[site] + paths[0])
    problems = []
    for path in paths:
        page.goto(sites[site] + path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            report = page.evaluate(FIT_REPORT)
            if report["scroll"] > width or report["broken"] or report["cut"]:
                problems.append(f"{path} at {width} px: {report}")
    assert problems == []
    close(page)


#: Elements of the page's text whose own background is light (basic.css colours).
#: sphinx-design's colour fills (sd-bg-primary, buttons) are the author's choice:
#: in dark mode they are the palette's light accents, carrying dark text.
LIGHT_BACKGROUNDS = """() => [...document.querySelectorAll("[role=main] *")].filter(el => {
  const match = getComputedStyle(el).backgroundColor.match(/[\\d.]+/g);
  if (!match || (match.length > 3 && +match[3] < 0.5) || el.closest("svg, img")) return false;
  if (/\\bsd-(bg|btn)-/.test(el.className)) return false;
  return (+match[0] + +match[1] + +match[2]) / 3 > 150;
}).map(el => el.tagName + "." + el.className)"""


@pytest.mark.parametrize("site", list(SITES))
def test_dark_pages_have_no_light_patches(browser: Any, sites: dict[str, str],
                                          site_dirs: dict[str, Path], site: str) -> None:
    """Dark mode on every page: nothing in the text keeps a light background."""
    page = open_page(browser, sites[site] + "index.html", viewport=DESKTOP, scheme="dark")
    problems = {}
    for path in pages_of(site_dirs[site]):
        page.goto(sites[site] + path)
        light = page.evaluate(LIGHT_BACKGROUNDS)
        if light:
            problems[path] = light[:5]
    assert problems == {}
    close(page)


def text_column(page: Any) -> dict[str, float]:
    return page.evaluate("""() => {
      const p = document.querySelector("[role=main] section > p").getBoundingClientRect();
      return {left: p.left, right: p.right, width: p.width};
    }""")


def test_wide_blocks_use_the_room_prose_keeps_its_measure(browser: Any,
                                                         sites: dict[str, str]) -> None:
    page = open_page(browser, sites["api"] + "tables.html", viewport=WIDE)
    column = text_column(page)
    assert column["width"] <= 41 * 16 + 1, "the text column grew"
    table = page.locator("table.docutils").first
    code = page.locator("div.highlight pre").first
    for block in (table, code):
        box = block.bounding_box()
        assert abs(box["x"] - column["left"]) < 1
        assert box["width"] > column["width"] + 150, "a wide block kept to the measure"
        assert box["x"] + box["width"] <= WIDE["width"] - 48
    # The table fits in the room it has: nothing hidden, no scrolling.
    assert table.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    page.goto(sites["api"] + "api.html")
    signature = page.locator("dt.sig").nth(1).bounding_box()
    assert signature["width"] > text_column(page)["width"] + 150
    close(page)
    # Pages with sidenotes keep their margin for them.
    page = open_page(browser, sites["book"] + "a-1.html", viewport=DESKTOP)
    column = text_column(page)
    page.evaluate("""() => {
      const pre = document.createElement("pre");
      pre.id = "wide-code";
      pre.textContent = "x = 1  # " + "a long line of code ".repeat(12);
      document.querySelector("#a-1 > p").after(pre);
    }""")
    box = page.locator("#wide-code").bounding_box()
    assert box["x"] + box["width"] <= column["right"] + 1
    close(page)


def edge_darkness(png: bytes) -> tuple[float, float]:
    """Mean darkness (0 to 255) of the left and right 8 px of a screenshot, borders off."""
    from io import BytesIO

    from PIL import Image, ImageStat

    image = Image.open(BytesIO(png)).convert("L")
    width, height = image.size

    def darkness(left: int) -> float:
        return 255 - ImageStat.Stat(image.crop((left, 3, left + 8, height - 3))).mean[0]

    return darkness(2), darkness(width - 10)


def test_scrolling_blocks_show_it_and_take_the_keyboard(browser: Any,
                                                        sites: dict[str, str]) -> None:
    page = open_page(browser, sites["api"] + "tables.html", viewport=PHONE)
    table = page.locator("table.docutils").first
    code = page.locator("div.highlight pre").first
    for block in (table, code):
        assert block.evaluate("el => el.scrollWidth > el.clientWidth")
        assert block.get_attribute("tabindex") == "0"
    # Named: the table by its caption, the code block as a labelled group.
    assert table.locator("caption").count() == 1
    assert code.get_attribute("role") == "group"
    assert code.get_attribute("aria-label") == "Code"
    # A shadow on the side where more is hidden: right only, then left only.
    left, right = edge_darkness(code.screenshot())
    assert right > left + 8, (left, right)
    code.focus()
    for _ in range(60):
        page.keyboard.press("ArrowRight")
    assert code.evaluate("el => el.scrollLeft") > 0
    code.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    page.wait_for_timeout(100)
    left, right = edge_darkness(code.screenshot())
    assert left > right + 8, (left, right)
    # On a wide screen the table fits: no longer a tab stop.
    page.set_viewport_size(WIDE)
    page.wait_for_function("!document.querySelector('table.docutils').hasAttribute('tabindex')")
    close(page)


@pytest.mark.parametrize(("width", "scheme"), [(360, "light"), (360, "dark"), (320, "light")])
def test_header_with_logo_on_a_phone(browser: Any, sites: dict[str, str], width: int,
                                     scheme: str) -> None:
    """The title stays readable beside a logo; the dark logo shows in dark mode."""
    viewport = {"width": width, "height": PHONE["height"]}
    page = open_page(browser, sites["api"] + "index.html", viewport=viewport, scheme=scheme)
    title = page.locator(".faq-site-title > span")
    assert title.inner_text() == "Bookshelf API 2.4 documentation"
    assert title.evaluate("el => el.scrollHeight <= el.clientHeight + 1"
                          " && el.scrollWidth <= el.clientWidth + 1"), "title cut short"
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    def logo() -> str:
        shown = page.locator("img.faq-logo:visible")
        assert shown.count() == 1
        return shown.get_attribute("src").rsplit("/", 1)[-1]

    assert logo() == ("logo-dark.svg" if scheme == "dark" else "logo.svg")
    page.locator("header .faq-mode-toggle").click()
    assert logo() == ("logo.svg" if scheme == "dark" else "logo-dark.svg")
    close(page)


def test_tall_sidenote_in_a_quotation_leaves_no_gap(browser: Any,
                                                     sites: dict[str, str]) -> None:
    page = open_page(browser, sites["book"] + "a-1.html", viewport=DESKTOP)
    sidenote = page.locator("#a-1-noteref-2 + .faq-sidenote")
    sidenote.evaluate("el => el.append(' A long note, '.repeat(40))")
    assert sidenote.bounding_box()["height"] > 150
    gap = page.evaluate("""() => {
      const figure = document.querySelector("figure.faq-quote");
      const text = figure.querySelector("blockquote p:last-child").getBoundingClientRect();
      return figure.querySelector("figcaption").getBoundingClientRect().top - text.bottom;
    }""")
    assert gap < 20, gap
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
    # A documentation page prints without its "On this page" list.
    page = open_page(browser, sites["api"] + "api.html", viewport={"width": 1920, "height": 900})
    assert page.locator("nav.faq-page-toc").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("nav.faq-page-toc").is_visible()
    assert page.locator("dt.sig").first.is_visible()
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
    # Everyday documentation: an API page, the general index, a wide table.
    docs_shots = {  # name: (page, element scrolled to the top on a phone)
        "api": ("api.html", "dl.py.class"),
        "genindex": ("genindex.html", "#B"),
        "table": ("tables.html", "table.docutils"),
        "components": ("components.html", "#sphinx-tabs"),
    }
    for name, (path, selector) in docs_shots.items():
        dark = name in ("api", "components")
        for viewport, scheme in ((PHONE, "dark" if name == "components" else "light"),
                                 (WIDE, "dark" if dark else "light")):
            page = open_page(browser, sites["api"] + path, viewport, scheme)
            if viewport is PHONE:
                page.locator(selector).first.evaluate("el => el.scrollIntoView()")
            shot = artifacts / f"theme-docs-{name}-{viewport['width']}.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000, shot.name
            close(page)
    if os.environ.get("FAQ_UPDATE_SCREENSHOTS"):
        # Refresh the set shown in README.md and docs/reference/theme.md.
        folder = DOCS / "_static" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        names = ["desktop-light", "desktop-dark", "phone-light", "sidenotes"]
        names += [f"docs-{name}-1920" for name in docs_shots]
        for name in names:
            shutil.copyfile(artifacts / f"theme-{name}.png", folder / f"{name}.png")
        # The phone shots side by side, as a reader compares them.
        from PIL import Image

        phones = [Image.open(artifacts / f"theme-docs-{name}-360.png") for name in docs_shots]
        gap = 24
        row = Image.new("RGB", (len(phones) * (PHONE["width"] + gap) - gap, PHONE["height"]),
                        "white")
        for index, phone in enumerate(phones):
            row.paste(phone, (index * (PHONE["width"] + gap), 0))
        row.save(folder / "docs-phone-360.png", optimize=True)


# -- accessibility -------------------------------------------------------------------


def axe_source() -> str:
    """axe-core's script, as installed from PyPI with axe-playwright-python."""
    need_module("axe_playwright_python", "axe-core (pip install axe-playwright-python)")
    spec = importlib.util.find_spec("axe_playwright_python")
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
    assert_no_axe_violations(page, path, scheme)
    close(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("path", "viewport"),
    [("index.html", DESKTOP), ("api.html", DESKTOP), ("api.html", PHONE),
     ("glossary.html", DESKTOP), ("tables.html", DESKTOP), ("tables.html", PHONE),
     ("genindex.html", DESKTOP), ("py-modindex.html", PHONE)],
)
def test_axe_on_everyday_docs(browser: Any, sites: dict[str, str], path: str,
                              viewport: dict[str, int], scheme: str) -> None:
    """API pages, indexes, a glossary, wide tables and code (scrolling on a phone)."""
    page = open_page(browser, sites["api"] + path, viewport=viewport, scheme=scheme)
    assert_no_axe_violations(page, f"{path} at {viewport['width']} px", scheme)
    close(page)


def assert_no_axe_violations(page: Any, what: str, scheme: str) -> None:
    """Fail with axe-core's violations on *page*, one readable line each."""
    assert axe_violations(page, f"{what} ({scheme})") == []


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
