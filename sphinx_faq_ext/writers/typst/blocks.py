"""Quotations, code, admonitions, containers and described objects."""

from __future__ import annotations

from docutils import nodes
from sphinx.locale import admonitionlabels

from sphinx_faq_ext.writers.typst.base import (
    BACK_MATTER_CLASS,
    DESIGN_BOXES,
    PLAIN_LANGUAGES,
    TypstBase,
)
from sphinx_faq_ext.writers.typst.markup import escape, string


class BlockVisitors(TypstBase):
    """Quotations, code, admonitions, containers and described objects."""

    # -- blocks -------------------------------------------------------------------

    def visit_block_quote(self, node: nodes.Element) -> None:
        """An indented quotation (an attributed ``faq:quote`` has its own visitor)."""
        self.add_labels(node)
        attribution = node.next_node(nodes.attribution)
        node["faq-typst-attribution"] = attribution is not None
        self.body.append("\n#faq-quote(attribution: none)[")

    def depart_block_quote(self, node: nodes.Element) -> None:
        """Close it."""
        node.attributes.pop("faq-typst-attribution", None)
        self.body.append("]\n\n")

    def visit_attribution(self, node: nodes.Element) -> None:
        """An attribution inside a plain block quote: a line set flush right."""
        self.body.append("\n#faq-attribution[")

    def depart_attribution(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_literal_block(self, node: nodes.Element) -> None:
        """A code block, highlighted by Typst for its language."""
        self.add_labels(node)
        language = node.get("language", "") or ""
        if language == "default":
            language = getattr(self.config, "highlight_language", "") or ""
        lang = "none" if language in PLAIN_LANGUAGES else string(language)
        if node.rawsource != node.astext() and not node.get("language"):
            # a parsed literal: inline markup inside; set as text, monospaced
            self.body.append("\n#faq-parsed-literal[")
            return
        self.block(f"#faq-code({string(node.astext())}, lang: {lang})")
        raise nodes.SkipNode

    def depart_literal_block(self, node: nodes.Element) -> None:
        """Close a parsed literal."""
        self.body.append("]\n\n")

    def visit_doctest_block(self, node: nodes.Element) -> None:
        """Python console text, highlighted as such."""
        self.block(f"#faq-code({string(node.astext())}, lang: \"pycon\")")
        raise nodes.SkipNode

    def _admonition(self, node: nodes.Element, title: str | None) -> None:
        self.add_labels(node)
        heading = "none" if title is None else f"[{escape(title)}]"
        kind = node.tagname
        self.body.append(f"\n#faq-admonition(kind: {string(kind)}, title: {heading})[")

    def _admonition_end(self, node: nodes.Element | None = None) -> None:
        self.body.append("]\n\n")

    def visit_admonition(self, node: nodes.Element) -> None:
        """A titled box (its ``title`` child is its heading line)."""
        self._admonition(node, None)

    depart_admonition = _admonition_end

    def _named_admonition(self, node: nodes.Element) -> None:
        self._admonition(node, str(admonitionlabels.get(node.tagname, node.tagname.capitalize())))

    visit_attention = visit_caution = visit_danger = visit_error = _named_admonition
    visit_hint = visit_important = visit_note = visit_tip = _named_admonition
    visit_warning = visit_seealso = _named_admonition
    depart_attention = depart_caution = depart_danger = depart_error = _admonition_end
    depart_hint = depart_important = depart_note = depart_tip = _admonition_end
    depart_warning = depart_seealso = _admonition_end

    def visit_versionmodified(self, node: nodes.Element) -> None:
        """"New in version …": a paragraph of its own."""
        self.body.append("\n\n")
        self.add_labels(node)

    def depart_versionmodified(self, node: nodes.Element) -> None:
        """A blank line."""
        self.body.append("\n\n")

    def visit_topic(self, node: nodes.Element) -> None:
        """A box with its title."""
        self._admonition(node, None)

    depart_topic = _admonition_end
    visit_sidebar = visit_topic
    depart_sidebar = _admonition_end

    def visit_compound(self, node: nodes.Element) -> None:
        """Its children."""
        self.add_labels(node)

    def depart_compound(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_container(self, node: nodes.Element) -> None:
        """Its children; the back matter opens on a right-hand page; a card is framed."""
        self.add_labels(node)
        classes = set(node["classes"])
        if BACK_MATTER_CLASS in classes:
            self.block("#faq-chapter-start(back-matter: true)")
            rubric = node.next_node(nodes.rubric)
            if rubric is not None and rubric.parent is node:
                self.body.append(
                    f"\n#faq-running-head({string(rubric.astext())})\n"
                    "#heading(level: 1, outlined: true, bookmarked: true)["
                    + self.render(rubric.children) + "]\n\n"
                )
                rubric.parent.remove(rubric)
            node["faq-typst-close"] = "#faq-chapter-end()\n\n"
            return
        if classes & DESIGN_BOXES:
            self.body.append("\n#faq-box[")
            node["faq-typst-close"] = "]\n\n"
            return
        self.body.append("\n")

    def depart_container(self, node: nodes.Element) -> None:
        """Close what the visit opened."""
        self.body.append(node.attributes.pop("faq-typst-close", "\n"))

    def visit_centered(self, node: nodes.Element) -> None:
        """Centred text."""
        self.body.append("\n#align(center)[")

    def depart_centered(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_compact_paragraph(self, node: nodes.Element) -> None:
        """A paragraph (Sphinx's, inside generated lists)."""
        self.body.append("\n")
        self.add_labels(node)

    def depart_compact_paragraph(self, node: nodes.Element) -> None:
        """A blank line."""
        self.body.append("\n\n")

    def visit_hlist(self, node: nodes.Element) -> None:
        """Columns of a list: one list."""
        self.add_labels(node)

    def depart_hlist(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_hlistcol(self, node: nodes.Element) -> None:
        """One column."""

    def depart_hlistcol(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_only(self, node: nodes.Element) -> None:
        """Left by a builder that does not filter: its children."""

    def depart_only(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_glossary(self, node: nodes.Element) -> None:
        """Its definition list."""

    def depart_glossary(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_acks(self, node: nodes.Element) -> None:
        """Its list."""

    def depart_acks(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_productionlist(self, node: nodes.Element) -> None:
        """A grammar: its rules as code."""
        text = "\n".join(
            f"{child.get('tokenname', '')} ::= {child.astext()}" for child in node.children
        )
        self.block(f"#faq-code({string(text)}, lang: none)")
        raise nodes.SkipNode

    def visit_manpage(self, node: nodes.Element) -> None:
        """A manual page name, in italics."""
        self._inline("emph")

    depart_manpage = TypstBase._close

    def visit_tabular_col_spec(self, node: nodes.Element) -> None:
        """LaTeX column specification."""
        raise nodes.SkipNode

    visit_highlightlang = visit_tabular_col_spec

    # -- objects described by a domain (desc) -----------------------------------

    def visit_desc(self, node: nodes.Element) -> None:
        """A described object: its signature lines, then an indented body."""
        self.body.append("\n\n")

    def depart_desc(self, node: nodes.Element) -> None:
        """A blank line."""
        self.body.append("\n\n")

    def visit_desc_signature(self, node: nodes.Element) -> None:
        """A signature line, in bold code."""
        self.body.append("\n")
        self.add_labels(node)
        self.body.append("#faq-term[")

    def depart_desc_signature(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n")

    visit_desc_signature_line = visit_compound
    depart_desc_signature_line = depart_compound
    def visit_desc_content(self, node: nodes.Element) -> None:
        """The description, indented under its signature."""
        self.body.append("\n#faq-definition[")

    def depart_desc_content(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_desc_parameterlist(self, node: nodes.Element) -> None:
        """``(a, b)``."""
        self.body.append(escape("("))
        node["faq-typst-first"] = True

    def depart_desc_parameterlist(self, node: nodes.Element) -> None:
        """Close the brackets."""
        node.attributes.pop("faq-typst-first", None)
        self.body.append(escape(")"))

    visit_desc_type_parameter_list = visit_desc_parameterlist
    depart_desc_type_parameter_list = depart_desc_parameterlist

    def visit_desc_parameter(self, node: nodes.Element) -> None:
        """A parameter, after a comma but the first."""
        parent = node.parent
        if parent is not None and not parent.attributes.pop("faq-typst-first", False):
            self.body.append(", ")

    def depart_desc_parameter(self, node: nodes.Element) -> None:
        """Nothing."""

    visit_desc_type_parameter = visit_desc_parameter
    depart_desc_type_parameter = depart_desc_parameter

    def visit_desc_optional(self, node: nodes.Element) -> None:
        """``[…]``."""
        self.body.append(escape("["))

    def depart_desc_optional(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append(escape("]"))

    def visit_desc_returns(self, node: nodes.Element) -> None:
        """`` → type``."""
        self.body.append(" → ")

    def depart_desc_returns(self, node: nodes.Element) -> None:
        """Nothing."""
