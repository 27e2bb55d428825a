"""Question numbers: validation, parents, anchors, automatic numbering, order."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sphinx_faq_ext.numbering import (
    anchor_for,
    is_valid_number,
    next_sibling,
    parent_number,
    sort_key,
    split_word,
)

if TYPE_CHECKING:
    from conftest import MakeProject


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


# -- numbers with a word: ``Appendix 1.3`` -----------------------------------------


@pytest.mark.parametrize("number", ["Appendix 1", "Appendix 1.3", "Annex A.2", "Apéndice 4.3.2"])
def test_numbers_with_a_word_are_valid(number: str) -> None:
    assert is_valid_number(number)
    assert split_word(number)[0] == number.split(" ")[0]


@pytest.mark.parametrize("number", ["appendix 1", "APPENDIX 1", "A 1", "Appendix  1",
                                    "Appendix 1.", "Appendix ", "Appendix 1 2", " Appendix 1",
                                    "Appendix-1", "Appendix 1.3 x", "Ap3ndix 1"])
def test_malformed_numbers_with_a_word(number: str) -> None:
    assert not is_valid_number(number)
    assert split_word(number) == ("", number)


def test_a_word_reads_in_the_anchor_and_stays_on_the_tree() -> None:
    assert anchor_for("Appendix 1.3") == "appendix-1-3"
    assert anchor_for("Appendix 4") == "appendix-4"
    assert anchor_for("Annex B.2") == "annex-b-2"
    assert parent_number("Appendix 1.3") == "Appendix 1"
    assert parent_number("Appendix 1") is None
    assert next_sibling("Appendix 1", None) == "Appendix 2"
    assert next_sibling("Appendix A", None) == "Appendix B"
    assert next_sibling(None, "Appendix 2") == "Appendix 2.1"
    assert next_sibling("Appendix 2.9", "Appendix 2") == "Appendix 2.10"
    assert sorted(["Part 1", "Appendix 10", "Appendix 1.2", "J.1", "Appendix 2", "A", "1",
                   "Appendix 1"], key=sort_key) == [
        "1", "A", "J.1", "Appendix 1", "Appendix 1.2", "Appendix 2", "Appendix 10", "Part 1"]
    # a word beyond ASCII: written without accents, and hashed so that it meets no other
    assert re.fullmatch(r"apendice-1--[0-9a-f]{6}", anchor_for("Apéndice 1"))
    assert anchor_for("Apendice 1") == "apendice-1"


_COMPONENT = st.one_of(st.from_regex(r"\A[0-9]{1,3}\Z"), st.from_regex(r"\A[A-Za-z]{1,3}\Z"))
_PLAIN = st.lists(_COMPONENT, min_size=1, max_size=4).map(".".join)
_WORD = st.one_of(
    st.sampled_from(["Appendix", "Annex", "Part", "Apéndice", "Apendice", "Iv", "Qa"]),
    st.from_regex(r"\A[A-Z][a-z]{1,6}\Z"))
_WORDED = st.tuples(_WORD, _PLAIN).map(" ".join)
_ANY = st.one_of(_PLAIN, _WORDED)


def _the_one_pair_that_meets(a: str, b: str) -> bool:
    """``Part 1`` and ``PART.1``: documented in :func:`anchor_for`, renamed by the domain."""
    for worded, plain in ((a, b), (b, a)):
        word, rest = split_word(worded)
        if word and plain == f"{word.upper()}.{rest}":
            return True
    return False


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@example(a="Apéndice 1", b="Apendice 1")
@example(a="Appendix a.1", b="Appendix A.1")
@example(a="Appendix 1", b="q.1")
@given(a=_ANY, b=_ANY)
def test_distinct_numbers_get_distinct_anchors(a: str, b: str) -> None:
    assert is_valid_number(a) and is_valid_number(b)
    for number in (a, b):
        assert re.fullmatch(r"[a-z][a-z0-9-]*", anchor_for(number)), number
    if a != b and anchor_for(a) == anchor_for(b):
        assert _the_one_pair_that_meets(a, b), (a, b)


@example(word="Appendix", rest="1")
@given(word=_WORD, rest=_PLAIN)
def test_a_word_belongs_to_the_whole_tree(word: str, rest: str) -> None:
    number = f"{word} {rest}"
    assert split_word(number) == (word, rest)
    parent = parent_number(number)
    assert parent == (f"{word} {parent_number(rest)}" if parent_number(rest) else None)
    assert split_word(next_sibling(number, parent))[0] == word
    child = next_sibling(None, number)
    assert parent_number(child) == number and is_valid_number(child)
    # after every number without a word, and in the order of the rest among its own
    assert sort_key(rest) < sort_key(number)
    assert (sort_key(number) < sort_key(child)) == (sort_key(rest) < sort_key(f"{rest}.1"))
    if (rest.isupper() or not any(c.isalpha() for c in rest)) and word.isascii():
        assert anchor_for(number) == f"{word.lower()}-" + anchor_for(rest).removeprefix("q-")


# -- in a build ---------------------------------------------------------------------

_APPENDIX = """# Book

::::{faq:question} The Symbols of Anarchy
:number: Appendix 1

See {faq:ref}`Appendix 1.2` and {faq:ref}`the flag <Appendix 1.1>`.

:::{faq:question} What is the history of the Black Flag?
Black.{faq:note}`*Anarchy*, p. 1`
:::

:::{faq:question} Why red and black?
Red.
:::
::::

:::{faq:question} The Russian Revolution
Told again.
:::

```{faq:index}
:branch: Appendix 1
```
"""


def test_a_book_with_appendix_numbers_builds_clean(make_project: MakeProject) -> None:
    from conftest import warnings_of

    app = make_project({"index.md": _APPENDIX})
    app.build()
    assert warnings_of(app) == ""
    html = (app.outdir / "index.html").read_text("utf8")
    for anchor, number in (("appendix-1", "Appendix 1"), ("appendix-1-1", "Appendix 1.1"),
                           ("appendix-1-2", "Appendix 1.2"), ("appendix-2", "Appendix 2")):
        assert re.search(rf'<section class="faq-question[^"]*" id="{anchor}">', html), anchor
        assert f'<span class="faq-number">{number}</span>' in html
    assert 'href="#appendix-1-2"' in html and ">Appendix 1.2</span>" in html
    assert re.search(r'href="#appendix-1-1"[^>]*>.*?the flag', html, re.DOTALL)
    # the index of the branch lists the appendix's two questions, with their numbers
    index = html[html.index('class="faq-index'):]
    assert index.index("Appendix 1.1") < index.index("Appendix 1.2")
    assert "Appendix 2" not in index[:index.index("</ul>")]


def test_malformed_numbers_with_a_word_warn_where_they_are(make_project: MakeProject) -> None:
    from conftest import warnings_of

    app = make_project({"index.md": "# Book\n\n:::{faq:question} Shouted\n:number: APPENDIX 1\n"
                                    "Kept.\n:::\n\n:::{faq:question} Small\n"
                                    ":number: appendix 2.1\nAlso kept.\n:::\n"})
    app.build()
    warnings = warnings_of(app)
    assert re.search(r"index\.md:3: WARNING: malformed question number 'APPENDIX 1'.*"
                     r"Appendix 1\.3.*\[faq\.malformed-number\]", warnings), warnings
    assert re.search(r"index\.md:8: WARNING: malformed question number 'appendix 2\.1'",
                     warnings), warnings
    html = (app.outdir / "index.html").read_text("utf8")
    assert "Kept." in html and "Also kept." in html


def test_the_one_anchor_pair_that_meets_is_warned(make_project: MakeProject) -> None:
    from conftest import warnings_of

    app = make_project({
        "index.md": "# Book\n\n```{toctree}\na\nb\n```\n",
        "a.md": "# A\n\n:::{faq:question} Worded\n:number: Part 1\nOne.\n:::\n",
        "b.md": "# B\n\n:::{faq:question} Shouted\n:number: PART.1\nTwo.\n:::\n",
    })
    app.build()
    warnings = warnings_of(app)
    assert re.search(r"b\.md:3: WARNING: FAQ question numbers PART\.1 and Part 1 \(a\.md, line 3\)"
                     r" share the anchor part-1.*\[faq\.anchor-clash\]", warnings), warnings
