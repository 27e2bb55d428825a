"""Tables with a header and no body get an empty body (:class:`EmptyTableBodyTransform`).

A Markdown table of only a header row (``| a | b |`` and its ``|---|---|``
line) becomes, in MyST-Parser, a ``tgroup`` with a ``thead`` and no
``tbody``, which the docutils DTD does not allow (``tgroup`` ends with a
``tbody``).  Sphinx's LaTeX builder then stops with a traceback
(``StopIteration`` in ``LaTeXFootnoteVisitor.depart_table``, Sphinx 9.0).
The body is added at read time, for every builder: an empty ``<tbody>`` in
HTML, no rows in LaTeX.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform


class EmptyTableBodyTransform(SphinxTransform):
    """Give every ``tgroup`` without a ``tbody`` an empty one (the DTD's shape)."""

    #: Before DocumentLinkTransform (430), which wants every subtree in place.
    default_priority = 425

    def apply(self, **kwargs: Any) -> None:
        for tgroup in self.document.findall(nodes.tgroup):
            if not any(isinstance(child, nodes.tbody) for child in tgroup.children):
                tgroup += nodes.tbody()
