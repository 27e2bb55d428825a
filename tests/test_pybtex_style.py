"""The fast path for plain BibTeX values gives what pybtex's ``Text.from_latex`` gives.

``transforms.pybtex_style.from_latex`` skips latexcodec's decoder when a value
has nothing for it to decode.  Each value below (and each value Hypothesis makes
from letters, spaces, punctuation and LaTeX's special characters) is read both
ways: wherever the guard lets a value through, the texts must be equal, in
their parts as well as rendered.
"""

from __future__ import annotations

import codecs

import latexcodec  # noqa: F401 - registers the "ulatex" codec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.richtext import Text

from sphinx_faq_ext.transforms import pybtex_style
from sphinx_faq_ext.transforms.pybtex_style import from_latex

PLAIN = [
    "{The Anarchists in the Russian Revolution}",
    "Thames and Hudson Ltd, London, 1973",
    "{Quiet Rumours: An Anarcha-Feminist Reader}",
    "Émile Pouget's {Le Père Peinard}, 1889-1890",
    "What is Property? {An Inquiry}!",
    "http://www.example.org/a/b.html",
    "",
]
SPECIAL = [
    "Routledge \\& Kegan Paul", "Volume 1 -- From Anarchy", "a\\_b", "199704--.htm",
    "``quoted''", "it's ''so''", "a~b", "50% off", "$x$", "$-$", ",,low", "!`Hola!",
    "?`Qué?", "<<guillemets>>", "a  b", " lead", "trail ", "line\nbreak", "tab\there",
    "{\\'E}mile", "\\emph{x}",
]


def same(value: str) -> None:
    fast, slow = from_latex(value), Text.from_latex(value)
    assert fast == slow, value
    assert repr(fast) == repr(slow), value
    for backend in ("text", "html", "latex"):
        assert fast.render_as(backend) == slow.render_as(backend), (value, backend)


@pytest.mark.parametrize("value", PLAIN)
def test_plain_values_take_the_fast_path(value: str) -> None:
    assert not pybtex_style._LATEX_SPECIAL.search(value)
    same(value)


@pytest.mark.parametrize("value", SPECIAL)
def test_values_the_decoder_changes_are_left_to_it(value: str) -> None:
    assert pybtex_style._LATEX_SPECIAL.search(value)
    same(value)


ALPHABET = st.sampled_from(
    [*"abcXYZ019 ,.;:!?'\"`-~$%&#^_<>(){}[]/\\\t\n",
     "é", "ß", "\u2019", "\u201c", "\u2013", "\u00a0"]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(ALPHABET, max_size=12).map("".join))
def test_generated_values(value: str) -> None:
    if pybtex_style._LATEX_SPECIAL.search(value):
        return
    try:
        decoded = codecs.decode(value, "ulatex")
    except UnicodeDecodeError:  # pragma: no cover - the guard lets no such value through
        pytest.fail(f"undecodable value let through: {value!r}")
    assert decoded == value
    try:
        slow = Text.from_latex(value)
    except Exception as error:  # unbalanced braces: both ways must fail alike
        with pytest.raises(type(error)):
            from_latex(value)
        return
    assert from_latex(value) == slow


NAMES = [
    "Errico Malatesta", "Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin",
    "de Last, Jr., First Middle", "{Dawn Collective}", "Émile Pouget", "P.-J. Proudhon",
    "Noam Chomsky and Edward S. Herman", "K{\\\"o}nig, Hans", "Mary~Smith", "{A}nonymous",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("abbr", [False, True])
def test_plain_names_format_as_pybtex_plain(name: str, abbr: bool) -> None:
    from pybtex.database import Person
    from pybtex.style.names.plain import NameStyle

    person = Person(name)
    fast = pybtex_style.PlainNames().format(person, abbr).format()
    slow = NameStyle().format(person, abbr).format()
    assert repr(fast) == repr(slow)
    for backend in ("text", "html", "latex"):
        assert fast.render_as(backend) == slow.render_as(backend)


def test_notes_style_uses_the_fast_names_only_for_plain() -> None:
    assert isinstance(pybtex_style.NotesStyle().name_style, pybtex_style.PlainNames)
    other = pybtex_style.NotesStyle(name_style="lastfirst").name_style
    assert not isinstance(other, pybtex_style.PlainNames)


def test_an_entry_formatted_twice_in_a_row_is_formatted_once() -> None:
    """sphinxcontrib-bibtex's list and tooltip: two styles, the same entry and label."""
    from pybtex.database import parse_string

    bib = parse_string(
        "@book{a, author = {Errico Malatesta}, title = {Anarchy}, year = {1974}}\n"
        "@book{b, author = {Peter Kropotkin}, title = {Mutual Aid}}\n", "bibtex")
    first, second = pybtex_style.NotesStyle(), pybtex_style.NotesStyle()
    entry_a, entry_b = bib.entries["a"], bib.entries["b"]
    list_form = first.format_entry("1", entry_a)
    assert second.format_entry("1", entry_a) is list_form
    assert second.format_entry("2", entry_a) is not list_form  # another label
    other = second.format_entry("1", entry_b)
    assert other.text.render_as("text") == "Peter Kropotkin, Mutual Aid"
    again = first.format_entry("1", entry_a)  # not the last one any more: formatted anew
    assert again is not list_form
    assert again.text.render_as("html") == list_form.text.render_as("html")
    assert "Anarchy" in again.text.render_as("text")
