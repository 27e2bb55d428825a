"""The LaTeX builder's post-transforms: the printed tables, the contents'
depth, the book's parts, titles LaTeX can print whole, and where long URLs
and identifiers may break.

As Sphinx keeps its own in ``sphinx/builders/latex/transforms.py``; they run
for the ``latex`` format only (their place among every other transform is
the write-time table of :mod:`sphinx_faq_ext.transforms`).

The printed tables
------------------
The printed book's tables (LaTeX): contents, question index, works quoted.

:class:`PrintedTablesPostTransform` puts a :class:`~sphinx_faq_ext.nodes.page_ref`
after each link of the question index and of the works quoted, and a
``\\faqbackmatter`` before the document holding them when no question follows.
:class:`AnswerToctreesPostTransform` lists a toctree that ends the text of a
heading inside a question under the question (An Anarchist FAQ's appendices).
:class:`ContentsDepthPostTransform` marks the deepest question, down to which
the printed contents and the PDF bookmarks go.
:class:`PrintedPartsPostTransform` makes the root's captioned toctrees the
book's parts.

Printed titles
--------------
LaTeX sets a section title as one box that cannot break across pages.  A
title taller than the page runs off its foot, and with it the text that
follows: the fuzz harness found a chapter whose title held a 400-word note
(a ``faq:note`` outside any question stays in its title as bracketed text,
:meth:`.NoteNumberingTransform.orphan`, or any note under
``faq_notes_style = "inline"``): the title and the paragraph after it were
missing from the PDF, with no warning but the one about the note.

:class:`PrintedTitlesPostTransform` moves such bracketed notes out of the
title into a paragraph right after it, where they can break across pages
like any text, and warns (``faq.long-title``, at the title) about a title
that is still longer than :data:`LONG_TITLE` characters.

Line breaks
-----------
Places where a long URL, path or identifier may break across lines (LaTeX).

TeX breaks a line only at spaces and hyphenates only words: a URL, a file
path or a long identifier written as text (the visible text of a link whose
address differs, a source note that gives an address, ``Some_Long_Name``)
is one unbreakable box and runs into the margin (11 of the 112 overfull
lines of the whole *Anarchist FAQ*, up to 113 pt into the margin).

:class:`LineBreaksPostTransform` finds those tokens in the text the LaTeX
writer prints and marks the places where a line may end inside them:

* after a run of slashes (``https://`` | ``www.example.org/`` | ``faq/``);
* before other punctuation (``www`` | ``.example`` | ``.org``, ``a`` | ``_b``,
  ``?page`` | ``=3``), never at a token's edges;
* inside a segment of more than :data:`LONG_SEGMENT` characters with no
  punctuation, between any two characters, at a higher cost, as
  ``sphinxfaqext.sty`` lets ``\\url`` do.

A mark is ``\\faqbreak{}`` or ``\\faqbreakinword{}`` (``sphinxfaqext.sty``:
a penalty, no hyphen is added), in a raw LaTeX node.  Words of a language
(letters, hyphens and apostrophes only) are never touched: TeX hyphenates
them.  Titles and captions (moving arguments: contents, bookmarks, running
heads), literals (Sphinx breaks those itself) and links whose text is their
address (Sphinx prints them with ``\\url``, which ``sphinxfaqext.sty`` lets
break anywhere) are left as they are.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.texescape import escape as tex_escape

from sphinx_faq_ext.nodes import (
    INDEX_CLASS,
    SOURCES_CLASS,
    contents_depth,
    is_question,
    page_ref,
    printed_part,
    same_title,
)
from sphinx_faq_ext.transforms.sections import lift_answer_toctrees

if TYPE_CHECKING:
    from collections.abc import Iterator


logger = logging.getLogger(__name__)

#: Longest root-document introduction (characters) set as an epigraph.
SHORT_INTRO = 400


def _walk(
    node: nodes.Element, parent: nodes.Element | None = None,
    file_node: nodes.Element | None = None,
) -> Iterator[tuple[nodes.Element, nodes.Element | None, nodes.Element | None]]:
    """Every element in reading order, with its parent and its ``start_of_file``.

    Down the ``children`` lists: in LaTeX's merged tree a document's nodes
    keep their ``parent`` in the document they were read from (Sphinx's
    ``inline_all_toctrees`` moves the children lists only).
    """
    yield node, parent, file_node
    inner = node if isinstance(node, addnodes.start_of_file) else file_node
    for child in node.children:
        if isinstance(child, nodes.Element):
            yield from _walk(child, node, inner)


class PrintedTablesPostTransform(SphinxPostTransform):
    """Page numbers in the printed question index and works quoted; back matter.

    Runs after the tables are built (priority 6) on LaTeX's one merged tree.
    """

    default_priority = 7
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        tables = [
            node for node in self.document.findall(nodes.bullet_list)
            if {INDEX_CLASS, SOURCES_CLASS} & set(node["classes"])
        ]
        self.frame_intro()
        if tables:
            self.mark_back_matter(tables[0])
        for table in tables:
            parent = table.parent
            parent.insert(parent.index(table), nodes.raw(
                "", "\n\\begin{faqprintedtable}\n", format="latex"))
            parent.insert(parent.index(table) + 1, nodes.raw(
                "", "\n\\end{faqprintedtable}\n", format="latex"))
            style = "leader" if INDEX_CLASS in table["classes"] else "number"
            for ref in list(table.findall(nodes.reference)):
                if ref.get("refuri") or ref.get("refid"):
                    ref.parent.insert(
                        ref.parent.index(ref) + 1,
                        page_ref(refuri=ref.get("refuri", ""), refid=ref.get("refid", ""),
                                 style=style),
                    )

    def frame_intro(self) -> None:
        """Set a short root-document introduction as a front-matter page.

        Its text before the toctree would otherwise sit alone at the top of a
        page after the contents; a few lines are set centred, in italics, a
        third of the way down, as an epigraph would be.
        """
        root = next((c for c in self.document.children if isinstance(c, nodes.section)), None)
        if root is None:
            return
        intro: list[nodes.Element] = []
        for child in root.children:
            if isinstance(child, nodes.title | nodes.target | nodes.comment):
                continue
            if isinstance(child, nodes.compound) and "toctree-wrapper" in child["classes"]:
                break
            if not isinstance(child, nodes.paragraph):
                return  # more than a few lines of text: left as written
            intro.append(child)
        else:
            return  # no toctree: the root document is the book
        if not intro or sum(len(node.astext()) for node in intro) > SHORT_INTRO:
            return
        root.insert(root.index(intro[0]), nodes.raw("", "\n\\begin{faqintro}\n", format="latex"))
        root.insert(root.index(intro[-1]) + 1,
                    nodes.raw("", "\n\\end{faqintro}\n", format="latex"))

    def mark_back_matter(self, table: nodes.Element) -> None:
        """``\\faqbackmatter`` before the tables' document, if no question follows.

        In the root document (after its toctree) a table's caption becomes a
        chapter of the back matter; in its own document, that document's title
        already is one.
        """
        order = list(_walk(self.document))
        file_node = next(f for node, _parent, f in order if node is table)
        if file_node is None:  # written in the root document itself
            start = self.caption_of(table)
        elif any(is_question(node) for node, _p, f in order if f is file_node):
            return
        else:
            start = file_node
        positions = [index for index, (node, _p, _f) in enumerate(order) if node is start]
        if not positions:
            return
        if any(is_question(node) for node, _p, _f in order[positions[0]:]):
            return
        parent = order[positions[0]][1]
        if parent is None:
            return
        parent.insert(parent.index(start), backmatter())
        if file_node is None:
            engine = self.config.latex_engine
            for rubric, _p, f in order:
                if (isinstance(rubric, nodes.rubric) and f is None
                        and "faq-caption" in rubric["classes"]):
                    rubric.replace_self(nodes.raw(
                        "", r"\chapter{" + tex_escape(rubric.astext(), engine) + "}\n",
                        format="latex",
                    ))

    def caption_of(self, table: nodes.Element) -> nodes.Element:
        """The table's caption (``faq-caption`` rubric), or the table itself."""
        parent = table.parent
        index = parent.index(table)
        before = parent[index - 1] if index else None
        if isinstance(before, nodes.rubric) and "faq-caption" in before["classes"]:
            return before
        return table


def backmatter() -> nodes.raw:
    """The switch to the back matter."""
    return nodes.raw("", "\n\\faqbackmatter\n", format="latex")




class AnswerToctreesPostTransform(SphinxPostTransform):
    """A toctree that ends the text of a heading inside a question lists its
    documents under the question, in LaTeX's merged tree
    (:func:`~sphinx_faq_ext.transforms.sections.lift_answer_toctrees`): An
    Anarchist FAQ's "Appendix 1.1" was printed as a sub-section of its
    appendix's *Introduction*, one step deeper in the contents.
    """

    default_priority = 6  # before ContentsDepthPostTransform reads the levels
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        lift_answer_toctrees(self.document)


class ContentsDepthPostTransform(SphinxPostTransform):
    """Mark the deepest question, for the printed contents to reach it.

    Sphinx takes the depth of the printed contents from the root toctree's
    ``:maxdepth:`` (a book's is often 1, for its web page), and
    ``sphinxmanual`` stops at sections: a reader looking for A.2.6 on paper
    found only the chapters.  How deep a question is in print depends on
    where its document sits in the toctree, which only LaTeX's merged tree
    shows: a :class:`contents_depth` node goes into the most deeply nested
    question (among the domain's questions, the first at that depth), and
    the LaTeX writer reads the level of that question's heading there.
    """

    default_priority = 7
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        deepest: tuple[int, nodes.Element] | None = None
        stack: list[tuple[nodes.Element, int]] = [(self.document, 0)]
        while stack:
            node, depth = stack.pop()
            if isinstance(node, nodes.section):
                depth += 1
                if is_question(node) and (deepest is None or depth > deepest[0]):
                    deepest = (depth, node)
            stack.extend((child, depth) for child in reversed(node.children)
                         if isinstance(child, nodes.Element))
        if deepest is not None:
            section = deepest[1]
            # after the title, where the writer is at the heading's level
            has_title = bool(section.children) and isinstance(section[0], nodes.title)
            section.insert(1 if has_title else 0, contents_depth())


class PrintedPartsPostTransform(SphinxPostTransform):
    """The root document's captioned toctrees as the printed book's parts.

    A book's root groups its chapters in captioned toctrees (``Volume 1``,
    ``Volume 2``, ``Supplementary Material``).  Sphinx's LaTeX builder inlines
    every toctree without a trace of its caption and names the printed
    contents after the first one, so the PDF's contents read "Volume 1" and
    never show volume 2.  With two or more captioned toctrees in the document
    the merged tree was made from, a :class:`printed_part` node holding the
    caption goes before the first document of each (a document listed by the
    root itself, not one nested deeper); the LaTeX writer prints it as a part.
    A part whose only chapter has its caption as title (*Supplementary
    Material*) is that chapter, marked ``chapter``: its title once, as the
    chapter's heading, a part's line of the contents and bookmark.
    One captioned toctree is no division of the book: Sphinx's way stays.
    """

    default_priority = 7
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        docname = self.document.get("docname")
        if not docname or docname not in self.env.all_docs:
            return
        parts = [(toctree["caption"], toctree["includefiles"])
                 for toctree in self.env.get_doctree(docname).findall(addnodes.toctree)
                 if toctree.get("caption") and toctree.get("includefiles")]
        if len(parts) < 2:
            return
        # The documents the root lists: start_of_file nodes with no such ancestor.
        top: dict[str, addnodes.start_of_file] = {}
        for node in self.document.findall(addnodes.start_of_file):
            parent = node.parent
            while parent is not None and not isinstance(parent, addnodes.start_of_file):
                parent = parent.parent
            if parent is None:
                top.setdefault(node["docname"], node)
        for caption, includes in parts:
            chapters = [top[name] for name in map(str, includes) if name in top]
            if chapters:
                first = chapters[0]
                part = printed_part(caption=caption)
                if len(chapters) == 1 and same_title(caption, _chapter_title(first)):
                    part["chapter"] = True  # printed once, as the chapter's heading
                first.parent.insert(first.parent.index(first), part)


def _chapter_title(document: nodes.Element) -> str:
    """The title of *document*'s first section (its chapter's), or ``""``."""
    section = next((child for child in document.children
                    if isinstance(child, nodes.section)), None)
    title = section.next_node(nodes.title) if section is not None else None
    return title.astext() if title is not None else ""

# -- Line breaks ------------------------------------------------------------

#: A token shorter than this fits in any line: it is left to TeX.
LONG_TOKEN = 16
#: A run of letters and digits longer than this, inside a URL-like token,
#: may also break between two of its characters.  Shorter runs are words
#: (``ChristieBooks.com`` broke as "Chr" / "istieBooks" with 12): the breaks around
#: them are enough, as a line can always end before or after one of them.
LONG_SEGMENT = 20
#: A token (a maximal run of non-space characters) long enough to look at:
#: as tokens are separated by white space, a match starts where its token does.
LONG_TOKEN_RUN = re.compile(rf"\S{{{LONG_TOKEN},}}")
#: A run of letters and digits that may break between any two of them.
LONG_RUN = re.compile(rf"[^\W_]{{{LONG_SEGMENT + 1},}}")
#: A token that is a URL, a path, a domain, an e-mail address or an identifier.
TECHNICAL = re.compile(r"://|www\.|\w/\w|/\w|\w\.\w|\w_|_\w|\w@\w|\\|[A-Za-z]\d|\d[A-Za-z]")
#: Break after these (a run of them).
BREAK_AFTER = "/"
#: Break before these.
BREAK_BEFORE = ".,;?#&=_~%@|+\\"
#: Elements whose text is left alone (see the module docstring).
SKIP: tuple[type[nodes.Node], ...] = (
    nodes.FixedTextElement,  # literal_block, doctest_block, math_block, comment…
    nodes.literal,
    nodes.raw,
    nodes.math,
    nodes.title,
    nodes.subtitle,
    nodes.caption,
    nodes.rubric,
    nodes.term,
    nodes.option_string,
    nodes.target,
    addnodes.desc_signature,
)
BREAK = r"\faqbreak{}"
BREAK_IN_WORD = r"\faqbreakinword{}"


def is_long_token(token: str) -> bool:
    """Whether *token* (no white space) is long and not a word TeX could hyphenate."""
    return len(token) >= LONG_TOKEN and TECHNICAL.search(token) is not None


def break_points(token: str) -> list[tuple[int, str]]:
    """``(offset, mark)`` for each place *token* may break, in order.

    Offsets are between characters (``0 < offset < len(token)``), never after
    the token's last letter or digit, so a line never starts with the
    punctuation that ends a sentence or closes a bracket.
    """
    last_word = max((i for i, char in enumerate(token) if char.isalnum()), default=-1)
    points: dict[int, str] = {}
    for index, char in enumerate(token):
        if index == 0 or index > last_word:
            continue
        before = token[index - 1]
        after_slashes = before in BREAK_AFTER and char not in BREAK_AFTER
        before_sign = char in BREAK_BEFORE and before not in BREAK_BEFORE + BREAK_AFTER
        if after_slashes or before_sign:
            points[index] = BREAK
    for match in LONG_RUN.finditer(token):
        for index in range(match.start() + 1, match.end()):
            points.setdefault(index, BREAK_IN_WORD)
    return sorted(points.items())


def breakable(text: str) -> list[nodes.Node] | None:
    """*text* with its long tokens broken up, or ``None`` if it has none."""
    pieces: list[nodes.Node] = []
    start = 0
    # Only the tokens of LONG_TOKEN characters or more: most texts have none,
    # and looking at every word of every text was 2 % of a LaTeX build.
    for match in LONG_TOKEN_RUN.finditer(text):
        token = match.group()
        if TECHNICAL.search(token) is None:
            continue
        points = break_points(token)
        if not points:
            continue
        if match.start() > start:
            pieces.append(nodes.Text(text[start:match.start()]))
        # An inline (a TextElement) keeps the raw marks inline: the LaTeX
        # writer puts a raw node outside a text element on a line of its
        # own, and that end of line would be a space inside the token.
        wrapper = nodes.inline()
        previous = 0
        for offset, mark in points:
            wrapper += nodes.Text(token[previous:offset])
            wrapper += nodes.raw("", mark, format="latex")
            previous = offset
        wrapper += nodes.Text(token[previous:])
        pieces.append(wrapper)
        start = match.end()
    if not pieces:
        return None
    if start < len(text):
        pieces.append(nodes.Text(text[start:]))
    return pieces


def _is_own_url(node: nodes.Element) -> bool:
    """A link whose only text is its address: Sphinx prints it with ``\\url``."""
    return (isinstance(node, nodes.reference) and len(node.children) == 1
            and node.children[0] == node.get("refuri"))


class LineBreaksPostTransform(SphinxPostTransform):
    """Let long URLs, paths and identifiers in the text break inside the measure.

    Runs on LaTeX's one merged tree after Sphinx's own LaTeX post-transforms
    (URLs shown in the text by ``latex_show_urls``: 400; footnotes: 600), so
    it sees every text the writer prints.  It walks the ``children`` lists:
    in the merged tree a node's ``parent`` may still be its source document's.
    """

    default_priority = 800
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        self.visit(self.document)

    def visit(self, element: nodes.Element) -> None:
        """Break up the long tokens of *element*'s texts, recursively."""
        if isinstance(element, SKIP) or _is_own_url(element):
            return
        # By position, from the end: equal texts are equal nodes to ``index``.
        for index in reversed(range(len(element.children))):
            child = element.children[index]
            if isinstance(child, nodes.Text):
                pieces = breakable(str(child))
                if pieces is not None:
                    element[index:index + 1] = pieces
            elif isinstance(child, nodes.Element):
                self.visit(child)


#: A title longer than this may not fit on a printed page (LaTeX's chapter
#: style sets about 500 characters on an A5 page).
LONG_TITLE = 400
#: The class of a note's bracketed text (:mod:`~sphinx_faq_ext.transforms.notes`).
NOTE_INLINE = "faq-note-inline"


class PrintedTitlesPostTransform(SphinxPostTransform):
    """Move bracketed notes out of section titles; warn about overlong titles.

    After :class:`~.notes.NotesStylePostTransform` (5), which makes the
    bracketed notes of the ``inline`` style.  Walks the ``children`` lists:
    in LaTeX's merged tree a node's ``parent`` may still be its source
    document's.
    """

    default_priority = 8
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        self.visit(self.document)

    def visit(self, element: nodes.Element) -> None:
        """Fix the title of every section under *element*."""
        for child in element.children:
            if isinstance(child, nodes.Element):
                if isinstance(child, nodes.section):
                    self.fix(child)
                self.visit(child)

    def fix(self, section: nodes.section) -> None:
        """Move the notes out of *section*'s title; warn when it is still too long."""
        if not section.children or not isinstance(section.children[0], nodes.title):
            return
        title = section.children[0]
        notes = [inline for inline in _descendants(title)
                 if isinstance(inline, nodes.inline) and NOTE_INLINE in inline["classes"]]
        if notes:
            paragraph = nodes.paragraph("", "", classes=["faq-title-notes"])
            paragraph.source, paragraph.line = title.source, title.line
            for number, inline in enumerate(notes):
                _remove(title, inline)
                if number:
                    paragraph += nodes.Text(" ")
                paragraph += inline
            section.insert(1, paragraph)
            _strip_trailing_space(title)
        length = len(title.astext())
        if length > LONG_TITLE:
            logger.warning(
                "a title of %d characters: LaTeX prints a title on one page and cuts "
                "what does not fit; shorten it or move its text into the section",
                length, type="faq", subtype="long-title", location=title,
            )


def _descendants(element: nodes.Element) -> list[nodes.Node]:
    """Every node under *element*, by the ``children`` lists."""
    found: list[nodes.Node] = []
    for child in element.children:
        found.append(child)
        if isinstance(child, nodes.Element):
            found.extend(_descendants(child))
    return found


def _remove(root: nodes.Element, target: nodes.Node) -> bool:
    """Remove *target* from wherever it sits under *root*."""
    for index, child in enumerate(root.children):
        if child is target:
            del root.children[index]
            return True
        if isinstance(child, nodes.Element) and _remove(child, target):
            return True
    return False


def _strip_trailing_space(title: nodes.title) -> None:
    """Drop the space that stood before a note taken from the title's end."""
    if title.children and isinstance(title.children[-1], nodes.Text):
        text = str(title.children[-1])
        if text != text.rstrip():
            if text.strip():
                title[-1] = nodes.Text(text.rstrip())
            else:
                del title[-1]
