"""The same book in plain MyST (``--flavour plain``): no sphinx-faq-ext markup at all.

For the benchmark of our markup against plain MyST (``benchmarks/bench_suite.py
--afaq``), and for anyone who wants the book without the extension.  Only the
writers change, the reading and recognising are shared; the plain book is
written as ``benchmarks/make_book.py`` writes its plain variant:

- a question is a heading with its number in its text, after a ``(a-2-6)=``
  target (the anchor our directive would give it);
- a note is a ``[^a-2-6-note-1]`` footnote, defined after the question's text;
- a quotation is a ``>`` block quote with an ``{attribution="…"}`` (author,
  *source*, page) and its note as a footnote at its end;
- a link to a question is Sphinx's ``{ref}`` role to that target (a Markdown
  link ``[…](#h-3-13)`` would be ambiguous: ``sech3/h-3-13`` is a document too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sphinx_faq_ext.importer.model.page import Block, Note, Quote
from sphinx_faq_ext.importer.write.escaping import SPACES, escape_text, role
from sphinx_faq_ext.importer.write.myst import BlockWriter
from sphinx_faq_ext.importer.write.myst_inline import InlineWriter, titles_in_italics
from sphinx_faq_ext.numbering import anchor_for

#: ``conf.py`` lines of the plain book that differ from ours.
EXTENSIONS = 'extensions = ["myst_parser"]\n'
MYST_EXTENSIONS = 'myst_enable_extensions = ["colon_fence", "attrs_block"]\n'
#: Our theme is part of the extension: the plain book has Sphinx's default one.
THEME = 'html_theme = "alabaster"\n'


def conf_of(flavour: str, conf: str) -> str:
    """Our ``conf.py``, made plain for the plain flavour: only ``myst_parser``, default theme."""
    if flavour != "plain":
        return conf
    lines = []
    for line in conf.splitlines(keepends=True):
        if line.startswith("extensions ="):
            line = EXTENSIONS
        elif line.startswith("myst_enable_extensions ="):
            line = MYST_EXTENSIONS
        elif line.startswith("html_theme ="):
            line = THEME
        lines.append(line)
    return "".join(lines)


@dataclass
class PlainInlineWriter(InlineWriter):
    """Notes as ``[^label]`` footnotes (definitions kept for the block writer)."""

    #: The current question's anchor: footnote labels are ``{prefix}-note-{n}``.
    prefix: str = "note"
    footnotes: list[str] = field(default_factory=list)
    _count: int = 0

    def start_question(self, number: str) -> None:
        """Footnotes from now on belong to question *number*."""
        self.prefix, self._count = anchor_for(number), 0

    def footnote(self, content: str) -> str:
        """The reference to a new footnote saying *content*."""
        self._count += 1
        label = f"{self.prefix}-note-{self._count}"
        self.footnotes.append(f"[^{label}]: {content}")
        return f"[^{label}]"

    def note(self, note: Note) -> str:
        return self.footnote(self.render(titles_in_italics(note.children), True))

    def question_ref(self, text: str, number: str) -> str:
        return role("ref", f"{text} <{anchor_for(number)}>")


@dataclass
class PlainBlockWriter(BlockWriter):
    """Questions as headings, quotations as attributed block quotes, footnotes."""

    inline: PlainInlineWriter
    _depth: int = 0
    bibliographies: bool = False  # no sphinxcontrib-bibtex: lists of works stay lists

    def blocks(self, blocks: list[Block], heading_base: int = 1) -> list[str]:
        """Lines for *blocks*, then (outermost call) the footnotes they refer to."""
        self._depth += 1
        try:
            lines = super().blocks(blocks, heading_base)
        finally:
            self._depth -= 1
        if not self._depth and self.inline.footnotes:
            lines += [*self.inline.footnotes, ""]
            self.inline.footnotes.clear()
        return lines

    def quotation(self, quote: Quote, body: list[str], note: str | None) -> list[str]:
        if note is not None:
            marker = self.inline.footnote(note)
            body = [*body[:-1], body[-1] + marker] if body else [marker]
        source = f"*{escape_text(quote.source)}*" if quote.source else ""
        page = f"p. {escape_text(quote.page)}" if quote.page else ""
        parts = [escape_text(quote.author), source, page]
        attribution = SPACES.sub(" ", ", ".join(p for p in parts if p)).replace('"', '\\"')
        lines = [f'{{attribution="{attribution}"}}'] if attribution else []
        return lines + [f"> {line}".rstrip() for line in body]

    def question_head(self, number: str, title: str, fence: str, level: int) -> list[str]:
        self.inline.start_question(number)
        heading = f"{escape_text(number)} {title}".rstrip()
        return [f"({anchor_for(number)})=", f"{'#' * min(level, 6)} {heading}", ""]

    def question_tail(self, fence: str) -> list[str]:
        return []

    def heading_base(self, level: int) -> int:
        return min(level, 6)



def writers(flavour: str, doc_of_page: Callable[[str], str]) -> tuple[InlineWriter, BlockWriter]:
    """The inline and block writers of *flavour* (``faq`` or ``plain``)."""
    if flavour == "plain":
        plain = PlainInlineWriter(doc_of_page=doc_of_page)
        return plain, PlainBlockWriter(plain)
    inline = InlineWriter(doc_of_page=doc_of_page)
    return inline, BlockWriter(inline)
