"""Number notes per question and build each question's notes list.

Numbering happens at read time: it depends only on the document, so it is
exact under parallel and incremental builds.  How the notes are *shown*
(endnotes, footnotes, inline) depends on the builder and is decided by
:class:`NotesStylePostTransform` at write time, keeping the doctree neutral.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.domain import faq_domain
from sphinx_faq_ext.nodes import (
    enclosing_question,
    is_question,
    note_backlink,
    note_item,
    note_ref,
    notes_list,
    notes_placeholder,
)
from sphinx_faq_ext.util.builder import builder_class
from sphinx_faq_ext.util.walk import collect

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)
_ = get_translation("sphinx_faq_ext")


def note_id(anchor: str, number: int) -> str:
    """Id of note *number* of the question anchored at *anchor*."""
    return f"{anchor}-note-{number}"


def note_ref_id(anchor: str, number: int) -> str:
    """Id of the marker of note *number*."""
    return f"{anchor}-noteref-{number}"


class NoteNumberingTransform(SphinxTransform):
    """Number each question's notes 1..n in reading order and list them."""

    default_priority = 400

    def apply(self, **kwargs: Any) -> None:
        # One walk for both: a placeholder is never inside a marker, so
        # replacing orphan markers below does not change which there are.
        refs, found_placeholders = collect(self.document, note_ref, notes_placeholder)
        by_question: dict[int, tuple[nodes.section, list[note_ref]]] = {}
        for ref in cast("list[note_ref]", refs):
            question = enclosing_question(ref)
            if question is None:
                self.orphan(ref)
                continue
            by_question.setdefault(id(question), (question, []))[1].append(ref)

        placeholders: dict[int, list[notes_placeholder]] = {}
        for placeholder in cast("list[notes_placeholder]", found_placeholders):
            question = enclosing_question(placeholder)
            if question is None:
                logger.warning(
                    "faq:notes outside any faq:question",
                    type="faq",
                    subtype="notes-outside-question",
                    location=placeholder,
                )
                placeholder.parent.remove(placeholder)
                continue
            placeholders.setdefault(id(question), []).append(placeholder)

        domain = faq_domain(self.env)
        for key, (question, refs) in by_question.items():
            notes = self.build_list(question, refs)
            self.place(question, notes, placeholders.pop(key, []))
            domain.update_question(
                self.env.docname, question["faq_number"], note_count=len(refs)
            )
        for leftover in placeholders.values():  # faq:notes in a question with no notes
            for placeholder in leftover:
                placeholder.parent.remove(placeholder)

    def build_list(self, question: nodes.section, refs: list[note_ref]) -> notes_list:
        """Move each marker's text into a numbered list item."""
        anchor = question["ids"][0]
        items = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for number, ref in enumerate(refs, start=1):
            ref_id, target_id = note_ref_id(anchor, number), note_id(anchor, number)
            ref["number"] = number
            ref["ids"] = [ref_id]
            ref["refid"] = target_id
            paragraph = nodes.paragraph("", "", *ref.children)
            ref.children = []
            backlink = note_backlink("", "↩", refid=ref_id, classes=["faq-backlink"])
            item = note_item("", paragraph, ids=[target_id], backrefs=[ref_id])
            item["number"] = number
            paragraph += nodes.Text(" ")
            paragraph += backlink
            item.source, item.line = ref.source, ref.line
            items += item
        notes = notes_list(classes=["faq-notes"])
        notes["question"] = question["faq_number"]
        notes += nodes.rubric(_("Notes"), _("Notes"), classes=["faq-notes-title"])
        notes += items
        return notes

    def place(
        self, question: nodes.section, notes: notes_list, placeholders: list[notes_placeholder]
    ) -> None:
        """At the first ``faq:notes`` of the question, else before its sub-questions."""
        if placeholders:
            first, *rest = placeholders
            first.replace_self(notes)
            for extra in rest:
                logger.warning(
                    "more than one faq:notes in question %s; the first one is used",
                    question["faq_number"],
                    type="faq",
                    subtype="duplicate-notes",
                    location=extra,
                )
                extra.parent.remove(extra)
            return
        for index, child in enumerate(question.children):
            if is_question(child):
                question.insert(index, notes)
                return
        question += notes

    def orphan(self, ref: note_ref) -> None:
        """A note outside any question: warn, and keep its text in brackets."""
        logger.warning(
            "source note outside any faq:question: %s",
            ref.astext(),
            type="faq",
            subtype="note-outside-question",
            location=ref,
        )
        inline = nodes.inline("", "", classes=["faq-note-inline"])
        inline += nodes.Text("[")
        inline.extend(ref.children)
        inline += nodes.Text("]")
        ref.replace_self(inline)


def note_text(item: note_item) -> list[nodes.Node]:
    """Copies of the note's text nodes, without the back link."""
    children = [
        child for child in item.children[0].children if not isinstance(child, note_backlink)
    ]
    if children and isinstance(children[-1], nodes.Text) and not children[-1].strip():
        children.pop()  # the space before the back link
    return [child.deepcopy() for child in children]


class NotesStylePostTransform(SphinxPostTransform):
    """Apply ``faq_notes_style`` for the current builder.

    ``endnotes`` keeps the doctree as read.  ``footnotes`` copies each note's
    text into its marker (the writer turns it into a real footnote or a
    sidenote); non-HTML writers then drop the end list.  ``inline`` replaces
    markers by the bracketed note text and drops the list.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        builder = builder_class(self.env)
        name, fmt = builder.name, builder.format
        style = faq_config(self.config).notes_style_for(name)
        if style == "endnotes":
            return
        # Keyed by question too: a merged tree (LaTeX, texinfo, singlehtml)
        # may hold two documents' questions with the same anchor.
        # One walk for the three: pairing markers with notes and replacing
        # markers changes none of the notes lists.
        items, refs, lists = collect(self.document, note_item, note_ref, notes_list)
        notes: dict[tuple[int, str], nodes.Element] = {}
        for item in items:
            for backref in item["backrefs"]:
                notes[(id(enclosing_question(item)), backref)] = item
        for ref in refs:
            key = (id(enclosing_question(ref)), ref["ids"][0]) if ref["ids"] else None
            item = notes.get(key) if key else None
            if item is None:
                continue
            text = note_text(cast("note_item", item))
            if style == "inline":
                inline = nodes.inline("", "", classes=["faq-note-inline"])
                inline += nodes.Text("[")
                inline.extend(text)
                inline += nodes.Text("]")
                ref.replace_self(inline)
            else:
                ref["style"] = "footnotes"
                ref.extend(text)
        if style == "inline" or fmt != "html":
            for notes_node in lists:
                notes_node.parent.remove(notes_node)


_OWN_ID = re.compile(r"^(?P<anchor>.+)-(?:note|noteref|quote)-\d+$")


class DuplicateAnchorPostTransform(SphinxPostTransform):
    """Give a duplicate number's question the anchor the domain chose for it.

    Anchors are made unique within a document at read time; only once every
    document is read does the domain know that another document holds the
    same number (a warned duplicate).  In a tree that merges documents
    (singlehtml, LaTeX, Texinfo, faqpdf) its section id and the ids of its own
    notes, markers and quotes then get the domain's distinct anchor, so both
    questions' notes and links stay apart.
    """

    default_priority = 4  # before the notes style pairs markers with notes

    def run(self, **kwargs: Any) -> None:
        domain = faq_domain(self.env)
        if not domain.data.get("renamed"):
            return
        if next(iter(self.document.findall(addnodes.start_of_file)), None) is None:
            # One document per output file: its anchors are unique there, and
            # the tables of contents link to them as read.
            return
        for section in list(self.document.findall(nodes.section)):
            if not is_question(section) or not section["ids"]:
                continue
            old = section["ids"][0]
            docname = section.get("faq_docname", self.env.docname)
            new = domain.written_anchor(docname, old)
            if new != old:
                self.rename(section, old, new)

    @staticmethod
    def rename(section: nodes.section, old: str, new: str) -> None:
        def swap(value: str) -> str:
            match = _OWN_ID.match(value)
            if value == old:
                return new
            if match and match["anchor"] == old:
                return new + value[len(old):]
            return value

        for node in section.findall(nodes.Element):
            if is_question(node) and node is not section:
                continue  # a nested question's ids follow its own anchor
            node["ids"] = [swap(value) for value in node["ids"]]
            if "refid" in node:
                node["refid"] = swap(node["refid"])
            if node.get("backrefs"):
                node["backrefs"] = [swap(value) for value in node["backrefs"]]
            if isinstance(node, addnodes.index):
                node["entries"] = [
                    (*entry[:2], swap(entry[2]), *entry[3:]) for entry in node["entries"]
                ]


def strip_title_notes(app: Sphinx, doctree: nodes.document) -> None:
    """Remove note markers (and ids) from the document's table of contents and titles.

    A note in a question's title belongs to the question: copied into the
    toctree, the sidebar or another page's contents it would nest a link in a
    link, repeat the marker's id and point at a note on another page.
    """
    env = app.env
    docname = env.docname
    for tree in (env.tocs.get(docname), env.titles.get(docname), env.longtitles.get(docname)):
        if tree is None:
            continue
        for ref in list(tree.findall(note_ref)):
            ref.parent.remove(ref)
        # A note outside any question stays in its title as bracketed text
        # (NoteNumberingTransform.orphan); its copies keep no ids either, or a
        # page listing that title would repeat them.
        for inline in list(tree.findall(nodes.inline)):
            if "faq-note-inline" in inline["classes"] and inline.parent is not None:
                inline.parent.remove(inline)
        for element in tree.findall(nodes.Element):
            if element["ids"] and not isinstance(element, nodes.section):
                element["ids"] = []


def glue_note_markers(tree: nodes.Node, markers: Iterable[nodes.Element] | None = None) -> None:
    """Make the space before each note marker a no-break space.

    A marker must never begin a line (or a page, away from its sentence).
    Both ``faqpdf`` engines call it on the doctree they write, and the ePub's
    writer glues each marker as it writes it (:func:`glued_before`; e-readers
    break lines where they like); a website's notes are links the reader's
    browser may break before.  *markers*: *tree*'s markers in reading order,
    when the caller has them already.
    """
    for ref in tree.findall(note_ref) if markers is None else markers:
        glued = glued_before(ref)
        if glued is not None:
            ref.parent.replace(glued[0], glued[1])


def glued_before(ref: nodes.Element) -> tuple[nodes.Text, nodes.Text] | None:
    """The text node before the note marker *ref* and that text glued to it (its
    trailing space a no-break space); None when nothing needs gluing."""
    index = ref.parent.index(ref)
    before = ref.parent[index - 1] if index else None
    if isinstance(before, nodes.Text) and before.endswith((" ", "\n")):
        return before, nodes.Text(before.rstrip() + "\u00a0")
    return None
