"""Render the page model's blocks as MyST Markdown with our directives.

Paragraphs, headings (sub-sections of a question), ``faq:quote`` blocks with
their ``:author:``, ``:source:``, ``:page:`` and ``:note:``, indented passages
as Markdown block quotes, lists and pipe tables.  Inline runs are written by
:class:`.myst_inline.InlineWriter`, text escaped by :mod:`.escaping`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sphinx_faq_ext.importer.model.page import (
    Block,
    Heading,
    Inline,
    Link,
    ListBlock,
    Note,
    Paragraph,
    Quote,
    Rule,
    Styled,
    Table,
    Text,
    heading_inlines,
    inline_text,
)
from sphinx_faq_ext.importer.write.escaping import escape_text, yaml_scalar
from sphinx_faq_ext.importer.write.myst_inline import InlineWriter, titles_in_italics


@dataclass
class BlockWriter:
    """Render blocks as MyST lines; counts what it writes."""

    inline: InlineWriter
    counts: dict[str, int] = field(default_factory=dict)
    file: str = ""
    #: A run of bibliography entries becomes a ``{bibliography}`` of the book's
    #: BibTeX data (sphinxcontrib-bibtex); the plain flavour keeps the list.
    bibliographies: bool = True

    def count(self, kind: str, n: int = 1) -> None:
        """Add *n* to the count of *kind*."""
        self.counts[kind] = self.counts.get(kind, 0) + n

    def blocks(self, blocks: list[Block], heading_base: int = 1) -> list[str]:
        """Lines for *blocks*; headings start at level ``heading_base + 1``."""
        lines: list[str] = []
        levels: list[int] = []
        for block in blocks:
            rendered = self.block(block, heading_base, levels)
            if rendered:
                lines.extend(rendered)
                lines.append("")
        return lines

    def block(self, block: Block, base: int, levels: list[int]) -> list[str]:
        """Lines for one block (no trailing blank line)."""
        self.inline.where = (self.file, getattr(block, "line", 0))
        if isinstance(block, Paragraph):
            text = self.inline.render(block.children)
            if not self.inline.notes_as_text:
                self.count("notes", len(_notes(block.children)))
            return text.split("\n") if text else []
        if isinstance(block, Heading):
            while levels and levels[-1] >= block.level:
                levels.pop()
            levels.append(block.level)
            depth = min(base + len(levels), 6)
            self.count("sub-sections")
            return ["#" * depth + " " + self.inline.render(heading_inlines(block.children),
                                                           True)]
        if isinstance(block, Quote):
            return self.quote(block)
        if isinstance(block, ListBlock):
            return self.list_block(block)
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Rule):
            self.count("rules dropped")
            return []
        return []

    def nested(self, blocks: list[Block]) -> list[str]:
        """Blocks inside a quote or list: headings become bold paragraphs."""
        flat: list[Block] = [
            Paragraph([Styled("strong", b.children)], b.line) if isinstance(b, Heading) else b
            for b in blocks
        ]
        lines = self.blocks(flat)
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def quote(self, quote: Quote) -> list[str]:
        """A ``faq:quote`` when it is a quotation, else a Markdown block quote."""
        if quote.note is None and not quote.author and not _opens_with_quote_mark(quote):
            self.count("indented blocks")
            return [f"> {line}".rstrip() for line in self.nested(quote.blocks)]
        self.count("quotes")
        _strip_quote_marks(quote)
        body = self.nested(quote.blocks)
        note: str | None = None
        if quote.note is not None and self.inline.notes_as_text:
            cited = self.inline.render([Text(" ["), *quote.note, Text("]")], True)
            body = [*body[:-1], body[-1] + " " + cited] if body else [cited]
        elif quote.note is not None:
            self.count("notes")
            note = self.inline.render(titles_in_italics(quote.note), True)
        return self.quotation(quote, body, note)

    def quotation(self, quote: Quote, body: list[str], note: str | None) -> list[str]:
        """A ``faq:quote`` around *body*, with its source and *note* as options."""
        depth = max((len(m) for m in re.findall(r"^`{3,}", "\n".join(body), re.M)), default=2)
        fence = "`" * (depth + 1)
        lines = [f"{fence}{{faq:quote}}"]
        for option in ("author", "source", "page"):
            value = getattr(quote, option)
            if value:
                lines.append(f":{option}: {yaml_scalar(escape_text(value))}")
        if not quote.author:
            # The report lists it with its file and line; a guess would put words
            # in someone's mouth, and a warning in every build would say it again.
            lines.append(":anonymous:")
            self.count("quotes without author (:anonymous:, in the report)")
        if note is not None:
            lines.append(f":note: {yaml_scalar(note)}")
        return [*lines, "", *body, fence]

    def question_head(self, number: str, title: str, fence: str, level: int) -> list[str]:
        """The opening of a question's directive (*level*: its depth, for headings)."""
        return [f"{fence}{{faq:question}} {title}", f":number: {number}", ""]

    def question_tail(self, fence: str) -> list[str]:
        """What closes a question, after its sub-questions."""
        return [fence, ""]

    def heading_base(self, level: int) -> int:
        """Headings inside a question of depth *level* start at ``heading_base + 1``."""
        return 1

    def list_block(self, block: ListBlock) -> list[str]:
        """A bulleted or numbered list (a run of bibliography entries: its works)."""
        if block.works and self.bibliographies:
            self.count("bibliography lists made {bibliography}")
            return ["```{bibliography}", ":list: bullet",
                    f":filter: faqlist == \"{block.works}\"", "```"]
        self.count("lists")
        lines: list[str] = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}. " if block.ordered else "- "
            body = self.nested(item) or [""]
            lines.append(marker + body[0])
            lines.extend((" " * len(marker) + line) if line else "" for line in body[1:])
        return lines

    def table(self, block: Table) -> list[str]:
        """A pipe table when the source marks a header row, else a list table."""
        self.count("tables")
        width = max(len(row) for row in block.rows)
        rows = [[self.inline.render(cell, True) for cell in row] + [""] * (width - len(row))
                for row in block.rows]
        if not block.header:
            # A pipe table always has a header row; an empty one is an error for
            # screen readers (Ace: empty-table-header).  A list table needs none.
            lines = ["````{list-table}", ""]
            for row in rows:
                lines += [f"{'*' if index == 0 else ' '} -{' ' + cell if cell else ''}"
                          for index, cell in enumerate(row)]
            return [*lines, "````"]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines.extend("| " + " | ".join(row) + " |" for row in rows[1:])
        return lines


def _notes(inlines: list[Inline]) -> list[Note]:
    found: list[Note] = []
    for inline in inlines:
        if isinstance(inline, Note):
            found.append(inline)
        elif isinstance(inline, Styled | Link):
            found.extend(_notes(inline.children))
    return found


def _opens_with_quote_mark(quote: Quote) -> bool:
    first = next((b for b in quote.blocks if isinstance(b, Paragraph)), None)
    return first is not None and inline_text(first.children).lstrip()[:1] in "\"“"


#: Marks that may open or close a block quotation in the source.
QUOTE_MARKS = "\"\u201c\u201d"


def _strip_quote_marks(quote: Quote) -> None:
    """Drop the quotation marks around a block quotation: the quote shows it is one."""
    paragraphs = [b for b in quote.blocks if isinstance(b, Paragraph)]
    if not paragraphs or not _opens_with_quote_mark(quote):
        return
    if any(not inline_text(p.children).strip(QUOTE_MARKS + " \t\n") for p in paragraphs):
        return  # nothing but marks: they are the text, keep them
    closing = _edge(paragraphs[-1].children, first=False)
    if quote.continues and closing not in "\"\u201d":
        # A quotation of several block quotes: each opens with a mark, only
        # the last closes; each keeps the pair's opening half no more.
        for paragraph in paragraphs:
            _edit_edge(paragraph.children, first=True, chars="\"“")
            _unwrap_whole_emphasis(paragraph)
        return
    if not closing or closing not in "\"\u201d":
        # No closing mark where the quotation ends (a full stop after its
        # citation, say): dropping the opening one alone would leave it unpaired.
        return
    for paragraph in paragraphs:
        _edit_edge(paragraph.children, first=True, chars="\"“")
    _edit_edge(paragraphs[-1].children, first=False, chars="\"”")
    for paragraph in paragraphs:
        _unwrap_whole_emphasis(paragraph)


def _edge(inlines: list[Inline], first: bool) -> str:
    """The first (or last) visible character of *inlines*, notes skipped at the end."""
    order = inlines if first else list(reversed(inlines))
    for inline in order:
        if isinstance(inline, Text):
            text = inline.text.strip()
            if text:
                return text[0] if first else text[-1]
        elif isinstance(inline, Styled | Link):
            edge = _edge(inline.children, first)
            if edge:
                return edge
        elif isinstance(inline, Note) and not first:
            continue
        else:
            return "\ufffc"
    return ""


def _edit_edge(inlines: list[Inline], first: bool, chars: str) -> bool:
    """Remove one of *chars* at the first (or last) text edge of *inlines*."""
    order = inlines if first else list(reversed(inlines))
    for index, inline in enumerate(order):
        if isinstance(inline, Text):
            text = inline.text.lstrip() if first else inline.text.rstrip()
            if not text:
                continue
            edge = text[0] if first else text[-1]
            if edge in chars:
                new = Text(text[1:] if first else text[:-1])
                position = index if first else len(inlines) - 1 - index
                inlines[position] = new
                return True
            return False
        if isinstance(inline, Styled | Link):
            return _edit_edge(inline.children, first, chars)
        if isinstance(inline, Note):
            if first:
                return False
            continue
        return False
    return False


def _unwrap_whole_emphasis(paragraph: Paragraph) -> None:
    """A quotation wholly in italics (the web edition's style) is set upright."""
    visible = [c for c in paragraph.children
               if not (isinstance(c, Text) and not c.text.strip()) and not isinstance(c, Note)]
    if len(visible) == 1 and isinstance(visible[0], Styled) and visible[0].kind == "em":
        index = paragraph.children.index(visible[0])
        paragraph.children[index:index + 1] = visible[0].children
