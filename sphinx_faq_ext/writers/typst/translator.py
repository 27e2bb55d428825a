"""The Typst translator: the visitor modules of this package in one class."""

from __future__ import annotations

from sphinx_faq_ext.writers.typst.base import TypstBase, link_targets
from sphinx_faq_ext.writers.typst.blocks import BlockVisitors
from sphinx_faq_ext.writers.typst.design import DesignVisitors
from sphinx_faq_ext.writers.typst.lists import ListVisitors
from sphinx_faq_ext.writers.typst.structure import StructureVisitors, running_head
from sphinx_faq_ext.writers.typst.tables import TableVisitors
from sphinx_faq_ext.writers.typst.text import TextVisitors

__all__ = ["TypstBase", "TypstTranslator", "link_targets", "running_head"]


class TypstTranslator(
    StructureVisitors, TextVisitors, ListVisitors, BlockVisitors, TableVisitors,
    DesignVisitors,
):
    """Visit a book doctree and write Typst markup into :attr:`body`."""
