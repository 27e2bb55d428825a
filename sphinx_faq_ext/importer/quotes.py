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
    "Spanish", "American", "English", "French", "German", "British", "Maybe", "After", "Let",
    "Before", "While", "Since", "Perhaps", "Unlike", "Like", "According", "Given", "Once",
    "Only", "Just", "Both", "Either", "Neither", "Some", "Many", "Most", "One", "Other",
    "Another", "Each", "Every", "Any", "No", "Not", "Nor", "Further", "Finally", "First",
    "Second", "Third", "Lastly", "Clearly", "Obviously", "Interestingly", "Today", "Instead",
    "Rather", "Note", "Worse", "Better", "During", "Under", "With", "Without", "From", "At",
    "Within", "Between", "Upon", "Using", "Being", "Having", "Quoting", "Describing",
    "Summarising", "Discussing", "Writing", "Looking", "Speaking", "Commenting", "If",
    "Unless", "Although", "Though", "Because", "Whether", "Can", "Could", "Should", "Would",
    "Will", "Shall", "May", "Might", "Must", "Do", "Does", "Did", "Is", "Are", "Was", "Were",
    "Be", "Has", "Have", "Had", "Let's", "Yes", "Surely", "Certainly", "Nevertheless",
    "Nonetheless", "Meanwhile", "Earlier", "Section", "Appendix", "Chapter", "Part", "Volume",
    "Book", "Introduction", "Conclusion", "Page", "Question", "Answer", "FAQ",
])
_SPEECH = re.compile(
    r"\b(?:words|argue[sd]?|argu(?:ing)|assert(?:s|ed)?|note[sd]?|state[sd]?|suggest(?:s|ed)?|"
    r"points? out|pointed out|puts? it|wr(?:ote|ites)|concur(?:s|red)?|conclude[sd]?|"
    r"claim(?:s|ed)?|stress(?:es|ed)?|explain(?:s|ed)?|observe[sd]?|summari[sz]e[sd]?|"
    r"recall(?:s|ed)?|remind(?:s|ed)?|declare[sd]?|sa(?:id|ys)|admit(?:s|ted|ting)?|"
    r"comment(?:s|ed)?|describe[sd]?|recount(?:s|ed)?|put it|agree with|quote[sd]?|"
    r"emphasi[sz]e[sd]?|insist(?:s|ed)?|add(?:s|ed)?|continue[sd]?|asks?|asked|"
    r"proclaim(?:s|ed)?|predict(?:s|ed)?|report(?:s|ed)?|warn(?:s|ed)?|summed up|"
    r"['\u2019]s\s+(?:[a-z]+\s+){0,2}(?:summary|comments?|arguments?|account|analysis|"
    r"conclusions?|description|views?|point|reply|answer|critique|definition|position))\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"^(?:[A-Z]\w+,?\s+)?(?:he|she)\b", re.IGNORECASE)
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


def last_sentence(text: str) -> str:
    """The sentence ending a lead-in (the one introducing the quotation)."""
    ends = r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d)\]]))\s+(?=[A-Z\"\u201c])"
    return re.split(ends, text.strip())[-1]


def lead_in_names(text: str) -> list[str]:
    """Capitalised names in the last sentence of a lead-in.

    Words that start sentences or name groups (``As``, ``Thus``, ``Marxists``)
    are left out; a longer run keeps its last three words.
    """
    names = []
    for match in _NAME_RE.finditer(last_sentence(text)):
        name = re.sub(r"['\u2019]s$", "", match.group(0)).strip(" .")
        words = name.split()
        while words and words[0] in _NOT_NAMES:
            words.pop(0)
        if words and not any(w in _NOT_NAMES for w in words) and not words[-1].isupper():
            names.append(" ".join(words[-3:]))
    return names


def attribute(quote: Quote, lead_in: str, names: NameBook, line: int,
              report: Reporter, previous: str = "") -> None:
    """Fill :attr:`Quote.author`, ``source`` and ``page`` from its note and lead-in.

    In order: the name the citation starts with; the one name of the book's
    citations the lead-in's last sentence contains; its one name followed by
    a verb of saying (``Hobsbawm asserts that:``); the *previous* quote's
    author when the lead-in says ``He continues:``.
    """
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
    sentence = last_sentence(lead_in)
    spoken = sorted(set(lead_in_names(lead_in)))
    if not distinct and len(spoken) == 1 and _SPEECH.search(sentence):
        quote.author = names.full(spoken[0])
        return
    if not spoken and previous and _PRONOUN.search(sentence):
        quote.author = previous
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
