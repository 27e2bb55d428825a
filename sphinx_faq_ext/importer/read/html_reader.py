"""Read an HTML page into the page model: blocks, inline runs, anchors, lines.

Any FAQ page written in plain HTML works: headings ``<h1>``..``<h6>``,
paragraphs (closed or not), ``<blockquote>``, lists, tables and inline
``<i>``/``<b>``/``<a>``.  Only the element holding the book's text is read:
``role="main"`` or ``<main>`` (Sphinx), ``<div class="content">`` (Drupal, the
Debian edition of *An Anarchist FAQ*), else ``<body>``.

A web site's navigation is no part of the book and is dropped before reading,
each block counted (:data:`NAVIGATION`): ``<nav>`` and ``role="navigation"``,
the previous/up/next blocks of Drupal books (``book-navigation``), DocBook
(``navheader``, ``navfooter``) and Sphinx (``related``, the sidebar),
breadcrumbs, permalink marks (``headerlink``), and a page's own table of
contents (a block of links that all point into the page itself), which the
headings already give.  A book's settings may name more (``navigation``).
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx_faq_ext.importer.model.page import (
    Anchor,
    Block,
    Break,
    Heading,
    Image,
    Inline,
    Link,
    ListBlock,
    Page,
    Paragraph,
    Quote,
    Rule,
    Styled,
    Table,
    Text,
)
from sphinx_faq_ext.importer.read.dom import BLOCK, SKIP, Element, parse_html

_STYLES = {"i": "em", "em": "em", "cite": "em", "var": "em", "b": "strong", "strong": "strong",
           "sup": "sup", "sub": "sub", "u": "u", "code": "code", "tt": "code", "kbd": "code"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


#: Classes of the navigation blocks of the common generators (Drupal books,
#: DocBook XSL, Sphinx, most site templates): dropped with what they hold.
NAVIGATION = frozenset({
    "book-navigation", "page-links", "breadcrumb", "breadcrumbs", "navheader", "navfooter",
    "related", "sphinxsidebar", "headerlink", "navigation", "pager", "skip-link",
})
#: Elements that may hold a page's own table of contents.
_CONTAINERS = frozenset({"div", "ul", "ol", "dl", "table", "blockquote", "nav"})


def content_root(root: Element) -> Element:
    """The element holding the book's text: ``role=main``, ``<main>``, ``div.content``, body."""
    for element in root.iter():
        if element.attrs.get("role") == "main" or element.tag == "main":
            return element
    for element in root.iter("div"):
        if "content" in element.attrs.get("class", "").split():
            return element
    bodies = root.iter("body")
    return bodies[0] if bodies else root


def selector_matches(selector: str, element: Element) -> bool:
    """Whether *element* matches a simple selector: ``tag``, ``.class``, ``tag.class``, ``#id``."""
    match = re.fullmatch(r"([a-z0-9]*)(?:\.([\w-]+))?(?:#([\w-]+))?", selector.strip().lower())
    if not match or not any(match.groups()):
        return False
    tag, cls, ident = match.groups()
    return ((not tag or element.tag == tag) and
            (not cls or cls in element.attrs.get("class", "").lower().split()) and
            (not ident or element.attrs.get("id", "").lower() == ident))


def _navigation_kind(element: Element, extra: tuple[str, ...]) -> str:
    """Why *element* is navigation (``""``: it is not)."""
    if element.tag == "nav" or element.attrs.get("role") in ("navigation", "doc-toc"):
        return "navigation"
    classes = set(element.attrs.get("class", "").split())
    if classes & NAVIGATION:
        return "permalink marks" if "headerlink" in classes else "navigation"
    if any(selector_matches(s, element) for s in extra):
        return "navigation"
    return ""


def _is_local_contents(element: Element, own: str) -> bool:
    """A block of two or more links that all point into page *own*, and little else."""
    if element.tag not in _CONTAINERS:
        return False
    links = [a for a in element.iter("a") if a.attrs.get("href", "").strip()]
    if len(links) < 2:
        return False
    for link in links:
        href = link.attrs["href"].strip()
        if not (href.startswith("#") or (href.split("#")[0].rsplit("/", 1)[-1] == own and
                "#" in href)):
            return False
    text = len("".join(element.text().split()))
    linked = sum(len("".join(a.text().split())) for a in links)
    return linked >= 0.8 * text


def drop_navigation(body: Element, own: str, extra: tuple[str, ...] = ()
                    ) -> list[tuple[str, int]]:
    """Remove navigation blocks from *body* (see the module); (kind, line) of each."""
    dropped: list[tuple[str, int]] = []

    def walk(element: Element) -> None:
        kept: list[Element | str] = []
        for child in element.children:
            if isinstance(child, str):
                kept.append(child)
                continue
            kind = _navigation_kind(child, extra)
            if not kind and _is_local_contents(child, own):
                kind = "local contents"
            if kind:
                dropped.append((kind, child.line))
                continue
            if child.tag == "a" and ("toc-backref" in child.attrs.get("class", "").split() or
                                     child.attrs.get("role") == "doc-backlink"):
                # A heading linking back to the contents it was listed in: its text stays.
                kept.extend(child.children)
                continue
            walk(child)
            kept.append(child)
        element.children = kept

    walk(body)
    return dropped


def read_html_page(path: Path, navigation: tuple[str, ...] = ()) -> tuple[Page, Element]:
    """The page model of the HTML file at *path*, and the element holding its text.

    Navigation blocks are dropped first (*navigation*: a book's own selectors);
    :attr:`Page.dropped` lists them.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    root, title = parse_html(text)
    body = content_root(root)
    dropped = drop_navigation(body, path.name, navigation)
    page = Page(path=path, title=title, blocks=BlockReader().blocks(body), dropped=dropped)
    return page, body


def anchors_in(element: Element) -> list[str]:
    """Link targets (``<a name>``, ``id``) in *element*."""
    names: list[str] = []
    for child in element.iter():
        for attr in ("name", "id"):
            value = child.attrs.get(attr, "").strip()
            if value and (attr == "name" or child.tag in ("a", "span", "p", "div") or
                          child.tag in _HEADINGS):
                names.append(value)
    return names


class BlockReader:
    """Turn elements into blocks; inline content between blocks becomes paragraphs."""

    def blocks(self, element: Element) -> list[Block]:
        """The blocks of *element*'s children."""
        blocks: list[Block] = []
        run: list[Element | str] = []
        run_line = element.line

        def flush() -> None:
            nonlocal run
            if run:
                blocks.extend(self.paragraph(run, run_line))
                run = []

        for child in element.children:
            if isinstance(child, str) or (child.tag not in BLOCK and child.tag not in SKIP):
                if not run:
                    run_line = child.line if isinstance(child, Element) else element.line
                run.append(child)
                continue
            flush()
            if child.tag in SKIP:
                continue
            blocks.extend(self.block(child))
        flush()
        return blocks

    def paragraph(self, children: list[Element | str], line: int) -> list[Block]:
        """A paragraph of *children*; an anchor block when they hold only anchors."""
        holder = Element("p", children=children, line=line)
        inlines = self.inlines(holder)
        names = anchors_in(holder)
        out: list[Block] = []
        if names:
            out.append(Anchor(names, line))
        if has_content(inlines):
            out.append(Paragraph(inlines, line))
        return out

    def block(self, element: Element) -> list[Block]:
        """The blocks one block-level element makes."""
        tag, line = element.tag, element.line
        if tag in _HEADINGS:
            return [Heading(_HEADINGS[tag], self.inlines(element), line, anchors_in(element))]
        if tag == "p" or tag == "dt":
            return self.paragraph(element.children, line)
        if tag == "blockquote":
            inner = self.blocks(element)
            return [Quote(inner, line)] if inner else []
        if tag in ("ul", "ol"):
            items = [self.blocks(c) for c in element.children
                     if isinstance(c, Element) and c.tag == "li"]
            others = [c for c in element.children
                      if not (isinstance(c, Element) and c.tag == "li")]
            if not items:
                return self.blocks(element)
            out: list[Block] = []
            if any(isinstance(c, Element) or c.strip() for c in others):
                # Text or blocks straight inside the list: kept before it.
                out.extend(self.blocks(Element("div", children=others, line=line)))
            start = element.attrs.get("start", "1")
            out.append(ListBlock(tag == "ol", [i for i in items if i], line,
                                 int(start) if start.isdigit() else 1))
            return out
        if tag == "table":
            return self.table(element)
        if tag == "hr":
            return [Rule(line)]
        if tag == "pre":
            text = element.text().strip("\n")
            inlines: list[Inline] = []
            for index, part in enumerate(text.split("\n")):
                if index:
                    inlines.append(Break())
                inlines.append(Text(part))
            return [Paragraph([Styled("code", inlines)], line)]
        # div, section, center, li, dd, td outside a table, form …: their content,
        # after the link target the element itself is (``<section id="what-is-python">``).
        ident = element.attrs.get("id", "").strip()
        blocks = self.blocks(element)
        return [Anchor([ident], line), *blocks] if ident else blocks

    def table(self, element: Element) -> list[Block]:
        """A table: rows of cells, header when the first row is all ``<th>``."""
        rows: list[list[list[Inline]]] = []
        header = False
        for row in element.iter("tr"):
            cells = [c for c in row.children if isinstance(c, Element) and c.tag in ("td", "th")]
            if not cells:
                continue
            if not rows:
                header = all(c.tag == "th" for c in cells)
            rows.append([self.cell(c) for c in cells])
        return [Table(rows, element.line, header)] if rows else []

    def cell(self, element: Element) -> list[Inline]:
        """A cell's blocks joined into one line of inline text."""
        inlines: list[Inline] = []
        for block in self.blocks(element):
            if isinstance(block, Paragraph | Heading):
                if inlines:
                    inlines.append(Text(" "))
                inlines.extend(block.children)
            elif isinstance(block, Quote | ListBlock):
                for sub in block.blocks if isinstance(block, Quote) else \
                        [b for item in block.items for b in item]:
                    if isinstance(sub, Paragraph):
                        inlines.append(Text(" "))
                        inlines.extend(sub.children)
        return inlines

    def inlines(self, element: Element) -> list[Inline]:
        """The inline content of *element* (blocks inside it are flattened)."""
        out: list[Inline] = []
        for child in element.children:
            if isinstance(child, str):
                out.append(Text(child))
                continue
            tag = child.tag
            if tag in SKIP:
                continue
            if tag == "br":
                out.append(Break())
            elif tag == "img":
                src = child.attrs.get("src", "")
                if src:
                    out.append(Image(src, child.attrs.get("alt", "")))
            elif tag == "a" and child.attrs.get("href", "").strip():
                out.extend(split_at_breaks(child.attrs["href"].strip(), self.inlines(child)))
            elif tag in _STYLES:
                out.append(Styled(_STYLES[tag], self.inlines(child)))
            else:
                if tag in BLOCK and out:
                    out.append(Text(" "))
                out.extend(self.inlines(child))
        return out


def split_at_breaks(href: str, children: list[Inline]) -> list[Inline]:
    """A link holding line breaks, as one link per line with the breaks between.

    MyST link text cannot hold a hard line break: the lines of a contents entry
    would run together.
    """
    out: list[Inline] = []
    run: list[Inline] = []
    for child in children:
        if isinstance(child, Break):
            if has_content(run):
                out.append(Link(href, run))
            else:
                out.extend(run)
            out.append(Break())
            run = []
        else:
            run.append(child)
    if has_content(run) or not out:
        out.append(Link(href, run))
    else:
        out.extend(run)
    return out


def has_content(inlines: list[Inline]) -> bool:
    """Whether *inlines* hold any visible text or an image."""
    for inline in inlines:
        if isinstance(inline, Text) and inline.text.strip():
            return True
        if isinstance(inline, Image):
            return True
        if isinstance(inline, Styled | Link) and has_content(inline.children):
            return True
    return False


