"""``faq:note`` (an inline source note) and ``faq:notes`` (where the list goes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.utils import unescape
from sphinx.util.docutils import SphinxRole

from sphinx_faq_ext.authoring.base import FaqDirective
from sphinx_faq_ext.nodes import note_ref, notes_placeholder
from sphinx_faq_ext.util.upstream.myst import myst_plain_inline, myst_renderer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from docutils.nodes import Node, system_message
    from docutils.parsers.rst.states import Inliner


def make_note_ref(content: list[nodes.Node], rawsource: str) -> note_ref:
    """A marker holding its note's text until the numbering transform runs."""
    return note_ref(rawsource, *content)


class SourceNoteRole(SphinxRole):
    """``{faq:note}`*Anarchy*, p. 29```: a numbered note whose text is inline markup."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        parsed, messages = self.parse_text()
        ref = make_note_ref(parsed, self.rawtext)
        self.set_source_info(ref)
        return [ref], messages

    def __call__(
        self,
        name: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Inliner,
        options: dict[str, Any] | None = None,
        content: Sequence[str] = (),
    ) -> tuple[list[Node], list[system_message]]:
        # Keep the text as written so that re-parsing honours the author's
        # backslash escapes: docutils hands roles their text with escapes
        # turned into null characters, which parsing again would drop
        # (``C:\\\\dir`` would become ``C:dir``).  MyST gives the text as written.
        self.escaped_text = unescape(text, restore_backslashes=True)
        return super().__call__(name, rawtext, text, lineno, inliner, options or {}, content)

    def parse_text(self) -> tuple[list[Node], list[system_message]]:
        """Parse the role's text as inline markup of the document's language."""
        # The inliner carries document, language and reporter: it is its own memo.
        inliner = self.inliner
        renderer = myst_renderer(inliner)
        if renderer is not None:
            plain = myst_plain_inline(renderer, self.escaped_text, self.lineno)
            if plain is not None:
                return plain, []
        return inliner.parse(self.escaped_text, self.lineno, inliner, inliner.parent)


class NotesDirective(FaqDirective):
    """``faq:notes``: place the current question's notes list here."""

    has_content = False

    def run(self) -> list[Node]:
        placeholder = notes_placeholder()
        self.with_source(placeholder)
        return [placeholder]
