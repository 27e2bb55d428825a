"""docutils' private API: ``Node._document``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_faq_ext.util.upstream import _changed

if TYPE_CHECKING:
    from collections.abc import Iterable


def link_to_document(
    tree: nodes.Element, elements: Iterable[nodes.Element] | None = None
) -> None:
    """Let every element of *tree* know its document, as the parser's own elements do.

    docutils records an element's document (``Node._document``) when it is
    appended to a parent that knows its own.  A subtree built apart and then
    placed (a question's answer is parsed into a section its directive has not
    returned yet; a notes list is built before it is placed) records none, and
    its ``document`` property climbs the parents to the root at each call:
    Sphinx asks it for every text node SmartQuotes touches and every node it
    copies, which made our books slower to build than plain ones (the LaTeX
    builder copies every document).  Only the link is set: ``document``
    returns what it returned before, and no source or line changes.

    *elements*, when given, are the elements of *tree*, parents before their
    children (as ``tree.findall(nodes.Element)`` lists them), from a walk the
    caller made anyway.
    """
    if "_document" not in vars(nodes.Node):
        _changed("docutils.nodes.Node._document", "large books build more slowly")
        return
    if elements is None:
        elements = tree.findall(nodes.Element)
    for element in elements:  # parents first: one step each
        if element._document is None:
            document = element.document
            if document is not None:
                element.document = document
