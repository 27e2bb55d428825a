"""From pages of blocks to a book: questions (numbered headings), links, notes, quotes.

A heading whose text starts with a number (``A.2.6 Why …``, ``1.1 Why …``,
``3. What …``, ``Chapter 1. …``) is a question; it holds everything up to the
next question.  Numbers without a letter keep their number when no other page
uses it (``1.1`` under chapter ``1``); when they repeat from page to page (each
appendix starts again at ``1``) the page gets a prefix, the number of its place
in the book (:func:`.places.place_numbers`): question ``2.8`` of the third part
of the fourth appendix is ``4.3.2.8``.
A heading that only links elsewhere is a contents line, kept as a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sphinx_faq_ext.importer.model.page import (
    Anchor,
    Block,
    Heading,
    Inline,
    Link,
    ListBlock,
    Note,
    Page,
    Paragraph,
    Quote,
    Styled,
    Table,
    Text,
    inline_text,
)
from sphinx_faq_ext.importer.recognise.authors import AuthorRules, NameBook
from sphinx_faq_ext.importer.recognise.bibliography import read_bibliography
from sphinx_faq_ext.importer.recognise.citations import CitationFinder
from sphinx_faq_ext.importer.recognise.order import link_target
from sphinx_faq_ext.importer.recognise.quotes import attribute_quotes, notes_in
from sphinx_faq_ext.numbering import split_word

_NUMBER = re.compile(
    r"^\s*(?:Section\s+(?=[A-Z]\b)|(?:Chapter|Part)\s+(?=\d))?"
    r"(?P<number>[A-Z](?:\.\d{1,3})+|(?<=Section )[A-Z]|"
    r"\d{1,3}(?:\.\d{1,3})*)"
    r"(?P<sep>\.?\s*(?:[-\u2013\u2014:]+\s+)?|\.?$)(?P<rest>.*)$",
    re.DOTALL,
)

#: The "line" of a question whose heading is the page's ``<title>``.
TITLE_LINE = 0

#: Report callback: (kind, page, line, message).
PageReporter = Callable[[str, Page, int, str], None]


@dataclass
class Question:
    """A numbered question: its number, title, own blocks and sub-questions."""

    number: str
    title: list[Inline]
    page: Page
    line: int
    level: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Question] = field(default_factory=list)
    docname: str = ""
    source_number: str = ""


@dataclass
class PageDoc:
    """A source page: its title, the blocks before its first question, its questions."""

    page: Page
    slug: str
    title: list[Inline]
    intro: list[Block] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    docname: str = ""
    title_is_question: bool = False


def number_of(heading: Heading) -> tuple[str, list[Inline]] | None:
    """The number a heading starts with and the rest of its title, if numbered."""
    children = _trim(heading.children)
    text = inline_text(children)
    match = _NUMBER.match(text)
    if not match or not match.group("rest").strip():
        return None
    return match.group("number"), _drop_prefix(children, len(text) - len(match.group("rest")))


def _trim(children: list[Inline]) -> list[Inline]:
    """Children without formatting wrapping the whole heading (``<a name>``, ``<b>``)."""
    while len(children) == 1 and isinstance(children[0], Styled | Link) and \
            not (isinstance(children[0], Link) and children[0].href):
        children = children[0].children
    return children


def _drop_prefix(children: list[Inline], count: int) -> list[Inline]:
    """*children* without their first *count* characters of text."""
    out: list[Inline] = []
    for child in children:
        if count <= 0:
            out.append(child)
            continue
        if isinstance(child, Text):
            if len(child.text) <= count:
                count -= len(child.text)
                continue
            out.append(Text(child.text[count:]))
            count = 0
        elif isinstance(child, Styled | Link):
            length = len(inline_text(child.children))
            if length <= count:
                count -= length
                continue
            kept = _drop_prefix(child.children, count)
            out.append(Styled(child.kind, kept) if isinstance(child, Styled) else
                       Link(child.href, kept))
            count = 0
        else:
            out.append(child)
    return out


def auto_place(levels: list[tuple[int, int]], level: int) -> str:
    """The place of a heading of *level* among the open *levels*: ``2.3`` …"""
    while levels and levels[-1][0] > level:
        levels.pop()
    if levels and levels[-1][0] == level:
        levels[-1] = (level, levels[-1][1] + 1)
    else:
        levels.append((level, 1))
    return ".".join(str(count) for _, count in levels)


def asks_questions(page: Page) -> bool:
    """A page of questions without numbers (a Sphinx-made FAQ): no heading has a
    number, and at least two below its title end with a question mark."""
    headings = [b for b in page.blocks if isinstance(b, Heading) and
                inline_text(b.children).strip() and not is_contents_line(b)]
    if any(number_of(h) for h in headings):
        return False
    asked = [h for h in headings[1:] if inline_text(h.children).strip().endswith("?")]
    return len(asked) >= 2


def is_contents_line(heading: Heading) -> bool:
    """A heading made only of links to elsewhere (a table of contents)."""
    links = [c for c in heading.children if isinstance(c, Link)]
    rest: list[Inline] = [c for c in heading.children if not isinstance(c, Link)]
    return bool(links) and not inline_text(rest).strip()


class BookBuilder:
    """Recognise the structure of every page, then resolve links across pages."""

    def __init__(self, report: PageReporter, authors: AuthorRules | None = None) -> None:
        self.report = report
        self.names = NameBook(authors)
        self.docs: list[PageDoc] = []
        self.numbers: dict[str, Question] = {}
        self.anchors: dict[tuple[str, str], str] = {}
        #: Page names that stand for another page (a symlink, a folded contents page).
        self.aliases: dict[str, str] = {}
        self._prefix = ""
        self._titled = False

    def add_page(self, page: Page, prefix: str = "", titled: bool = False,
                 auto: bool = False) -> PageDoc:
        """Recognise citations and structure of *page*.

        *prefix* goes before the page's numbers without a letter (``""``: none);
        with *titled*, it is also the number of the page's unnumbered title.
        With *auto* (a page of questions without numbers, :func:`asks_questions`),
        its title is question *prefix* and each heading below it is numbered
        by its place: ``1.1``, ``1.1.1`` …
        """
        self._prefix = prefix
        self._titled = titled or auto
        self._auto = auto
        finder = CitationFinder(lambda kind, line, msg: self.report(kind, page, line, msg))
        _map_inlines(page.blocks, lambda inlines, line: finder.run(inlines, line))
        self.names.add_notes(notes_in(page.blocks))
        self.names.add_works(read_bibliography(page, self.names.rules))
        doc = self.split(page)
        self.docs.append(doc)
        return doc

    def split(self, page: Page) -> PageDoc:
        """The page's title, introduction and questions."""
        doc = PageDoc(page, re.sub(r"[^a-z0-9]+", "-", page.path.stem.lower()).strip("-"),
                      [Text(re.sub(r"\s*\|[^|]*$", "", page.title) or page.path.stem)])
        blocks = [b for b in page.blocks
                  if not (isinstance(b, Heading) and not inline_text(b.children).strip())]
        current: Question | None = None
        stack: list[Question] = []
        headings = [b for b in blocks if isinstance(b, Heading)]
        contents = sum(1 for h in headings if is_contents_line(h))
        contents_page = contents > 0 and contents * 2 >= len(headings) - 1
        local = [n[0] for h in headings if (n := number_of(h)) and not n[0][0].isalpha()]
        pending: list[str] = []
        levels: list[tuple[int, int]] = []  # (heading level, count) of auto numbers
        place = ""
        first_heading = True
        first_is_question = False
        worded: tuple[list[Inline], str] | None = None
        top_local = bool(self._prefix) and (self._titled or any("." not in n for n in local))
        content = [b for b in blocks if not isinstance(b, Anchor)]
        if content and not isinstance(content[0], Heading) and not contents_page and \
                (number_of(Heading(1, doc.title, 0)) or top_local):
            # No heading opens the page: its <title> does (secA1.html).
            blocks.insert(blocks.index(content[0]), Heading(1, doc.title, TITLE_LINE))
        for block in blocks:
            if isinstance(block, Heading) and is_contents_line(block):
                block = Paragraph([Styled("strong", block.children)], block.line)
            if isinstance(block, Anchor):
                pending.extend(block.names)
                continue
            if isinstance(block, Heading):
                pending.extend(block.anchors)
                numbered = None if contents_page else number_of(block)
                if numbered is None and first_heading and current is None and not doc.intro:
                    first_heading = False
                    if top_local and self._prefix not in self.numbers and \
                            not is_contents_line(block):
                        # An appendix titled without a number: the parent of its 1, 2, …
                        numbered = ("", block.children)  # "": the prefix itself
                        first_is_question = True
                        worded = self._without_word(block.children)
                    else:
                        doc.title = block.children
                        self._anchor(page, pending, "")
                        continue
                if numbered is None and self._auto and self._prefix in self.numbers:
                    numbered = ("", block.children)
                    place = auto_place(levels, block.level)
                if first_heading and numbered is not None and not doc.intro:
                    first_is_question = True
                first_heading = False
                if numbered is not None:
                    if worded is not None:  # ``Appendix - The Symbols`` as ``Appendix 1``
                        numbered = ("", worded[0])
                    current = self.question(page, block, *numbered, stack, doc, place)
                    if worded is not None:
                        current.source_number = worded[1]
                        worded = None
                    place = ""
                    self._anchor(page, pending, current.number)
                    continue
            self._anchor(page, pending, current.number if current else "")
            (current.blocks if current else doc.intro).append(block)
        self._anchor(page, pending, current.number if current else "")
        doc.title_is_question = first_is_question and not doc.intro
        return doc

    def question(self, page: Page, heading: Heading, number: str, title: list[Inline],
                 stack: list[Question], doc: PageDoc, place: str = "") -> Question:
        """A new question, nested by number under the open ones.

        *place* numbers a heading without a number below the page's number.
        """
        source_number = number
        if not number:  # a title without a number: the page's own number
            number = f"{self._prefix}.{place}" if place else self._prefix
        elif not number[0].isalpha() and self._prefix:
            number = f"{self._prefix}.{number}"
        if number in self.numbers:
            other = self.numbers[number]
            self.report("duplicate-number", page, heading.line,
                        f"question number {number} already used by {other.page.name}:"
                        f"{other.line}; this one is numbered {number}x")
            number = f"{number}x"
        question = Question(number, title, page, heading.line, heading.level,
                            source_number=source_number)
        self.numbers[number] = question
        while stack and not number.startswith(stack[-1].number + "."):
            stack.pop()
        (stack[-1].children if stack else doc.questions).append(question)
        stack.append(question)
        return question

    def _without_word(self, title: list[Inline]) -> tuple[list[Inline], str] | None:
        """A part's *title* without the word its number now starts with, and that word.

        ``Appendix - The Symbols of Anarchy`` numbered ``Appendix 1``
        (:func:`.places.name_places`) is titled ``The Symbols of Anarchy``;
        ``None`` when the number has no word or the title does not open with it.
        """
        word = split_word(self._prefix)[0]
        if not word:
            return None
        children = _trim(title)
        text = inline_text(children)
        match = re.match(rf"\s*{re.escape(word)}\s*[-\u2013\u2014:]+\s+", text)
        if not match or not text[match.end():].strip():
            return None
        return _drop_prefix(children, match.end()), word

    def _anchor(self, page: Page, names: list[str], number: str) -> None:
        for name in names:
            self.anchors[(page.name, name)] = number
        names.clear()

    def finish(self) -> None:
        """Attribute quotes (now that every citation's names are known), resolve links."""
        pages = {doc.page.name: doc for doc in self.docs}
        for doc in self.docs:
            def report(kind: str, line: int, msg: str, page: Page = doc.page) -> None:
                self.report(kind, page, line, msg)

            for blocks in _block_lists(doc):
                self._quotes(blocks, report)
            def links(inlines: list[Inline], line: int, d: PageDoc = doc) -> list[Inline]:
                return self._links(inlines, line, d, pages)

            _map_inlines(_all_blocks(doc), links)

    def _quotes(self, blocks: list[Block], report: Callable[[str, int, str], None]) -> None:
        attribute_quotes(blocks, self.names, report)

    def _links(self, inlines: list[Inline], line: int, doc: PageDoc,
               pages: dict[str, PageDoc]) -> list[Inline]:
        for inline in inlines:
            if isinstance(inline, Link):
                self._link(inline, line, doc, pages)
            if isinstance(inline, Styled | Link | Note):
                self._links(inline.children, line, doc, pages)
        return inlines

    def _link(self, link: Link, line: int, doc: PageDoc, pages: dict[str, PageDoc]) -> None:
        parts = urlsplit(link.href)
        if parts.scheme or parts.netloc:
            return
        name = link_target(link.href, doc.page.name)
        name = self.aliases.get(name, name)
        target = pages.get(name)
        if target is None:
            self.report("link-not-imported", doc.page, line,
                        f"link to {link.href} (not imported) kept as text")
            link.page = "?"
            return
        fragment = parts.fragment
        if fragment and (name, fragment) not in self.anchors:
            # Browsers forgave the web edition's "#secB1" for "secb1".
            fragment = next((a for p, a in self.anchors if p == name and
                             a.lower() == fragment.lower()), fragment)
        number = self.anchors.get((name, fragment)) if fragment else None
        if fragment and number is None and (name, fragment) not in self.anchors:
            self.report("anchor-not-found", doc.page, line,
                        f"link to {link.href}: no such anchor; links to the page")
        if number is None and not parts.fragment and target.title_is_question:
            number = target.questions[0].number
        if number:
            link.question = number
        else:
            link.page = target.slug


def _block_lists(doc: PageDoc) -> list[list[Block]]:
    lists = [doc.intro]
    todo = list(doc.questions)
    while todo:
        question = todo.pop(0)
        lists.append(question.blocks)
        todo.extend(question.children)
    return lists


def _all_blocks(doc: PageDoc) -> list[Block]:
    blocks: list[Block] = [Paragraph(doc.title, 0)]
    todo = list(doc.questions)
    blocks.extend(doc.intro)
    while todo:
        question = todo.pop(0)
        blocks.append(Paragraph(question.title, question.line))
        blocks.extend(question.blocks)
        todo.extend(question.children)
    return blocks


def _map_inlines(blocks: list[Block],
                 func: Callable[[list[Inline], int], list[Inline]]) -> None:
    """Apply *func* to every run of inlines in *blocks* (recursively)."""
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            block.children = func(block.children, block.line)
        elif isinstance(block, Quote):
            _map_inlines(block.blocks, func)
            if block.note is not None:
                block.note = func(block.note, block.line)
        elif isinstance(block, ListBlock):
            for item in block.items:
                _map_inlines(item, func)
        elif isinstance(block, Table):
            block.rows = [[func(cell, block.line) for cell in row] for row in block.rows]
