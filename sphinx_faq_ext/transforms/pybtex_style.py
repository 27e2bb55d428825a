"""Note forms of a BibTeX entry: a pybtex style for the full first citation and
the short form for later ones, as in Chicago's notes-and-bibliography system.

Full: ``Errico Malatesta, *Anarchy* (London: Freedom Press, 1974)``;
``Alfie Kohn, "Title," *Journal* 3, no. 2 (1986)``.
Short: ``Malatesta, *Anarchy*``.  The locator (``p. 29``) is added by the
caller.  Any pybtex formatting style can replace the full form
(``faq_cite_style = "unsrt"``); the short form is always ours.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from pybtex.markup import LaTeXParser
from pybtex.plugin import find_plugin, register_plugin
from pybtex.richtext import Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.names import name_part
from pybtex.style.names.plain import NameStyle as PlainNameStyle
from pybtex.style.template import (
    FieldIsMissing,
    field,
    first_of,
    join,
    names,
    node,
    optional,
    tag,
    words,
)

from sphinx_faq_ext.config import DEFAULT_CITE_STYLE

if TYPE_CHECKING:
    from pybtex.database import Entry
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Name under which :class:`NotesStyle` is registered with pybtex.
NOTES_STYLE = DEFAULT_CITE_STYLE
#: Entry types whose titles are set in quotation marks, not italics.
_PART_TYPES = frozenset({"article", "incollection", "inproceedings", "inbook", "conference"})

#: What latexcodec's decoder changes (or may): commands, comments, math, ties,
#: ligatures of dashes and quotes (``--``, ``''``, ``,,``, ``!` ``, ``<<``) and
#: runs or ends of spaces.  A value without any decodes to itself; the test
#: ``tests/test_pybtex_style.py`` compares this guard with the decoder.
_LATEX_SPECIAL = re.compile(r"[$\\~%`\t\n\r\f\v]|''|--|,,|!`|\?`|<<|>>|\s\s|^\s|\s$")


def from_latex(value: str) -> Text:
    """``Text.from_latex(value)``, without latexcodec's decoder (a character at a
    time in Python: half the time of formatting a bibliography) when the value
    has nothing for it to decode; the braces are still parsed as pybtex does."""
    if _LATEX_SPECIAL.search(value):
        return Text.from_latex(value)
    return LaTeXParser(value).parse()


@node
def plain_field(children: list[Any], data: dict[str, Any], name: str) -> Text:
    """pybtex's ``field(name)``, its value read with :func:`from_latex`; a value the
    entry does not hold itself (a person role's, a crossref's) is pybtex's to find."""
    value = data["entry"].fields.get(name)
    if value is None:
        return field(name).format_data(data)
    return from_latex(value)


@node
def parenthesized(children: list[Any], data: dict[str, Any]) -> Text:
    """The joined children in parentheses, or nothing when they are empty."""
    text = join[children].format_data(data)
    return Text("(", text, ")") if text else Text()


def _publication() -> Any:
    """``(Place: Publisher, Year)`` with whatever parts exist."""
    return parenthesized[
        join(sep=", ")[
            join(sep=": ")[optional[plain_field("address")], optional[plain_field("publisher")]],
            optional[plain_field("year")],
        ]
    ]


class PlainNames(PlainNameStyle):
    """pybtex's ``plain`` name style, each part of a name read with :func:`from_latex`."""

    def format(self, person: Any, abbr: bool = False) -> Any:
        """``{ff~}{vv~}{ll}{, jj}`` as pybtex's, from the person's parts (its
        ``rich_*_names`` are ``Text.from_latex`` of these)."""

        def rich(parts: list[str]) -> list[Text]:
            return [from_latex(part) for part in parts]

        return join[
            name_part(tie=True, abbr=abbr)[rich(person.first_names) + rich(person.middle_names)],
            name_part(tie=True)[rich(person.prelast_names)],
            name_part[rich(person.last_names)],
            name_part(before=", ")[rich(person.lineage_names)],
        ]


#: The entry :meth:`NotesStyle.format_entry` formatted last, with what it gave.
_LAST_FORMATTED: list[tuple[Any, str, Any, tuple[Any, ...], Any] | None] = [None]


class NotesStyle(BaseStyle):
    """Chicago-like full note forms; entries it has no template for fall back to ``misc``."""

    default_name_style = "plain"
    default_label_style = "number"
    default_sorting_style = "none"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if type(vars(self)["name_style"]) is PlainNameStyle:  # the default: the same, faster
            names_style = PlainNames()
            self.name_style = names_style
            self.format_name = names_style.format

    def _people(self) -> Any:
        return first_of[
            optional[names("author", sep=", ", sep2=" and ", last_sep=", and ")],
            optional[
                join(sep=", ")[
                    names("editor", sep=", ", sep2=" and ", last_sep=", and "), "ed."
                ]
            ],
        ]

    def get_book_template(self, e: Entry) -> Any:
        """``Author, *Title* (Place: Publisher, Year)``."""
        return join(sep=", ")[
            self._people(),
            words[tag("em")[plain_field("title")], _publication()],
        ]

    def get_article_template(self, e: Entry) -> Any:
        """``Author, “Title,” *Journal* vol, no. n (Year)``."""
        return join(sep=", ")[
            self._people(),
            join[
                "\u201c", plain_field("title"), ",\u201d ", tag("em")[plain_field("journal")],
                optional[" ", plain_field("volume")],
                optional[", no. ", plain_field("number")],
                optional[" (", plain_field("year"), ")"],
            ],
        ]

    def get_incollection_template(self, e: Entry) -> Any:
        """``Author, “Title,” in *Book*, ed. Editor (Place: Publisher, Year)``."""
        return join(sep=", ")[
            self._people(),
            join[
                "\u201c", plain_field("title"), ",\u201d in ", tag("em")[plain_field("booktitle")],
                optional[", ed. ", names("editor", sep=", ", sep2=" and ")],
                optional[" ", _publication()],
            ],
        ]

    def get_misc_template(self, e: Entry) -> Any:
        """``Author, *Title* (…), how published`` with whatever the entry has."""
        return join(sep=", ")[
            optional[self._people()],
            words[optional[tag("em")[plain_field("title")]], _publication()],
            optional[plain_field("howpublished")],
        ]

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> Any:
        """Like pybtex's, with ``misc`` (all fields optional) as the fallback for
        types this style has no template for and entries missing a field.

        sphinxcontrib-bibtex formats each entry twice in a row, for the list and
        for its tooltip, with two instances of the same style: the second call
        gets the first's result (pybtex's rich texts are never changed in place),
        half the cost of a bibliography.
        """
        settings = (type(self), type(self.name_style), self.abbreviate_names)
        last = _LAST_FORMATTED[0]
        if (last is not None and last[0] is entry and last[1] == label
                and last[2] is bib_data and last[3] == settings):
            return last[4]
        formatted = self._format_entry(label, entry, bib_data)
        _LAST_FORMATTED[0] = (entry, label, bib_data, settings, formatted)
        return formatted

    def _format_entry(self, label: str, entry: Entry, bib_data: Any) -> Any:
        if hasattr(self, f"get_{entry.type}_template"):
            try:
                return super().format_entry(label, entry, bib_data)
            except FieldIsMissing:
                pass
        template = self.get_misc_template(entry)
        context = {"entry": entry, "style": self, "bib_data": bib_data}
        return FormattedEntry(entry.key, template.format_data(context), label)


@cache
def register_notes_style() -> None:
    """Make :class:`NotesStyle` known to pybtex as ``faq-notes`` (once).

    pybtex looks the name up among every installed package's entry points, a
    scan of them all, so this is done only when a style is first needed (see
    :func:`_style`), or on ``config-inited`` when the project loads
    sphinxcontrib-bibtex, whose ``bibtex_default_style`` may name ours.
    """
    register_plugin("pybtex.style.formatting", NOTES_STYLE, NotesStyle)


def register_notes_style_for_bibtex(_app: Sphinx, config: Config) -> None:
    """``config-inited``: register ``faq-notes`` before sphinxcontrib-bibtex
    (``builder-inited``) looks up its styles; a project without it pays nothing."""
    if "sphinxcontrib.bibtex" in config.extensions:
        register_notes_style()


def full_form(style_name: str, entry: Entry) -> Text:
    """The entry formatted by the pybtex style *style_name*, without a final period.

    Bibliography styles insist on some fields (``unsrt`` wants a publisher
    for a book); an entry they cannot format falls back to our notes style,
    whose fields are all optional, so a note is never lost.
    """
    try:
        text = _style(style_name).format_entry("", entry).text
    except FieldIsMissing:
        text = _style(NOTES_STYLE).format_entry("", entry).text
    plain = text.render_as("text").rstrip()
    if plain.endswith("."):
        # Bibliography styles end entries with a period; a locator follows here.
        text = text[: len(plain) - 1]
    return text


_STYLES: dict[str, BaseStyle] = {}


def _style(name: str) -> BaseStyle:
    if name not in _STYLES:
        register_notes_style()
        _STYLES[name] = find_plugin("pybtex.style.formatting", name)()
    return _STYLES[name]


def people(entry: Entry) -> list[Any]:
    """The entry's authors, else its editors."""
    return list(entry.persons.get("author") or entry.persons.get("editor") or [])


def latex_text(value: str) -> str:
    """A BibTeX field value as plain text (braces and accents decoded)."""
    return from_latex(value).render_as("text")


def short_title(entry: Entry) -> str:
    """``shorttitle`` if given, else the title up to its subtitle."""
    title = entry.fields.get("shorttitle") or entry.fields.get("title", "")
    title = latex_text(title)
    head, sep, _rest = title.partition(": ")
    return head if sep else title


def short_form(entry: Entry) -> Text:
    """``Malatesta, *Anarchy*``; two authors joined by "and", more as "et al."."""
    persons = people(entry)
    surnames = [latex_text(" ".join([*p.prelast_names, *p.last_names])) for p in persons]
    who = f"{surnames[0]} et al." if len(surnames) > 2 else " and ".join(surnames)
    title = short_title(entry)
    # Parts of a larger work go in quotation marks, whole works in italics.
    work = Text(f"\u201c{title}\u201d") if entry.type in _PART_TYPES else Text(Tag("em", title))
    if who and title:
        return Text(who, ", ", work)
    return Text(who) if who else work


def author_name(entry: Entry) -> str:
    """The first author (or editor) as ``First Last`` plain text, for the works table."""
    persons = people(entry)
    if not persons:
        return ""
    person = persons[0]
    parts = [*person.first_names, *person.middle_names, *person.prelast_names, *person.last_names]
    return latex_text(" ".join(parts))


def work_title(entry: Entry) -> str:
    """The entry's title as plain text."""
    return latex_text(entry.fields.get("title", ""))
