"""Read an HTML page into the page model: blocks, inline runs, anchors, lines.

Any FAQ page written in plain HTML works: headings ``<h1>``..``<h6>``,
paragraphs (closed or not), ``<blockquote>``, lists, tables and inline
``<i>``/``<b>``/``<a>``.  The Debian edition of *An Anarchist FAQ* keeps its
text in ``<div class="content">``; when a page has such a div only its content
is read (the rest is the web site's frame).
"""

from __future__ import annotations

from pathlib import Path

from sphinx_faq_ext.importer.dom import BLOCK, SKIP, Element, parse_html
from sphinx_faq_ext.importer.model import (
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

_STYLES = {"i": "em", "em": "em", "cite": "em", "var": "em", "b": "strong", "strong": "strong",
           "sup": "sup", "sub": "sub", "u": "u", "code": "code", "tt": "code", "kbd": "code"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


def content_root(root: Element) -> Element:
    """The element holding the book's text: ``div.content``, ``<body>`` or the document."""
    for element in root.iter("div"):
        if "content" in element.attrs.get("class", "").split():
            return element
    bodies = root.iter("body")
    return bodies[0] if bodies else root


def read_html_page(path: Path) -> tuple[Page, Element]:
    """The page model of the HTML file at *path*, and the element holding its text."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    root, title = parse_html(text)
    body = content_root(root)
    return Page(path=path, title=title, blocks=BlockReader().blocks(body)), body


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
        # div, center, li, dd, td outside a table, form …: their content.
        return self.blocks(element)

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
                out.append(Link(child.attrs["href"].strip(), self.inlines(child)))
            elif tag in _STYLES:
                out.append(Styled(_STYLES[tag], self.inlines(child)))
            else:
                if tag in BLOCK and out:
                    out.append(Text(" "))
                out.extend(self.inlines(child))
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


