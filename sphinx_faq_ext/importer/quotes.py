"""Block quotations: their source note, work, page and author.

The web edition ends a block quotation with its citation
(``"…" [<b>Anarchy</b>, p. 33]``): that citation becomes the quote's
``:note:``; the first bold title in it is the ``:source:``, a final ``p. N``
the ``:page:``.  The author is the name the citation starts with
(``[Errico Malatesta, <b>Anarchy</b> …]``), or else the one the lead-in
sentence names (``As Alfie Kohn points out:``) — completed from the names
the book's own citations contain (``Malatesta`` → ``Errico Malatesta``).
A quote whose author cannot be read off with confidence keeps none; the
report lists it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sphinx_faq_ext.importer.citations import Reporter
from sphinx_faq_ext.importer.model import (
    Block,
    Inline,
    Note,
    Paragraph,
    Quote,
    Styled,
    Text,
    inline_text,
)

_WORD = r"[A-Z][\w'\u2019.\-]*"
_NAME = rf"{_WORD}(?:\s+(?:de|da|del|von|van|der|la|le|du|y)?\s*{_WORD}){{0,3}}"
_NAME_RE = re.compile(_NAME)
_PAGE = re.compile(r",\s*(pp?\.\s*[\divxlc][\w\-\u2013, ]*?)\s*$")
_NOT_NAMES = frozenset([
    "As", "In", "Thus", "The", "This", "That", "These", "Those", "Such", "For", "And", "But",
    "Or", "So", "Which", "Who", "What", "When", "Where", "Why", "How", "It", "Its", "Their",
    "They", "Our", "We", "He", "She", "His", "Her", "Here", "There", "Indeed", "However",
    "Moreover", "Therefore", "Hence", "Similarly", "Again", "Also", "Unsurprisingly",
    "Ironically", "Significantly", "Sadly", "Later", "Elsewhere", "Even", "Yet", "Still",
    "Then", "Now", "To", "Of", "On", "By", "A", "An", "Marxists", "Marxist", "Anarchists",
    "Anarchist", "Bolsheviks", "Op", "Cit", "Ibid", "See", "I", "You", "Soviet", "Russian",
    "Spanish", "American", "English", "French", "German", "British",
])
_QUOTED = re.compile(r"^\s*(?:quoted|cited|see|in|op\.?|ibid|emphasis|my|our|original)\b",
                     re.IGNORECASE)


def leading_name(note: list[Inline]) -> str:
    """The name a citation starts with (``Murray Bookchin, <b>…</b>``), or ``""``."""
    before: list[str] = []
    for child in note:
        if isinstance(child, Styled):
            break
        before.append(inline_text([child]))
    else:
        return ""
    text = "".join(before).strip()
    if not text.endswith(",") or _QUOTED.match(text):
        return ""
    text = re.sub(r"\s*\([^)]*\)", "", text.rstrip(",")).strip()
    text = re.sub(r"\s+", " ", text)
    if " and " in text or "&" in text or not re.fullmatch(_NAME, text):
        return ""
    if text.split()[0] in _NOT_NAMES:
        return ""
    return text


class NameBook:
    """The authors' names the book's citations contain, by surname."""

    def __init__(self) -> None:
        self.by_surname: dict[str, set[str]] = defaultdict(set)

    def add_notes(self, notes: list[list[Inline]]) -> None:
        """Learn the names the citations *notes* start with."""
        for note in notes:
            name = leading_name(note)
            if name and " " in name:
                self.by_surname[name.split()[-1]].add(name)

    def full(self, name: str) -> str:
        """``Malatesta`` → ``Errico Malatesta`` when the book knows exactly one."""
        if " " in name:
            return name
        known = self.by_surname.get(name, set())
        return next(iter(known)) if len(known) == 1 else name

    def knows(self, name: str) -> bool:
        """Whether a citation of the book names *name* (full name or surname)."""
        return name in self.by_surname or name.split()[-1] in self.by_surname


def notes_in(blocks: list[Block]) -> list[list[Inline]]:
    """Every note in *blocks* (recursively), in order."""
    found: list[list[Inline]] = []

    def walk(inlines: list[Inline]) -> None:
        for inline in inlines:
            if isinstance(inline, Note):
                found.append(inline.children)
            elif isinstance(inline, Styled):
                walk(inline.children)

    for block in blocks:
        if isinstance(block, Paragraph):
            walk(block.children)
        elif isinstance(block, Quote):
            if block.note:
                found.append(block.note)
            found.extend(notes_in(block.blocks))
    return found


def take_trailing_note(quote: Quote) -> bool:
    """Move the citation ending *quote*'s last paragraph to ``quote.note``."""
    if not quote.blocks or not isinstance(quote.blocks[-1], Paragraph):
        return False
    children = quote.blocks[-1].children
    while children and isinstance(children[-1], Text) and not children[-1].text.strip():
        children.pop()
    if not children or not isinstance(children[-1], Note):
        return False
    note = children.pop()
    assert isinstance(note, Note)
    if children and isinstance(children[-1], Text):
        children[-1] = Text(children[-1].text.rstrip())
    quote.note = note.children
    return True


def take_following_note(quote: Quote, following: Block | None) -> bool:
    """A citation opening the paragraph just after *quote* becomes its note."""
    if quote.note is not None or not isinstance(following, Paragraph):
        return False
    children = following.children
    lead = 0
    while lead < len(children) and isinstance(children[lead], Text) and \
            not children[lead].text.strip():  # type: ignore[union-attr]
        lead += 1
    if lead < len(children) and isinstance(children[lead], Note):
        note = children.pop(lead)
        assert isinstance(note, Note)
        quote.note = note.children
        return True
    return False


def lead_in_names(text: str) -> list[str]:
    """Capitalised names in the last sentence of a lead-in."""
    sentence = re.split(r"(?<=[.!?])\s+", text.strip())[-1]
    names = []
    for match in _NAME_RE.finditer(sentence):
        name = re.sub(r"['\u2019]s$", "", match.group(0)).strip(" .")
        words = [w for w in name.split() if w not in _NOT_NAMES]
        if words and words == name.split():
            names.append(name)
        elif words and name.split()[0] in _NOT_NAMES and len(words) == len(name.split()) - 1:
            names.append(" ".join(words))
    return names


def attribute(quote: Quote, lead_in: str, names: NameBook, line: int,
              report: Reporter) -> None:
    """Fill :attr:`Quote.author`, ``source`` and ``page`` from its note and lead-in."""
    note = quote.note or []
    strongs = [c for c in note if isinstance(c, Styled)]
    note_text = inline_text(note)
    if strongs:
        quote.source = " ".join(inline_text(strongs[0].children).split())
        page = _PAGE.search(note_text)
        if page and len(strongs) == 1 and not re.search(r"quoted|cited", note_text, re.I):
            quote.page = re.sub(r"^pp?\.\s*", "", page.group(1)).strip()
    cited = leading_name(note)
    if cited and not re.search(r"\bquoted\b", note_text, re.I):
        quote.author = names.full(cited)
        return
    candidates = [n for n in lead_in_names(lead_in) if names.knows(n)]
    distinct = sorted({names.full(n) for n in candidates})
    if len(distinct) == 1:
        quote.author = distinct[0]
        return
    if not quote.note and not _looks_quoted(quote):
        return  # an indented passage, not a quotation: nothing to attribute
    tail = lead_in.strip()[-90:]
    if distinct:
        report("uncertain-author", line,
               f"quote left without author: the lead-in names {', '.join(distinct)}: "
               f"…{tail!r}")
    else:
        report("uncertain-author", line,
               f"quote left without author: no name in its citation or lead-in …{tail!r}")


def _looks_quoted(quote: Quote) -> bool:
    first = next((b for b in quote.blocks if isinstance(b, Paragraph)), None)
    return first is not None and inline_text(first.children).lstrip()[:1] in "\"\u201c'\u2018"
