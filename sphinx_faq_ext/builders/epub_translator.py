"""The HTML translator of our ePub builder: ePub-only markup for Sphinx's nodes.

Our own nodes branch on the builder inside their HTML visitors (no ``epub=``
visitors: Sphinx issue 9219).  Nodes that belong to docutils or Sphinx are
fixed here, in the builder's default translator class, so a translator set by
the user with ``app.set_translator("epub", …)`` still wins.

Nodes of other extensions that register ``html=`` visitors cannot be fixed
here (Sphinx sets those visitors on the translator instance, above any method
of this class): sphinx-design's components are rewritten before writing by
:mod:`sphinx_faq_ext.builders.epub_design` instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.writers.html5 import HTML5Translator

if TYPE_CHECKING:
    from docutils import nodes


class FaqEpubTranslator(HTML5Translator):
    """:class:`HTML5Translator` without DPUB-ARIA roles EPUBCheck rejects."""

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
