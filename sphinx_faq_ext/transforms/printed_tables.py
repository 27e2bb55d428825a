"""The printed book's tables (LaTeX): contents, question index, works quoted.

:class:`PrintedTablesPostTransform` puts a :class:`~sphinx_faq_ext.nodes.page_ref`
after each link of the question index and of the works quoted, and a
``\\faqbackmatter`` before the document holding them when no question follows.
:class:`ContentsDepthPostTransform` marks the deepest question, down to which
the printed contents and the PDF bookmarks go.
:class:`PrintedPartsPostTransform` makes the root's captioned toctrees the
book's parts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.texescape import escape as tex_escape

from sphinx_faq_ext.nodes import contents_depth, is_question, page_ref, printed_part

if TYPE_CHECKING:
    from collections.abc import Iterator


logger = logging.getLogger(__name__)

#: Longest root-document introduction (characters) set as an epigraph.
SHORT_INTRO = 400
#: The classes ``faq:index`` and ``faq:sources`` give their tables.
INDEX_CLASS = "faq-index"
SOURCES_CLASS = "faq-sources"


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
            first = next((top[name] for name in map(str, includes) if name in top), None)
            if first is not None:
                first.parent.insert(first.parent.index(first), printed_part(caption=caption))
