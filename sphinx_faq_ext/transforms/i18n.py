"""Translated books: question titles keep their number after translation.

Sphinx's i18n transform (priority 20) replaces a translated title's children
with the parsed translation, which drops the ``A.2.6`` number we put in front
of the question's own text (the message is the question alone, so translators
never see or break the number).  :class:`QuestionTitleTransform` puts the
number back and records the translated title in the domain, so references,
``faq:index`` and ``faq.json`` show the reader's language.  The section's
ids do not depend on the title, so anchors are unchanged.

:class:`QuestionTitleTypographyTransform` records the titles once more after
Sphinx's SmartQuotes (750) has curled their quotes, so ``faq:index`` and
``faq.json`` read like the headings and the toctree (and, like them, follow
``smartquotes``, ``smartquotes_excludes`` and the language).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.transforms import SphinxTransform

from sphinx_faq_ext.authoring.question import plain_title
from sphinx_faq_ext.domain import faq_domain
from sphinx_faq_ext.nodes import is_question

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def questions(document: nodes.document, env: BuildEnvironment) -> list[nodes.section]:
    """The document's question sections, in document order.

    Found without walking the document: each question directive registered
    its section under its anchor (``document.ids``) and its record in the
    domain, in document order.  Should one not be where its record says, the
    document is walked instead.
    """
    found = []
    for record in faq_domain(env).questions.get(env.docname, []):
        node = document.ids.get(record.anchor)
        if not (is_question(node) and node.get("faq_number") == record.number):
            # findall(nodes.section) then filter: docutils walks a tree for a
            # node class much faster than for a test function.
            return [section for section in document.findall(nodes.section)
                    if is_question(section)]
        found.append(cast("nodes.section", node))
    return found


def has_number(title: nodes.title) -> bool:
    """Whether the title still starts with its ``faq-number`` inline."""
    first = title.children[0] if title.children else None
    return isinstance(first, nodes.inline) and "faq-number" in first["classes"]


class QuestionTitleTransform(SphinxTransform):
    """Restore number prefixes of translated question titles; update the domain."""

    default_priority = 21  # right after sphinx.transforms.i18n.Locale (20)

    def apply(self, **kwargs: Any) -> None:
        domain = faq_domain(self.env)
        for section in questions(self.document, self.env):
            title = section.next_node(nodes.title)
            if title is None or title.parent is not section or has_number(title):
                continue
            number = section["faq_number"]
            text = title.astext().strip()
            title.insert(0, nodes.Text(" "))
            title.insert(0, nodes.inline(number, number, classes=["faq-number"]))
            domain.update_question(self.env.docname, number, title=text)


class QuestionTitleTypographyTransform(SphinxTransform):
    """Record each question's title as its heading finally reads."""

    default_priority = 760  # after sphinx.transforms.SphinxSmartQuotes (750)

    def apply(self, **kwargs: Any) -> None:
        domain = faq_domain(self.env)
        recorded = {record.number: record.title
                    for record in domain.questions.get(self.env.docname, [])}
        for section in questions(self.document, self.env):
            title = section.next_node(nodes.title)
            number = section.get("faq_number", "")
            if title is None or title.parent is not section or number not in recorded:
                continue
            # The number inline and the space after it are not the title's text.
            text = plain_title(title.children[2:] if has_number(title) else title.children)
            if text and text != recorded[number]:
                domain.update_question(self.env.docname, number, title=text)
