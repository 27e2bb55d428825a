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
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)



def split_cite(text: str) -> tuple[str, str]:
    """``"malatesta1974, p. 29"`` -> ``("malatesta1974", "p. 29")``."""
    key, _sep, locator = text.partition(",")
    return key.strip(), locator.strip()


#: ``env.temp_data`` key: set once the document being read makes a citation.
CITES = "faq_cites"


def cite_note_ref(key: str, locator: str, rawtext: str, env: BuildEnvironment) -> note_ref:
    """A note marker whose text is the citation of *key* at *locator*.

    Notes in *env* that the document cites, so that the transforms that
    format and register citations skip the documents that do not.
    """
    env.temp_data[CITES] = True
    pending = cite_pending(rawtext, key=key, locator=locator)
    return make_note_ref([pending], rawtext)


def cites(env: BuildEnvironment) -> bool:
    """Whether the document being read has made a citation (a ``cite_pending``).

    Only :func:`cite_note_ref` makes them, for ``faq:cite`` and ``faq:quote
    :cite:``, also when Sphinx's i18n transform parses a translated message
    or docutils copies a substitution; ``env.temp_data`` is cleared for
    each document.
    """
    return bool(env.temp_data.get(CITES))


class CiteRole(SphinxRole):
    """``{faq:cite}`key, locator```: a numbered note citing a BibTeX entry."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        key, locator = split_cite(self.text)
        ref = cite_note_ref(key, locator, self.rawtext, self.env)
        self.set_source_info(ref)
        for child in ref.findall(cite_pending):
            self.set_source_info(child)
        return [ref], []


