"""Break points in long identifiers (theme/identifiers.py), without a browser.

Where the browser may wrap them is checked in Chromium by
``test_theme_api_browser.test_identifiers_break_only_between_their_parts``.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from sphinx_faq_ext.theme.identifiers import break_points, identifier_breaks, index_entry


def parts(word: str) -> list[str]:
    points = [0, *break_points(word), len(word)]
    return [word[a:b] for a, b in pairwise(points)]


@pytest.mark.parametrize(
    ("word", "expected"),
    [("find_books_by_author", ["find_", "books_", "by_", "author"]),
     ("AttrsAttributeNotFoundError", ["Attrs", "Attribute", "Not", "Found", "Error"]),
     ("HTMLCatalogueRenderer", ["HTML", "Catalogue", "Renderer"]),
     ("bookshelf_api.Bookshelf", ["bookshelf_", "api.", "Bookshelf"]),
     ("__init_subclass__", ["__init_", "subclass__"]),
     ("isbn13Parser", ["isbn13", "Parser"]),
     ("lowercase", ["lowercase"])],
)
def test_break_points(word: str, expected: list[str]) -> None:
    assert parts(word) == expected


def test_breaks_in_code_and_parameter_names_only() -> None:
    html = ('<p>A_long_paragraph_word <strong>Important</strong> '
            '<strong>maximum_books_per_shelf</strong> <code><span class="pre">'
            'render_bookshelf(&quot;a_b&quot;)</span></code></p>')
    assert str(identifier_breaks(html)) == (
        '<p>A_long_paragraph_word <strong>Important</strong> '
        '<strong>maximum_<wbr>books_<wbr>per_<wbr>shelf</strong> <code><span class="pre">'
        'render_<wbr>bookshelf(&quot;a_b&quot;)</span></code></p>')


def test_short_words_and_entities_are_left_whole() -> None:
    html = '<span class="pre">added_eq</span><span class="pre">&lt;a_b&gt;_value_of_it</span>'
    assert str(identifier_breaks(html)) == (
        '<span class="pre">added_eq</span>'
        '<span class="pre">&lt;a_b&gt;_value_<wbr>of_<wbr>it</span>')


def test_index_entry_keeps_its_qualifier_together() -> None:
    assert str(index_entry("added_eq (bookshelf_api.CatalogueEntry attribute)")) == (
        'added_eq <span class="faq-genindex-qualifier">'
        "(bookshelf_<wbr>api.<wbr>Catalogue<wbr>Entry attribute)</span>")
    assert str(index_entry("a<b> (x")) == "a&lt;b&gt; (x"
