"""Chapters, sections and headings: the book's structure."""

from __future__ import annotations

from collections.abc import Iterator

from docutils import nodes
from sphinx import addnodes

from sphinx_faq_ext.nodes import is_question
from sphinx_faq_ext.writers.typst.base import (
    BACK_MATTER_CLASS,
    DEEPEST_HEADING,
    TypstBase,
)
from sphinx_faq_ext.writers.typst.markup import label, string


class StructureVisitors(TypstBase):
    """Chapters, sections and headings: the book's structure."""

    # -- document structure ---------------------------------------------------

    def visit_document(self, node: nodes.document) -> None:
        """Nothing before the book: the builder writes the preamble."""

    def depart_document(self, node: nodes.document) -> None:
        """Nothing after it."""

    def visit_start_of_file(self, node: addnodes.start_of_file) -> None:
        """A document of the toctree: its first section is a chapter."""
        self.add_labels(node)
        self.chapters_open.append(False)

    def depart_start_of_file(self, node: addnodes.start_of_file) -> None:
        """The chapter ends (the next one opens on a right-hand page)."""
        if self.chapters_open.pop():
            self.block("#faq-chapter-end()")

    def visit_section(self, node: nodes.section) -> None:
        """One level deeper; a chapter opens on a right-hand page."""
        self.section_level += 1
        level = self.section_level - self.hidden_levels
        back_matter = BACK_MATTER_CLASS in node["classes"]
        if level == 1 and (
            (self.chapters_open and not self.chapters_open[-1]) or back_matter
        ):
            if self.chapters_open and not self.chapters_open[-1]:
                self.chapters_open[-1] = True
            self.block(f"#faq-chapter-start(back-matter: {str(back_matter).lower()})")
        if is_question(node):
            self.block(f"#faq-question-start({string(node.get('faq_number', ''))})")

    def depart_section(self, node: nodes.section) -> None:
        """One level up."""
        self.section_level -= 1

    def visit_title(self, node: nodes.title) -> None:
        """A heading (bookmarked, in the contents as ``outlined`` says), or a bold line."""
        parent = node.parent
        if isinstance(parent, nodes.section):
            level = self.section_level - self.hidden_levels
            if level < 1:
                raise nodes.SkipNode  # the root document's title: the title page
            section_ids = parent["ids"]
            anchor = section_ids[0] if section_ids else ""
            outlined = self.outlined is None or anchor in self.outlined
            head = string(running_head(node))
            for node_id in section_ids[1:]:
                if node_id in self.targets and node_id not in self.labelled:
                    self.labelled.add(node_id)
                    self.body.append(f"#metadata(none) {label(node_id)}\n")
            self.body.append(
                f"#faq-running-head({head})\n"
                f"#heading(level: {min(level, DEEPEST_HEADING)}, "
                f"outlined: {str(outlined).lower()}, bookmarked: true)["
            )
            self.in_heading += 1
            self.heading_label = anchor if anchor else ""
            return
        if isinstance(parent, nodes.table):
            raise nodes.SkipNode  # the table's caption, written by visit_table
        self.body.append("\n#faq-title[")

    def depart_title(self, node: nodes.title) -> None:
        """Close the heading, with the section's label."""
        if isinstance(node.parent, nodes.section):
            self.in_heading -= 1
            anchor = self.heading_label
            suffix = ""
            if anchor:
                self.labelled.add(anchor)
                suffix = " " + label(anchor)
            self.body.append(f"]{suffix}\n\n")
            return
        self.body.append("]\n\n")

    def visit_subtitle(self, node: nodes.subtitle) -> None:
        """A bold line."""
        self.body.append("\n#faq-title[")

    def depart_subtitle(self, node: nodes.subtitle) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_rubric(self, node: nodes.rubric) -> None:
        """A heading line that is no section (a notes list's "Notes", a caption)."""
        self.add_labels(node)
        self.body.append("\n#faq-rubric[")

    def depart_rubric(self, node: nodes.rubric) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_transition(self, node: nodes.transition) -> None:
        """A section break."""
        self.block("#faq-transition()")
        raise nodes.SkipNode


def running_head(title: nodes.title) -> str:
    """A heading's text for the running head: notes and their markers left out."""
    return "".join(text.astext() for text in _head_texts(title)).strip()


def _head_texts(node: nodes.Element) -> Iterator[nodes.Text]:
    from sphinx_faq_ext.nodes import note_ref

    for child in node.children:
        if isinstance(child, note_ref):
            continue
        if isinstance(child, nodes.Text):
            yield child
        elif isinstance(child, nodes.Element):
            yield from _head_texts(child)

