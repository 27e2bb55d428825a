"""``faq:cite``: a numbered source note citing a BibTeX entry.

The role leaves a :class:`~sphinx_faq_ext.nodes.cite_pending` placeholder as
the note's text; :mod:`sphinx_faq_ext.transforms.cite` formats it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from sphinx_faq_ext.authoring.notes import make_note_ref
from sphinx_faq_ext.nodes import cite_pending, note_ref

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message

logger = logging.getLogger(__name__)



def split_cite(text: str) -> tuple[str, str]:
    """``"malatesta1974, p. 29"`` -> ``("malatesta1974", "p. 29")``."""
    key, _sep, locator = text.partition(",")
    return key.strip(), locator.strip()


def cite_note_ref(key: str, locator: str, rawtext: str) -> note_ref:
    """A note marker whose text is the citation of *key* at *locator*."""
    pending = cite_pending(rawtext, key=key, locator=locator)
    return make_note_ref([pending], rawtext)


class CiteRole(SphinxRole):
    """``{faq:cite}`key, locator```: a numbered note citing a BibTeX entry."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        key, locator = split_cite(self.text)
        ref = cite_note_ref(key, locator, self.rawtext)
        self.set_source_info(ref)
        for child in ref.findall(cite_pending):
            self.set_source_info(child)
        return [ref], []


