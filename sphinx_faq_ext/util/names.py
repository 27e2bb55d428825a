"""Personal names as a book's index of names wants them: ``Malatesta, Errico``.

Parsing uses pybtex's BibTeX name grammar, which knows ``von`` parts and
``Last, First`` input, so authors written either way sort by surname.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pybtex.database import Person
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text

#: Text in which LaTeX decodes nothing: letters, digits, spaces, ``.``, ``,``
#: and ``-``, none doubled (``--`` is a dash, ``,,`` a low quote, spaces
#: collapse).  Decoding costs little, but the first one loads pybtex's plugins,
#: a scan of every installed package.
_NOTHING_TO_DECODE = re.compile(r"(?!.*(?:--|,,|  ))[^\W_](?:[^\W_]|[ .,-])*")


def _plain(parts: list[str]) -> str:
    """BibTeX name parts as plain text (braces and accents decoded)."""
    text = " ".join(parts)
    if not text or _NOTHING_TO_DECODE.fullmatch(text):
        return text
    return Text.from_latex(text).render_as("text")


#: A trailing remark such as ``(a.k.a. B. Traven)``: kept, but not parsed.
_REMARK = re.compile(r"\s*(\([^()]*\))\s*$")
#: ``Martin Luther King, Jr.``: a natural-order name with a lineage.
_LINEAGE = re.compile(r"^([^,]+),\s*(Jr\.?|Sr\.?|[IVX]+)$")


@lru_cache(maxsize=4096)
def _split(name: str) -> tuple[str, str]:
    """``(surname, given names)`` of *name*; unparsable names are all surname."""
    remark = ""
    match = _REMARK.search(name)
    if match and match.start() > 0:
        remark, name = f" {match.group(1)}", name[: match.start()]
    lineage = _LINEAGE.match(name)
    if lineage:  # BibTeX would read "King, Jr." as "Last, First"
        head, _sep, last = lineage.group(1).rpartition(" ")
        name = f"{last}, {lineage.group(2)}, {head}" if head else name
    try:
        person = Person(name)
        surname = _plain([*person.prelast_names, *person.last_names])
        given = _plain([*person.first_names, *person.middle_names])
        if person.lineage_names:
            given = f"{given}, {_plain(person.lineage_names)}" if given else ""
    except (PybtexError, ValueError):
        # Unbalanced braces ("{Foo") and the like: not a BibTeX name at all.
        return name + remark, ""
    if not surname or not _same_words(name, f"{surname} {given}"):
        # Names are plain text, not LaTeX: where BibTeX's reading loses or
        # changes characters ("100% #1", "{}", "~"), keep the name as written.
        return name + remark, ""
    if given:
        return surname, given + remark
    return surname + remark, ""


def _same_words(original: str, parsed: str) -> bool:
    """Whether *parsed* holds the same words as *original*, in any order."""
    def words(text: str) -> list[str]:
        return sorted(text.replace(",", " ").split())

    return words(original) == words(parsed)


def inverted_name(name: str) -> str:
    """``Errico Malatesta`` -> ``Malatesta, Errico`` (a single name stays as is)."""
    name = " ".join(name.split())
    surname, given = _split(name)
    return f"{surname}, {given}" if given else surname


def surname(name: str) -> str:
    """``Errico Malatesta`` -> ``Malatesta``."""
    return _split(" ".join(name.split()))[0]


def name_sort_key(name: str) -> tuple[str, str]:
    """Surname first, case-insensitive: ``von Neumann`` sorts under ``v``."""
    surname_part, given = _split(" ".join(name.split()))
    return surname_part.casefold(), given.casefold()


def index_entry(name: str) -> str:
    """The name as an index entry: inverted, with ``;`` and ``!`` made harmless.

    Sphinx splits ``single`` entries at ``;`` and LaTeX's makeindex/xindy
    treat ``!``, ``@`` and ``|`` as syntax; Sphinx escapes the latter, but a
    semicolon in a name would silently create a sub-entry.
    """
    return inverted_name(name).replace(";", ",")
