"""Tables (header rows as ``table.header``), images and figures."""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging

from sphinx_faq_ext.writers.typst.base import (
    TypstBase,
)
from sphinx_faq_ext.writers.typst.markup import length, string

logger = logging.getLogger(__name__)


class TableVisitors(TypstBase):
    """Tables (header rows as ``table.header``), images and figures."""

    # -- tables -------------------------------------------------------------------

    def visit_table(self, node: nodes.table) -> None:
        """``#faq-table`` around a Typst ``table``; header rows as ``table.header``."""
        self.add_labels(node)
        title = node.next_node(nodes.title)
        caption = (
            f"[{self.render(title.children)}]"
            if title is not None and title.parent is node else "none"
        )
        self.body.append(f"\n#faq-table(caption: {caption})[")

    def depart_table(self, node: nodes.table) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_tgroup(self, node: nodes.Element) -> None:
        """``#table(columns: (…)``, widths from the ``colspec`` nodes."""
        widths = [
            int(spec.get("colwidth", 1)) for spec in node.children
            if isinstance(spec, nodes.colspec)
        ] or [1] * int(node.get("cols", 1))
        columns = ", ".join(f"{max(1, w)}fr" for w in widths)
        if len(widths) == 1:
            columns += ","
        self.body.append(f"#table(columns: ({columns}),\n")

    def depart_tgroup(self, node: nodes.Element) -> None:
        """Close the table."""
        self.body.append(")")

    def visit_colspec(self, node: nodes.Element) -> None:
        """Read by :meth:`visit_tgroup`."""
        raise nodes.SkipNode

    def visit_thead(self, node: nodes.Element) -> None:
        """Header rows: ``table.header`` (tagged as such in the PDF)."""
        self.body.append("table.header(\n")

    def depart_thead(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("),\n")

    def visit_tbody(self, node: nodes.Element) -> None:
        """Body rows: the cells follow."""

    def depart_tbody(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_row(self, node: nodes.Element) -> None:
        """Cells follow one another; Typst starts a row every ``columns`` cells."""

    def depart_row(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_entry(self, node: nodes.Element) -> None:
        """A cell, spanning columns and rows as docutils says."""
        spans = []
        if node.get("morecols"):
            spans.append(f"colspan: {int(node['morecols']) + 1}")
        if node.get("morerows"):
            spans.append(f"rowspan: {int(node['morerows']) + 1}")
        self.body.append(f"table.cell({', '.join(spans)})[" if spans else "[")
        self.add_labels(node)

    def depart_entry(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("],\n")

    # -- images and figures ---------------------------------------------------

    def visit_image(self, node: nodes.image) -> None:
        """``#faq-image`` of the copy the builder made (named by its content)."""
        self.add_labels(node)
        uri = node.get("uri", "")
        path = getattr(self.builder, "images", {}).get(uri)
        alt = node.get("alt", "")
        if not alt:
            figure = node.parent
            if isinstance(figure, nodes.reference):
                figure = figure.parent
            caption = (figure.next_node(nodes.caption)
                       if isinstance(figure, nodes.figure) else None)
            alt = caption.astext() if caption is not None else ""
            logger.warning(
                "faqpdf: image %s has no alt text%s", uri,
                "; its caption stands in" if alt else "; its file name stands in",
                type="faq", subtype="image-alt", location=node,
            )
            alt = alt or uri.rsplit("/", 1)[-1]
        if path is None:
            problem = getattr(self.builder, "image_problems", {}).get(uri, "not found")
            logger.warning(
                "faqpdf: image %s cannot be printed (%s); its alt text is", uri, problem,
                type="faq", subtype="image", location=node,
            )
            self.body.append(f"#faq-missing-image({string(alt)})")
            raise nodes.SkipNode
        options = [f"alt: {string(alt)}"]
        width = length(node.get("width"))
        if width:
            options.append(f"width: {width}")
        height = length(node.get("height"), relative_to_width=False)
        if height:
            options.append(f"height: {height}")
        if node.get("scale") and not width:
            options.append(f"scale: {float(node['scale']):g}")
        if node.get("align") in ("left", "center", "right"):
            options.append(f"align: {node['align']}")
        block = not isinstance(node.parent, nodes.TextElement)
        options.append(f"block: {str(block).lower()}")
        call = f"#faq-image({string(path)}, {', '.join(options)})"
        if block:
            self.block(call)
        else:
            self.body.append(call)
        raise nodes.SkipNode

    def visit_figure(self, node: nodes.Element) -> None:
        """``#faq-figure[image][caption]``."""
        self.add_labels(node)
        self.body.append("\n#faq-figure[")

    def depart_figure(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_caption(self, node: nodes.Element) -> None:
        """A figure's caption (or a code block's)."""
        self.body.append("\n#faq-caption[")

    def depart_caption(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_legend(self, node: nodes.Element) -> None:
        """The legend, under the caption."""
        self.body.append("\n\n")

    def depart_legend(self, node: nodes.Element) -> None:
        """A blank line."""
        self.body.append("\n\n")
