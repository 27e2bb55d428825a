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

from sphinx_faq_ext.importer.model.page import (
    Block,
    Inline,
    Note,
    Paragraph,
    Quote,
    Styled,
    Text,
    inline_text,
)
from sphinx_faq_ext.importer.recognise.authors import (
    GENERAL_NOT_NAMES,
    Mention,
    NameBook,
    looks_like_name,
)
from sphinx_faq_ext.importer.recognise.citations import Reporter, citation_head

_PAGE = re.compile(r",\s*(pp?\.\s*[\divxlc][\w\-\u2013, ]*?)\s*$")
#: Words of saying after a name (``Hobsbawm asserts``, ``Malatesta's words``).
_SAYS = re.compile(
    r"^['\u2019]?s?\s*,?\s*(?:(?:who|has|had|have|also|then|once|later|again|further|"
    r"himself|herself|themselves|too|\w+ly)\s+)*"
    r"(?:words|argue[sd]?|argu(?:ing)|assert(?:s|ed)?|note[sd]?|state[sd]?|suggest(?:s|ed)?|"
    r"points? out|pointed out|puts?|wr(?:ote|ites)|concur(?:s|red)?|conclude[sd]?|"
    r"claim(?:s|ed)?|stress(?:es|ed)?|explain(?:s|ed)?|observe[sd]?|summari[sz]e[sd]?|"
    r"recall(?:s|ed)?|remind(?:s|ed)?|declare[sd]?|sa(?:id|ys)|admit(?:s|ted)?|"
    r"comment(?:s|ed)?|describe[sd]?|recount(?:s|ed)?|reiterate[sd]?|repl(?:y|ies|ied)|"
    r"emphasi[sz]e[sd]?|insist(?:s|ed)?|add(?:s|ed)?|continue[sd]?|asks?|asked|answer(?:s|ed)?|"
    r"proclaim(?:s|ed)?|predict(?:s|ed)?|report(?:s|ed)?|warn(?:s|ed)?|summed up|"
    r"expand(?:s|ed)? on|sums? up|discuss(?:es|ed)?|indicate[sd]?|recogni[sz]e[sd]?|"
    r"(?:summary|comments?|arguments?|account|analysis|conclusions?|description|views?|reply|"
    r"answer|critique|definition|position|thoughts|opinion|summation)\b)\b",
    re.IGNORECASE)
#: Words before a name that make it the speaker (``As``, ``In the words of``, ``To quote``).
_SPEAKER_BEFORE = re.compile(
    r"\b(?:as|thus|hence|by|quote|quoting|quotes|according to|"
    r"words of|(?:this|these|the|a) (?:comments?|remarks?) of|"
    r"in the opinion of)\s+(?:(?:the|an?|one|fellow|\w+ist|[a-z]+ian)\s+)*$",
    re.IGNORECASE)
#: Words before a name that make it what is spoken of, not who speaks.
_OBJECT_BEFORE = re.compile(
    r"\b(?:to|against|about|on|at|with|towards?|for|of|than|unlike|like|"
    r"reminding|attack(?:s|ed|ing)|criticis(?:es|ed|ing)|defend(?:s|ed|ing)|"
    r"follows?|followed|refute[sd]?|refuting)\s+(?:(?:the|an?)\s+)?$",
    re.IGNORECASE)
_PRONOUN_SUBJECT = re.compile(r"^\W*(?:\w+,\s+)?(?:he|she|they)\b", re.IGNORECASE)
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the)\s+$", re.IGNORECASE)
_CLAUSE_SUBJECT = re.compile(r"^['\u2019]?s?\s*,\s*(?:he|she|they)\s+\w+", re.IGNORECASE)
_QUOTES_NAME = re.compile(r"\b(?:quotes?|quoting|cites?|citing)\s+$", re.IGNORECASE)
_BACK_REFERENCE = re.compile(r"(?:opt?[.,]?\s*cit|ibid|loc[.,]?\s*cit|idem)\.?,?",
                             re.IGNORECASE)
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
    title = " ".join(inline_text(strongs[0].children).split()) if strongs else ""
    if title and not _BACK_REFERENCE.fullmatch(title):
        # ``Op. Cit.`` is no work: the index would list it as one (the note keeps it).
        quote.source = title
        page = _PAGE.search(note_text)
        if page and len(strongs) == 1 and not re.search(r"quoted|cited", note_text, re.I):
            quote.page = re.sub(r"^pp?\.\s*", "", page.group(1)).strip()
    quote.author = author_of(note, lead_in, names, previous)
    if quote.author or (not quote.note and not _looks_quoted(quote)):
        return  # attributed, or an indented passage: nothing to attribute
    tail = lead_in.strip()[-90:]
    mentioned = sorted({m.name for m in names.mentions(last_sentence(lead_in)) if m.name})
    if mentioned:
        report("uncertain-author", line,
               f"quote left without author: the lead-in names {', '.join(mentioned)}: "
               f"…{tail!r}")
    else:
        report("uncertain-author", line,
               f"quote left without author: no cited name in its citation or lead-in "
               f"…{tail!r}")


def author_of(note: list[Inline], lead_in: str, names: NameBook, previous: str = "") -> str:
    """The author of a quotation with citation *note* after *lead_in*, or ``""``.

    A surname the book gives to several people (``Smith``) becomes the one of
    them whose bibliography lists the work cited (``[<b>The Wealth of
    Nations</b>, …]`` → ``Adam Smith``).
    """
    author = _author_of(note, lead_in, names, previous)
    if author and " " not in author:
        titles = [" ".join(inline_text(c.children).split()) for c in note
                  if isinstance(c, Styled) and c.kind == "strong"][:1]
        if titles:
            return names.author_of_work(author, titles[0]) or author
    return author


def _author_of(note: list[Inline], lead_in: str, names: NameBook, previous: str) -> str:
    head = citation_head(note) if note else None
    if head is not None and head.speakers:
        speakers = [names.canonical(s) if looks_like_name(s, names.rules) else ""
                    for s in head.speakers]
        if len(speakers) == 1:
            return speakers[0]
        if not all(speakers):
            return ""
        chosen = {m.name for m in names.mentions(last_sentence(lead_in))
                  if m.name in speakers}
        return chosen.pop() if len(chosen) == 1 else ""
    if head is not None and head.editors and not head.quoters:
        return ""  # an anthology: its editor did not say it, the lead-in may not know
    quoters = {names.canonical(q) for q in head.quoters} if head else set()
    sentence = last_sentence(lead_in)
    mentions = names.mentions(sentence)
    if not any(m.name for m in mentions):
        return previous if previous and _PRONOUN.search(sentence) else ""
    return speaker_in(sentence, mentions, quoters)


def speaker_in(sentence: str, mentions: list[Mention], quoters: set[str]) -> str:
    """The one cited person *sentence* gives the words to, or ``""``.

    A name spoken of (``against Bakunin``, ``reminding Lenin``) or quoting
    (*quoters*) is no candidate; among several, the one marked as speaking
    (``As Brinton summarised``, ``Lenin who asserted``) wins.  A person the
    book does not cite who may be speaking (``Sraffa replied``), or a
    sentence whose subject is a pronoun (``He wrote a reply reminding Lenin``)
    leaves the quote without author.
    """
    cited: list[tuple[str, bool]] = []
    last_end = 0
    for mention in mentions:
        before, after = sentence[:mention.start], sentence[mention.end:]
        if before.count("(") > before.count(")"):
            continue  # ``(according to Binns, …)``: an aside names no speaker
        if last_end and re.fullmatch(r"\s*(?:and|&|,\s*and)\s*", sentence[last_end:mention.start]):
            return ""  # ``Herman and Chomsky``: written together, neither alone
        last_end = mention.end
        if _CLAUSE_SUBJECT.match(after):
            continue  # ``Like Proudhon, he recognised``: someone else speaks
        says = bool(_SAYS.match(re.sub(r"^\s*\([^)]*\)", "", after)))
        marked = bool(_SPEAKER_BEFORE.search(before))
        speaking = says or marked
        if " " not in mention.words and _ARTICLE_BEFORE.search(before):
            continue  # ``a French officer``: a word, not a surname
        if not speaking and _OBJECT_BEFORE.search(before):
            continue
        if not mention.name:
            words = mention.words.split()
            if mention.person or (words[0] not in GENERAL_NOT_NAMES and (
                    says or (marked and before.strip() and len(words) > 1))):
                return ""  # someone the book does not cite may be speaking
            continue
        if mention.name in quoters:
            continue
        if _PRONOUN_SUBJECT.match(sentence) and not _QUOTES_NAME.search(before):
            return ""
        cited.append((mention.name, speaking))
    distinct = {name for name, _ in cited}
    if len(distinct) == 1:
        return distinct.pop()
    speakers = {name for name, speaking in cited if speaking}
    return speakers.pop() if len(speakers) == 1 else ""


def last_sentence(text: str) -> str:
    """The sentence ending a lead-in (the one introducing the quotation)."""
    ends = r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d)\]]))\s+(?=[A-Z\"\u201c])"
    return re.split(ends, text.strip())[-1]


def _looks_quoted(quote: Quote) -> bool:
    first = next((b for b in quote.blocks if isinstance(b, Paragraph)), None)
    return first is not None and inline_text(first.children).lstrip()[:1] in "\"\u201c'\u2018"


def lead_in_of(block: Block | None) -> str:
    """The text of a paragraph introducing a quotation, from its last citation on.

    A citation (a note) ends the sentence it closes even where no full stop
    follows (``… applied'" [Op. Cit., p. 252] Hence Emma Goldman:``).
    """
    if not isinstance(block, Paragraph):
        return ""
    children = block.children
    last = max((i for i, c in enumerate(children) if isinstance(c, Note)), default=-1)
    return inline_text(children[last + 1:])


def attribute_quotes(blocks: list[Block], names: NameBook, report: Reporter) -> None:
    """Take the notes of the quotations in *blocks* (recursively) and attribute them.

    The lead-in is the paragraph just before a quotation, or before the run
    of block quotes it stands in.  A run whose citation comes only at its end
    is one quotation set as several block quotes: they share its author.
    ``He continues:`` takes the author of a quotation only when it stands just
    before that paragraph.
    """
    index = 0
    while index < len(blocks):
        if not isinstance(blocks[index], Quote):
            index += 1
            continue
        end = index
        while end + 1 < len(blocks) and isinstance(blocks[end + 1], Quote):
            end += 1
        run = [b for b in blocks[index:end + 1] if isinstance(b, Quote)]
        for quote in run:
            attribute_quotes(quote.blocks, names, report)
            take_trailing_note(quote)
        take_following_note(run[-1], blocks[end + 1] if end + 1 < len(blocks) else None)
        previous = blocks[index - 1] if index else None
        lead_in = lead_in_of(previous)
        before = blocks[index - 2] if index > 1 else None
        last_author = before.author if isinstance(before, Quote) else ""
        if len(run) > 1 and all(q.note is None for q in run[:-1]):
            attribute(run[-1], lead_in, names, run[-1].line, report, last_author)
            for quote in run[:-1]:
                quote.continues = True
                if run[-1].author:
                    quote.author = run[-1].author
                else:
                    attribute(quote, lead_in, names, quote.line, report, last_author)
        else:
            for position, quote in enumerate(run):
                attribute(quote, lead_in if position == 0 else "", names, quote.line,
                          report, last_author if position == 0 else "")
        index = end + 1
