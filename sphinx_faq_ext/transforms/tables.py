"""Tables with a header and no body get an empty body (:func:`add_missing_body`).

A Markdown table of only a header row (``| a | b |`` and its ``|---|---|``
line) becomes, in MyST-Parser, a ``tgroup`` with a ``thead`` and no
``tbody``, which the docutils DTD does not allow (``tgroup`` ends with a
``tbody``).  Sphinx's LaTeX builder then stops with a traceback
(``StopIteration`` in ``LaTeXFootnoteVisitor.depart_table``, Sphinx 9.0).
The body is added at read time, for every builder: an empty ``<tbody>`` in
HTML, no rows in LaTeX.
"""

from __future__ import annotations

from docutils import nodes


def add_missing_body(tgroup: nodes.tgroup) -> nodes.tbody | None:
    """Give *tgroup* an empty ``tbody`` when it has none (the DTD's shape).

    Returns the body added, if any.  Called by
    :class:`~sphinx_faq_ext.transforms.doctree.DoctreeHousekeepingTransform`
    on every ``tgroup``, in its one walk of the document.
    """
    if any(isinstance(child, nodes.tbody) for child in tgroup.children):
        return None
    body = nodes.tbody()
    tgroup += body
    return body
