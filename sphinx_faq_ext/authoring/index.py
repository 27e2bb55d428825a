"""``faq:index``: where the linked table of every question goes.

The directive only leaves a :class:`~sphinx_faq_ext.nodes.question_index`
placeholder; :mod:`sphinx_faq_ext.transforms.index` builds the table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.util import logging

from sphinx_faq_ext.authoring.base import FaqDirective, caption
from sphinx_faq_ext.nodes import question_index
from sphinx_faq_ext.numbering import is_valid_number

logger = logging.getLogger(__name__)
#: What a ``:label:`` can look like (anything without white space).
LABEL = re.compile(r"^\S+$")
_ = get_translation("sphinx_faq_ext")
#: Levels of nested lists LaTeX's itemize allows.
LATEX_MAX_LEVEL = 4


class QuestionIndexDirective(FaqDirective):
    """``faq:index``, options ``:branch: A.2`` (a number or label) and ``:depth: 2``."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "branch": directives.unchanged,
        "depth": directives.nonnegative_int,
        "caption": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        branch = self.options.get("branch", "").strip()
        if branch and not (is_valid_number(branch) or LABEL.match(branch)):
            self.warn(
                f"faq:index :branch: {branch!r} is not a question number such as A.2 "
                f"or Appendix 1, or a label; listing every question",
                "malformed-branch",
            )
            branch = ""
        node = question_index(
            docname=self.env.docname,
            branch=branch,
            depth=self.options.get("depth", 0),
            classes=["faq-index", *self.options.get("class", [])],
        )
        self.with_source(node)
        self.faq_domain.note_generated(self.env.docname, "index")
        return [*caption(self, _("Questions")), node]


