"""The Typst translator's base: its state, labels and links, and unknown nodes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxTranslator

from sphinx_faq_ext.nodes import INDEX_CLASS, SOURCES_CLASS
from sphinx_faq_ext.util.builder import JOIN_SCHEME
from sphinx_faq_ext.writers.typst.markup import label, string

if TYPE_CHECKING:
    from collections.abc import Container

    from sphinx.builders import Builder

logger = logging.getLogger(__name__)

#: docutils ``enumtype`` -> Typst numbering symbol.
ENUM_SYMBOLS = {"arabic": "1", "loweralpha": "a", "upperalpha": "A",
                "lowerroman": "i", "upperroman": "I"}
#: Sphinx highlight languages that mean "no highlighting".
PLAIN_LANGUAGES = frozenset({"", "none", "text", "default", "guess", "output", "console"})
#: The deepest heading level a tagged PDF may have (H1..H6).
DEEPEST_HEADING = 6
#: Classes of ``faq:index`` and ``faq:sources`` tables: their links get page numbers.
PRINTED_TABLES = {INDEX_CLASS: "leader", SOURCES_CLASS: "number"}
BACK_MATTER_CLASS = "faq-back-matter"
#: sphinx-design containers drawn as a framed box.
DESIGN_BOXES = frozenset({"sd-card", "sd-tab-item"})


def link_targets(tree: nodes.Element) -> set[str]:
    """Every id something in *tree* links to (``refid``, ``#id`` URIs, footnotes)."""
    targets: set[str] = set()
    for node in tree.findall(nodes.Element):
        add_link_targets(node, targets)
    return targets


def add_link_targets(node: nodes.Element, targets: set[str]) -> None:
    """Add the ids *node* itself links to (:func:`link_targets`) to *targets*."""
    attributes = node.attributes  # not node.get: called for every element of a book
    refid = attributes.get("refid")
    if refid:
        targets.add(refid)
    uri = attributes.get("refuri", "")
    if isinstance(uri, str) and uri.startswith("#") and len(uri) > 1:
        targets.add(uri[1:])


def _is_block(node: nodes.Node) -> bool:
    """Whether *node* is an element that is no inline text."""
    return isinstance(node, nodes.Element) and not isinstance(
        node, nodes.TextElement | nodes.Inline)


class TypstBase(SphinxTranslator):
    """What every visitor of the Typst translator uses: the body, labels, links, warnings."""

    #: Running state set by the builder: which sections the contents list.
    outlined: set[str] | None = None
    #: How many section levels the root document's title takes (its own title
    #: is the title page; its chapters are Typst level-1 headings).
    hidden_levels = 1
    #: The ids printed in other parts of a book laid out in parts (None: the
    #: book is one document): links to them are ``faq-join:`` links.
    elsewhere: Container[str] | None = None

    def __init__(self, document: nodes.document, builder: Builder) -> None:
        super().__init__(document, builder)
        self.body: list[str] = []
        #: Node classes already warned about (one warning a class and a book).
        self.warned: set[str] = set()
        self.section_level = 0
        # both walk the whole document: made when first used, and the
        # builder of a book in parts sets the whole book's targets instead
        self._targets: set[str] | None = None
        self._footnotes: dict[str, nodes.footnote] | None = None
        self.labelled: set[str] = set()
        self.linked: dict[str, nodes.Node] = {}
        self.footnotes_written: set[str] = set()
        #: The note labels already printed as a footnote: a second marker of
        #: the same note refers to it instead of printing it again.
        self.notes_written: set[str] = set()
        self.chapters_open: list[bool] = []
        self.in_heading = 0
        self.printed_table: list[str] = []
        self.index_entries = 0
        #: Ids of :attr:`elsewhere` this part links to (or prints the page of),
        #: each with the first node linking there (where a warning points).
        self.linked_elsewhere: dict[str, nodes.Node] = {}
        #: Ids of :attr:`elsewhere` this part prints the page number of.
        self.pages_elsewhere: set[str] = set()

    @property
    def targets(self) -> set[str]:
        """Every id something links to, which gets a label: by default those of
        the document translated (:func:`link_targets`, made when first read)."""
        if self._targets is None:
            self._targets = link_targets(self.document)
        return self._targets

    @targets.setter
    def targets(self, targets: set[str]) -> None:
        self._targets = targets

    @property
    def footnotes(self) -> dict[str, nodes.footnote]:
        """The document's footnotes by id (made when a reference to one is first met)."""
        if self._footnotes is None:
            self._footnotes = {node_id: footnote
                               for footnote in self.document.findall(nodes.footnote)
                               for node_id in footnote["ids"]}
        return self._footnotes

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
        """``<label>`` of an in-book target, remembered to check it is printed.

        When the book is laid out in parts and *target* is printed in
        another part, ``"faq-join:ID"``: a link the join of the parts' PDFs
        turns into a link inside the book (:attr:`elsewhere` lists them).
        """
        if self.elsewhere is not None and target in self.elsewhere:
            self.linked_elsewhere.setdefault(target, node)
            return string(JOIN_SCHEME + target)
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

    def _inline(self, function: str) -> None:
        self.body.append(f"#{function}[")

    def _close(self, node: nodes.Node | None = None) -> None:
        self.body.append("]")

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
