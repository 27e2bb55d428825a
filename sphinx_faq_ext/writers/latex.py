"""LaTeX rendering: quote environments, real footnotes or per-question endnotes,
the page numbers of the printed tables and the depth of the printed contents.

The LaTeX markup goes through small macros of ``sphinxfaqext.sty`` (shipped
beside this module, loaded after hyperref) so a book can restyle notes and
quotes from ``latex_elements["preamble"]`` without touching Python.  Every
user string reaches LaTeX through Sphinx's own visitors of the child nodes
(``Text`` is escaped with :mod:`sphinx.util.texescape`); the only string we
write ourselves, the note marker, is escaped with ``self.escape``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.writers.latex import LATEXSECTIONNAMES

from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.nodes import quote_parts
from sphinx_faq_ext.util.upstream.sphinx import latex_after_heading

if TYPE_CHECKING:
    from sphinx.writers.latex import LaTeXTranslator

    from sphinx_faq_ext.nodes import (
        contents_depth,
        note_backlink,
        note_item,
        note_ref,
        notes_list,
        page_ref,
        printed_part,
        quote,
    )

LATEX_PACKAGE = "sphinxfaqext"
STY_FILE = Path(__file__).parent / "latex_static" / f"{LATEX_PACKAGE}.sty"


def _render(self: LaTeXTranslator, children: list[nodes.Node]) -> str:
    """LaTeX of *children*, rendered aside from the main body."""
    self.pushbody([])
    for child in children:
        child.walkabout(self)
    return "".join(self.popbody())


def title_note_anchor(key: str) -> str:
    """A hyperref anchor name for the note *key* (``docname:note-id``), digits only.

    Chapter heads are set upper-case (``\\MakeUppercase``, which also reaches
    link targets written in the heading), so a name with letters would not
    match its anchor any more; digits survive any case change.  60 bits of a
    hash: no two of a book's notes share a name, and a rebuild gives the same.
    """
    return str(int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:15], 16))


def _section_title_of(node: nodes.Node) -> nodes.title | None:
    """The section title *node* stands in, if any (a moving argument)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.title):
            return parent if isinstance(parent.parent, nodes.section) else None
        parent = parent.parent
    return None


def visit_quote(self: LaTeXTranslator, node: quote) -> None:
    """A ``quote`` environment (``faqquote``); the attribution set flush right."""
    self.body.append("\n\\begin{faqquote}\n")
    body, attribution = quote_parts(node)
    for child in body:
        child.walkabout(self)
    if attribution is not None:
        self.body.append("\n\\faqattribution{" + _render(self, attribution.children) + "}")
    self.body.append("\n\\end{faqquote}\n")
    raise nodes.SkipNode


def depart_quote(self: LaTeXTranslator, node: quote) -> None:
    """Never reached: :func:`visit_quote` renders the whole quote."""


def visit_note_ref(self: LaTeXTranslator, node: note_ref) -> None:
    """A real footnote in footnotes style, else a linked superscript marker."""
    title = _section_title_of(node)
    if node.get("style") == "footnotes" and node.children:
        text = _render(self, node.children)
        number = int(node.get("number", 0))
        if title is None:
            self.body.append(rf"\faqfootnote{{{number}}}{{" + text + "}")
        else:
            # A footnote cannot live in a heading (it moves to the table of
            # contents and running heads): the heading gets the mark, and the
            # text follows the heading, after Sphinx's closing brace and label
            # which visit_title left on the context stack.
            self.body.append(rf"\texorpdfstring{{\faqtitlenotemark{{{number}}}}}{{}}")
            latex_after_heading(self, rf"\footnotetext[{number}]{{" + text + "}\n")
        raise nodes.SkipNode
    marker = self.escape(faq_config(self.config).marker(node.get("number", 0)))
    target = f"{self.curfilestack[-1]}:{node['refid']}"
    link = self.hyperlink(target) + marker + "}}"
    if title is None:
        # Unskip first: the anchor would otherwise keep the space before the
        # marker.  \phantomsection: without an anchor of its own, the \label
        # (and the note's back link) would point at the question's heading.
        self.body.append(
            r"\faqunskip" + self.hypertarget_to(node, anchor=True)
            + r"\faqnotemark{" + link + "}"
        )
    else:
        # In a heading: no \label (it would be written again with the contents;
        # it goes after the heading, for the back link).  The link goes to the
        # note's digits-only \hypertarget: chapter heads are upper-cased, and
        # a \label name (letters) would be upper-cased with them.
        anchor = title_note_anchor(target)
        self.body.append(
            r"\texorpdfstring{\faqtitlenoteref{" + anchor + "}{" + marker + "}}{}"
        )
        latex_after_heading(self, self.hypertarget_to(node) + "\n")
    raise nodes.SkipNode


def depart_note_ref(self: LaTeXTranslator, node: note_ref) -> None:
    """Never reached: :func:`visit_note_ref` renders the whole marker."""


def visit_notes_list(self: LaTeXTranslator, node: notes_list) -> None:
    """Per-question endnotes: a small heading and a compact numbered list."""
    self.body.append("\n\\begin{faqnotes}\n")
    for child in node.children:
        if isinstance(child, nodes.rubric):
            self.body.append(r"\faqnotestitle{" + _render(self, child.children) + "}\n")
        else:
            child.walkabout(self)
    self.body.append("\n\\end{faqnotes}\n")
    raise nodes.SkipNode


def depart_notes_list(self: LaTeXTranslator, node: notes_list) -> None:
    """Never reached: :func:`visit_notes_list` renders the whole list."""


def visit_note_item(self: LaTeXTranslator, node: note_item) -> None:
    """An ``\\item`` carrying the note's anchors, so markers link to it.

    Two anchors: Sphinx's ``\\label`` for markers in the text, and a
    ``\\hypertarget`` named by :func:`title_note_anchor` for a marker in a
    heading.  Each note gets both: whether its marker sits in a heading is not
    known here, and an unused anchor costs nothing.
    """
    anchor = title_note_anchor(f"{self.curfilestack[-1]}:{node['ids'][0]}")
    self.body.append(
        r"\item {} " + self.hypertarget_to(node) + r"\hypertarget{" + anchor + "}{}"
    )


def depart_note_item(self: LaTeXTranslator, node: note_item) -> None:
    """End the item."""
    self.body.append("\n")


def visit_note_backlink(self: LaTeXTranslator, node: note_backlink) -> None:
    """A link back to the marker (useful in the PDF, discreet in print)."""
    target = f"{self.curfilestack[-1]}:{node['refid']}"
    self.body.append(r"\faqbacklink{" + self.hyperlink(target) + r"$\hookleftarrow$}}}")
    raise nodes.SkipNode


def depart_note_backlink(self: LaTeXTranslator, node: note_backlink) -> None:
    """Never reached."""


def visit_notes_placeholder(self: LaTeXTranslator, node: nodes.Element) -> None:
    """Placeholders are replaced at read time; render nothing if one survives."""
    raise nodes.SkipNode


def depart_notes_placeholder(self: LaTeXTranslator, node: nodes.Element) -> None:
    """Never reached."""


def visit_contents_depth(self: LaTeXTranslator, node: contents_depth) -> None:
    """Let the printed contents (and bookmarks) reach this question's heading.

    Raises the contents' depth to the level of the heading being written
    (Sphinx knows it: ``sectionnames`` and ``sectionlevel`` follow the
    book's class and ``latex_toplevel_sectioning``) through the template's
    ``tocdepth``, after Sphinx's own value from the toctree's ``:maxdepth:``.
    ``\\faqcontentsdepth`` only raises it, in TeX, past the class's default; a
    ``tocdepth`` in ``latex_elements`` is left alone, and a
    ``\\setcounter{tocdepth}`` in the preamble, which comes after, wins.
    hyperref takes the depth of the bookmarks from the same counter.
    """
    if "tocdepth" not in (self.config.latex_elements or {}):
        names = self.sectionnames
        name = names[max(0, min(self.sectionlevel, len(names) - 1))]
        depth = LATEXSECTIONNAMES.index(name) - 1
        current = self.elements.get("tocdepth", "")
        self.elements["tocdepth"] = f"{current}\n\\faqcontentsdepth{{{depth}}}".lstrip("\n")
    raise nodes.SkipNode


def depart_contents_depth(self: LaTeXTranslator, node: contents_depth) -> None:
    """Never reached."""


def visit_printed_part(self: LaTeXTranslator, node: printed_part) -> None:
    """``\\faqpart{caption}``: a part of the book, a line of its own in the contents.

    Sphinx names the printed contents after the root's first toctree caption
    ("Volume 1", as if the contents were the first volume's); a book in parts
    keeps the contents' own, translated name, unless ``latex_elements`` sets
    ``contentsname``.
    """
    if "contentsname" not in (self.config.latex_elements or {}):
        self.elements["contentsname"] = ""
    if node.get("chapter"):  # the next chapter is the part: \faqpartchapter
        self.body.append("\n\\faqpartchapter\n")
        raise nodes.SkipNode
    self.body.append("\n\\faqpart{" + self.encode(node["caption"]) + "}\n")
    raise nodes.SkipNode


def depart_printed_part(self: LaTeXTranslator, node: printed_part) -> None:
    """Never reached."""


def visit_page_ref(self: LaTeXTranslator, node: page_ref) -> None:
    """``\\faqpageref{\\pageref{…}}``: the page of the link just before.

    The label is the one Sphinx's ``visit_reference`` links to.
    """
    uri = node.get("refuri", "")
    if not uri and node.get("refid"):
        uri = "%" + self.curfilestack[-1] + "#" + node["refid"]
    if uri.startswith("#"):
        label = self.curfilestack[-1] + ":" + uri[1:]
    elif uri.startswith("%") and "#" in uri:
        label = uri[1:].replace("#", ":")
    elif uri.startswith("%"):
        label = uri[1:] + "::doc"
    else:
        raise nodes.SkipNode
    macro = r"\faqpageref" if node.get("style") == "leader" else r"\faqnumberpageref"
    self.body.append(macro + r"{\pageref{" + self.idescape(label) + "}}")
    raise nodes.SkipNode


def depart_page_ref(self: LaTeXTranslator, node: page_ref) -> None:
    """Never reached."""
