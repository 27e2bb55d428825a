"""What a page is made of once read: blocks of inline runs, source lines kept.

Readers (HTML, plain text) produce this model; the recognisers (citations,
quotations, links) refine it; the MyST writer renders it.  Every block keeps
the line of its source so that the report can point at it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Text:
    """Plain text, as the reader sees it (entities decoded)."""

    text: str


@dataclass
class Styled:
    """Emphasis (``em``), strong emphasis (``strong``), underline, super/subscript."""

    kind: str
    children: list[Inline]


@dataclass
class Link:
    """A hyperlink; ``question`` is set when it resolves to a question number."""

    href: str
    children: list[Inline]
    question: str = ""
    page: str = ""


@dataclass
class Break:
    """A hard line break (``<br>``): poems and addresses keep their lines."""


@dataclass
class Image:
    """An image kept as a link to its source."""

    src: str
    alt: str


@dataclass
class Note:
    """A source note (a bracketed citation), numbered later per question."""

    children: list[Inline]
    line: int


Inline = Text | Styled | Link | Break | Image | Note


@dataclass
class Heading:
    """A heading: numbered ones become questions, the others sub-sections."""

    level: int
    children: list[Inline]
    line: int
    anchors: list[str] = field(default_factory=list)
    number: str = ""
    title: list[Inline] = field(default_factory=list)


@dataclass
class Paragraph:
    """A paragraph (or loose text between blocks)."""

    children: list[Inline]
    line: int


@dataclass
class Quote:
    """A block quotation; its attribution is filled in by the recogniser."""

    blocks: list[Block]
    line: int
    author: str = ""
    source: str = ""
    page: str = ""
    note: list[Inline] | None = None
    #: The quotation goes on in the next block quote (a run of block quotes
    #: with one citation at its end): by the convention of quotations of
    #: several paragraphs, this one opens with a mark and does not close.
    continues: bool = False


@dataclass
class ListBlock:
    """A bulleted or numbered list; each item is a list of blocks."""

    ordered: bool
    items: list[list[Block]]
    line: int
    start: int = 1
    #: A run of bibliography entries: the ``faqlist`` value of its works in the
    #: book's BibTeX data (``biblio-1``), which a ``{bibliography}`` lists; else "".
    works: str = ""


@dataclass
class Table:
    """A table of cells of inline text; the first row is the header if marked so."""

    rows: list[list[list[Inline]]]
    line: int
    header: bool = False


@dataclass
class Rule:
    """A horizontal rule."""

    line: int


@dataclass
class Anchor:
    """Link targets (``<a name>``) standing between blocks."""

    names: list[str]
    line: int


Block = Heading | Paragraph | Quote | ListBlock | Table | Rule | Anchor


@dataclass
class Page:
    """One source page: its path, title and blocks."""

    path: Path
    title: str
    blocks: list[Block]
    #: What the reader left out as no part of the book: (kind, line), e.g. navigation.
    dropped: list[tuple[str, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The file name, as other pages link to it."""
        return self.path.name


def heading_inlines(children: list[Inline]) -> list[Inline]:
    """A heading's runs without the emphasis wrapping all of it.

    Web pages set whole headings in italics, bold or underlined (``<h1><u>Bibliography</u></h1>``)
    for their look; a book's heading style is its own, and an italic title in the
    contents and running heads reads as a book's title.  Emphasis on part of a
    heading (a book title inside it) stays.
    """
    runs = [c for c in children if not (isinstance(c, Text) and not c.text.strip())]
    while len(runs) == 1 and isinstance(runs[0], Styled) and runs[0].kind in ("em", "strong", "u"):
        children = runs[0].children
        runs = [c for c in children if not (isinstance(c, Text) and not c.text.strip())]
    return children


def inline_text(children: list[Inline]) -> str:
    """The text a reader sees of *children* (notes excluded)."""
    parts: list[str] = []
    for child in children:
        if isinstance(child, Text):
            parts.append(child.text)
        elif isinstance(child, Styled | Link):
            parts.append(inline_text(child.children))
        elif isinstance(child, Break):
            parts.append("\n")
        elif isinstance(child, Image):
            parts.append(child.alt)
    return "".join(parts)


def inline_runs(blocks: Iterable[Block], headings: bool = True,
                notes: bool = False) -> Iterator[list[Inline]]:
    """The runs of inline content in *blocks*, in reading order.

    A paragraph's children (and a heading's, with *headings*); inside a quote, its
    blocks' runs (then its source note, with *notes*); each list item's blocks'
    runs; each table cell.  Every walk over a block tree's text starts here.
    """
    for block in blocks:
        if isinstance(block, Paragraph) or (headings and isinstance(block, Heading)):
            yield block.children
        elif isinstance(block, Quote):
            yield from inline_runs(block.blocks, headings, notes)
            if notes and block.note:
                yield block.note
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from inline_runs(item, headings, notes)
        elif isinstance(block, Table):
            for row in block.rows:
                yield from row


def inlines_in(blocks: Iterable[Block], headings: bool = True,
               notes: bool = False) -> Iterator[Inline]:
    """Every inline of *blocks* (:func:`inline_runs`), each before its children:
    into emphasis and links, and into notes with *notes*."""
    def walk(inlines: list[Inline]) -> Iterator[Inline]:
        for inline in inlines:
            yield inline
            if isinstance(inline, Styled | Link) or (notes and isinstance(inline, Note)):
                yield from walk(inline.children)

    for run in inline_runs(blocks, headings, notes):
        yield from walk(run)
