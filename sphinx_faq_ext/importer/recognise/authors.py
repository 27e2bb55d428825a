"""Who a book cites: the names its citations and bibliography give, and how to read them.

A quotation gets an author only when that author is a person or body the
book itself cites — named at the head of a citation (``[Errico Malatesta,
<b>Anarchy</b>, p. 29]``), as the one quoting (``[quoted by Paul Avrich, …]``)
or at the head of a bibliography entry (``Avrich, Paul, <b>…</b>``).
:class:`NameBook` collects those names while the pages are read and then
answers three questions for the quotation recogniser:

* :meth:`NameBook.canonical` — the one form of a name the index shows:
  ``Rocker`` → ``Rudolf Rocker`` when the book uses exactly one full name
  with that surname, ``P.J. Proudhon`` → ``Pierre-Joseph Proudhon`` (initials
  that fit one full name), ``Daniel Guérin``/``Daniel Guerin`` as one, and the
  spellings the book's settings map (:attr:`AuthorRules.aliases`);
* :meth:`NameBook.mentions` — the cited names a sentence mentions, without
  the words around them (``Historian Geoffrey Swain`` → ``Geoffrey Swain``,
  ``Compare McNally`` → ``David McNally``), and whether it also names someone
  the book never cites (then nobody can be sure who speaks);
* :meth:`NameBook.knows` — whether a name is one of them.

What no general rule can know about one book (its misspellings, words that
look like names in it) lives in the book's settings file, read into
:class:`AuthorRules` (documented in ``docs/howto/import.md``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sphinx_faq_ext.importer.recognise.citations import cited_names

#: A word of a name: capitalised (``Malatesta``, ``O'Neill``, ``Böhm-Bawerk``,
#: ``McNally``) or an initial (``P.J.``, ``K.``).
NAME_WORD = r"(?:[A-Z][\w'\u2019\-]*\.?|[A-Z]\.(?:\s?[A-Z]\.?)*)"
#: Small words inside names (``Voltairine de Cleyre``, ``Ludwig von Mises``).
PARTICLES = frozenset({"de", "da", "del", "della", "di", "von", "van", "der", "den", "la",
                       "le", "du", "y", "ten", "bin", "al"})
_RUN = re.compile(rf"{NAME_WORD}(?:\s+(?:(?:{'|'.join(sorted(PARTICLES))})\s+)*{NAME_WORD})*")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_INITIAL = re.compile(r"^(?:[A-Z]\.?\s?-?)+$")

#: Words that are never names, whatever the book: the months and days, and
#: words a sentence starts with.  A book's own (``Marxists``) go in its
#: settings (:attr:`AuthorRules.not_names`).
GENERAL_NOT_NAMES = frozenset([
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "As", "In", "Thus", "The", "This", "That", "These", "Those", "Such",
    "For", "And", "But", "Or", "So", "Which", "Who", "What", "When", "Where", "Why", "How",
    "It", "Its", "Their", "They", "Our", "We", "He", "She", "His", "Her", "Here", "There",
    "Indeed", "However", "Moreover", "Therefore", "Hence", "Similarly", "Again", "Also",
    "Over", "Point", "Compare", "See", "Cf", "Note", "Anonymous", "Ibid", "Op", "Cit",
    "Quoted",
])


class SettingsError(ValueError):
    """A book's settings file says something the importer cannot use."""


@dataclass(frozen=True)
class AuthorRules:
    """What the importer needs to know about one book's names (its ``[authors]`` table).

    The defaults know nothing of any book: general rules only.
    """

    #: A spelling the book uses → the name to show (``"Israel Gelzter" =
    #: "Israel Getzler"``; a surname alone maps too: ``"Kropotkon" = "Kropotkin"``).
    aliases: Mapping[str, str] = field(default_factory=dict)
    #: Capitalised words that are never (part of) an author's name in this book
    #: (``Marxists``, ``Bolsheviks``): a run of words holding one is no name.
    not_names: frozenset[str] = frozenset()
    #: Names never to give a quotation, even when cited (``Anonymous``).
    not_authors: frozenset[str] = frozenset()
    #: Persons or bodies the book quotes that no citation or bibliography names.
    known: tuple[str, ...] = ()
    #: Pages (file names) that are bibliographies, when the general rule misses them.
    bibliography_pages: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, table: Mapping[str, Any], source: str) -> AuthorRules:
        """The rules of the ``[authors]`` *table* read from the settings file *source*.

        Raises :class:`SettingsError` naming *source* and the key for an unknown
        key or a value of the wrong type.
        """
        known_keys = {"aliases", "not_names", "not_authors", "known", "bibliography_pages"}
        for key in table:
            if key not in known_keys:
                raise SettingsError(
                    f"{source}: [authors] has no key {key!r} (known: "
                    f"{', '.join(sorted(known_keys))})")
        aliases = table.get("aliases", {})
        if not isinstance(aliases, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) and v.strip()
                for k, v in aliases.items()):
            raise SettingsError(f"{source}: [authors] aliases must be a table of "
                                f"names to names (\"Kropotkon\" = \"Peter Kropotkin\")")

        def strings(key: str) -> tuple[str, ...]:
            value = table.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                      for v in value):
                raise SettingsError(f"{source}: [authors] {key} must be a list of "
                                    f"non-empty strings")
            return tuple(" ".join(v.split()) for v in value)

        return cls(aliases={" ".join(k.split()): " ".join(v.split())
                            for k, v in aliases.items()},
                   not_names=frozenset(strings("not_names")),
                   not_authors=frozenset(strings("not_authors")),
                   known=strings("known"),
                   bibliography_pages=strings("bibliography_pages"))


def fold(name: str) -> str:
    """*name* without accents, for comparing spellings (``Guérin`` = ``Guerin``)."""
    return "".join(c for c in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(c))


def surname_of(name: str) -> str:
    """The last word of *name* (``Voltairine de Cleyre`` → ``Cleyre``)."""
    return name.split()[-1] if name.split() else ""


def is_initials(word: str) -> bool:
    """``P.J.``, ``K.``, ``P-J``, ``J`` — not an acronym such as ``ACF``."""
    letters = word.replace(".", "").replace("-", "").replace(" ", "")
    return bool(_INITIAL.match(word)) and len(letters) <= 3 and (
        len(letters) == 1 or "." in word or "-" in word)


def looks_like_name(text: str, rules: AuthorRules | None = None) -> bool:
    """Whether *text* has the shape of a person's or body's name (not a phrase)."""
    words = text.split()
    if not words or len(words) > 5:
        return False
    if not _RUN.fullmatch(text):
        return False
    banned = GENERAL_NOT_NAMES | (rules.not_names if rules else frozenset())
    return not any(w.strip(".") in banned for w in words)


@dataclass(frozen=True)
class Mention:
    """A run of capitalised words in a sentence, read as a name."""

    #: The cited name it is (canonical), or ``""``.
    name: str
    start: int
    end: int
    #: Whether it is a person at all (a cited name, or a stranger with a given name).
    person: bool
    #: The run's words (possessives dropped).
    words: str


class NameBook:
    """The names a book cites, gathered while its pages are read.

    *rules* carry what only the book's settings can say.
    """

    def __init__(self, rules: AuthorRules | None = None) -> None:
        self.rules = rules or AuthorRules()
        #: Every full name (two words or more) and how often the book gives it.
        self.full: Counter[str] = Counter()
        #: Names given alone (``Lenin``, ``ACF``) and how often.
        self.single: Counter[str] = Counter()
        #: Full names a bibliography gives (they win over other spellings).
        self.from_bibliography: set[str] = set()
        #: Organisations (a bibliography's uninverted heads): no surname of theirs.
        self.bodies: set[str] = set()
        self._by_surname: dict[str, set[str]] | None = None
        self._person: dict[str, str] = {}
        self._given: set[str] | None = None
        self._titles: dict[str, list[str]] | None = None
        #: The works of the book's bibliography pages (:class:`.bibliography.Work`),
        #: for a writer that wants them as BibTeX (:func:`.bibliography.bibtex`).
        self.works: list[Any] = []

    # -- learning ------------------------------------------------------------------

    def add(self, name: str, bibliography: bool = False, body: bool = False) -> None:
        """Learn *name* (a person's or, with *body*, an organisation's), cited by the book."""
        name = " ".join(name.split()).strip(" ,.;:") if not name.endswith(".") or \
            " " not in name else " ".join(name.split()).strip(" ,;:")
        if not name or not looks_like_name(name, self.rules) or \
                (" " not in name and (len(name) < 2 or is_initials(name))):
            return
        name = self.rules.aliases.get(name, name)
        if body:
            self.bodies.add(name)
        if " " in name:
            self.full[name] += 1
            if bibliography:
                self.from_bibliography.add(name)
        else:
            self.single[name] += 1
        self._by_surname = None
        self._given = None

    def add_notes(self, notes: Iterable[list[Any]]) -> None:
        """Learn the names the citations *notes* give (their heads and quoters)."""
        for note in notes:
            for name in cited_names(note):
                self.add(name)

    def add_works(self, works: Iterable[Any]) -> None:
        """Learn the authors and editors of bibliography entries (``.names``)."""
        for work in works:
            self.works.append(work)
            self._titles = None
            for name in work.names:
                self.add(name, bibliography=True)
            for name in work.bodies:
                self.add(name, bibliography=True, body=True)

    # -- reading -------------------------------------------------------------------

    @property
    def by_surname(self) -> dict[str, set[str]]:
        """Persons' full names (after aliases) by their surname (accents folded)."""
        if self._by_surname is None:
            found: dict[str, set[str]] = defaultdict(set)
            for name in list(self.full) + list(self.rules.known):
                if " " in name and name not in self.bodies:
                    found[fold(surname_of(name))].add(name)
            self._by_surname = found
            self._person = {}
        return self._by_surname

    def person(self, name: str) -> str:
        """The fullest spelling of the person *name* is (``E. Malatesta`` → ``Errico
        Malatesta``): the one name every spelling that fits it fits too, else *name*."""
        if name in self.bodies or " " not in name:
            return name
        same = self.by_surname.get(fold(surname_of(name)), set())
        if name in self._person:
            return self._person[name]
        fitting = [n for n in same if n == name or same_person(n, name)]
        chosen = name
        if fitting and all(same_person(a, b) for a in fitting for b in fitting if a != b):
            chosen = max(fitting, key=lambda n: (
                sum(1 for t in given_tokens(n) if len(t) > 1), len(given_tokens(n)),
                n in self.from_bibliography, self.full[n], n != fold(n), n))
        self._person[name] = chosen
        return chosen

    def knows(self, name: str) -> bool:
        """Whether the book cites *name* (as written, or its surname alone)."""
        return bool(self.canonical(name))

    def canonical(self, name: str) -> str:
        """The form of *name* the book's index shows, or ``""`` if the book never cites it.

        An alias of the settings first; a person's full name becomes the fullest
        spelling that fits it (initials, accents, a middle initial); a surname
        alone becomes the one person the book gives with it, else stays as
        written.
        """
        name = " ".join(name.split())
        name = self.rules.aliases.get(name, name)
        if not name or name in self.rules.not_authors:
            return ""
        if " " not in name:
            full = self.by_surname.get(fold(name), set())
            people = {self.person(n) for n in full}
            if len(people) == 1:
                return next(iter(people))
            known = name in self.single or bool(full) or name in self.rules.known or \
                name in self.bodies
            return name if known else ""
        if name in self.bodies:
            return name
        if name in self.full or name in self.rules.known:
            return self.person(name)
        full = self.by_surname.get(fold(surname_of(name)), set())
        fits = {self.person(n) for n in full if same_person(n, name)}
        return next(iter(fits)) if len(fits) == 1 else ""

    def mentions(self, sentence: str) -> list[Mention]:
        """The persons *sentence* mentions, in order: each a cited name (canonical),
        or a stranger (``name == ""``) the book does not cite.

        A run of capitalised words counts when it ends with a cited full name
        (the words before it — ``Historian``, ``Leninist`` — are dropped) or
        with a cited surname that no other given name precedes (``Compare
        McNally``; but ``Kevin McNally`` is someone else).  A run starting with
        a given name the book knows, or an initial, and ending with a surname it
        does not cite is a stranger; so is any other run the caller finds
        speaking (:attr:`Mention.words`).  Words of :attr:`AuthorRules.not_names`
        and those before them are no part of a name.
        """
        found: list[Mention] = []
        given_names = self._given_names()
        for match in _RUN.finditer(sentence):
            words = [_POSSESSIVE.sub("", w) if w.endswith(("'s", "\u2019s", "'", "\u2019"))
                     else w for w in match.group(0).split()]
            words = [w for w in words if w]
            banned = [i for i, w in enumerate(words) if w.strip(".") in self.rules.not_names]
            if banned:  # ``Bolshevik Victor Serge``: the name is what follows
                words = words[banned[-1] + 1:]
            while words and words[0].strip(".") in GENERAL_NOT_NAMES and len(words) > 1:
                words = words[1:]  # ``As Kropotkin``: the name starts after ``As``
            if not words:
                continue
            name = self._name_in_run(words, given_names)
            start = match.start() + match.group(0).find(words[0])
            found.append(Mention(name or "", start, match.end(), name is not None,
                                 " ".join(words)))
        return found

    def _name_in_run(self, words: list[str], given_names: set[str]) -> str | None:
        """The cited name a run of capitalised *words* ends with; ``""`` for a
        person the book does not cite; ``None`` for no person at all."""
        for start in range(len(words) - 1):
            tail = " ".join(words[start:])
            if tail in self.full or tail in self.bodies or tail in self.rules.known or \
                    tail in self.rules.aliases:
                return self.canonical(tail)
        last = words[-1].strip(".")
        while words and words[0].strip(".") in GENERAL_NOT_NAMES:
            words = words[1:]
        if not words:
            return None
        before = words[:-1]
        if last in self.rules.aliases:
            return self.canonical(last) if not before else ""
        cited = last in self.single or fold(last) in self.by_surname
        if not cited:
            # Two or more words starting with a given name: a person we do not know.
            return "" if before and (before[-1] in given_names or is_initials(before[-1])) \
                else None
        if before and (before[-1] in given_names or is_initials(before[-1])):
            name = " ".join([*before[-2:], last]) if len(before) > 1 and \
                is_initials(before[-1]) else f"{before[-1]} {last}"
            return self.canonical(name)
        return self.canonical(last)

    def _given_names(self) -> set[str]:
        if self._given is None:
            self._given = {w for n in self.full for w in n.split()[:-1]
                           if not is_initials(w) and w not in PARTICLES} - GENERAL_NOT_NAMES
        return self._given

    def author_of_work(self, surname: str, title: str) -> str:
        """The one person called *surname* whose bibliography entry is *title*, or ``""``."""
        if self._titles is None:
            self._titles = defaultdict(list)
            for work in self.works:
                self._titles[fold(work.title).casefold().strip(" .,")].extend(work.names)
        people = {self.person(n) for n in self._titles.get(fold(title).casefold().strip(" .,"), [])
                  if fold(surname_of(n)) == fold(surname)}
        return people.pop() if len(people) == 1 else ""

    def variants(self) -> dict[str, list[str]]:
        """Surnames the book gives with more than one full name: for the report."""
        found: dict[str, list[str]] = {}
        for surname, names in self.by_surname.items():
            people = sorted({self.person(n) for n in names})
            if len(people) > 1:
                found[surname] = people
        return found


def given_tokens(name: str) -> list[str]:
    """The given names of *name* as tokens: ``V.I.`` → ``V``, ``I``; ``Pierre-Joseph`` →
    ``Pierre``, ``Joseph``; particles left out."""
    tokens: list[str] = []
    for word in name.split()[:-1]:
        if word in PARTICLES:
            continue
        if is_initials(word):
            tokens += [c for c in word if c.isalpha()]
        else:
            tokens += [fold(p).strip(".") for p in word.split("-") if p.strip(".")]
    return tokens


def _token_fits(a: str, b: str) -> bool:
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def same_person(a: str, b: str) -> bool:
    """Whether full names *a* and *b* (same surname) can be one person: their first
    given names fit (``E.`` fits ``Errico``) and the shorter's given names fit, in
    order, some of the longer's (``Martha Ackelsberg``, ``Martha A. Ackelsberg``)."""
    if fold(surname_of(a)) != fold(surname_of(b)):
        return False
    ta, tb = given_tokens(a), given_tokens(b)
    if not ta or not tb or not _token_fits(ta[0], tb[0]):
        return False
    short, long = sorted((ta, tb), key=len)
    position = 0
    for token in short:
        while position < len(long) and not _token_fits(token, long[position]):
            position += 1
        if position == len(long):
            return False
        position += 1
    return True
