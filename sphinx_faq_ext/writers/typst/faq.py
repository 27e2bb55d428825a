"""Typst rendering of the ``faq`` nodes (registered with ``typst=`` in ``writers/__init__.py``).

* a quote is ``#faq-quote(attribution: […])[…]`` — Typst's own ``quote``
  underneath, tagged ``BlockQuote`` in the PDF;
* in the ``footnotes`` style a note marker holding its text is a Typst
  ``#footnote[…]`` labelled with the note's id; the template restarts the
  footnote counter at every question, so notes are numbered per question at
  the foot of their page; a second marker of the same note is
  ``#footnote(<label>)``, which repeats its number without a second note;
* otherwise a marker is a link to its note in the question's notes list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.nodes import quote_parts
from sphinx_faq_ext.writers.typst.markup import escape, label, string

if TYPE_CHECKING:
    from sphinx_faq_ext.nodes import (
        note_backlink,
        note_item,
        note_ref,
        notes_list,
        printed_part,
        quote,
    )
    from sphinx_faq_ext.writers.typst.translator import TypstTranslator


def visit_quote(self: TypstTranslator, node: quote) -> None:
    """``#faq-quote(attribution: […])[…]``."""
    self.add_labels(node)
    body, attribution = quote_parts(node)
    credit = "none" if attribution is None else f"[{self.render(attribution.children).strip()}]"
    self.body.append(f"\n#faq-quote(attribution: {credit})[{self.render(body)}]\n\n")
    raise nodes.SkipNode


def depart_quote(self: TypstTranslator, node: quote) -> None:
    """Never reached: :func:`visit_quote` renders the whole quote."""


def visit_note_ref(self: TypstTranslator, node: note_ref) -> None:
    """A page footnote (``footnotes`` style), or a link to the note."""
    number = node.get("number", 0)
    refid = node.get("refid", "")
    self.add_labels(node)
    if node.get("style") == "footnotes" and node.children:
        if refid and refid in self.notes_written:
            self.body.append(f"#footnote({self.link_to(refid, node)})")
            raise nodes.SkipNode
        text = self.render(node.children).strip()
        if refid:
            self.notes_written.add(refid)
            self.labelled.add(refid)
            self.body.append(f"#footnote[{text}] {self.link_to(refid, node)}")
        else:
            self.body.append(f"#footnote[{text}]")
        raise nodes.SkipNode
    marker = escape(faq_config(self.config).marker(number))
    if refid:
        self.body.append(f"#faq-note-marker({self.link_to(refid, node)})[{marker}]")
    else:
        self.body.append(marker)
    raise nodes.SkipNode


def depart_note_ref(self: TypstTranslator, node: note_ref) -> None:
    """Never reached."""


def visit_notes_list(self: TypstTranslator, node: notes_list) -> None:
    """The question's notes (``endnotes`` style): a heading line and a list."""
    self.add_labels(node)
    self.body.append(f"\n#faq-notes(question: {string(node.get('question', ''))})[")


def depart_notes_list(self: TypstTranslator, node: notes_list) -> None:
    """Close it."""
    self.body.append("]\n\n")


def visit_note_item(self: TypstTranslator, node: note_item) -> None:
    """One note, labelled so its markers link to it."""
    self.body.append("[")
    self.add_labels(node)


def depart_note_item(self: TypstTranslator, node: note_item) -> None:
    """Close it."""
    self.body.append("],\n")


def visit_note_backlink(self: TypstTranslator, node: note_backlink) -> None:
    """No way back on paper: the note's number says where it belongs."""
    raise nodes.SkipNode


def depart_note_backlink(self: TypstTranslator, node: note_backlink) -> None:
    """Never reached."""


def visit_printed_part(self: TypstTranslator, node: printed_part) -> None:
    """``#faq-part(outlined: …)[caption] <id>``: a part's own right-hand page, a line
    of the contents and a bookmark (:func:`.builders.pdf.parts.mark_root_parts`)."""
    anchor = node["ids"][0] if node["ids"] else ""
    outlined = self.outlined is None or anchor in self.outlined
    suffix = ""
    if anchor:
        self.labelled.add(anchor)
        suffix = " " + label(anchor)
    self.body.append(f"\n#faq-part(outlined: {str(outlined).lower()})"
                     f"[{escape(node['caption'])}]{suffix}\n\n")
    raise nodes.SkipNode


def visit_skip(self: TypstTranslator, node: nodes.Element) -> None:
    """Placeholders replaced by post-transforms, and text-only nodes."""
    raise nodes.SkipNode


def depart_nothing(self: TypstTranslator, node: nodes.Element) -> None:
    """Never reached."""
