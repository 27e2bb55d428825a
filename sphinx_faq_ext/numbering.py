"""Question numbers: parsing, anchors derived from them, and automatic numbering.

A number is a dot-separated path such as ``A.2.6``.  Each component is either a
decimal integer or a run of letters; the parent of ``A.2.6`` is ``A.2``.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Container

NUMBER_RE = re.compile(r"^[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*$")


def is_valid_number(number: str) -> bool:
    """Whether *number* is a well-formed question number (``A.2.6``, ``3.1``)."""
    return bool(NUMBER_RE.match(number))


def parent_number(number: str) -> str | None:
    """``A.2.6`` -> ``A.2``; a top-level number has no parent."""
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
    """
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
    ``A.2.1``; letters count on (``A`` -> ``B``, ``Z`` -> ``AA``).
    """
    if previous is None:
        return f"{parent}.1" if parent else "1"
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
    """
    parts: list[tuple[int, int, str]] = []
    for part in number.split("."):
        if part.isdigit():
            value = part.lstrip("0") or "0"
            parts.append((0, len(value), value))
        else:
            parts.append((1, 0, part.lower() + "\0" + part))
    return tuple(parts)
