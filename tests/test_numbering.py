"""Question numbers: validation, parents, anchors, automatic numbering, order."""

from __future__ import annotations

import pytest

from sphinx_faq_ext.numbering import (
    anchor_for,
    is_valid_number,
    next_sibling,
    parent_number,
    sort_key,
)


@pytest.mark.parametrize("number", ["A", "A.2", "A.2.6", "3.1.4", "II.b"])
def test_valid_numbers(number: str) -> None:
    assert is_valid_number(number)


@pytest.mark.parametrize("number", ["", "A..2", ".A", "A.", "A 2", "A.2/6", "é.1"])
def test_malformed_numbers(number: str) -> None:
    assert not is_valid_number(number)


def test_parent() -> None:
    assert parent_number("A.2.6") == "A.2"
    assert parent_number("A") is None


@pytest.mark.parametrize(
    ("number", "anchor"), [("A.2.6", "a-2-6"), ("3.1", "q-3-1"), ("B", "b"), ("IV.10", "iv-10")]
)
def test_anchor_depends_on_the_number_only(number: str, anchor: str) -> None:
    assert anchor_for(number) == anchor


@pytest.mark.parametrize(
    ("previous", "parent", "expected"),
    [
        (None, "A.2", "A.2.1"),
        ("A.2.5", "A.2", "A.2.6"),
        ("A.2.9", "A.2", "A.2.10"),
        ("A", None, "B"),
        ("Z", None, "AA"),
        ("b", None, "c"),
        (None, None, "1"),
        ("07", None, "08"),
        ("2a", None, "2a1"),
        ("x9", None, "x10"),
    ],
)
def test_next_sibling(previous: str | None, parent: str | None, expected: str) -> None:
    assert next_sibling(previous, parent) == expected


def test_natural_order() -> None:
    numbers = ["A.10", "A.2", "B", "A.2.6", "A", "1", "A.9"]
    assert sorted(numbers, key=sort_key) == ["1", "A", "A.2", "A.2.6", "A.9", "A.10", "B"]
