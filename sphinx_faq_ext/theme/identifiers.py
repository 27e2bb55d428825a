"""Where long identifiers may break: ``<wbr>`` between their parts.

``find_books_by_author`` or ``BookshelfArrangementStrategyNotFoundError`` in a
narrow sidebar, a signature or the general index must wrap somewhere; CSS can
only break them anywhere (``overflow-wrap``), which cuts words in two
("Stra|tegy").  The theme instead marks the places where an identifier reads
well broken — after ``_`` or ``.`` and at a change of case — with ``<wbr>``,
which a browser uses only when the line is full and which screen readers,
search and copying ignore.

The templates call :func:`identifier_breaks` on HTML that Sphinx rendered
(the sidebar tree, the page's contents, the body: identifiers there are the
text of ``<span class="pre">`` and the parameter names of field lists) and
:func:`index_entry` on the general index's entries.  Doctrees are left alone:
the search index and every other builder see the identifiers whole.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

#: The text of a ``<span class="pre">``, as Sphinx writes inline code and
#: signatures, or a ``<strong>`` holding one identifier, as Sphinx writes the
#: parameter names of a field list.
_PRE_SPAN = re.compile(r'(<span class="pre">)([^<]+)(</span>)'
                       r"|(<strong>)([A-Za-z_][\w.]*)(</strong>)")
#: Character references in escaped text: never broken inside.
_ENTITY = re.compile(r"(&#?\w+;)")
#: Shorter words are never broken: there is nothing to gain.
MIN_LENGTH = 12


def break_points(word: str) -> list[int]:
    """Indexes of *word* before which a line may break.

    After a run of ``_`` or after ``.`` (when a letter or digit follows), and
    at a change of case: ``shelfConfig`` → ``shelf|Config``, ``HTMLParser`` →
    ``HTML|Parser``.  Leading and trailing underscores stay with their word
    (``__init_subclass__`` breaks only as ``__init_|subclass__``).
    """
    points = []
    for i in range(1, len(word)):
        before, here = word[i - 1], word[i]
        after = word[i + 1] if i + 1 < len(word) else ""
        after_separator = before in "_." and here.isalnum() and word[:i].strip("_.") != ""
        case_change = before.isalnum() and here.isupper() and (
            before.islower() or before.isdigit() or (before.isupper() and after.islower())
        )
        if after_separator or case_change:
            points.append(i)
    return points


def _break_text(text: str) -> str:
    """Escaped *text* with ``<wbr>`` at the break points of its long words."""
    out = []
    for part in _ENTITY.split(text):
        if not part or _ENTITY.fullmatch(part):
            out.append(part)
            continue
        for word in re.split(r"(\s+)", part):
            if len(word) < MIN_LENGTH or word.isspace():
                out.append(word)
                continue
            last = 0
            for point in break_points(word):
                out.append(word[last:point])
                out.append("<wbr>")
                last = point
            out.append(word[last:])
    return "".join(out)


def identifier_breaks(html: str) -> Markup:
    """*html* (Sphinx's output) with ``<wbr>`` inside the long identifiers of its code."""
    def breaks(match: re.Match[str]) -> str:
        start, text, end = match.group(1, 2, 3) if match[1] else match.group(4, 5, 6)
        return start + _break_text(text) + end

    return Markup(_PRE_SPAN.sub(breaks, str(html)))


def text_with_breaks(text: str) -> Markup:
    """Plain *text*, escaped, with ``<wbr>`` inside its long identifiers."""
    return Markup(_break_text(str(escape(text))))


def index_entry(name: str) -> Markup:
    """A general index entry's name, escaped, with break points.

    Its qualifier (``added_eq (bookshelf_api.CatalogueEntry attribute)``)
    goes in a ``span.faq-genindex-qualifier`` that faq-theme.css keeps whole
    when it fits a line: an entry then wraps before its qualifier rather than
    inside it ("(bookshelf_ | api.CatalogueEntry").
    """
    name = str(name)
    head, paren, qualifier = name.partition(" (")
    if not paren or not qualifier.endswith(")"):
        return text_with_breaks(name)
    return Markup(f'{text_with_breaks(head)} <span class="faq-genindex-qualifier">'
                  f"({text_with_breaks(qualifier)}</span>")
