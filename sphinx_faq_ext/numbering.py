"""Question numbers: parsing, anchors derived from them, and automatic numbering.

A number is a dot-separated path such as ``A.2.6``.  Each component is either a
decimal integer or a run of letters; the parent of ``A.2.6`` is ``A.2``.

A number may start with a word naming the kind of part it is in, then one
space: ``Appendix 1.3``.  The word is capitalised (an upper-case letter, then
lower-case ones: ``Appendix``, ``Annex``, ``Anhang``) and belongs to the whole
tree: the parent of ``Appendix 1.3`` is ``Appendix 1``, its anchor
``appendix-1-3``, and such numbers sort after the numbers without a word.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Container

NUMBER_RE = re.compile(r"^[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*$")
#: A number after a word and one space: ``Appendix 1.3``.
_WORDED = re.compile(r"^([^\W\d_]+) ([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)$")


def split_word(number: str) -> tuple[str, str]:
    """``Appendix 1.3`` -> ``("Appendix", "1.3")``; a number without a word -> ``("", number)``.

    The word must be capitalised (``Appendix``, not ``APPENDIX`` or ``appendix``)
    and at least two letters long; otherwise the number is not split (and not
    valid).
    """
    match = _WORDED.match(number)
    if match and is_word(match.group(1)):
        return match.group(1), match.group(2)
    return "", number


def is_word(word: str) -> bool:
    """Whether *word* can name the part of a number: ``Appendix``, ``Annexe``, ``Apéndice``."""
    return len(word) >= 2 and word.isalpha() and word[0].isupper() and word[1:].islower()


def is_valid_number(number: str) -> bool:
    """Whether *number* is a well-formed question number (``A.2.6``, ``3.1``,
    ``Appendix 1.3``)."""
    return bool(NUMBER_RE.match(number)) or bool(split_word(number)[0])


def parent_number(number: str) -> str | None:
    """``A.2.6`` -> ``A.2``, ``Appendix 1.3`` -> ``Appendix 1``; a top-level number
    (``A``, ``Appendix 1``) has no parent."""
    head, sep, _ = number.rpartition(".")
    return head if sep else None


def anchor_for(number: str) -> str:
    """A stable HTML id derived from the number only: ``A.2.6`` -> ``a-2-6``.

    Ids must start with a letter for every writer we target (LaTeX labels and
    ePub XHTML are happy either way, but docutils' ``make_id`` is not), so a
    number starting with a digit gets a ``q-`` prefix: ``3.1`` -> ``q-3-1``.

    Distinct numbers get distinct anchors.  Ids are lower case, so a number
    written with lower-case letters (``b``, ``a.1``) would meet its upper-case
    twin: it gets a ``--`` and a short hash of the exact number (``b--e9d71f``);
    a number whose first component is ``Q`` also gets the ``q-`` prefix
    (``Q.1`` -> ``q-q-1``), so it cannot meet ``1``.  An ordinary number
    (upper-case letters and digits) keeps its plain anchor.

    A number with a word reads as it is written: ``Appendix 1.3`` ->
    ``appendix-1-3``.  A word with letters beyond ASCII is written without
    their accents and gets the hash (``Apéndice 1`` -> ``apendice-1--…``), so
    that ``Apendice 1`` keeps its own.  One pair can still meet: a number with
    a word and a number whose first component is that word in capitals
    (``Part 1`` and ``PART.1``, both ``part-1``): the domain warns
    (``faq.anchor-clash``) and, in outputs that merge documents, gives the
    later one ``--2``, as it does for a duplicate number.
    """
    word, rest = split_word(number)
    if word:
        folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
        folded = re.sub(r"[^a-z]+", "", folded) or "q"
        slug = folded + "-" + re.sub(r"[^a-z0-9]+", "-", rest.lower()).strip("-")
        if folded != word.lower() or any(char.islower() for char in rest):
            slug += "--" + hashlib.sha1(number.encode("utf-8")).hexdigest()[:6]
        return slug
    slug = re.sub(r"[^a-z0-9]+", "-", number.lower()).strip("-")
    first = number.partition(".")[0]
    if not slug or not slug[0].isalpha() or first.upper() == "Q":
        slug = f"q-{slug}"
    if any(char.islower() for char in number):
        digest = hashlib.sha1(number.encode("utf-8")).hexdigest()[:6]
        slug = f"{slug}--{digest}"
    return slug


def unique_anchor(anchor: str, taken: Container[str]) -> str:
    """*anchor*, or ``anchor--2``, ``anchor--3`` … when *taken* holds it.

    Ordinary anchors never contain ``--``, hashed ones end in six hex digits.
    """
    if anchor not in taken:
        return anchor
    count = 2
    while f"{anchor}--{count}" in taken:
        count += 1
    return f"{anchor}--{count}"


def next_sibling(previous: str | None, parent: str | None) -> str:
    """The number following *previous* among the children of *parent*.

    ``next_sibling("A.2.5", "A.2") == "A.2.6"``; the first child of ``A.2`` is
    ``A.2.1``; letters count on (``A`` -> ``B``, ``Z`` -> ``AA``); a word stays
    (``Appendix 1`` -> ``Appendix 2``).
    """
    if previous is None:
        return f"{parent}.1" if parent else "1"
    word, rest = split_word(previous)
    if word:
        return f"{word} {next_sibling(rest, None)}"
    head, sep, last = previous.rpartition(".")
    return f"{head}{sep}{_increment(last)}"


def _increment(component: str) -> str:
    if component.isdigit():
        return _add_one(component)
    if component.isalpha():
        upper = component.isupper()
        value = 0
        for char in component.upper():
            value = value * 26 + (ord(char) - 64)
        value += 1
        letters = ""
        while value:
            value, rem = divmod(value - 1, 26)
            letters = chr(65 + rem) + letters
        return letters if upper else letters.lower()
    # Mixed components such as "2a": count on the trailing digits if any.
    match = re.match(r"^(.*?)(\d+)$", component)
    if match:
        return match.group(1) + _add_one(match.group(2)).lstrip("0")
    return component + "1"


def _add_one(digits: str) -> str:
    """``"09"`` -> ``"10"``, in decimal string arithmetic.

    ``int()`` refuses strings of more than 4300 digits (CVE-2020-10735), and a
    ``:number:`` is author input of any length.
    """
    head = digits.rstrip("9")
    nines = len(digits) - len(head)
    if not head:
        return "1" + "0" * nines
    return head[:-1] + str(int(head[-1]) + 1) + "0" * nines


def sort_key(number: str) -> tuple[tuple[int, int, str], ...]:
    """Natural order: ``A.2.10`` after ``A.2.9``; numbers before letters.

    A decimal component compares by its length without leading zeros, then
    as text: the integer order without converting (:func:`_add_one`).  Letters
    compare case-insensitively, then by case, so ``b`` and ``B`` keep one order.
    Numbers with a word come after those without, by word, then as the rest:
    ``J.1`` < ``Appendix 1`` < ``Appendix 1.2`` < ``Appendix 10`` < ``Part 1``.
    """
    word, rest = split_word(number)
    if word:
        return ((2, 0, word.lower() + "\0" + word), *sort_key(rest))
    parts: list[tuple[int, int, str]] = []
    for part in number.split("."):
        if part.isdigit():
            value = part.lstrip("0") or "0"
            parts.append((0, len(value), value))
        else:
            parts.append((1, 0, part.lower() + "\0" + part))
    return tuple(parts)
