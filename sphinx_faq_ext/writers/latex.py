"""LaTeX rendering: quote environments, real footnotes or per-question endnotes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_faq_ext.config import faq_config

if TYPE_CHECKING:
    from sphinx.writers.latex import LaTeXTranslator

    from sphinx_faq_ext.nodes import note_backlink, note_item, note_ref, notes_list, quote


def visit_quote(self: LaTeXTranslator, node: quote) -> None:
    """A ``quote`` environment; the attribution is set flush right."""
    self.body.append("\n\\begin{quote}\n")


def depart_quote(self: LaTeXTranslator, node: quote) -> None:
    """Close the quote environment."""
    self.body.append("\n\\end{quote}\n")


def visit_note_ref(self: LaTeXTranslator, node: note_ref) -> None:
    """A real ``\\footnote`` in footnotes style, else a linked superscript marker."""
    if node.get("style") == "footnotes" and node.children:
        self.body.append(r"\footnote{")
        return
    marker = self.escape(faq_config(self.config).marker(node.get("number", 0)))
    target = f"{self.curfilestack[-1]}:{node['refid']}"
    self.body.append(
        r"\phantomsection" + self.hypertarget_to(node)
        + r"\textsuperscript{" + self.hyperlink(target) + marker + "}}}"
    )
    raise nodes.SkipNode


def depart_note_ref(self: LaTeXTranslator, node: note_ref) -> None:
    """Close the footnote."""
    self.body.append("}")


def visit_notes_list(self: LaTeXTranslator, node: notes_list) -> None:
    """Per-question endnotes: a small heading and an enumerate list."""
    self.body.append("\n\\par\\begingroup\\small\n")


def depart_notes_list(self: LaTeXTranslator, node: notes_list) -> None:
    """End the notes group."""
    self.body.append("\n\\endgroup\\par\n")


def visit_note_item(self: LaTeXTranslator, node: note_item) -> None:
    """An ``\\item`` carrying the note's label."""
    self.body.append(r"\item {} " + r"\phantomsection" + self.hypertarget_to(node) + " ")


def depart_note_item(self: LaTeXTranslator, node: note_item) -> None:
    """End the item."""
    self.body.append("\n")


def visit_note_backlink(self: LaTeXTranslator, node: note_backlink) -> None:
    """A link back to the marker (useful in the PDF, harmless in print)."""
    target = f"{self.curfilestack[-1]}:{node['refid']}"
    self.body.append(self.hyperlink(target) + r"$\hookleftarrow$}}")
    raise nodes.SkipNode


def depart_note_backlink(self: LaTeXTranslator, node: note_backlink) -> None:
    """Never reached."""


def visit_notes_placeholder(self: LaTeXTranslator, node: nodes.Element) -> None:
    """Render nothing."""
    raise nodes.SkipNode


def depart_notes_placeholder(self: LaTeXTranslator, node: nodes.Element) -> None:
    """Never reached."""
