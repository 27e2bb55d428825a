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

    def arrange_books_with_strategy(self, strategy: str) -> None:
        """Order the books with the named strategy.

        :param strategy: a strategy name, such as ``"by-year"``.
        :raises BookshelfArrangementStrategyNotFoundError: for an unknown name.
        """


class BookshelfError(Exception):
    """Base class of the errors this module raises."""


class BookshelfArrangementStrategyNotFoundError(BookshelfError, LookupError):
    """No arrangement strategy of that name: a long exception name, as libraries have.

    Raised by :meth:`Bookshelf.arrange_books_with_strategy` and caught by
    :func:`render_bookshelf_with_all_the_available_options`.
    """


class ShelfOverflowError(BookshelfError):
    """A shelf holds more than the ``maximum_books_per_shelf_before_overflow`` of its
    :class:`ShelfConfiguration`."""


class CatalogueEntry:
    """One book in the catalogue, compared field by field.

    The :attr:`added_eq` flag and the :meth:`__init_subclass__` hook have
    underscores that a link's underline must not hide, and so do
    :meth:`catalogue_entry_from_isbn_13` and
    :data:`DEFAULT_ARRANGEMENT_STRATEGY_FOR_SHELVES_HOLDING_MORE_THAN_ONE_HUNDRED_AND_TWENTY_BOOKS`.

    :param author: the author, as printed on the title page.
    :param title: the title.
    :param year: the year of publication, if known.
    """

    #: Whether ``__eq__`` was added by the class decorator.
    added_eq: bool = True

    #: Whether ``__hash__`` was added too.
    added_hash: bool = False

    def __init__(self, author: str, title: str, year: int | None = None) -> None:
        self.author = author
        self.title = title
        self.year = year

    def __init_subclass__(cls, **kwargs: object) -> None:
        """Register a subclass of catalogue entries (``__init_subclass__``)."""

    @classmethod
    def catalogue_entry_from_isbn_13(cls, isbn: str) -> CatalogueEntry:
        """An entry looked up by its ISBN-13.

        :param isbn: thirteen digits, with or without hyphens.
        :raises BookshelfArrangementStrategyNotFoundError: never, but documented.
        """
        return cls("", "")

    @property
    def sort_key(self) -> tuple[str, str, int]:
        """The key books are sorted by: author, title, year."""
        return (self.author, self.title, self.year or 0)

    def matches(self, fragment: str) -> bool:
        """Whether *fragment* occurs in the author or the title.

        :param fragment: text to look for, case-insensitive.
        """
        return fragment.lower() in f"{self.author} {self.title}".lower()

    def to_dict(self) -> dict[str, object]:
        """The entry as a JSON-ready dictionary."""
        return {"author": self.author, "title": self.title, "year": self.year}


class HTMLCatalogueRenderer:
    """Renders a catalogue as HTML (a name with an acronym: ``HTML|Catalogue|Renderer``).

    :param entries: the entries to render, in order.
    :param columns: how many columns of entries a page has.
    """

    def __init__(self, entries: Iterable[CatalogueEntry], columns: int = 2) -> None:
        self.entries = list(entries)
        self.columns = columns

    def render(self) -> str:
        """The catalogue as one HTML document."""
        return ""

    def render_entry(self, entry: CatalogueEntry) -> str:
        """One entry as an HTML list item.

        :param entry: the entry.
        """
        return ""
