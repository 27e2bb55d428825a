"""``faq:sources``: where the "works quoted" table goes.

The directive only leaves a :class:`~sphinx_faq_ext.nodes.works_index`
placeholder; :mod:`sphinx_faq_ext.transforms.sources` builds the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation

from sphinx_faq_ext.authoring.base import FaqDirective, caption
from sphinx_faq_ext.nodes import SOURCES_CLASS, works_index

if TYPE_CHECKING:

    from sphinx_faq_ext.domain import QuestionRecord

_ = get_translation("sphinx_faq_ext")

#: author ("Malatesta, Errico") -> work ("" = quoted without a work) -> questions.
WorksTable = dict[str, dict[str, list["QuestionRecord"]]]


class SourcesDirective(FaqDirective):
    """``faq:sources``: the "works quoted" table of the whole project."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "caption": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        classes = [SOURCES_CLASS, *self.options.get("class", [])]
        node = works_index(docname=self.env.docname, classes=classes)
        self.with_source(node)
        self.faq_domain.note_generated(self.env.docname, "sources")
        return [*caption(self, _("Works quoted")), node]


