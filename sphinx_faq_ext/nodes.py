"""Doctree nodes of the ``faq`` domain.

They are builder-neutral: each subclasses the standard docutils node it means
(a quote *is* a block quote, the notes list *is* a container holding an
enumerated list), so a writer that has never heard of us still renders
something readable through Sphinx's MRO-based visitor dispatch.  Questions are
plain :class:`docutils.nodes.section` nodes carrying the ``faq-question`` class.
"""

from __future__ import annotations

from typing import cast

from docutils import nodes

QUESTION_CLASS = "faq-question"
#: The classes of the tables ``faq:index`` and ``faq:sources`` make: the printed
#: books (LaTeX, both ``faqpdf`` engines) find them by these to add page numbers.
INDEX_CLASS = "faq-index"
SOURCES_CLASS = "faq-sources"


class quote(nodes.block_quote):
    """An attributed quotation: quoted body elements, then an ``attribution``."""


def quote_parts(node: quote) -> tuple[list[nodes.Node], nodes.attribution | None]:
    """The quoted body elements of *node*, and its attribution (if any)."""
    body: list[nodes.Node] = []
    attribution = None
    for child in node.children:
        if isinstance(child, nodes.attribution):
            attribution = child
        else:
            body.append(child)
    return body, attribution


class note_ref(nodes.Inline, nodes.Element):
    """A numbered source-note marker.

    Before numbering it holds the note's text as children.  The read-time
    numbering transform moves that text into the question's :class:`notes_list`
    and sets ``number``, ``ids`` (the marker's own id) and ``refid`` (the
    note's id).  Post-transforms may copy the text back in for footnote and
    inline styles, setting ``style``.
    """

    child_text_separator = ""


class notes_list(nodes.container):
    """The notes of one question: a ``rubric`` and an ``enumerated_list``."""


class note_item(nodes.list_item):
    """One note in a :class:`notes_list`; its ``backrefs`` point at the marker."""


class note_backlink(nodes.reference):
    """The link from a note back to its marker (``role="doc-backlink"``)."""


class notes_placeholder(nodes.General, nodes.Element):
    """Where ``faq:notes`` stands; replaced by the question's notes list."""


# -- whole-book placeholders: replaced by post-transforms, never written ------


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


class section_levels(nodes.Invisible, nodes.Element):
    """How deep the document's sections go; only the text writer sees it."""


class printed_part(nodes.Invisible, nodes.Element):
    """A part of the printed book (attr ``caption``): in LaTeX's one merged tree,
    before the first document of each captioned toctree of the root document
    (``Volume 1``, ``Volume 2``); in the Typst builder's, that document's first
    child (it goes with it into its volume or part).  Only those writers see it.
    In LaTeX's, attr ``chapter`` true: the part's only chapter, of its title,
    is the part (no page of its own; see :data:`PART_TITLE`).
    """


#: The attribute of a chapter's section that is a part of the printed book
#: itself: the part's only chapter, titled as the part's caption (no
#: :class:`printed_part` before it; its heading is the part's line of the
#: contents).
PART_TITLE = "faq_part_title"


def same_title(caption: str, title: str) -> bool:
    """Whether a reader sees a part's *caption* and a chapter's *title* as one
    title (case and spaces aside): the part's only chapter is then the part."""
    return " ".join(caption.split()).casefold() == " ".join(title.split()).casefold()


class contents_depth(nodes.Invisible, nodes.Element):
    """In the deepest question of LaTeX's one merged tree: the printed contents
    must reach the level of its heading.  Only the LaTeX writer sees it.
    """


def is_question(node: nodes.Node) -> bool:
    """Whether *node* is a question section."""
    return isinstance(node, nodes.section) and QUESTION_CLASS in node["classes"]


def enclosing_question(node: nodes.Node) -> nodes.section | None:
    """The innermost question section containing *node*, if any."""
    parent = node.parent
    while parent is not None:
        if is_question(parent):
            return cast("nodes.section", parent)
        parent = parent.parent
    return None
