"""Text, manual page and Texinfo rendering: readable fallbacks.

Quotes render as block quotes with their attribution, the notes list as the
numbered list it is, markers as ``[n]`` (or the bracketed note text when the
notes style puts notes at the marker).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

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


visit_note_backlink_text = visit_skip
depart_note_backlink_text = depart_nothing
visit_notes_placeholder_text = visit_skip
depart_notes_placeholder_text = depart_nothing

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


visit_note_ref_texinfo = visit_note_ref_man
depart_note_ref_texinfo = depart_note_ref_man

for _writer in ("man", "texinfo"):
    globals()[f"visit_quote_{_writer}"] = visit_quote_text
    globals()[f"depart_quote_{_writer}"] = depart_quote_text
    globals()[f"visit_notes_list_{_writer}"] = visit_notes_list_text
    globals()[f"depart_notes_list_{_writer}"] = depart_notes_list_text
    globals()[f"visit_note_item_{_writer}"] = visit_note_item_text
    globals()[f"depart_note_item_{_writer}"] = depart_note_item_text
    globals()[f"visit_note_backlink_{_writer}"] = visit_skip
    globals()[f"depart_note_backlink_{_writer}"] = depart_nothing
    globals()[f"visit_notes_placeholder_{_writer}"] = visit_skip
    globals()[f"depart_notes_placeholder_{_writer}"] = depart_nothing


# -- text: more section levels than underline characters ------------------------


class section_levels(nodes.Invisible, nodes.Element):
    """How deep the document's sections go; only the text writer sees it."""


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


class DeepSectionsPostTransform(SphinxPostTransform):
    """Let the text writer render sections deeper than ``text_sectionchars``.

    Sphinx's text writer underlines a section title with the character of its
    level and fails (``IndexError``) below the last one: a title, six nested
    questions and a heading inside the innermost answer are eight levels.
    When a document goes deeper, a :class:`section_levels` node at its start
    tells the writer to underline the deeper titles with the last character.
    """

    default_priority = 900
    builders = ("text",)

    def run(self, **kwargs: Any) -> None:
        deepest = 0
        for section in self.document.findall(nodes.section):
            depth = 1
            parent = section.parent
            while parent is not None:
                depth += isinstance(parent, nodes.section)
                parent = parent.parent
            deepest = max(deepest, depth)
        if deepest > len(self.config.text_sectionchars):
            self.document.insert(0, section_levels(depth=deepest))
