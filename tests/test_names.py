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
