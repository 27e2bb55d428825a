"""``faq:question``: a numbered question whose body is the answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives

from sphinx_faq_ext.authoring.base import (
    ANCHOR_STACK,
    LAST_CHILD,
    QUESTION_STACK,
    FaqDirective,
)
from sphinx_faq_ext.domain import QuestionRecord
from sphinx_faq_ext.nodes import QUESTION_CLASS, note_ref
from sphinx_faq_ext.numbering import (
    anchor_for,
    is_valid_number,
    next_sibling,
    parent_number,
    unique_anchor,
)
from sphinx_faq_ext.util.upstream import parse_with_headings_under

#: Heading levels Markdown can produce (``#`` .. ``######``) plus the root.
_MARKDOWN_LEVELS = range(7)
#: ``env.temp_data`` key: the question anchors used in the current document.
ANCHORS = "faq_anchors"


def plain_title(inline: list[nodes.Node]) -> str:
    """The title as plain text, without the text of notes attached to it."""
    container = nodes.inline("", "", *(node.deepcopy() for node in inline))
    for ref in list(container.findall(note_ref)):
        ref.parent.remove(ref)
    return container.astext().strip()


class QuestionDirective(FaqDirective):
    """A question: a real section titled ``A.2.6 Why …?`` holding its answer.

    Headings inside the answer become sub-sections of the question in both
    reStructuredText and MyST.
    """

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        # Not *_required*: docutils would reject the whole question, answer
        # included, for an empty value; resolve_number() warns instead.
        "number": directives.unchanged,
        "label": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        enclosing = self.current_question()
        number = self.resolve_number(enclosing)
        # Unique in the document even for a duplicate number (warned about by
        # the domain), so notes and links of the two questions stay apart.
        taken = cast("set[str]", self.env.temp_data.setdefault(ANCHORS, set()))
        anchor = unique_anchor(anchor_for(number), taken)
        taken.add(anchor)

        classes = [QUESTION_CLASS, *self.options.get("class", [])]
        section = nodes.section(ids=[anchor], classes=classes)
        claim_id(self.state.document, section, anchor)
        self.with_source(section)
        section["faq_number"] = number
        section["faq_docname"] = self.env.docname  # merged trees (LaTeX) mix documents
        label = self.options.get("label", "").strip()
        if "label" in self.options and not label:
            self.warn("empty :label: ignored", "empty-label")
        if label:
            section["names"].append(nodes.fully_normalize_name(label))
            self.state.document.note_explicit_target(section, section)

        title_text = self.arguments[0].strip()
        inline, messages = self.parse_inline(title_text, lineno=self.lineno)
        title = nodes.title(title_text, "")
        self.with_source(title)
        title += nodes.inline(number, number, classes=["faq-number"])
        title += nodes.Text(" ")
        title.extend(inline)
        section += title
        section.extend(messages)

        self.faq_domain.note_question(
            QuestionRecord(
                number=number,
                title=plain_title(inline),
                anchor=anchor,
                docname=self.env.docname,
                lineno=self.lineno,
                label=label,
                enclosing=enclosing,
            )
        )

        stack = cast("list[str]", self.env.temp_data.setdefault(QUESTION_STACK, []))
        anchors = cast("list[str]", self.env.temp_data.setdefault(ANCHOR_STACK, []))
        stack.append(number)
        anchors.append(anchor)
        try:
            self.parse_answer(section)
        finally:
            stack.pop()
            anchors.pop()
        return [section]

    def resolve_number(self, enclosing: str | None) -> str:
        """The explicit ``:number:`` if well formed, else the next sibling's."""
        last_child = cast("dict[str, str]", self.env.temp_data.setdefault(LAST_CHILD, {}))
        key = enclosing or ""
        explicit = (self.options.get("number") or "").strip()
        number = ""
        if "number" in self.options and not explicit:
            self.warn("empty :number:; numbering the question automatically", "malformed-number")
        if explicit:
            if is_valid_number(explicit):
                number = explicit
                if enclosing and parent_number(number) != enclosing:
                    self.warn(
                        f"question number {number} is nested in question {enclosing}; "
                        f"expected a number like {enclosing}.1",
                        "number-mismatch",
                    )
            else:
                self.warn(
                    f"malformed question number {explicit!r}: use dot-separated "
                    f"letters or digits such as A.2.6, or a capitalised word, one space "
                    f"and such a number (Appendix 1.3); numbering it automatically",
                    "malformed-number",
                )
        if not number:
            number = next_sibling(last_child.get(key), enclosing)
        last_child[key] = number
        return number

    def parse_answer(self, section: nodes.section) -> None:
        """Parse the content into *section*, headings becoming sub-sections."""
        parse_with_headings_under(
            self.state, self.content, self.content_offset, section, _MARKDOWN_LEVELS
        )


def claim_id(document: nodes.document, node: nodes.Element, id_: str) -> None:
    """Make *id_* the question's in *document*, however the page is written.

    A heading whose text is a question's number (``## A.2``) gets the id the
    question needs (``a-2``), and two elements of one page would share it.
    The question's link must not change, so an element that took the id
    first gets another one (as docutils names a duplicate); registering the
    id makes a later heading of that text take another one too.
    """
    other = document.ids.get(id_)
    if other is not None and other is not node:
        other["ids"].remove(id_)
        if not other["ids"]:
            document.set_id(other)
    document.ids[id_] = node
