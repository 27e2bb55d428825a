"""Read-time housekeeping of the doctree itself."""

from __future__ import annotations

from typing import Any, cast

from docutils import nodes
from sphinx.transforms import SphinxTransform

from sphinx_faq_ext.transforms.tables import add_missing_body
from sphinx_faq_ext.util.upstream.docutils import link_to_document
from sphinx_faq_ext.util.walk import collect


class DoctreeHousekeepingTransform(SphinxTransform):
    """In one walk of the document: tables without a body get one
    (:func:`~.tables.add_missing_body`), then every element is linked to its
    document (:func:`link_to_document`).

    After the last of our read-time transforms that place subtrees (notes
    lists, 400-420) and before SmartQuotes (750), the first to ask thousands
    of nodes for their document; the link is pickled with the doctree, so
    every builder's copies and post-transforms find it too.  Both jobs need
    every element of the document: one walk serves them.
    """

    default_priority = 425

    def apply(self, **kwargs: Any) -> None:
        elements, tgroups = collect(self.document, nodes.Element, nodes.tgroup)
        for tgroup in cast("list[nodes.tgroup]", tgroups):
            body = add_missing_body(tgroup)
            if body is not None:
                elements.append(body)  # after its parent, as linking wants
        link_to_document(self.document, elements)
