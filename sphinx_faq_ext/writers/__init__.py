"""Per-writer rendering of the ``faq`` nodes, and their registration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_faq_ext import nodes
from sphinx_faq_ext.writers import html, latex, plain

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_writers(app: Sphinx) -> None:
    """Register every node with html, latex, text, man and texinfo visitors.

    No ``epub=``/``singlehtml=`` entries on purpose (Sphinx issue 9219): those
    builders fall back to the HTML visitors, which branch on the builder.
    """
    for node_class in (
        nodes.quote,
        nodes.note_ref,
        nodes.notes_list,
        nodes.note_item,
        nodes.note_backlink,
        nodes.notes_placeholder,
    ):
        name = node_class.__name__
        app.add_node(
            node_class,
            html=(getattr(html, f"visit_{name}"), getattr(html, f"depart_{name}")),
            latex=(getattr(latex, f"visit_{name}"), getattr(latex, f"depart_{name}")),
            text=(getattr(plain, f"visit_{name}_text"), getattr(plain, f"depart_{name}_text")),
            man=(getattr(plain, f"visit_{name}_man"), getattr(plain, f"depart_{name}_man")),
            texinfo=(
                getattr(plain, f"visit_{name}_texinfo"),
                getattr(plain, f"depart_{name}_texinfo"),
            ),
        )
    latex.setup_latex_support(app)
    # Only the text builder's post-transform inserts this node.
    app.add_node(
        plain.section_levels, text=(plain.visit_section_levels_text, plain.depart_nothing)
    )
    app.add_post_transform(plain.DeepSectionsPostTransform)
