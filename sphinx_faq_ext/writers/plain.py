"""Text, manual page and Texinfo rendering: readable fallbacks.

Quotes render as block quotes with their attribution, the notes list as the
numbered list it is, markers as ``[n]`` (or the bracketed note text when the
notes style puts notes at the marker).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes

from sphinx_faq_ext.config import faq_config


def _marker(self: Any, node: nodes.Element) -> str:
    return faq_config(self.config).marker(node.get("number", 0))


def _has_text(node: nodes.Element) -> bool:
    return node.get("style") == "footnotes" and bool(node.children)


# -- text -----------------------------------------------------------------------


def visit_quote_text(self: Any, node: nodes.Element) -> None:
    """As a block quote."""
    self.visit_block_quote(node)


def depart_quote_text(self: Any, node: nodes.Element) -> None:
    """As a block quote."""
    self.depart_block_quote(node)


def visit_note_ref_text(self: Any, node: nodes.Element) -> None:
    """``[n]``, or ``[note text]`` where notes stand at the marker."""
    if _has_text(node):
        self.add_text("[")
        return
    self.add_text(_marker(self, node))
    raise nodes.SkipNode


def depart_note_ref_text(self: Any, node: nodes.Element) -> None:
    """Close the bracket."""
    self.add_text("]")


def visit_notes_list_text(self: Any, node: nodes.Element) -> None:
    """As a container."""


def depart_notes_list_text(self: Any, node: nodes.Element) -> None:
    """As a container."""


def visit_note_item_text(self: Any, node: nodes.Element) -> None:
    """As a list item."""
    self.visit_list_item(node)


def depart_note_item_text(self: Any, node: nodes.Element) -> None:
    """As a list item."""
    self.depart_list_item(node)


def visit_skip(self: Any, node: nodes.Element) -> None:
    """Nothing to show in this medium."""
    raise nodes.SkipNode


def depart_nothing(self: Any, node: nodes.Element) -> None:
    """Nothing to close."""


# -- man and texinfo: same shapes, their own escaping ------------------------------


def _append(self: Any, text: str) -> None:
    escape = getattr(self, "escape", None) or getattr(self, "deunicode", None)
    self.body.append(escape(text) if escape else text)


def visit_note_ref_man(self: Any, node: nodes.Element) -> None:
    """``[n]``, or ``[note text]``."""
    if _has_text(node):
        _append(self, "[")
        return
    _append(self, _marker(self, node))
    raise nodes.SkipNode


def depart_note_ref_man(self: Any, node: nodes.Element) -> None:
    """Close the bracket."""
    _append(self, "]")


# -- text: more section levels than underline characters ------------------------


def visit_section_levels_text(self: Any, node: nodes.Element) -> None:
    """Give the writer an underline character for every level, repeating the last.

    ``sectionchars`` is the text translator's public per-document copy of
    ``text_sectionchars``; the user's configuration is not touched.
    """
    chars = getattr(self, "sectionchars", "")
    depth = node.get("depth", 0)
    if isinstance(chars, str) and chars and len(chars) < depth:
        self.sectionchars = chars + chars[-1] * (depth - len(chars))
    raise nodes.SkipNode
