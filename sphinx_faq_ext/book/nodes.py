"""Placeholder nodes of the whole-book features, and their fallback visitors.

``question_index`` and ``works_index`` stand where ``faq:index`` and
``faq:sources`` are written; a post-transform replaces them with standard
lists once every document is read.  ``cite_pending`` holds a ``faq:cite`` key
until the read-time formatting transform replaces it with the formatted note.
None of them should reach a writer; if one does (a transform failed), the
visitors below render nothing rather than crash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class question_index(nodes.General, nodes.Element):
    """Where ``faq:index`` stands; attrs ``branch`` (str) and ``depth`` (int, 0 = all)."""


class works_index(nodes.General, nodes.Element):
    """Where ``faq:sources`` stands."""


class cite_pending(nodes.Inline, nodes.Element):
    """A ``faq:cite`` key (attr ``key``) and locator (attr ``locator``) to format."""


class page_ref(nodes.Inline, nodes.Element):
    """The page number of the link before it, in a printed table (LaTeX only).

    Attrs ``refuri``/``refid`` (the link's target) and ``style``: ``leader``
    (a dotted leader and the page, as in a table of contents) or ``number``
    (", p. 23" after a question number).  Other writers render nothing: the
    WeasyPrint book gets its page numbers from CSS ``target-counter``.
    """


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


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def _nothing(self: Any, node: nodes.Element) -> None:
    """Nothing to close."""


def setup_book_nodes(app: Sphinx) -> None:
    """Register the nodes with do-nothing visitors for every writer we support."""
    for node_class in (question_index, works_index, cite_pending):
        app.add_node(
            node_class,
            html=(_skip, _nothing),
            latex=(_skip, _nothing),
            text=(_skip, _nothing),
            man=(_skip, _nothing),
            texinfo=(_skip, _nothing),
        )
    from sphinx_faq_ext.writers.latex_book import depart_page_ref, visit_page_ref

    app.add_node(
        page_ref,
        html=(_skip, _nothing),
        latex=(visit_page_ref, depart_page_ref),
        text=(_skip, _nothing),
        man=(_skip, _nothing),
        texinfo=(_skip, _nothing),
    )
