"""``faq:index``: a linked table of every question, nested by numbering.

The directive only leaves a :class:`question_index` placeholder: the table
depends on every document, so it is built at write time from the domain's
global question table (derived in ``env-updated``).  When that table changes,
the domain asks Sphinx to rewrite every document holding one (and the pages
referring to what changed), so an incremental build shows the same table as a
clean one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from sphinx_faq_ext.domain import faq_domain
from sphinx_faq_ext.nodes import question_index
from sphinx_faq_ext.numbering import parent_number
from sphinx_faq_ext.util.builder import current_builder

if TYPE_CHECKING:
    from sphinx_faq_ext.domain import QuestionRecord

logger = logging.getLogger(__name__)
#: What a ``:label:`` can look like (anything without white space).
LABEL = re.compile(r"^\S+$")
_ = get_translation("sphinx_faq_ext")
#: Levels of nested lists LaTeX's itemize allows.
LATEX_MAX_LEVEL = 4


def question_tree(records: list[QuestionRecord]) -> dict[str | None, list[QuestionRecord]]:
    """Children of each question number (``None`` = top level), in number order.

    A question whose parent is missing (a warning elsewhere) hangs from its
    nearest existing ancestor, so it is never dropped from the table.
    """
    known = {record.number for record in records}
    children: dict[str | None, list[QuestionRecord]] = {}
    for record in records:  # already in natural number order
        parent = record.parent
        while parent is not None and parent not in known:
            parent = parent_number(parent)
        children.setdefault(parent, []).append(record)
    return children


class QuestionIndexPostTransform(SphinxPostTransform):
    """Replace each :class:`question_index` by nested lists of links."""

    # Builds finished reference nodes itself: no need to run before resolution,
    # but it must run before the writers' own post-transforms see the tree.
    default_priority = 6
    #: Deepest nested list level (0: no limit); deeper questions are listed flat.
    max_level = 0

    def run(self, **kwargs: Any) -> None:
        domain = faq_domain(self.env)
        if not domain.holds_generated("index"):
            return  # no faq:index in the project: no page to search for one
        tree: dict[str | None, list[QuestionRecord]] | None = None
        for placeholder in list(self.document.findall(question_index)):
            if tree is None:
                tree = question_tree(domain.sorted_questions())
            branch = placeholder.get("branch") or None
            record = domain.question(branch) if branch is not None else None
            if branch is not None and record is None:
                logger.warning(
                    "faq:index :branch: %s: no such question",
                    branch,
                    type="faq",
                    subtype="unknown-branch",
                    location=placeholder,
                )
                placeholder.parent.remove(placeholder)
                continue
            # The document it is written in: LaTeX resolves a merged tree whose
            # docname is the root document's, and same-page links differ.
            self.fromdocname = placeholder.get("docname", self.env.docname)
            root = record.number if record is not None else None  # a label names a number
            # LaTeX nests at most four itemize lists ("Too deeply nested"):
            # deeper questions join the fourth level, their numbers still
            # showing where they belong.
            self.max_level = LATEX_MAX_LEVEL if current_builder(self.env).format == "latex" else 0
            table = self.build_list(tree, root, placeholder.get("depth", 0), 1)
            if table is None:
                placeholder.parent.remove(placeholder)
                continue
            table["classes"].extend(placeholder["classes"])
            placeholder.replace_self(table)

    def build_list(
        self,
        tree: dict[str | None, list[QuestionRecord]],
        parent: str | None,
        depth: int,
        level: int,
    ) -> nodes.bullet_list | None:
        """The children of *parent*, down to *depth* levels (0 = all)."""
        children = tree.get(parent)
        if not children:
            return None
        bullets = nodes.bullet_list(classes=[f"faq-index-level-{level}"])
        self.add_items(bullets, tree, children, depth, level)
        return bullets

    def add_items(
        self,
        bullets: nodes.bullet_list,
        tree: dict[str | None, list[QuestionRecord]],
        children: list[QuestionRecord],
        depth: int,
        level: int,
    ) -> None:
        """An item per child; sub-lists below, or flat items at the deepest level."""
        for record in children:
            item = nodes.list_item(classes=["faq-index-item"])
            item += nodes.paragraph("", "", self.link(record))
            bullets += item
            if depth and level >= depth:
                continue
            if self.max_level and level >= self.max_level:
                self.add_items(bullets, tree, tree.get(record.number, []), depth, level + 1)
                continue
            sub = self.build_list(tree, record.number, depth, level + 1)
            if sub is not None:
                item += sub

    def link(self, record: QuestionRecord) -> nodes.Node:
        """``A.2.6 Why …?`` linking to the question (plain text if unlinkable)."""
        content = nodes.inline("", "", classes=["faq-index-entry"])
        content += nodes.inline(record.number, record.number, classes=["faq-number"])
        content += nodes.Text(" ")
        content += nodes.Text(record.title)
        try:
            return make_refnode(
                current_builder(self.env),
                self.fromdocname,
                record.docname,
                record.anchor,
                content,
                record.full_title,
            )
        except NoUri:
            return content
