"""The HTML translator of our ePub builder: ePub-only markup for Sphinx's nodes.

Our own nodes branch on the builder inside their HTML visitors (no ``epub=``
visitors: Sphinx issue 9219).  Nodes that belong to docutils or Sphinx are
fixed here, in the builder's default translator class, so a translator set by
the user with ``app.set_translator("epub", …)`` still wins.

Nodes of other extensions that register ``html=`` visitors cannot be fixed
here (Sphinx sets those visitors on the translator instance, above any method
of this class): sphinx-design's components are rewritten before writing by
:mod:`sphinx_faq_ext.builders.epub.transforms` instead.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator


class FaqEpubTranslator(HTML5Translator):
    """:class:`HTML5Translator` without the ARIA EPUBCheck or DAISY Ace reject."""

    def visit_title(self, node: nodes.title) -> None:
        """A toctree caption is ``role="heading"``: it needs an ``aria-level``.

        Without one, axe (in DAISY Ace) reports ``aria-required-attr``, a
        critical violation.  The caption heads the toctree one level below
        the section holding it.  (The HTML theme adds the level in its
        script; an e-reader may run none.)
        """
        if not (isinstance(node.parent, addnodes.compact_paragraph)
                and node.parent.get("toctree")):
            super().visit_title(node)
            return
        sections = sum(1 for parent in _ancestors(node) if isinstance(parent, nodes.section))
        level = str(min(sections + 1, 6))
        self.body.append(self.starttag(node, "p", "", CLASS="caption", ROLE="heading",
                                       **{"aria-level": level}))
        self.body.append('<span class="caption-text">')
        self.context.append("</span></p>\n")

    def visit_citation(self, node: nodes.citation) -> None:
        """A bibliography entry (sphinxcontrib-bibtex, rST citations).

        docutils marks it ``role="doc-biblioentry"``, deprecated in DPUB-ARIA
        1.1 (EPUBCheck RSC-017).  A plain list item of the ``role="list"``
        wrapper, with the ePub semantic ``biblioentry``, says the same.
        """
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(
            self.starttag(
                node, "div", classes=[node.tagname], role="listitem",
                **{"epub:type": "biblioentry"},
            )
        )


def _ancestors(node: nodes.Node) -> list[nodes.Element]:
    found = []
    parent = node.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found
