"""Per-writer rendering of the ``faq`` nodes, and their registration.

Every node is registered with its visitors written out, one tuple per writer,
as ``sphinx.ext.todo`` does.  No ``epub=``/``singlehtml=`` entries on purpose
(Sphinx issue 9219): those builders fall back to the HTML visitors, which
branch on the builder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_faq_ext import nodes
from sphinx_faq_ext.writers import html, latex, plain
from sphinx_faq_ext.writers.typst import faq as typst_faq

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Render nothing: for placeholders a post-transform replaces (if one reaches
#: a writer, a transform failed) and for what a medium cannot show.
SKIP = (plain.visit_skip, plain.depart_nothing)
#: Text, manual page and Texinfo render the same shapes.
PLAIN_QUOTE = (plain.visit_quote_text, plain.depart_quote_text)
PLAIN_NOTES_LIST = (plain.visit_notes_list_text, plain.depart_notes_list_text)
PLAIN_NOTE_ITEM = (plain.visit_note_item_text, plain.depart_note_item_text)
MAN_NOTE_REF = (plain.visit_note_ref_man, plain.depart_note_ref_man)
TYPST_SKIP = (typst_faq.visit_skip, typst_faq.depart_nothing)


def setup_writers(app: Sphinx) -> None:
    """Register every node with html, latex, text, man, texinfo and typst visitors."""
    app.add_node(
        nodes.quote,
        html=(html.visit_quote, html.depart_quote),
        latex=(latex.visit_quote, latex.depart_quote),
        text=PLAIN_QUOTE,
        man=PLAIN_QUOTE,
        texinfo=PLAIN_QUOTE,
        typst=(typst_faq.visit_quote, typst_faq.depart_quote),
    )
    app.add_node(
        nodes.note_ref,
        html=(html.visit_note_ref, html.depart_note_ref),
        latex=(latex.visit_note_ref, latex.depart_note_ref),
        text=(plain.visit_note_ref_text, plain.depart_note_ref_text),
        man=MAN_NOTE_REF,
        texinfo=MAN_NOTE_REF,
        typst=(typst_faq.visit_note_ref, typst_faq.depart_note_ref),
    )
    app.add_node(
        nodes.notes_list,
        html=(html.visit_notes_list, html.depart_notes_list),
        latex=(latex.visit_notes_list, latex.depart_notes_list),
        text=PLAIN_NOTES_LIST,
        man=PLAIN_NOTES_LIST,
        texinfo=PLAIN_NOTES_LIST,
        typst=(typst_faq.visit_notes_list, typst_faq.depart_notes_list),
    )
    app.add_node(
        nodes.note_item,
        html=(html.visit_note_item, html.depart_note_item),
        latex=(latex.visit_note_item, latex.depart_note_item),
        text=PLAIN_NOTE_ITEM,
        man=PLAIN_NOTE_ITEM,
        texinfo=PLAIN_NOTE_ITEM,
        typst=(typst_faq.visit_note_item, typst_faq.depart_note_item),
    )
    app.add_node(
        nodes.note_backlink,
        html=(html.visit_note_backlink, html.depart_note_backlink),
        latex=(latex.visit_note_backlink, latex.depart_note_backlink),
        text=SKIP,
        man=SKIP,
        texinfo=SKIP,
        typst=(typst_faq.visit_note_backlink, typst_faq.depart_note_backlink),
    )
    app.add_node(
        nodes.notes_placeholder,
        html=(html.visit_notes_placeholder, html.depart_notes_placeholder),
        latex=(latex.visit_notes_placeholder, latex.depart_notes_placeholder),
        text=SKIP,
        man=SKIP,
        texinfo=SKIP,
        typst=TYPST_SKIP,
    )
    # Placeholders of the whole-book features: replaced by post-transforms.
    app.add_node(
        nodes.question_index,
        html=SKIP, latex=SKIP, text=SKIP, man=SKIP, texinfo=SKIP, typst=TYPST_SKIP,
    )
    app.add_node(
        nodes.works_index,
        html=SKIP, latex=SKIP, text=SKIP, man=SKIP, texinfo=SKIP, typst=TYPST_SKIP,
    )
    app.add_node(
        nodes.cite_pending,
        html=SKIP, latex=SKIP, text=SKIP, man=SKIP, texinfo=SKIP, typst=TYPST_SKIP,
    )
    app.add_node(
        nodes.page_ref,
        html=SKIP,
        latex=(latex.visit_page_ref, latex.depart_page_ref),
        text=SKIP,
        man=SKIP,
        texinfo=SKIP,
        typst=TYPST_SKIP,
    )
    # Only LaTeX's ContentsDepthPostTransform inserts this node.
    app.add_node(
        nodes.contents_depth,
        html=SKIP,
        latex=(latex.visit_contents_depth, latex.depart_contents_depth),
        text=SKIP,
        man=SKIP,
        texinfo=SKIP,
    )
    # Only LaTeX's PrintedPartsPostTransform and the Typst builder insert this node.
    app.add_node(
        nodes.printed_part,
        html=SKIP,
        latex=(latex.visit_printed_part, latex.depart_printed_part),
        text=SKIP,
        man=SKIP,
        texinfo=SKIP,
        typst=(typst_faq.visit_printed_part, typst_faq.depart_nothing),
    )
    # Only the text builder's DeepSectionsPostTransform inserts this node.
    app.add_node(
        nodes.section_levels, text=(plain.visit_section_levels_text, plain.depart_nothing)
    )
