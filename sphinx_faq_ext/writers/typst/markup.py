"""Typst markup from Python strings: escaping, string literals, labels, lengths.

Everything the Typst translator writes from the book's text goes through
:func:`escape` (markup) or :func:`string` (a string literal in code), as
everything Sphinx's LaTeX writer writes goes through ``texescape``.

:func:`escape` puts a backslash before every ASCII character that means
something in Typst markup, wherever it stands: that covers the markup
characters (``# $ * _ ` < > @ [ ] \\ ~``), the shorthands (``--``, ``...``,
``-?``, smart quotes), what starts a line specially (``-``, ``+``, ``=``,
``/``, ``1.``), comments (``//``, ``/*``), URLs written out (``https:``,
which Typst would make a link), and what would continue an embedded
expression written just before the text (``(``, ``[``, ``.``, ``;``).  Line
breaks become spaces: a paragraph is one line of markup, so no text can
start a line.
"""

from __future__ import annotations

import re

#: Every ASCII character with a meaning in Typst markup, or after ``#expr``.
SPECIAL = "\\#$*_`<>@[]~=-+/'\".:;(){}"
_ESCAPES = {ord(char): "\\" + char for char in SPECIAL}
_ESCAPES.update({ord("\n"): " ", ord("\r"): " ", ord("\t"): " ", ord("\f"): " ",
                 ord("\v"): " ", ord("\u2028"): " ", ord("\u2029"): " "})
_STRING_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r",
                   ord("\t"): "\\t"}
#: Characters a Typst label (``<name>``) may hold.
_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9_\-.:]")
#: Control characters (but tab and newline) are no text: Typst, like PDF, has no glyph.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str) -> str:
    """*text* as Typst markup that prints exactly *text* (white space folded)."""
    return _CONTROL.sub("", text).translate(_ESCAPES)


def string(text: str) -> str:
    """*text* as a Typst string literal (``"…"``)."""
    return '"' + _CONTROL.sub("", text).translate(_STRING_ESCAPES) + '"'


def label_name(node_id: str) -> str:
    """A docutils id as a Typst label name (ids are already almost always one)."""
    if not _LABEL_UNSAFE.search(node_id) and node_id:
        return node_id
    return "faq-id-" + _LABEL_UNSAFE.sub(lambda m: f"_{ord(m.group(0)):x}_", node_id)


def label(node_id: str) -> str:
    """``<id>``, attaching a label to the element written just before it."""
    return f"<{label_name(node_id)}>"


_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in|em|%)?\s*$")


def length(value: str | None, *, relative_to_width: bool = True) -> str | None:
    """An image or column size written for docutils (``50%``, ``200px``, ``3cm``) in Typst.

    Pixels count as CSS pixels (0.75 pt); a bare number is pixels too, as in
    HTML.  ``None`` for what cannot be read.
    """
    if not value:
        return None
    match = _LENGTH.match(str(value))
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2) or "px"
    if unit == "px":
        return f"{number * 0.75:g}pt"
    if unit == "%":
        return f"{number:g}%" if relative_to_width else None
    return f"{number:g}{unit}"
