"""Block quotations: their source note, work, page and author.

The web edition ends a block quotation with its citation
(``"…" [<b>Anarchy</b>, p. 33]``): that citation becomes the quote's
``:note:``; the first bold title in it is the ``:source:``, a final ``p. N``
the ``:page:``.  The author is the name the citation starts with
(``[Errico Malatesta, <b>Anarchy</b> …]``), or else the one cited name the
lead-in sentence mentions (``As Alfie Kohn points out:``) — only names the
book itself cites count (:mod:`.authors`), given in the one form the book
uses (``Malatesta`` → ``Errico Malatesta``).  A quote whose author cannot be
read off with confidence keeps none; the report lists it.
"""

from __future__ import annotations

import re

from sphinx_faq_ext.importer.authors import NameBook, looks_like_name
from sphinx_faq_ext.importer.citations import Reporter, citation_head
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

_PAGE = re.compile(r",\s*(pp?\.\s*[\divxlc][\w\-\u2013, ]*?)\s*$")
_PRONOUN = re.compile(r"^(?:[A-Z]\w+,?\s+)?(?:he|she)\s+(?:\w+\s+){0,2}?(?:continues|continued|"
                      r"adds|added|goes on|went on|concludes|concluded|notes|noted|argues|"
                      r"argued|states|stated|writes|wrote|stresses|stressed)\b", re.IGNORECASE)


def leading_name(note: list[Inline], names: NameBook | None = None) -> str:
    """The one author a citation starts with (``Murray Bookchin, <b>…</b>``), or ``""``.

    Editors (``Graham (ed.)``), several authors and heads that are no names
    (``C.N.T. member, quoted by …``) give none.
    """
    head = citation_head(note)
    if head is None or len(head.speakers) != 1:
        return ""
    name = head.speakers[0]
    rules = names.rules if names else None
    return name if looks_like_name(name, rules) else ""


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


def attribute(quote: Quote, lead_in: str, names: NameBook, line: int,
              report: Reporter, previous: str = "") -> None:
    """Fill :attr:`Quote.author`, ``source`` and ``page`` from its note and lead-in.

    Precision first — a wrong author is worse than none.  In order:

    1. the one author the citation starts with (``[Emma Goldman, <b>…``);
    2. when it starts with several (``[Lenin and Trotsky, <b>…``), the one of
       them the lead-in's last sentence names;
    3. without one, the one cited name the lead-in's last sentence mentions,
       leaving out whoever the citation says quotes the words (``[quoted by
       Avrich, …]``) — not when it also names someone the book never cites;
    4. the *previous* quote's author when the lead-in is ``He continues:``
       (*previous* is empty unless that quote stands just before).

    A name is always given in the form :meth:`.NameBook.canonical` chooses.
    """
    note = quote.note or []
    strongs = [c for c in note if isinstance(c, Styled)]
    note_text = inline_text(note)
    if strongs:
        quote.source = " ".join(inline_text(strongs[0].children).split())
        page = _PAGE.search(note_text)
        if page and len(strongs) == 1 and not re.search(r"quoted|cited", note_text, re.I):
            quote.page = re.sub(r"^pp?\.\s*", "", page.group(1)).strip()
    quote.author = author_of(note, lead_in, names, previous)
    if quote.author or (not quote.note and not _looks_quoted(quote)):
        return  # attributed, or an indented passage: nothing to attribute
    tail = lead_in.strip()[-90:]
    mentioned, _ = names.mentions(last_sentence(lead_in))
    if mentioned:
        report("uncertain-author", line,
               f"quote left without author: the lead-in names {', '.join(mentioned)}: "
               f"…{tail!r}")
    else:
        report("uncertain-author", line,
               f"quote left without author: no cited name in its citation or lead-in "
               f"…{tail!r}")


def author_of(note: list[Inline], lead_in: str, names: NameBook, previous: str = "") -> str:
    """The author of a quotation with citation *note* after *lead_in*, or ``""``."""
    head = citation_head(note) if note else None
    if head is not None and head.speakers:
        speakers = [names.canonical(s) if looks_like_name(s, names.rules) else ""
                    for s in head.speakers]
        if len(speakers) == 1:
            return speakers[0]
        if not all(speakers):
            return ""
        mentioned, _ = names.mentions(last_sentence(lead_in))
        chosen = [m for m in mentioned if m in speakers]
        return chosen[0] if len(chosen) == 1 else ""
    if head is not None and head.editors and not head.quoters:
        return ""  # an anthology: its editor did not say it, the lead-in may not know
    quoters = {names.canonical(q) for q in head.quoters} if head else set()
    sentence = last_sentence(lead_in)
    mentioned, stranger = names.mentions(sentence)
    mentioned = [m for m in mentioned if m not in quoters]
    if len(mentioned) == 1 and not stranger:
        return mentioned[0]
    if not mentioned and previous and _PRONOUN.search(sentence):
        return previous
    return ""


def last_sentence(text: str) -> str:
    """The sentence ending a lead-in (the one introducing the quotation)."""
    ends = r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d)\]]))\s+(?=[A-Z\"\u201c])"
    return re.split(ends, text.strip())[-1]


def _looks_quoted(quote: Quote) -> bool:
    first = next((b for b in quote.blocks if isinstance(b, Paragraph)), None)
    return first is not None and inline_text(first.children).lstrip()[:1] in "\"\u201c'\u2018"


def attribute_quotes(blocks: list[Block], names: NameBook, report: Reporter) -> None:
    """Take the notes of the quotations in *blocks* (recursively) and attribute them.

    The lead-in is the paragraph just before a quotation; ``He continues:``
    takes the author of a quotation only when it stands just before that
    paragraph.
    """
    for index, block in enumerate(blocks):
        if not isinstance(block, Quote):
            continue
        attribute_quotes(block.blocks, names, report)
        take_trailing_note(block)
        take_following_note(block, blocks[index + 1] if index + 1 < len(blocks) else None)
        previous = blocks[index - 1] if index else None
        lead_in = inline_text(previous.children) if isinstance(previous, Paragraph) else ""
        before = blocks[index - 2] if index > 1 else None
        last_author = before.author if isinstance(before, Quote) else ""
        attribute(block, lead_in, names, block.line, report, last_author)
