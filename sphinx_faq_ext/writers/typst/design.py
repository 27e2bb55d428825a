"""sphinx-design's components, made readable on paper."""

from __future__ import annotations

from docutils import nodes

from sphinx_faq_ext.writers.typst.base import (
    TypstBase,
)


class DesignVisitors(TypstBase):
    """sphinx-design's components, made readable on paper."""

    # -- sphinx-design ----------------------------------------------------------

    def visit_dropdown_main(self, node: nodes.Element) -> None:
        """A dropdown, open: a framed box."""
        self.add_labels(node)
        self.body.append("\n#faq-box[")

    def depart_dropdown_main(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_dropdown_title(self, node: nodes.Element) -> None:
        """Its title, a bold line."""
        self.body.append("\n#faq-title[")

    def depart_dropdown_title(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n\n")

    visit_sd_tab_label = visit_dropdown_title
    depart_sd_tab_label = depart_dropdown_title
    visit_aside_main = visit_dropdown_main
    depart_aside_main = depart_dropdown_main

    def visit_sd_tab_input(self, node: nodes.Element) -> None:
        """A radio button of the screen widget."""
        raise nodes.SkipNode

    def visit_sd_icon(self, node: nodes.Element) -> None:
        """Icons are decoration (sphinx-design hides them from screen readers too)."""
        raise nodes.SkipNode

    visit_fontawesome = visit_sd_icon

    def visit_PassthroughTextElement(self, node: nodes.Element) -> None:
        """sphinx-design's wrapper of a card title: its text."""

    def depart_PassthroughTextElement(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_sd_line_break(self, node: nodes.Element) -> None:
        """A forced line break."""
        self.body.append("#linebreak()")
        raise nodes.SkipNode
