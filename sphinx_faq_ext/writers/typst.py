"""The Typst translator: a merged book doctree as Typst markup.

Written with the discipline of Sphinx's LaTeX writer:

* every string from the book reaches Typst through
  :func:`~sphinx_faq_ext.writers.typst_markup.escape` (markup) or
  :func:`~sphinx_faq_ext.writers.typst_markup.string` (code);
* every docutils and Sphinx node has a visitor here (Sphinx's translators
  dispatch along the node's class hierarchy, so a Sphinx node subclassing
  ``inline`` or ``paragraph`` is rendered as one); sphinx-design's nodes are
  made readable (a tab's label as a heading line, a dropdown open, icons
  left out); our own ``faq`` nodes' visitors are registered in
  ``writers/__init__.py`` with ``typst=(visit, depart)`` and live in
  :mod:`sphinx_faq_ext.writers.typst_faq`;
* a node nobody knows gives one located ``faq.typst`` warning a node class,
  and its text is kept — never a crash, never lost text.

The markup calls the functions of the book template
(``builders/typst_static/faq-book.typ``: ``faq-quote``, ``faq-admonition``,
``faq-page`` …) rather than spelling the layout out, so a book restyles its
PDF in Typst without touching Python.

Labels: a docutils id becomes a Typst label only when something links to it
(:attr:`TypstTranslator.targets`); a link whose target the book does not
print gets a label at the end of the book and a warning, as Typst refuses
a link to a missing label.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import admonitionlabels, get_translation
from sphinx.util import logging
from sphinx.util.docutils import SphinxTranslator

from sphinx_faq_ext.nodes import is_question
from sphinx_faq_ext.writers.typst_markup import escape, label, length, string

if TYPE_CHECKING:
    from sphinx.builders import Builder

logger = logging.getLogger(__name__)
_ = get_translation("sphinx_faq_ext")

#: docutils ``enumtype`` -> Typst numbering symbol.
ENUM_SYMBOLS = {"arabic": "1", "loweralpha": "a", "upperalpha": "A",
                "lowerroman": "i", "upperroman": "I"}
#: Sphinx highlight languages that mean "no highlighting".
PLAIN_LANGUAGES = frozenset({"", "none", "text", "default", "guess", "output", "console"})
#: The deepest heading level a tagged PDF may have (H1..H6).
DEEPEST_HEADING = 6
#: Classes of ``faq:index`` and ``faq:sources`` tables: their links get page numbers.
PRINTED_TABLES = {"faq-index": "leader", "faq-sources": "number"}
BACK_MATTER_CLASS = "faq-back-matter"
#: sphinx-design containers drawn as a framed box.
DESIGN_BOXES = frozenset({"sd-card", "sd-tab-item"})


def link_targets(tree: nodes.Element) -> set[str]:
    """Every id something in *tree* links to (``refid``, ``#id`` URIs, footnotes)."""
    targets: set[str] = set()
    for node in tree.findall(nodes.Element):
        refid = node.get("refid")
        if refid:
            targets.add(refid)
        uri = node.get("refuri", "")
        if isinstance(uri, str) and uri.startswith("#") and len(uri) > 1:
            targets.add(uri[1:])
    return targets


class TypstTranslator(SphinxTranslator):
    """Visit a book doctree and write Typst markup into :attr:`body`."""

    #: Running state set by the builder: which sections the contents list.
    outlined: set[str] | None = None
    #: How many section levels the root document's title takes (its own title
    #: is the title page; its chapters are Typst level-1 headings).
    hidden_levels = 1
    #: Node classes already warned about (one warning a class and a build).
    warned: ClassVar[set[str]] = set()

    def __init__(self, document: nodes.document, builder: Builder) -> None:
        super().__init__(document, builder)
        self.body: list[str] = []
        self.section_level = 0
        self.targets = link_targets(document)
        self.labelled: set[str] = set()
        self.linked: dict[str, nodes.Node] = {}
        self.footnotes: dict[str, nodes.footnote] = {}
        for footnote in document.findall(nodes.footnote):
            for node_id in footnote["ids"]:
                self.footnotes[node_id] = footnote
        self.footnotes_written: set[str] = set()
        #: The note labels already printed as a footnote: a second marker of
        #: the same note refers to it instead of printing it again.
        self.notes_written: set[str] = set()
        self.chapters_open: list[bool] = []
        self.in_heading = 0
        self.printed_table: list[str] = []
        self.index_entries = 0

    def astext(self) -> str:
        """The markup written, with labels for links to what the book does not print."""
        missing = sorted(set(self.linked) - self.labelled)
        tail = []
        for target in missing:
            logger.warning(
                "faqpdf: a link to #%s, which the book does not print, goes to its end",
                target, type="faq", subtype="typst", location=self.linked[target],
            )
            tail.append(f"#metadata(none) {label(target)}\n")
        return "".join(self.body) + "".join(tail)

    # -- helpers ------------------------------------------------------------

    def labels_of(self, node: nodes.Element) -> str:
        """``#metadata(none) <id>`` for each id of *node* that a link needs."""
        out = []
        for node_id in node.get("ids", []):
            if node_id in self.targets and node_id not in self.labelled:
                self.labelled.add(node_id)
                out.append(f"#metadata(none) {label(node_id)}")
        return "".join(out)

    def add_labels(self, node: nodes.Element) -> None:
        """Write the labels of *node* where the writer stands."""
        if marks := self.labels_of(node):
            self.body.append(marks)

    def link_to(self, target: str, node: nodes.Node) -> str:
        """``<label>`` of an in-book target, remembered to check it is printed."""
        self.linked.setdefault(target, node)
        return label(target)

    def render(self, children: list[nodes.Node] | nodes.Element) -> str:
        """Markup of *children*, written aside from the main body."""
        saved, self.body = self.body, []
        try:
            for child in children:
                child.walkabout(self)
            return "".join(self.body)
        finally:
            self.body = saved

    def block(self, markup: str) -> None:
        """A block-level piece of markup, on lines of its own."""
        self.body.append(f"\n{markup}\n\n")

    def warn_unknown(self, node: nodes.Node) -> None:
        """One located warning a node class: it is rendered as its children."""
        name = type(node).__name__
        if name in self.warned:
            return
        self.warned.add(name)
        logger.warning(
            "faqpdf (Typst): no visitor for %s nodes; their text is printed plain",
            name, type="faq", subtype="typst", location=node,
        )

    # -- unknown nodes: their children, with one warning ---------------------

    def unknown_visit(self, node: nodes.Node) -> None:
        """A node nobody registered: warn once, keep its text."""
        self.warn_unknown(node)
        if _is_block(node):
            self.body.append("\n\n")
        if isinstance(node, nodes.Element):
            self.add_labels(node)

    def unknown_departure(self, node: nodes.Node) -> None:
        """Close what :meth:`unknown_visit` opened."""
        if _is_block(node):
            self.body.append("\n\n")

    # -- document structure ---------------------------------------------------

    def visit_document(self, node: nodes.document) -> None:
        """Nothing before the book: the builder writes the preamble."""

    def depart_document(self, node: nodes.document) -> None:
        """Nothing after it."""

    def visit_start_of_file(self, node: addnodes.start_of_file) -> None:
        """A document of the toctree: its first section is a chapter."""
        self.add_labels(node)
        self.chapters_open.append(False)

    def depart_start_of_file(self, node: addnodes.start_of_file) -> None:
        """The chapter ends (the next one opens on a right-hand page)."""
        if self.chapters_open.pop():
            self.block("#faq-chapter-end()")

    def visit_section(self, node: nodes.section) -> None:
        """One level deeper; a chapter opens on a right-hand page."""
        self.section_level += 1
        level = self.section_level - self.hidden_levels
        back_matter = BACK_MATTER_CLASS in node["classes"]
        if level == 1 and (
            (self.chapters_open and not self.chapters_open[-1]) or back_matter
        ):
            if self.chapters_open and not self.chapters_open[-1]:
                self.chapters_open[-1] = True
            self.block(f"#faq-chapter-start(back-matter: {str(back_matter).lower()})")
        if is_question(node):
            self.block(f"#faq-question-start({string(node.get('faq_number', ''))})")

    def depart_section(self, node: nodes.section) -> None:
        """One level up."""
        self.section_level -= 1

    def visit_title(self, node: nodes.title) -> None:
        """A heading (bookmarked, in the contents as ``outlined`` says), or a bold line."""
        parent = node.parent
        if isinstance(parent, nodes.section):
            level = self.section_level - self.hidden_levels
            if level < 1:
                raise nodes.SkipNode  # the root document's title: the title page
            section_ids = parent["ids"]
            anchor = section_ids[0] if section_ids else ""
            outlined = self.outlined is None or anchor in self.outlined
            head = string(running_head(node))
            for node_id in section_ids[1:]:
                if node_id in self.targets and node_id not in self.labelled:
                    self.labelled.add(node_id)
                    self.body.append(f"#metadata(none) {label(node_id)}\n")
            self.body.append(
                f"#faq-running-head({head})\n"
                f"#heading(level: {min(level, DEEPEST_HEADING)}, "
                f"outlined: {str(outlined).lower()}, bookmarked: true)["
            )
            self.in_heading += 1
            self.heading_label = anchor if anchor else ""
            return
        if isinstance(parent, nodes.table):
            raise nodes.SkipNode  # the table's caption, written by visit_table
        self.body.append("\n#faq-title[")

    def depart_title(self, node: nodes.title) -> None:
        """Close the heading, with the section's label."""
        if isinstance(node.parent, nodes.section):
            self.in_heading -= 1
            anchor = self.heading_label
            suffix = ""
            if anchor:
                self.labelled.add(anchor)
                suffix = " " + label(anchor)
            self.body.append(f"]{suffix}\n\n")
            return
        self.body.append("]\n\n")

    def visit_subtitle(self, node: nodes.subtitle) -> None:
        """A bold line."""
        self.body.append("\n#faq-title[")

    def depart_subtitle(self, node: nodes.subtitle) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_rubric(self, node: nodes.rubric) -> None:
        """A heading line that is no section (a notes list's "Notes", a caption)."""
        self.add_labels(node)
        self.body.append("\n#faq-rubric[")

    def depart_rubric(self, node: nodes.rubric) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_transition(self, node: nodes.transition) -> None:
        """A section break."""
        self.block("#faq-transition()")
        raise nodes.SkipNode

    # -- paragraphs and inline text -------------------------------------------

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        """A paragraph: its own block of markup."""
        self.body.append("\n")
        self.add_labels(node)

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        """A blank line ends it."""
        self.body.append("\n\n")

    def visit_Text(self, node: nodes.Text) -> None:
        """Escaped text."""
        self.body.append(escape(node.astext()))

    def depart_Text(self, node: nodes.Text) -> None:
        """Nothing."""

    def _inline(self, function: str) -> None:
        self.body.append(f"#{function}[")

    def _close(self, node: nodes.Node | None = None) -> None:
        self.body.append("]")

    def visit_emphasis(self, node: nodes.Element) -> None:
        """``#emph[…]``."""
        self.add_labels(node)
        self._inline("emph")

    depart_emphasis = _close

    def visit_strong(self, node: nodes.Element) -> None:
        """``#strong[…]``."""
        self.add_labels(node)
        self._inline("strong")

    depart_strong = _close

    def visit_subscript(self, node: nodes.Element) -> None:
        """``#sub[…]``."""
        self._inline("sub")

    depart_subscript = _close

    def visit_superscript(self, node: nodes.Element) -> None:
        """``#super[…]``."""
        self._inline("super")

    depart_superscript = _close

    visit_title_reference = visit_emphasis
    depart_title_reference = _close

    def visit_literal(self, node: nodes.Element) -> None:
        """Inline code: ``#raw("…")``."""
        self.add_labels(node)
        self.body.append(f"#raw({string(node.astext())})")
        raise nodes.SkipNode

    def visit_literal_emphasis(self, node: nodes.Element) -> None:
        """Sphinx's ``literal_emphasis`` (a parameter type): italic code."""
        self.body.append(f"#emph(raw({string(node.astext())}))")
        raise nodes.SkipNode

    def visit_literal_strong(self, node: nodes.Element) -> None:
        """Sphinx's ``literal_strong``: bold code."""
        self.body.append(f"#strong(raw({string(node.astext())}))")
        raise nodes.SkipNode

    def visit_inline(self, node: nodes.Element) -> None:
        """Its children; a question number in bold outside headings."""
        self.add_labels(node)
        if "faq-number" in node["classes"] and not self.in_heading:
            self.body.append("#strong[")
            node["faq-typst-closed"] = True

    def depart_inline(self, node: nodes.Element) -> None:
        """Close the bold number."""
        if node.attributes.pop("faq-typst-closed", False):
            self.body.append("]")

    def visit_abbreviation(self, node: nodes.Element) -> None:
        """The abbreviation, then its explanation in brackets (as LaTeX does)."""
        self.body.append("#box[")

    def depart_abbreviation(self, node: nodes.Element) -> None:
        """Close it, with the explanation."""
        explanation = node.get("explanation")
        self.body.append("]" + (escape(f" ({explanation})") if explanation else ""))

    visit_acronym = visit_abbreviation
    depart_acronym = depart_abbreviation

    def visit_problematic(self, node: nodes.Element) -> None:
        """The source text that could not be parsed (Sphinx warned about it)."""
        self.add_labels(node)

    def depart_problematic(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_generated(self, node: nodes.Element) -> None:
        """Generated text (section numbers): its children."""

    def depart_generated(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_math(self, node: nodes.Element) -> None:
        """LaTeX math cannot be set by Typst: its source, as code."""
        self.body.append(f"#faq-math({string(node.astext())})")
        raise nodes.SkipNode

    def visit_math_block(self, node: nodes.Element) -> None:
        """Displayed LaTeX math: its source, as a code block."""
        self.add_labels(node)
        self.block(f"#faq-math({string(node.astext())}, block: true)")
        raise nodes.SkipNode

    def visit_reference(self, node: nodes.reference) -> None:
        """A link: to a label of the book, or out to a URI."""
        self.add_labels(node)
        uri = node.get("refuri", "")
        refid = node.get("refid", "")
        if refid or uri.startswith("#"):
            target = refid or uri[1:]
            self.body.append(f"#link({self.link_to(target, node)})[")
            node["faq-typst-page"] = target
            return
        if uri:
            self.body.append(f"#link({string(uri)})[")
            return
        node["faq-typst-plain"] = True

    def depart_reference(self, node: nodes.reference) -> None:
        """Close the link; in a printed table, the page it leads to."""
        if node.attributes.pop("faq-typst-plain", False):
            return
        self.body.append("]")
        target = node.attributes.pop("faq-typst-page", None)
        if target and self.printed_table:
            style = self.printed_table[-1]
            self.body.append(f"#faq-page({self.link_to(target, node)}, style: {string(style)})")

    visit_number_reference = visit_reference
    depart_number_reference = depart_reference

    def visit_download_reference(self, node: nodes.Element) -> None:
        """A file to download has no place on paper: its text."""

    def depart_download_reference(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_pending_xref(self, node: nodes.Element) -> None:
        """An unresolved cross-reference (Sphinx warned): its text."""

    def depart_pending_xref(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_target(self, node: nodes.target) -> None:
        """Its labels, where it stands."""
        self.add_labels(node)

    def depart_target(self, node: nodes.target) -> None:
        """Nothing."""

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        """A page footnote; the same footnote cited again refers to the first."""
        refid = node.get("refid", "")
        footnote = self.footnotes.get(refid)
        if footnote is None:
            self.body.append(escape(f"[{node.astext()}]"))
            raise nodes.SkipNode
        if refid in self.footnotes_written:
            self.body.append(f"#footnote({label(refid)})")
            raise nodes.SkipNode
        self.footnotes_written.add(refid)
        self.labelled.add(refid)
        body = [child for child in footnote.children if not isinstance(child, nodes.label)]
        self.body.append(f"#footnote[{self.render(body).strip()}] {label(refid)}")
        raise nodes.SkipNode

    def visit_footnote(self, node: nodes.footnote) -> None:
        """Printed at its first reference; one nobody cites stays where it is."""
        if any(node_id in self.footnotes_written for node_id in node["ids"]):
            raise nodes.SkipNode
        self.body.append("\n#faq-note-item(" + string(node.next_node(nodes.label).astext()
                                                   if node.next_node(nodes.label) else "") + ")[")

    def depart_footnote(self, node: nodes.footnote) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_citation(self, node: nodes.citation) -> None:
        """A bibliography entry with its label."""
        label_node = node.next_node(nodes.label)
        self.body.append("\n#faq-note-item(" + string(
            f"[{label_node.astext()}]" if label_node else "") + ")[")
        self.add_labels(node)

    def depart_citation(self, node: nodes.citation) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_label(self, node: nodes.label) -> None:
        """Written by the footnote or citation itself."""
        raise nodes.SkipNode

    def visit_citation_reference(self, node: nodes.Element) -> None:
        """``[label]``, linking to the entry."""
        refid = node.get("refid")
        if refid:
            self.body.append(f"#link({self.link_to(refid, node)})[" + escape(
                f"[{node.astext()}]") + "]")
        else:
            self.body.append(escape(f"[{node.astext()}]"))
        raise nodes.SkipNode

    def visit_substitution_definition(self, node: nodes.Element) -> None:
        """Already substituted."""
        raise nodes.SkipNode

    def visit_substitution_reference(self, node: nodes.Element) -> None:
        """An unresolved substitution (docutils warned): its text."""

    def depart_substitution_reference(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_comment(self, node: nodes.Element) -> None:
        """Not printed."""
        raise nodes.SkipNode

    def visit_raw(self, node: nodes.raw) -> None:
        """Raw Typst goes through; raw HTML or LaTeX has no place here."""
        if "typst" in node.get("format", "").split():
            self.body.append(node.astext())
        raise nodes.SkipNode

    def visit_system_message(self, node: nodes.Element) -> None:
        """Reported by Sphinx already."""
        raise nodes.SkipNode

    def visit_meta(self, node: nodes.Element) -> None:
        """HTML metadata."""
        raise nodes.SkipNode

    def visit_pending(self, node: nodes.Element) -> None:
        """A transform that never ran."""
        raise nodes.SkipNode

    def visit_toctree(self, node: nodes.Element) -> None:
        """Replaced by the documents it lists (the book is one tree)."""
        raise nodes.SkipNode

    def visit_index(self, node: addnodes.index) -> None:
        """An index entry: a marker the template's index of names collects."""
        for entry in node.get("entries", []):
            kind, value = entry[0], entry[1]
            if kind != "single" or not value:
                continue
            main, _sep, sub = (part.strip() for part in value.partition(";"))
            self.index_entries += 1
            self.body.append(f"#faq-index-entry({string(main)}, {string(sub)})")
        raise nodes.SkipNode

    def visit_line(self, node: nodes.line) -> None:
        """One line of a line block."""
        self.add_labels(node)

    def depart_line(self, node: nodes.line) -> None:
        """A forced line break."""
        self.body.append("#linebreak()\n")

    def visit_line_block(self, node: nodes.line_block) -> None:
        """Lines kept as written."""
        self.body.append("\n#faq-line-block[")

    def depart_line_block(self, node: nodes.line_block) -> None:
        """Close it."""
        self.body.append("]\n\n")

    # -- lists ----------------------------------------------------------------

    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        """``#list(…)``; in the question index or works quoted, with page numbers."""
        self.add_labels(node)
        styles = [PRINTED_TABLES[c] for c in node["classes"] if c in PRINTED_TABLES]
        if styles:
            self.printed_table.append(styles[0])
        elif self.printed_table:
            self.printed_table.append(self.printed_table[-1])
        kind = "faq-printed-list" if styles else "list"
        self.body.append(f"\n#{kind}(\n")

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
        name = node.tagname.replace("_", " ").capitalize()
        self.body.append(f"\n#faq-term[{escape(_(name))}]\n#faq-definition[")

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

    depart_manpage = _close

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
    visit_desc_content = visit_definition
    depart_desc_content = depart_definition

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

    # -- sphinx-design ----------------------------------------------------------

    def visit_dropdown_main(self, node: nodes.Element) -> None:
        """A dropdown, open: a framed box."""
        self.add_labels(node)
        self.body.append("\n#faq-box[")

    def depart_dropdown_main(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_dropdown_title(self, node: nodes.Element) -> None:
        """Its title, a bold line."""
        self.body.append("\n#faq-title[")

    def depart_dropdown_title(self, node: nodes.Element) -> None:
        """Close it."""
        self.body.append("]\n\n")

    visit_sd_tab_label = visit_dropdown_title
    depart_sd_tab_label = depart_dropdown_title
    visit_aside_main = visit_dropdown_main
    depart_aside_main = depart_dropdown_main

    def visit_sd_tab_input(self, node: nodes.Element) -> None:
        """A radio button of the screen widget."""
        raise nodes.SkipNode

    def visit_sd_icon(self, node: nodes.Element) -> None:
        """Icons are decoration (sphinx-design hides them from screen readers too)."""
        raise nodes.SkipNode

    visit_fontawesome = visit_sd_icon

    def visit_PassthroughTextElement(self, node: nodes.Element) -> None:
        """sphinx-design's wrapper of a card title: its text."""

    def depart_PassthroughTextElement(self, node: nodes.Element) -> None:
        """Nothing."""

    def visit_sd_line_break(self, node: nodes.Element) -> None:
        """A forced line break."""
        self.body.append("#linebreak()")
        raise nodes.SkipNode


def _is_block(node: nodes.Node) -> bool:
    """Whether *node* is an element that is no inline text."""
    return isinstance(node, nodes.Element) and not isinstance(
        node, nodes.TextElement | nodes.Inline)


def running_head(title: nodes.title) -> str:
    """A heading's text for the running head: notes and their markers left out."""
    return "".join(text.astext() for text in _head_texts(title)).strip()


def _head_texts(node: nodes.Element) -> Iterator[nodes.Text]:
    from sphinx_faq_ext.nodes import note_ref

    for child in node.children:
        if isinstance(child, note_ref):
            continue
        if isinstance(child, nodes.Text):
            yield child
        elif isinstance(child, nodes.Element):
            yield from _head_texts(child)

