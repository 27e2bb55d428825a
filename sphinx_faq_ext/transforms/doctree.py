"""Read-time housekeeping of the doctree itself."""

from __future__ import annotations

from typing import Any

from sphinx.transforms import SphinxTransform

from sphinx_faq_ext.util.upstream import link_to_document


class DocumentLinkTransform(SphinxTransform):
    """Link the elements we built apart to their document (see :func:`link_to_document`).

    After the last of our read-time transforms that place subtrees (notes
    lists, 400-420) and before SmartQuotes (750), the first to ask thousands
    of nodes for their document; the link is pickled with the doctree, so
    every builder's copies and post-transforms find it too.
    """

    default_priority = 430

    def apply(self, **kwargs: Any) -> None:
        link_to_document(self.document)
