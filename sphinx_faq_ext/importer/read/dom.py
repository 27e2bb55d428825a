"""A small, forgiving HTML tree built with the standard library's ``html.parser``.

Old hand-written FAQ pages are rarely valid HTML: paragraphs are left open,
``<b><i>`` close in the wrong order, headings sit inside ``<ol>``.  This
builder keeps every character of text, records the source line of every
element, and repairs nesting the way browsers do for the common cases
(an open ``<p>`` ends where a block starts; an end tag closes up to its
matching start tag, or is ignored when there is none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Elements that never have content.
VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "wbr"})
#: Elements that start a block: an open ``<p>`` ends before them.
BLOCK = frozenset({
    "p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "table", "tr", "td", "th", "tbody", "thead", "tfoot", "hr", "center", "dl", "dt", "dd",
    "pre", "form", "address", "section", "article", "main", "header", "footer", "aside",
    "nav", "figure", "figcaption", "details", "summary", "hgroup",
})
#: Elements whose text is no part of the book.
SKIP = frozenset({"script", "style", "head", "title", "noscript"})


@dataclass
class Element:
    """An element: tag, attributes, children (elements or text) and its source line."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    line: int = 0
    parent: Element | None = field(default=None, repr=False)

    def text(self) -> str:
        """All text below this element, as written."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None) -> list[Element]:
        """This element and every element below it (optionally of one tag), in order."""
        found: list[Element] = []
        stack: list[Element] = [self]
        while stack:
            element = stack.pop()
            if tag is None or element.tag == tag:
                found.append(element)
            stack.extend(reversed([c for c in element.children if isinstance(c, Element)]))
        return found


class TreeBuilder(HTMLParser):
    """Build an :class:`Element` tree; the root is a synthetic ``document``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document", line=1)
        self.stack: list[Element] = [self.root]
        self.title = ""
        self._in_title = False

    @property
    def current(self) -> Element:
        return self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in BLOCK:
            self._close_open_paragraph()
        if tag == "li":
            self._close_up_to("li", stop_at=("ul", "ol"))
        if tag in ("td", "th"):
            self._close_up_to(("td", "th"), stop_at=("tr", "table"))
        if tag == "tr":
            self._close_up_to("tr", stop_at=("table",))
        element = Element(tag, {k: v or "" for k, v in attrs}, line=self.getpos()[0])
        element.parent = self.current
        self.current.children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.current.tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return
        # An end tag with no open element: ignored, as browsers do.

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        children = self.current.children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def _close_open_paragraph(self) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[index].tag
            if tag == "p":
                del self.stack[index:]
                return
            if tag in BLOCK:
                return

    def _close_up_to(self, tags: str | tuple[str, ...], stop_at: tuple[str, ...]) -> None:
        wanted = (tags,) if isinstance(tags, str) else tags
        for index in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[index].tag
            if tag in wanted:
                del self.stack[index:]
                return
            if tag in stop_at:
                return


def parse_html(text: str) -> tuple[Element, str]:
    """The element tree of *text* and its ``<title>``."""
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root, " ".join(builder.title.split())
