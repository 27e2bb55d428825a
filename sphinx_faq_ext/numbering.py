"""Question numbers: parsing, anchors derived from them, and automatic numbering.

A number is a dot-separated path such as ``A.2.6``.  Each component is either a
decimal integer or a run of letters; the parent of ``A.2.6`` is ``A.2``.
"""

from __future__ import annotations

import re

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
    purely numeric number gets a ``q-`` prefix.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", number.lower()).strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"q-{slug}"
    return slug


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
        return str(int(component) + 1).zfill(len(component))
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
        return match.group(1) + str(int(match.group(2)) + 1)
    return component + "1"


def sort_key(number: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order: ``A.2.10`` after ``A.2.9``; numbers before letters."""
    parts: list[tuple[int, int | str]] = []
    for part in number.split("."):
        parts.append((0, int(part)) if part.isdigit() else (1, part.lower()))
    return tuple(parts)
