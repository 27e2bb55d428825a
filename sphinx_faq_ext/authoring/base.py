"""The base class every ``faq`` directive derives from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_faq_ext.domain import faq_domain
from sphinx_faq_ext.util.upstream.myst import myst_plain_inline, myst_renderer

if TYPE_CHECKING:
    from sphinx_faq_ext.domain import FaqDomain

logger = logging.getLogger(__name__)

#: ``env.temp_data`` key: numbers of the questions being parsed, innermost last.
QUESTION_STACK = "faq_question_stack"
#: ``env.temp_data`` key: anchors of the questions being parsed, innermost last.
ANCHOR_STACK = "faq_anchor_stack"
#: ``env.temp_data`` key: last child number seen under each parent ("" = top).
LAST_CHILD = "faq_last_child"


class FaqDirective(SphinxDirective):
    """Shared helpers: warnings with ``type="faq"`` and the current question."""

    def warn(self, message: str, subtype: str) -> None:
        """Log a warning located at this directive."""
        logger.warning(message, type="faq", subtype=subtype, location=self.get_location())

    @property
    def faq_domain(self) -> FaqDomain:
        """The project's ``faq`` domain."""
        return faq_domain(self.env)

    def current_question(self) -> str | None:
        """The number of the innermost question being parsed, if any."""
        stack = cast("list[str]", self.env.temp_data.get(QUESTION_STACK, []))
        return stack[-1] if stack else None

    def current_anchor(self) -> str | None:
        """The anchor of the innermost question being parsed, if any."""
        stack = cast("list[str]", self.env.temp_data.get(ANCHOR_STACK, []))
        return stack[-1] if stack else None

    def parse_inline(
        self, text: str, *, lineno: int = -1
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        """Parse *text* as inline markup; messages located at *lineno*.

        MyST counts the lines of the text it is given from 0 where docutils
        counts from 1: without this, MyST warnings land one line too low.
        """
        renderer = myst_renderer(self.state)
        if renderer is None:
            return super().parse_inline(text, lineno=lineno)
        if lineno > 0:
            lineno -= 1
        plain = myst_plain_inline(renderer, text, self.lineno if lineno == -1 else lineno)
        if plain is not None:
            return plain, []
        return super().parse_inline(text, lineno=lineno)

    def with_source(self, node: nodes.Element) -> nodes.Element:
        """Set source and line of *node* to this directive's."""
        self.set_source_info(node)
        return node


def caption(directive: Any, default: str) -> list[nodes.Node]:
    """A ``rubric`` for the ``:caption:`` option: its text, or *default* if empty.

    An author's caption keeps its source so the gettext builder extracts it;
    the default is our own translated label, which must not be extracted.
    """
    if "caption" not in directive.options:
        return []
    text = (directive.options["caption"] or "").strip()
    rubric = nodes.rubric(text or default, text or default, classes=["faq-caption"])
    if text:
        directive.set_source_info(rubric)
    else:
        rubric["translatable"] = False  # Sphinx would give it a source and extract it
    return [rubric]
