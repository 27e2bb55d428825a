"""API reference pages and third-party components in a real browser (issue 22).

The ``api`` test project (``tests/roots/test-theme-api``) is documentation as
third parties write it: autodoc classes and exceptions, a glossary, the general
index, sphinx-design cards, badges and tab sets, sphinx-tabs.  Every check runs
in Debian's Chromium at every width from 320 to 2560 px, in light and dark mode:
underscores that a link's underline must not hide, the general index using the
width it has, an "On this page" list beside long pages, signature boxes of one
width, identifiers broken only where they break, the current sidebar entry in
view, a whole header title on phones, the components in the theme's colours
with WCAG AA contrast, and axe-core on every page.

The browser, the served sites and the page helpers are ``test_browser_theme``'s
(its fixtures are imported, hence F811 where a test names them).
"""

# ruff: noqa: F811

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from test_browser_theme import (  # noqa: F401 (fixtures)
    WIDTHS,
    axe_violations,
    browser,
    close,
    open_page,
    pages_of,
    site_dirs,
    sites,
)

pytestmark = pytest.mark.browser

SCHEMES = ("light", "dark")
#: From this width on, long documentation pages show "On this page" beside the text.
PAGE_TOC_WIDTH = 1440


def at_every_width(page: Any, check: Any, widths: tuple[int, ...] = WIDTHS,
                   height: int = 800) -> list[str]:
    """Run ``check(width)`` at each width; collect what it reports."""
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": height})
        problems += [f"{width} px: {p}" for p in check(width)]
    return problems


# -- 1. underscores in linked code ----------------------------------------------------

#: Marks the probed link; the two styles isolate its glyphs and its underline.
PROBE_STYLES = {
    "glyphs": ".faq-probe, .faq-probe * { color: #f00 !important;"
              " text-decoration-color: transparent !important;"
              " background: transparent !important; }",
    "underline": ".faq-probe, .faq-probe * { color: transparent !important;"
                 " text-decoration-color: #f00 !important;"
                 " background: transparent !important; }",
}


def red_rows(png: bytes, columns: tuple[int, int], rows: tuple[int, int]) -> list[int]:
    """The pixel rows of a screenshot holding pure-ish red ink, within a box."""
    from PIL import Image

    image = Image.open(BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    return [y for y in range(max(0, rows[0]), min(height, rows[1]))
            if any(pixels[x, y][0] > 150 and pixels[x, y][1] < 110 and pixels[x, y][2] < 110
                   for x in range(max(0, columns[0]), min(width, columns[1])))]


def underscore_gaps(page: Any, link: Any) -> list[float]:
    """For each underscore in *link*: clear CSS pixels between it and the underline.

    Two screenshots of the link, one showing only its glyphs and one only its
    underline (both painted red on the page): the underline must start below
    the underscore's lowest ink, with background between, or it covers it.
    """
    # In the middle of the window: the screenshots must hold its last line's underline.
    link.evaluate("el => { el.scrollIntoView({block: 'center'}); el.classList.add('faq-probe'); }")
    box = link.evaluate("""el => {
      const b = el.getBoundingClientRect();
      const underscores = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        for (let i = 0; i < t.data.length; i++) {
          if (t.data[i] !== "_") continue;
          const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 1);
          const c = r.getClientRects()[0];
          if (c && c.top >= b.top - 1 && c.bottom <= b.bottom + 1)
            underscores.push([c.left - b.left, c.right - b.left, c.top - b.top, c.bottom - b.top]);
        }
      }
      return {x: b.left, y: b.top, width: b.width, height: b.height, underscores};
    }""")
    scale = 2  # the contexts of this test have a device scale factor of 2
    clip = {"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"] + 12}
    shots = {}
    for name, css in PROBE_STYLES.items():
        handle = page.add_style_tag(content=css)
        shots[name] = page.screenshot(clip=clip)
        handle.evaluate("el => el.remove()")
    link.evaluate("el => el.classList.remove('faq-probe')")
    gaps = []
    for left, right, top, bottom in box["underscores"]:
        # The underscore's line only (a link may wrap); the underline beside
        # the underscore too, where skip-ink would leave a hole under it.
        glyph = red_rows(shots["glyphs"], (round(left * scale) + 1, round(right * scale) - 1),
                         (round(top * scale), round(bottom * scale)))
        underline = red_rows(shots["underline"],
                             (round((left - 8) * scale), round((right + 8) * scale)),
                             (round(top * scale), round((bottom + 0.5 * (bottom - top)) * scale)))
        assert glyph, "no ink found for an underscore"
        assert underline, f"no underline under {link.inner_text()!r} at {box}"
        gaps.append((min(underline) - max(glyph) - 1) / scale)
    return gaps


@pytest.mark.parametrize("scheme", SCHEMES)
def test_underscores_in_links_are_not_hidden_by_the_underline(browser: Any,
                                                              sites: dict[str, str],
                                                              scheme: str) -> None:
    """``added_eq`` must not read "added eq": the underline runs below the underscore."""
    problems = []
    checked = 0
    for path, selector in (("api.html", "a.reference:has(code.xref)"),
                           ("genindex.html", "[role=main] li > a")):
        for width in (360, 1280):
            context = browser.new_context(viewport={"width": width, "height": 800},
                                          color_scheme=scheme, device_scale_factor=2)
            page = context.new_page()
            page.goto(sites["api"] + path)
            links = page.locator(selector).filter(has_text="_")
            assert links.count() >= 3, (path, links.count())
            for index in range(min(links.count(), 8)):
                link = links.nth(index)
                for gap in underscore_gaps(page, link):
                    checked += 1
                    if gap < 1:
                        problems.append(f"{path} at {width} px: {link.inner_text()!r} "
                                        f"({gap:.1f} px between underscore and underline)")
            context.close()
    assert checked >= 20
    assert problems == []


# -- 2. the general index ---------------------------------------------------------------

GENINDEX_REPORT = """() => {
  const main = document.querySelector(".faq-main");
  const style = getComputedStyle(main);
  const room = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const lists = [...document.querySelectorAll("[role=main] .faq-genindex")];
  const widest = Math.max(0, ...lists.map(l => l.getBoundingClientRect().width));
  const lefts = new Set();
  const wrapped = [], flat = [];
  for (const li of document.querySelectorAll("[role=main] .faq-genindex > li")) {
    lefts.add(Math.round(li.getBoundingClientRect().left));
    // The entry's own lines (its sub-entries are a list of their own).
    const range = document.createRange();
    range.setStart(li, 0);
    const sub = li.querySelector(":scope > ul");
    if (sub) range.setEndBefore(sub); else range.setEnd(li, li.childNodes.length);
    const lines = [];
    for (const r of range.getClientRects()) {
      if (r.width < 1) continue;
      const line = lines.find(l => Math.abs(l.top - r.top) < 4);
      if (line) line.left = Math.min(line.left, r.left);
      else lines.push({top: r.top, left: r.left});
    }
    if (lines.length < 2) continue;
    lines.sort((a, b) => a.top - b.top);
    const indent = Math.min(...lines.slice(1).map(l => l.left)) - lines[0].left;
    (indent >= 10 ? wrapped : flat).push(li.textContent.trim().slice(0, 40) + " " + indent);
  }
  return {room, widest, columns: lefts.size, wrapped, flat,
          scroll: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_general_index_uses_the_width_with_hanging_indents(browser: Any,
                                                           sites: dict[str, str],
                                                           scheme: str) -> None:
    page = open_page(browser, sites["api"] + "genindex.html", scheme=scheme)
    wrapped_somewhere = []

    def check(width: int) -> list[str]:
        report = page.evaluate(GENINDEX_REPORT)
        found = []
        if report["widest"] < report["room"] - 2:
            found.append(f"index {report['widest']:.0f} px wide of {report['room']:.0f}")
        if report["flat"]:
            found.append(f"wrapped entries without a hanging indent: {report['flat']}")
        if width >= 1920 and report["columns"] < 3:
            found.append(f"{report['columns']} columns")
        if report["scroll"] > width:
            found.append("scrolls sideways")
        wrapped_somewhere.extend(report["wrapped"])
        return found

    assert at_every_width(page, check) == []
    assert wrapped_somewhere, "no entry wrapped at any width: nothing was checked"
    close(page)


# -- 3. "On this page" ------------------------------------------------------------------

PAGE_TOC_REPORT = """() => {
  const toc = document.querySelector("nav.faq-page-toc");
  if (!toc) return null;
  const box = toc.getBoundingClientRect();
  const text = document.querySelector("[role=main] section > p").getBoundingClientRect();
  const wide = [...document.querySelectorAll("[role=main] :is(dt.sig, pre, table)")]
    .map(el => el.getBoundingClientRect().right);
  return {visible: box.width > 0 && getComputedStyle(toc).visibility !== "hidden",
          left: box.left, right: box.right, top: box.top, bottom: box.bottom,
          textRight: text.right, widest: Math.max(0, ...wide),
          links: [...toc.querySelectorAll("a")].map(a => a.getAttribute("href")),
          label: document.getElementById(toc.getAttribute("aria-labelledby")).textContent};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_on_this_page_beside_long_pages_on_wide_screens(browser: Any, sites: dict[str, str],
                                                        scheme: str) -> None:
    page = open_page(browser, sites["api"] + "api.html", scheme=scheme)

    def check(width: int) -> list[str]:
        report = page.evaluate(PAGE_TOC_REPORT)
        if report is None:
            return ["no On this page list"]
        if width < PAGE_TOC_WIDTH:
            return ["shown on a narrow screen"] if report["visible"] else []
        found = []
        if not report["visible"]:
            found.append("not shown")
        if report["left"] < report["textRight"] or report["left"] < report["widest"]:
            found.append(f"overlaps the text: {report}")
        if report["right"] > width:
            found.append("runs off the screen")
        return found

    assert at_every_width(page, check) == []
    report = page.evaluate(PAGE_TOC_REPORT)
    assert report["label"] == "On this page"
    links = report["links"]
    assert "#bookshelf_api.CatalogueEntry.added_eq" in links
    assert "#bookshelf_api.BookshelfArrangementStrategyNotFoundError" in links
    assert all(link.startswith("#") for link in links)
    # It stays in view while the page scrolls, and marks where the reader is.
    page.set_viewport_size({"width": 1920, "height": 800})
    page.evaluate("document.getElementById('bookshelf_api.CatalogueEntry').scrollIntoView()")
    page.wait_for_function("document.querySelector('nav.faq-page-toc a[aria-current]')"
                           "?.hash.startsWith('#bookshelf_api.CatalogueEntry')")
    report = page.evaluate(PAGE_TOC_REPORT)
    assert 0 <= report["top"] < 800
    current = page.locator("nav.faq-page-toc a[aria-current]").get_attribute("href")
    assert current.startswith("#bookshelf_api.CatalogueEntry"), current
    close(page)


@pytest.mark.parametrize(("site", "path"), [("api", "index.html"), ("book", "a-1.html"),
                                            ("docs", "book/a-2-6.html")])
def test_no_on_this_page_on_short_or_question_pages(browser: Any, sites: dict[str, str],
                                                    site: str, path: str) -> None:
    """Short pages need no list; on question pages the sidebar tree is that list."""
    page = open_page(browser, sites[site] + path, viewport={"width": 1920, "height": 900})
    assert page.locator("nav.faq-page-toc").count() == 0
    close(page)


# -- 4. signature boxes ----------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_signature_boxes_have_one_right_edge(browser: Any, sites: dict[str, str],
                                             scheme: str) -> None:
    page = open_page(browser, sites["api"] + "api.html", scheme=scheme)

    def check(width: int) -> list[str]:
        rights = page.evaluate("""() => [...document.querySelectorAll("dt.sig")]
          .map(dt => dt.getBoundingClientRect().right)""")
        assert len(rights) >= 15
        spread = max(rights) - min(rights)
        return [f"right edges {min(rights):.0f}-{max(rights):.0f}"] if spread > 1 else []

    assert at_every_width(page, check) == []
    close(page)


# -- 6. identifiers, the sidebar, the header ---------------------------------------------

#: Line breaks inside identifiers that fall elsewhere than at "_", "." or a case change.
BAD_BREAKS = """(selector) => {
  const bad = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length) continue;
    const chars = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      for (let i = 0; i < t.data.length; i++) {
        const range = document.createRange();
        range.setStart(t, i); range.setEnd(t, i + 1);
        const rect = range.getClientRects()[0];
        chars.push({ch: t.data[i], top: rect ? rect.top : null});
      }
    }
    for (let i = 1; i < chars.length; i++) {
      const a = chars[i - 1], b = chars[i], c = (chars[i + 1] || {}).ch || "";
      if (a.top === null || b.top === null || b.top < a.top + 3) continue;
      const ok = /\\s/.test(a.ch) || /\\s/.test(b.ch) || /[_.,(\\[|-]/.test(a.ch)
        || b.ch === "." || (/[a-z0-9]/.test(a.ch) && /[A-Z]/.test(b.ch))
        || (/[A-Z]/.test(a.ch) && /[A-Z]/.test(b.ch) && /[a-z]/.test(c));
      if (!ok) {
        const text = chars.map(x => x.ch).join("");
        bad.push(text.slice(Math.max(0, i - 12), i) + "|" + text.slice(i, i + 12));
      }
    }
  }
  return bad;
}"""

IDENTIFIERS = ("#faq-sidebar code, nav.faq-page-toc code, dt.sig :is(.sig-name, .sig-prename),"
               " .faq-genindex a, dl.field-list > dd strong")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", ["api.html", "genindex.html"])
def test_identifiers_break_only_between_their_parts(browser: Any, sites: dict[str, str],
                                                    path: str, scheme: str) -> None:
    page = open_page(browser, sites["api"] + path, scheme=scheme)

    def check(width: int) -> list[str]:
        if width < 960:  # the sidebar is a panel behind "Contents"
            page.locator(".faq-menu-toggle").click()
        found = page.evaluate(BAD_BREAKS, IDENTIFIERS)
        if width < 960:
            page.keyboard.press("Escape")
        return found

    assert at_every_width(page, check) == []
    close(page)


def test_the_current_sidebar_entry_is_scrolled_into_view(browser: Any,
                                                          sites: dict[str, str]) -> None:
    """On a desktop the sidebar shows where the page is, however long the tree."""
    for width, height in ((1280, 520), (1920, 540), (2560, 560)):
        page = open_page(browser, sites["docs"] + "performance.html",
                         viewport={"width": width, "height": height})
        found = page.evaluate("""() => {
          const sidebar = document.getElementById("faq-sidebar").getBoundingClientRect();
          const links = document.querySelectorAll("#faq-sidebar a.current");
          const link = links[links.length - 1].getBoundingClientRect();
          return {top: link.top, bottom: link.bottom, sidebarTop: sidebar.top,
                  sidebarBottom: Math.min(sidebar.bottom, window.innerHeight),
                  page: window.scrollY,
                  scrolls: document.getElementById("faq-sidebar").scrollHeight > sidebar.height};
        }""")
        assert found["scrolls"], "the sidebar fits: nothing to check"
        assert found["sidebarTop"] <= found["top"], found
        assert found["bottom"] <= found["sidebarBottom"], found
        assert found["page"] == 0, "the page itself moved"
        close(page)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [320, 340, 360])
def test_header_title_whole_on_phones(browser: Any, sites: dict[str, str], width: int,
                                      scheme: str) -> None:
    page = open_page(browser, sites["api"] + "components.html",
                     viewport={"width": width, "height": 700}, scheme=scheme)
    title = page.locator(".faq-site-title > span")
    assert title.inner_text() == "Bookshelf API 2.4 documentation"
    found = title.evaluate("""el => {
      const box = el.getBoundingClientRect();
      const header = document.querySelector(".faq-header").getBoundingClientRect();
      return {cut: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1,
              clamp: getComputedStyle(el).webkitLineClamp,
              inside: box.bottom <= header.bottom && box.right <= header.right};
    }""")
    assert not found["cut"], found
    assert found["clamp"] in ("none", ""), found
    assert found["inside"], found
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    close(page)


# -- 5. sphinx-design and sphinx-tabs ---------------------------------------------------

#: WCAG contrast of an element's text against the colour behind it.
CONTRAST = """
function parse(color) {
  // rgb(r, g, b[, a]), or color(srgb r g b[ / a]) with channels from 0 to 1 (color-mix).
  const m = color.match(/[\\d.]+/g).map(Number);
  const scale = color.startsWith("color(srgb") ? 255 : 1;
  return {rgb: m.slice(0, 3).map(v => v * scale), alpha: m.length > 3 ? m[3] : 1};
}
function behind(el) {
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c.alpha > 0) layers.push(c);
    if (c.alpha >= 1) break;
  }
  let rgb = layers.length && layers[layers.length - 1].alpha >= 1
    ? layers[layers.length - 1].rgb : [255, 255, 255];
  for (const layer of layers.slice(0, -1).reverse())
    rgb = rgb.map((v, i) => v * (1 - layer.alpha) + layer.rgb[i] * layer.alpha);
  return rgb;
}
function lum(rgb) {
  const [r, g, b] = rgb.map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(el) {
  const fg = parse(getComputedStyle(el).color);
  const bg = behind(el);
  const rgb = fg.rgb.map((v, i) => v * fg.alpha + bg[i] * (1 - fg.alpha));
  const [hi, lo] = [lum(rgb), lum(bg)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}
"""

COMPONENTS_REPORT = CONTRAST + """
return (() => {
  const low = [];
  const texts = ".sd-badge, .sphinx-tabs-tab, .sd-tab-set > label, .sphinx-tabs-panel p,"
    + " .sd-card-body p, .sd-card-header p, .sd-card-footer p, .sd-btn";
  for (const el of document.querySelectorAll(texts)) {
    if (!el.getClientRects().length) continue;
    const ratio = contrast(el);
    if (ratio < 4.5) low.push(el.className + " '" + el.textContent.trim().slice(0, 20)
                              + "' " + ratio.toFixed(2));
  }
  const probe = document.createElement("span");
  probe.style.color = "var(--faq-link)";
  document.body.append(probe);
  const accent = getComputedStyle(probe).color;
  probe.remove();
  const primary = getComputedStyle(document.querySelector(".sd-badge.sd-bg-primary"))
    .backgroundColor;
  const panels = [...document.querySelectorAll(".sphinx-tabs-panel")].filter(
    p => !p.hidden).map(p => getComputedStyle(p).backgroundColor);
  const card = document.querySelector(".sd-card:has(.sd-card-img-overlay)");
  const image = card.querySelector("img.sd-card-img").getBoundingClientRect();
  const text = card.querySelector(".sd-card-text:last-child, .sd-card-body > :last-child")
    .getBoundingClientRect();
  const fonts = {
    body: getComputedStyle(document.body).fontFamily,
    card: getComputedStyle(card.querySelector(".sd-card-body")).fontFamily,
    tab: getComputedStyle(document.querySelector(".sphinx-tabs-tab")).fontFamily,
    sans: getComputedStyle(document.querySelector(".faq-header-tools")).fontFamily,
  };
  return {low, accent, primary, panels, fonts, page: getComputedStyle(document.body)
    .backgroundColor, imageBottom: image.bottom, textBottom: text.bottom,
    imageTop: image.top, textTop: text.top};
})();
"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_components_in_the_themes_colours_and_type(browser: Any, sites: dict[str, str],
                                                   scheme: str) -> None:
    page = open_page(browser, sites["api"] + "components.html", scheme=scheme)
    # Inactive tabs too: show the second tab of each sphinx-tabs set, then back.
    script = f"() => {{ {COMPONENTS_REPORT} }}"

    def check(width: int) -> list[str]:
        report = page.evaluate(script)
        found = []
        if report["low"]:
            found.append(f"contrast below 4.5:1: {report['low']}")
        if report["primary"] != report["accent"]:
            found.append(f"primary {report['primary']} is not the accent {report['accent']}")
        if any(panel not in (report["page"], "rgba(0, 0, 0, 0)") for panel in report["panels"]):
            found.append(f"sphinx-tabs panels {set(report['panels'])} on {report['page']}")
        if report["textBottom"] > report["imageBottom"] + 1:
            found.append(f"card text runs {report['textBottom'] - report['imageBottom']:.0f}"
                         " px past its picture")
        fonts = report["fonts"]
        if fonts["card"] != fonts["body"] or fonts["tab"] != fonts["sans"]:
            found.append(f"fonts {fonts}")
        return found

    assert at_every_width(page, check) == []
    close(page)


# -- every page, every width, both modes: axe-core ---------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_on_every_page_at_every_width(browser: Any, sites: dict[str, str],
                                          site_dirs: dict[str, Path], scheme: str) -> None:
    """The third-party project: 0 axe-core violations on each page, 320 to 2560 px."""
    paths = pages_of(site_dirs["api"])
    assert {"api.html", "components.html", "genindex.html", "glossary.html"} <= set(paths)
    page = open_page(browser, sites["api"] + "index.html", scheme=scheme)
    problems = []
    for path in paths:
        page.goto(sites["api"] + path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            problems += [f"{path} at {width} px: {v}"
                         for v in axe_violations(page, f"{path} at {width} px ({scheme})")]
    assert problems == []
    close(page)
