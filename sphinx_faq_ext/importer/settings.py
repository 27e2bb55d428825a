"""A book's import settings: what no general rule can know, read from a TOML file.

``sphinx-faq-ext import --settings FILE`` reads *FILE* into :class:`BookSettings`.
Everything the importer can find by itself (reading order, contents page, numbers,
navigation of the common generators) stays a general rule in the package; the
settings file holds only what one book needs::

    title = "An Anarchist FAQ"
    author = "The Anarchist FAQ Editorial Collective"
    language = "en"
    date = "2019-11-26"
    epub_identifier = "urn:isbn:9781902593906"
    contents = "book.html"           # the book's own contents page
    skip = ["contact.html"]          # web-site pages that are no part of the book
    navigation = ["div.book-navigation"]   # extra navigation blocks (tag.class or .class)

    [numbers]                        # page name -> the number its questions take
    "append2.html" = "Appendix 1"    # (its questions: Appendix 1.1, Appendix 1.2 …)

    [[volumes]]                      # what faq_pdf_volumes gets, by source page
    title = "Volume 1"
    pages = ["secAcon.html", "secFcon.html"]   # from the first page to the last

    [authors]                        # passed through untouched to the author rules
    ...

An unknown key is an error naming the file and the key: a misspelt setting must
not be silently ignored.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sphinx_faq_ext.numbering import is_valid_number


class SettingsError(ValueError):
    """A settings file that cannot be used: the message names the file and the key."""


@dataclass(frozen=True)
class Volume:
    """One printed volume: its title and the source pages it runs from and to."""

    title: str
    first: str
    last: str


@dataclass(frozen=True)
class BookSettings:
    """The settings of one book; every field has a default that works without a file."""

    #: The book's title, author(s) and language, for ``conf.py``.
    title: str = ""
    author: str = ""
    language: str = ""
    #: The edition's date (``YYYY`` or ``YYYY-MM-DD``): copyright line and ePub date.
    date: str = ""
    #: The edition's version (``15.3``): ``release`` in ``conf.py``, printed on the
    #: title pages; empty, the book has no version line (its date dates it).
    version: str = ""
    #: A stable identifier for the ePub (``urn:isbn:…``, ``urn:uuid:…``, a URL).
    epub_identifier: str = ""
    #: The page whose links give the book's order (found by a rule when empty).
    contents: str = ""
    #: Source pages that are no part of the book (a web site's contact page …).
    skip: tuple[str, ...] = ()
    #: Navigation blocks particular to this book's site, beyond the general ones.
    navigation: tuple[str, ...] = ()
    #: Page name → the number prefix its questions take (overrides the rule).
    numbers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: The printed volumes, for ``faq_pdf_volumes``.
    volumes: tuple[Volume, ...] = ()
    #: The ``[authors]`` table, untouched: read by the author rules.
    authors: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: The file these settings came from (empty: defaults).
    path: str = ""

    def layered(self, *, contents: str = "", title: str = "", author: str = "",
                language: str = "") -> BookSettings:
        """These settings with the values given laid over them (the command line's
        ``--start``, ``--title`` … win over the file's); an empty value keeps the file's."""
        return replace(self, contents=contents or self.contents, title=title or self.title,
                       author=author or self.author, language=language or self.language)


_STRINGS = ("title", "author", "language", "date", "version", "epub_identifier", "contents")
_LISTS = ("skip", "navigation")
KEYS = frozenset(f.name for f in fields(BookSettings)) - {"path"}


def load_settings(path: Path) -> BookSettings:
    """The settings in the TOML file at *path*; :class:`SettingsError` when unusable."""
    where = str(path)
    try:
        data = tomllib.loads(path.read_text("utf8"))
    except OSError as error:
        raise SettingsError(f"{where}: cannot read the settings file: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{where}: not valid TOML: {error}") from error
    return settings_from(data, where)


def settings_from(data: Mapping[str, Any], where: str = "<settings>") -> BookSettings:
    """:class:`BookSettings` from the parsed TOML table *data* (*where* names its file)."""
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise SettingsError(f"{where}: unknown setting {unknown[0]!r} "
                            f"(known: {', '.join(sorted(KEYS))})")
    values: dict[str, Any] = {"path": where}
    for key in _STRINGS:
        if key in data:
            values[key] = _string(data[key], where, key)
    for key in _LISTS:
        if key in data:
            value = data[key]
            if not isinstance(value, list):
                raise SettingsError(f"{where}: {key!r} must be a list of strings")
            values[key] = tuple(_string(v, where, key) for v in value)
    if "numbers" in data:
        table = _table(data["numbers"], where, "numbers")
        values["numbers"] = MappingProxyType(
            {str(page): _number(number, where, f"numbers.{page}")
             for page, number in table.items()})
    if "volumes" in data:
        values["volumes"] = tuple(_volume(v, where, i) for i, v in
                                  enumerate(_list(data["volumes"], where, "volumes")))
    if "authors" in data:
        values["authors"] = MappingProxyType(dict(_table(data["authors"], where, "authors")))
    return BookSettings(**values)


def _string(value: object, where: str, key: str) -> str:
    if not isinstance(value, str):
        raise SettingsError(f"{where}: {key!r} must be a string, not {type(value).__name__}")
    return value


def _number(value: object, where: str, key: str) -> str:
    number = _string(value, where, key)
    if not is_valid_number(number):
        raise SettingsError(f"{where}: {key!r} = {number!r} is no question number "
                            f"(dot-separated letters or digits, after a capitalised word "
                            f"if any: \"1\", \"A.2\", \"Appendix 1\")")
    return number


def _table(value: object, where: str, key: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise SettingsError(f"{where}: {key!r} must be a table")
    return value


def _list(value: object, where: str, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise SettingsError(f"{where}: {key!r} must be an array of tables ([[{key}]])")
    return value


def _volume(value: object, where: str, index: int) -> Volume:
    key = f"volumes[{index}]"
    table = _table(value, where, key)
    unknown = sorted(set(table) - {"title", "pages"})
    if unknown:
        raise SettingsError(f"{where}: unknown setting {key}.{unknown[0]!r} "
                            f"(known: pages, title)")
    pages = table.get("pages")
    if not isinstance(pages, list) or len(pages) not in (1, 2):
        raise SettingsError(f"{where}: {key}.pages must list the first and the last page")
    first = _string(pages[0], where, f"{key}.pages")
    last = _string(pages[-1], where, f"{key}.pages")
    return Volume(_string(table.get("title", ""), where, f"{key}.title"), first, last)
