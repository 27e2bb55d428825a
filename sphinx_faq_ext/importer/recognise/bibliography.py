"""Bibliography pages: their entries stay a list of works, and name the book's authors.

A web bibliography lists each author's first work as a paragraph that starts
with the author (``Avrich, Paul, <b>The Russian Anarchists</b>, …``) and
indents the author's other works below it (``<blockquote><p><b>Kronstadt
1921</b>, …``).  Read naively, those indented entries are quotations, and the
paragraph above each is their "lead-in".  Here a page is a bibliography when
its title says so (``Bibliography``, ``Works cited``, ``References``), when
the book's settings name it (:attr:`.AuthorRules.bibliography_pages`), or
when most of its paragraphs are entries; its runs of entries become one
bulleted list, each author's further works a list nested in their first
entry — every word kept, nothing a quotation.

Each entry is also read as a :class:`Work` (authors or editors, title,
kind); :func:`bibtex` writes them as BibTeX data for sphinxcontrib-bibtex,
and :class:`.NameBook` learns the authors' names from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sphinx_faq_ext.importer.model.page import (
    Block,
    Heading,
    Inline,
    ListBlock,
    Page,
    Paragraph,
    Quote,
    Styled,
    inline_text,
)
from sphinx_faq_ext.importer.recognise.authors import AuthorRules, is_initials, looks_like_name

_TITLE = re.compile(r"\b(?:bibliograph\w*|works cited|references|reading list)\b", re.I)
_EDITED = re.compile(r"\(\s*(?:ed|eds|editors?)\.?\s*\)", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_URL = re.compile(r"https?://\S+")
#: The least share of a page's paragraphs that are entries, for a page no
#: title or setting calls a bibliography.
SHARE = 0.6
#: The fewest entries such a page has.
FEWEST = 20


@dataclass
class Work:
    """One entry of a bibliography."""

    #: Persons, as they are called in text (``Paul Avrich``).
    names: list[str]
    title: str
    #: ``book``, ``article`` (an ``<i>"article"</i>`` in a ``<b>journal</b>``) or
    #: ``incollection`` (``"chapter" contained in <b>book</b>``).
    kind: str
    #: The entry as written (continuation entries without their author).
    text: str
    line: int
    #: Whether *names* edited the work rather than wrote it.
    edited: bool = False
    #: Organisations that wrote it (``Anarchist Federation``).
    bodies: list[str] = field(default_factory=list)
    #: Its heading in the bibliography (``Anarchist Anthologies``), if any.
    section: str = ""
    #: The list of entries it is written in (``biblio-1``: page and run).
    group: str = ""


def head_of(children: list[Inline]) -> str | None:
    """The text an entry starts with before its first title, or ``None`` if none."""
    before: list[str] = []
    for child in children:
        if isinstance(child, Styled) and child.kind in ("strong", "em"):
            return re.sub(r"\s+", " ", "".join(before)).strip()
        before.append(inline_text([child]))
    return None


def authors_of(head: str, rules: AuthorRules | None = None) -> tuple[list[str], list[str],
                                                                       bool] | None:
    """``Krimerman, Leonard I. and Perry, Lewis`` → persons, bodies, edited; or ``None``
    when *head* names nobody (``Anonymous``, or no name at all)."""
    text = head.strip(" ,;:")
    edited = bool(_EDITED.search(text))
    text = _EDITED.sub("", text).strip(" ,")
    if not text:
        return None
    if re.fullmatch(r"anon(?:ymous|\.)?", text, re.IGNORECASE):
        return [], [], False  # an entry all the same, by nobody named
    persons: list[str] = []
    bodies: list[str] = []
    for index, part in enumerate(re.split(r"\s+and\s+|\s*&\s*", text)):
        chunks = [c.strip() for c in part.split(",") if c.strip()]
        if not chunks:
            continue
        if len(chunks) >= 4 and len(chunks) % 2 == 0 and \
                all(_given(chunks[i]) for i in range(1, len(chunks), 2)) and \
                all(" " not in chunks[i] for i in range(0, len(chunks), 2)):
            # ``Binns, Peter, Cliff, Tony``: surname, given names, surname, … (not
            # ``Makhno, Nestor, Ida Mett, Piotr Archinov``: names as written)
            names = [f"{chunks[i + 1]} {chunks[i]}" for i in range(0, len(chunks), 2)]
        elif len(chunks) >= 2 and _given(chunks[1]):
            names = [f"{chunks[1]} {chunks[0]}", *chunks[2:]]
        elif (len(chunks) == 1 and index == 0 and " " in chunks[0]) or \
                (len(chunks) == 1 and chunks[0].isupper()):
            bodies.append(chunks[0])
            continue
        else:
            names = chunks
        persons += [n for n in names if looks_like_name(n, rules)]
    bodies = [b for b in bodies if looks_like_name(b, rules)]
    if not persons and not bodies:
        return None
    return persons, bodies, edited


#: Words that end a person's given names and open their surname, written after
#: them in an inverted name (``Walt, Lucien van der``: *Lucien van der Walt*).
_PARTICLES = frozenset({"van", "der", "den", "von", "de", "del", "della", "di", "da", "du",
                        "la", "le"})


def _given(text: str) -> bool:
    words = text.split()
    while len(words) > 1 and words[-1] in _PARTICLES:
        words.pop()
    return 0 < len(words) <= 3 and all(w[:1].isupper() or is_initials(w) for w in words)


def is_entry(block: Block, rules: AuthorRules | None = None) -> bool:
    """A paragraph that starts with an author and a title (``Friends of Durruti,
    <b>…</b>``: an author whose name the importer does not learn is one too)."""
    if not isinstance(block, Paragraph):
        return False
    head = head_of(block.children)
    if not head:
        return False
    return authors_of(head, rules) is not None or (
        head.endswith(",") and len(head.split()) <= 8 and head[:1].isupper())


def is_continuation(block: Block) -> bool:
    """A paragraph that starts with a title (another work of the author above)."""
    return isinstance(block, Paragraph) and head_of(block.children) == ""


def is_bibliography(page: Page, rules: AuthorRules | None = None) -> bool:
    """Whether *page* is a bibliography (title, settings or shape)."""
    if rules and page.name in rules.bibliography_pages:
        return True
    paragraphs = [b for b in _flat(page.blocks) if isinstance(b, Paragraph)]

    def entries(blocks: list[Paragraph]) -> int:
        return sum(1 for b in blocks if is_entry(b, rules) or is_continuation(b))

    if _TITLE.search(page.title) or any(
            isinstance(b, Heading) and _TITLE.search(inline_text(b.children))
            for b in page.blocks[:3]):
        return entries(paragraphs) >= 3
    if len(paragraphs) < FEWEST or entries(paragraphs[:FEWEST]) < SHARE * FEWEST / 2:
        return False  # most pages: prose from the start
    count = entries(paragraphs)
    return count >= FEWEST and count >= SHARE * len(paragraphs)


def _flat(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, Quote):
            out.extend(_flat(block.blocks))
    return out


def read_bibliography(page: Page, rules: AuthorRules | None = None) -> list[Work]:
    """The works of *page* if it is a bibliography, its entries made lists; else ``[]``."""
    if not is_bibliography(page, rules):
        return []
    works: list[Work] = []
    page.blocks = _listed(page.blocks, works, rules, page.path.stem.lower())
    return works


def _listed(blocks: list[Block], works: list[Work], rules: AuthorRules | None,
            name: str = "") -> list[Block]:
    """*blocks* with each run of entries made a :class:`ListBlock`; *works* filled,
    each knowing its list (``{name}-{n}``)."""
    out: list[Block] = []
    items: list[list[Block]] = []
    author: tuple[list[str], list[str], bool] | None = None
    section = ""
    done = 0  # works already in a list

    def close() -> None:
        nonlocal items, done
        if items:
            group = f"{name or 'works'}-{sum(isinstance(b, ListBlock) for b in out) + 1}"
            for work in works[done:]:
                work.group = group
            done = len(works)
            out.append(ListBlock(False, items, items[0][0].line, works=group))
            items = []

    def further(paragraph: Paragraph) -> None:
        """Another work of the current author, nested under their first entry."""
        if not items:
            items.append([paragraph])
        else:
            entry = items[-1]
            if len(entry) == 1:
                entry.append(ListBlock(False, [], paragraph.line))
            nested = entry[-1]
            assert isinstance(nested, ListBlock)
            nested.items.append([paragraph])
        persons, bodies, edited = author or ([], [], False)
        works.append(_work(paragraph, persons, bodies, edited, section))

    for block in blocks:
        if is_entry(block, rules):
            assert isinstance(block, Paragraph)
            author = authors_of(head_of(block.children) or "", rules) or ([], [], False)
            items.append([block])
            persons, bodies, edited = author or ([], [], False)
            works.append(_work(block, persons, bodies, edited, section))
        elif author is not None and is_continuation(block):
            assert isinstance(block, Paragraph)
            further(block)
        elif author is not None and isinstance(block, Quote) and block.blocks and all(
                isinstance(b, Paragraph) and head_of(b.children) is not None
                for b in block.blocks):
            # Indented under an author: each a work of theirs, whatever precedes its
            # title (``as "J. Philmore", <b>…</b>``).
            for inner in block.blocks:
                assert isinstance(inner, Paragraph)
                if is_entry(inner, rules):
                    author = authors_of(head_of(inner.children) or "", rules) or ([], [], False)
                    items.append([inner])
                    persons, bodies, edited = author or ([], [], False)
                    works.append(_work(inner, persons, bodies, edited, section))
                else:
                    further(inner)
        else:
            close()
            author = None
            if isinstance(block, Heading):
                section = " ".join(inline_text(block.children).split())
            out.append(block)
    close()
    return out


def _work(paragraph: Paragraph, persons: list[str], bodies: list[str], edited: bool,
          section: str) -> Work:
    children = paragraph.children
    styled = [c for c in children if isinstance(c, Styled) and c.kind in ("strong", "em")]
    strong = [c for c in styled if c.kind == "strong"]
    first = styled[0] if styled else None
    kind = "book"
    title_node = strong[0] if strong else first
    if first is not None and first.kind == "em" and strong:
        text = inline_text(children)
        kind = "incollection" if re.search(r"\b(?:contained in|in)\s*$", text[
            :text.find(inline_text(strong[0].children))]) else "article"
        title_node = first
    title = " ".join(inline_text(title_node.children).split()).strip("\"\u201c\u201d ,") \
        if title_node else ""
    text = " ".join(inline_text(children).split())
    return Work(persons, title, kind, text, paragraph.line, edited, bodies, section)


# -- BibTeX ------------------------------------------------------------------------


def bibtex(works: list[Work]) -> str:
    """The works as BibTeX ``@misc`` entries (keys ``surname-year-word``, made unique).

    Every field is braced and the characters BibTeX reads specially escaped,
    so any entry text survives; what is not author, title or URL goes into
    ``howpublished`` as written (with the year: a ``year`` field would print it
    twice), the bibliography's section into ``keywords``, and the list the
    entry stands in into ``faqlist`` (a ``{bibliography}`` directive's
    ``:filter: faqlist == "biblio-1"`` lists that run of entries).
    sphinxcontrib-bibtex lists them all without a warning.
    """
    seen: dict[str, int] = {}
    entries: list[str] = []
    for work in works:
        key = bibtex_key(work)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}-{seen[key]}"
        people = " and ".join(_bib(n) for n in work.names) or \
            " and ".join("{" + _bib(b) + "}" for b in work.bodies)
        # The title braced once more: styles keep its capitals as written.
        fields = {"editor" if work.edited else "author": people,
                  "title": "{" + _bib(work.title) + "}" if work.title else ""}
        rest = work.text
        if work.title and work.title in rest:
            rest = rest[rest.index(work.title) + len(work.title):]
        # What follows the title, without the comma after it; its end as written
        # (the full stop most entries end with: the style adds none).
        rest = rest.lstrip(" \"\u201d,.").rstrip(" ,")
        url = _URL.search(rest)
        if url:
            fields["url"] = url.group(0).rstrip(".,)")
        if rest:
            fields["howpublished"] = _bib(rest)
        if work.section:
            fields["keywords"] = _bib(work.section)
        if work.group:
            fields["faqlist"] = work.group
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items()
                          if value)
        # ``@misc`` for every kind: the entry's publisher, journal, pages … stay in
        # ``howpublished`` as written, and no style asks for fields a web bibliography lacks.
        entries.append(f"@misc{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


def bibtex_key(work: Work) -> str:
    """``avrich-1978-russian``: surname (or body), year, first long word of the title."""
    who = (work.names or work.bodies or ["anon"])[0].split()[-1]
    year = _YEAR.findall(work.text)
    word = next((w for w in re.findall(r"[A-Za-z]+", work.title) if len(w) > 3), "work")
    parts = [who, year[-1] if year else "", word]
    return "-".join(re.sub(r"[^a-z0-9]", "", p.lower()) for p in parts if p) or "work"


def _bib(text: str) -> str:
    """*text* safe inside a braced BibTeX field."""
    text = text.replace("\\", "\\textbackslash{}")
    for char in "{}":
        text = text.replace(char, "\\" + char)
    for char in "&%$#_":
        text = text.replace(char, "\\" + char)
    return text


__all__ = ["Work", "bibtex", "is_bibliography", "read_bibliography"]
