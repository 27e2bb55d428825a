"""Paragraphs and inline text: emphasis, code, links, notes, index entries."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes

from sphinx_faq_ext.writers.typst.base import (
    TypstBase,
)
from sphinx_faq_ext.writers.typst.markup import escape, label, string


class TextVisitors(TypstBase):
    """Paragraphs and inline text: emphasis, code, links, notes, index entries."""

    # -- paragraphs and inline text -------------------------------------------

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        """A paragraph: its own block of markup."""
        self.body.append("\n")
        self.add_labels(node)

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        """A blank line ends it."""
        self.body.append("\n\n")

    def visit_Text(self, node: nodes.Text) -> None:
        """Escaped text."""
        self.body.append(escape(node.astext()))

    def depart_Text(self, node: nodes.Text) -> None:
        """Nothing."""


    def visit_emphasis(self, node: nodes.Element) -> None:
        """``#emph[…]``."""
        self.add_labels(node)
        self._inline("emph")

    depart_emphasis = TypstBase._close

    def visit_strong(self, node: nodes.Element) -> None:
        """``#strong[…]``."""
        self.add_labels(node)
        self._inline("strong")

    depart_strong = TypstBase._close

    def visit_subscript(self, node: nodes.Element) -> None:
        """``#sub[…]``."""
        self._inline("sub")

    depart_subscript = TypstBase._close

    def visit_superscript(self, node: nodes.Element) -> None:
        """``#super[…]``."""
        self._inline("super")

    depart_superscript = TypstBase._close

    visit_title_reference = visit_emphasis
    depart_title_reference = TypstBase._close

    def visit_literal(self, node: nodes.Element) -> None:
        """Inline code: ``#raw("…")``."""
        self.add_labels(node)
        self.body.append(f"#raw({string(node.astext())})")
        raise nodes.SkipNode

    def visit_literal_emphasis(self, node: nodes.Element) -> None:
        """Sphinx's ``literal_emphasis`` (a parameter type): italic code."""
        self.body.append(f"#emph(raw({string(node.astext())}))")
        raise nodes.SkipNode

    def visit_literal_strong(self, node: nodes.Element) -> None:
        """Sphinx's ``literal_strong``: bold code."""
        self.body.append(f"#strong(raw({string(node.astext())}))")
        raise nodes.SkipNode

    def visit_inline(self, node: nodes.Element) -> None:
        """Its children; a question number in bold outside headings."""
        self.add_labels(node)
        if "faq-number" in node["classes"] and not self.in_heading:
            self.body.append("#strong[")
            node["faq-typst-closed"] = True

    def depart_inline(self, node: nodes.Element) -> None:
        """Close the bold number."""
        if node.attributes.pop("faq-typst-closed", False):
            self.body.append("]")

    def visit_abbreviation(self, node: nodes.Element) -> None:
        """The abbreviation, then its explanation in brackets (as LaTeX does)."""
        self.body.append("#box[")

    def depart_abbreviation(self, node: nodes.Element) -> None:
        """Close it, with the explanation."""
        explanation = node.get("explanation")
        self.body.append("]" + (escape(f" ({explanation})") if explanation else ""))

    visit_acronym = visit_abbreviation
    depart_acronym = depart_abbreviation

    def visit_problematic(self, node: nodes.Element) -> None:
        """The source text that could not be parsed (Sphinx warned about it)."""
        self.add_labels(node)

    def depart_problematic(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_generated(self, node: nodes.Element) -> None:
        """Generated text (section numbers): its children."""

    def depart_generated(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_math(self, node: nodes.Element) -> None:
        """LaTeX math cannot be set by Typst: its source, as code."""
        self.body.append(f"#faq-math({string(node.astext())})")
        raise nodes.SkipNode

    def visit_math_block(self, node: nodes.Element) -> None:
        """Displayed LaTeX math: its source, as a code block."""
        self.add_labels(node)
        self.block(f"#faq-math({string(node.astext())}, block: true)")
        raise nodes.SkipNode

    def visit_reference(self, node: nodes.reference) -> None:
        """A link: to a label of the book, or out to a URI."""
        self.add_labels(node)
        uri = node.get("refuri", "")
        refid = node.get("refid", "")
        if refid or uri.startswith("#"):
            target = refid or uri[1:]
            self.body.append(f"#link({self.link_to(target, node)})[")
            node["faq-typst-page"] = target
            return
        if uri:
            self.body.append(f"#link({string(uri)})[")
            return
        node["faq-typst-plain"] = True

    def depart_reference(self, node: nodes.reference) -> None:
        """Close the link; in a printed table, the page it leads to."""
        if node.attributes.pop("faq-typst-plain", False):
            return
        self.body.append("]")
        target = node.attributes.pop("faq-typst-page", None)
        if target and self.printed_table:
            style = self.printed_table[-1]
            if self.elsewhere is not None and target in self.elsewhere:
                self.pages_elsewhere.add(target)
            self.body.append(f"#faq-page({self.link_to(target, node)}, style: {string(style)})")
        elif _word_follows(node):
            # A zero-width space: the line may break here, but no hyphen is set
            # at the link's end (Typst 0.15 then fails the tagged PDF with
            # "expected link ancestor in logical tree").
            self.body.append("\u200b")

    visit_number_reference = visit_reference
    depart_number_reference = depart_reference

    def visit_download_reference(self, node: nodes.Element) -> None:
        """A file to download has no place on paper: its text."""

    def depart_download_reference(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_pending_xref(self, node: nodes.Element) -> None:
        """An unresolved cross-reference (Sphinx warned): its text."""

    def depart_pending_xref(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_target(self, node: nodes.target) -> None:
        """Its labels, where it stands."""
        self.add_labels(node)

    def depart_target(self, node: nodes.target) -> None:
        """Nothing."""

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        """A page footnote; the same footnote cited again refers to the first."""
        refid = node.get("refid", "")
        footnote = self.footnotes.get(refid)
        if footnote is None:
            self.body.append(escape(f"[{node.astext()}]"))
            raise nodes.SkipNode
        if refid in self.footnotes_written:
            self.body.append(f"#footnote({label(refid)})")
            raise nodes.SkipNode
        self.footnotes_written.add(refid)
        self.labelled.add(refid)
        body = [child for child in footnote.children if not isinstance(child, nodes.label)]
        self.body.append(f"#footnote[{self.render(body).strip()}] {label(refid)}")
        raise nodes.SkipNode

    def visit_footnote(self, node: nodes.footnote) -> None:
        """Printed at its first reference; one nobody cites stays where it is."""
        if any(node_id in self.footnotes_written for node_id in node["ids"]):
            raise nodes.SkipNode
        self.body.append("\n#faq-note-item(" + string(node.next_node(nodes.label).astext()
                                                   if node.next_node(nodes.label) else "") + ")[")

    def depart_footnote(self, node: nodes.footnote) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_citation(self, node: nodes.citation) -> None:
        """A bibliography entry with its label."""
        label_node = node.next_node(nodes.label)
        self.body.append("\n#faq-note-item(" + string(
            f"[{label_node.astext()}]" if label_node else "") + ")[")
        self.add_labels(node)

    def depart_citation(self, node: nodes.citation) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_label(self, node: nodes.label) -> None:
        """Written by the footnote or citation itself."""
        raise nodes.SkipNode

    def visit_citation_reference(self, node: nodes.Element) -> None:
        """``[label]``, linking to the entry."""
        refid = node.get("refid")
        if refid:
            self.body.append(f"#link({self.link_to(refid, node)})[" + escape(
                f"[{node.astext()}]") + "]")
        else:
            self.body.append(escape(f"[{node.astext()}]"))
        raise nodes.SkipNode

    def visit_substitution_definition(self, node: nodes.Element) -> None:
        """Already substituted."""
        raise nodes.SkipNode

    def visit_substitution_reference(self, node: nodes.Element) -> None:
        """An unresolved substitution (docutils warned): its text."""

    def depart_substitution_reference(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_comment(self, node: nodes.Element) -> None:
        """Not printed."""
        raise nodes.SkipNode

    def visit_raw(self, node: nodes.raw) -> None:
        """Raw Typst goes through; raw HTML or LaTeX has no place here.

        But a hard line break (MyST writes a line ending in ``\\`` as a raw
        HTML ``<br />`` and its LaTeX twin) is a line break.
        """
        formats = node.get("format", "").split()
        if "typst" in formats:
            self.body.append(node.astext())
        elif "html" in formats and _HTML_BREAK.fullmatch(node.astext().strip()):
            self.body.append("#linebreak()\n")
        raise nodes.SkipNode

    def visit_system_message(self, node: nodes.Element) -> None:
        """Reported by Sphinx already."""
        raise nodes.SkipNode

    def visit_meta(self, node: nodes.Element) -> None:
        """HTML metadata."""
        raise nodes.SkipNode

    def visit_pending(self, node: nodes.Element) -> None:
        """A transform that never ran."""
        raise nodes.SkipNode

    def visit_toctree(self, node: nodes.Element) -> None:
        """Replaced by the documents it lists (the book is one tree)."""
        raise nodes.SkipNode

    def visit_index(self, node: addnodes.index) -> None:
        """An index entry: a marker the template's index of names collects."""
        for entry in node.get("entries", []):
            kind, value = entry[0], entry[1]
            if kind != "single" or not value:
                continue
            main, _sep, sub = (part.strip() for part in value.partition(";"))
            self.index_entries += 1
            self.body.append(f"#faq-index-entry({string(main)}, {string(sub)})")
        raise nodes.SkipNode

    def visit_line(self, node: nodes.line) -> None:
        """One line of a line block."""
        self.add_labels(node)

    def depart_line(self, node: nodes.line) -> None:
        """A forced line break."""
        self.body.append("#linebreak()\n")

    def visit_line_block(self, node: nodes.line_block) -> None:
        """Lines kept as written."""
        self.body.append("\n#faq-line-block[")

    def depart_line_block(self, node: nodes.line_block) -> None:
        """Close it."""
        self.body.append("]\n\n")


#: A raw HTML line break.
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _word_follows(node: nodes.Element) -> bool:
    """Whether the text right after *node* goes on with a letter or digit (no space)."""
    after = node.next_node(descend=False, siblings=True)
    return after is not None and after.astext()[:1].isalnum()
