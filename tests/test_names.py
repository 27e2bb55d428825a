"""Index-of-names entries never lose characters of the name as written."""

from __future__ import annotations

import pytest

from sphinx_faq_ext.util.names import inverted_name


@pytest.mark.parametrize(
    ("name", "inverted"),
    [
        ("Errico Malatesta", "Malatesta, Errico"),
        ("Malatesta, Errico", "Malatesta, Errico"),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Ret Marut (a.k.a. B. Traven)", "Marut, Ret (a.k.a. B. Traven)"),
        # BibTeX would read these as LaTeX and drop "% #1", "{}" and "~"
        ("Jean-Paul & Co. 100% #1 \\textbf{x} ~^_$ {}",) * 2,
        ("Ana {Lopez} Garcia", "Ana {Lopez} Garcia"),
    ],
)
def test_inverted_name_keeps_every_character(name: str, inverted: str) -> None:
    assert inverted_name(name) == inverted


@pytest.mark.parametrize("text", [
    "Errico Malatesta", "Émile Pouget", "Jean-Paul", "Le Guin, Ursula K.", "a.,,", "a--b",
    "a  b", "x~y", "{\\'E}mile", "``q''", "1984", "a,,b", "a -- b", "x ", "a.-b",
])
def test_plain_text_of_name_parts_is_what_latex_decoding_gives(text: str) -> None:
    # The shortcut for text with nothing to decode must not change the result.
    from pybtex.richtext import Text

    from sphinx_faq_ext.util.names import _plain

    parts = text.split(" ")
    assert _plain(parts) == Text.from_latex(" ".join(parts)).render_as("text")
