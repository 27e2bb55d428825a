"""Bullet, enumerated, definition, field and option lists; bibliographic fields."""

from __future__ import annotations

from docutils import nodes

from sphinx_faq_ext.writers.typst.base import (
    ENUM_SYMBOLS,
    PRINTED_TABLES,
    TypstBase,
)
from sphinx_faq_ext.writers.typst.markup import escape, string


class ListVisitors(TypstBase):
    """Bullet, enumerated, definition, field and option lists; bibliographic fields."""

    # -- lists ----------------------------------------------------------------

    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        """``#list(…)``; in the question index or works quoted, with page numbers."""
        self.add_labels(node)
        styles = [PRINTED_TABLES[c] for c in node["classes"] if c in PRINTED_TABLES]
        if styles:
            self.printed_table.append(styles[0])
        elif self.printed_table:
            self.printed_table.append(self.printed_table[-1])
        if styles:
            self.body.append("\n#faq-printed-list(\n")
        elif self.printed_table:  # a branch of the question index
            self.body.append("\n#faq-printed-list(nested: true,\n")
        else:
            self.body.append("\n#list(\n")

    def depart_bullet_list(self, node: nodes.bullet_list) -> None:
        """Close it."""
        if self.printed_table:
            self.printed_table.pop()
        self.body.append(")\n\n")

    def visit_enumerated_list(self, node: nodes.enumerated_list) -> None:
        """``#enum(…)`` numbered as docutils says."""
        self.add_labels(node)
        symbol = ENUM_SYMBOLS.get(node.get("enumtype", "arabic"), "1")
        pattern = node.get("prefix", "") + symbol + node.get("suffix", ".")
        start = node.get("start", 1)
        self.body.append(f"\n#enum(numbering: {string(pattern)}, start: {int(start)},\n")

    def depart_enumerated_list(self, node: nodes.enumerated_list) -> None:
        """Close it."""
        self.body.append(")\n\n")

    def visit_list_item(self, node: nodes.list_item) -> None:
        """One item: a content block."""
        self.body.append("[")
        self.add_labels(node)

    def depart_list_item(self, node: nodes.list_item) -> None:
        """Close it."""
        self.body.append("],\n")

    def visit_definition_list(self, node: nodes.Element) -> None:
        """Terms and their definitions."""
        self.add_labels(node)
        self.body.append("\n\n")

    def depart_definition_list(self, node: nodes.Element) -> None:
        """A blank line."""
        self.body.append("\n\n")

    def visit_definition_list_item(self, node: nodes.Element) -> None:
        """One term and its definition."""
        self.add_labels(node)

    def depart_definition_list_item(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_term(self, node: nodes.Element) -> None:
        """The term, in bold."""
        self.body.append("\n#faq-term[")
        self.add_labels(node)

    def depart_term(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n")

    def visit_classifier(self, node: nodes.Element) -> None:
        """`` : classifier`` after the term."""
        self.body.append(escape(" : "))

    def depart_classifier(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_definition(self, node: nodes.Element) -> None:
        """Indented under its term."""
        self.body.append("\n#faq-definition[")

    def depart_definition(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n\n")

    visit_field_list = visit_definition_list
    depart_field_list = depart_definition_list
    visit_field = visit_definition_list_item
    depart_field = depart_definition_list_item

    def visit_field_name(self, node: nodes.Element) -> None:
        """The field's name, in bold."""
        self.body.append("\n#faq-term[")

    def depart_field_name(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n")

    visit_field_body = visit_definition
    depart_field_body = depart_definition
    visit_option_list = visit_definition_list
    depart_option_list = depart_definition_list
    visit_option_list_item = visit_definition_list_item
    depart_option_list_item = depart_definition_list_item

    def visit_option_group(self, node: nodes.Element) -> None:
        """The options, as code."""
        options = ", ".join(child.astext() for child in node.children)
        self.body.append(f"\n#faq-term[#raw({string(options)})]\n")
        raise nodes.SkipNode

    visit_description = visit_definition
    depart_description = depart_definition

    def visit_docinfo(self, node: nodes.Element) -> None:
        """Bibliographic fields: a definition list of their names and values."""
        self.body.append("\n\n")

    def depart_docinfo(self, node: nodes.Element) -> None:
        """A blank line."""
        self.body.append("\n\n")

    def _docinfo_field(self, node: nodes.Element) -> None:
        """The field's name in the document's language (docutils' own labels)."""
        from docutils.languages import get_language

        labels = get_language(self.settings.language_code or "en", None).labels
        name = labels.get(node.tagname, node.tagname.capitalize())
        self.body.append(f"\n#faq-term[{escape(name)}]\n#faq-definition[")

    def _docinfo_end(self, node: nodes.Element) -> None:
        self.body.append("]\n\n")

    visit_author = visit_organization = visit_address = visit_contact = _docinfo_field
    visit_version = visit_revision = visit_status = visit_date = _docinfo_field
    visit_copyright = _docinfo_field
    depart_author = depart_organization = depart_address = depart_contact = _docinfo_end
    depart_version = depart_revision = depart_status = depart_date = _docinfo_end
    depart_copyright = _docinfo_end

    def visit_authors(self, node: nodes.Element) -> None:
        """Its ``author`` children."""

    def depart_authors(self, node: nodes.Element) -> None:
        """Nothing."""
