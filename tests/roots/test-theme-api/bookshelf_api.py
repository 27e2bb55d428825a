"""Bookshelf: a small module whose signatures are long on purpose.

Its API page exercises what autodoc pages are made of: long signatures,
many parameters, long type hints and field lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

#: A long name with no break in it, as constants often have: the general index
#: must not grow wider than the screen for it.
DEFAULT_ARRANGEMENT_STRATEGY_FOR_SHELVES_HOLDING_MORE_THAN_ONE_HUNDRED_AND_TWENTY_BOOKS = "by-year"


@dataclass
class ShelfConfiguration:
    """How a shelf of books is arranged and rendered.

    :param arrangement_strategy_identifier: how books are ordered on the shelf.
    :param maximum_books_per_shelf_before_overflow: when a new shelf starts.
    """

    arrangement_strategy_identifier: str = "alphabetical-by-author-then-title"
    maximum_books_per_shelf_before_overflow: int = 120


def render_bookshelf_with_all_the_available_options(
    shelf_configuration: ShelfConfiguration,
    books_grouped_by_section: Mapping[str, Sequence[tuple[str, str, int | None]]],
    *,
    output_formats_requested: Iterable[str] = ("html", "epub", "pdf", "latex", "text"),
    notes_style_per_builder: Mapping[str, str] | None = None,
    progress_callback_for_long_renders: Callable[[int, int, str], None] | None = None,
    internationalisation_language_code: str = "en",
    raise_on_the_first_unresolvable_cross_reference: bool = False,
) -> dict[str, list[tuple[str, int]]]:
    """Render every shelf of the bookshelf in every requested format.

    :param shelf_configuration: the arrangement to use.
    :param books_grouped_by_section: books by section name, each a
        ``(author, title, year)`` triple.
    :param output_formats_requested: Sphinx builder names, in the order to run them.
    :param notes_style_per_builder: ``{"html": "footnotes", "latex": "endnotes"}``.
    :param progress_callback_for_long_renders: called with (done, total, current format).
    :param internationalisation_language_code: a language code such as ``pt_BR``.
    :param raise_on_the_first_unresolvable_cross_reference: stop at the first bad reference.
    :returns: for each format, the pages written and their sizes.
    :raises ValueError: when a requested format is unknown.
    """
    return {}


class Bookshelf:
    """A bookshelf holding books in sections.

    :param name: the shelf's name.
    :param sections: section names, in order.
    """

    def __init__(self, name: str, sections: Sequence[str] = ()) -> None:
        self.name = name
        self.sections = list(sections)

    def find_books_by_author_title_or_year_with_fuzzy_matching(
        self,
        author_name_fragment: str | None = None,
        title_fragment: str | None = None,
        publication_year_range: tuple[int, int] | None = None,
        maximum_edit_distance_for_fuzzy_matching: int = 2,
    ) -> list[tuple[str, str, int | None]]:
        """Books matching every criterion given.

        :param author_name_fragment: part of the author's name.
        :param title_fragment: part of the title.
        :param publication_year_range: first and last year, inclusive.
        :param maximum_edit_distance_for_fuzzy_matching: letters that may differ.
        :returns: ``(author, title, year)`` triples.
        """
        return []
