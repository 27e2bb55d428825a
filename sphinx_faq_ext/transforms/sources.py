"""``faq:sources``: the works quoted, grouped by author, linked to the questions.

Works are recorded per question at read time (:class:`WorksCollector`, into
``QuestionRecord.works``) from ``faq:quote`` (``:author:``/``:source:``) and
``faq:cite`` (the BibTeX entry's first author and title).  The table itself is
built at write time.  When the works of the project change without the
``env-updated`` rewrites the documents holding a ``faq:sources`` table when
the works, or the questions quoting them, change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode

from sphinx_faq_ext.authoring.cite import cites
from sphinx_faq_ext.domain import faq_domain
from sphinx_faq_ext.nodes import enclosing_question, note_item, note_ref, quote, works_index
from sphinx_faq_ext.numbering import sort_key
from sphinx_faq_ext.transforms.cite import cite_inlines
from sphinx_faq_ext.util.builder import current_builder
from sphinx_faq_ext.util.names import inverted_name, name_sort_key

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_faq_ext.domain import QuestionRecord

_ = get_translation("sphinx_faq_ext")

#: author ("Malatesta, Errico") -> work ("" = quoted without a work) -> questions.
WorksTable = dict[str, dict[str, list["QuestionRecord"]]]


class WorksCollector(SphinxTransform):
    """Record, per question, the (author, work) pairs quoted or cited in it."""

    default_priority = 420  # after faq:cite texts are formatted and registered

    def apply(self, **kwargs: Any) -> None:
        works: dict[str, dict[tuple[str, str], None]] = {}  # number -> ordered set
        inlines = cite_inlines(self.document) if cites(self.env) else []
        # Note texts were moved to the notes lists: the notes whose text cites
        # an entry with an author, found from the formatted citations.
        authored = (inline for inline in inlines if inline.get("faq_author"))
        cited_notes = {item["ids"][0] for item in map(enclosing_note, authored)
                       if item is not None and item["ids"]}
        for node in self.document.findall(quote):
            # a cited entry names the work itself
            cited = bool(cited_notes) and any(
                marker.get("refid") in cited_notes for marker in node.findall(note_ref)
            )
            if node.get("author") and not cited:
                self.add(works, node, node["author"], node.get("source", ""))
        for inline in inlines:
            if inline["faq_author"]:
                self.add(works, inline, inline["faq_author"], inline["faq_work"])
        domain = faq_domain(self.env)
        for number, pairs in works.items():
            domain.update_question(self.env.docname, number, works=tuple(pairs))

    @staticmethod
    def add(works: dict[str, dict[tuple[str, str], None]], node: nodes.Element,
            author: str, work: str) -> None:
        question = enclosing_question(node)
        if question is not None:
            key = (" ".join(author.split()), " ".join(work.split()))
            works.setdefault(question["faq_number"], {})[key] = None


def enclosing_note(node: nodes.Node) -> note_item | None:
    """The note (list item) whose text holds *node*, if any."""
    parent = node.parent
    while parent is not None and not isinstance(parent, note_item):
        parent = parent.parent
    return parent


def works_table(records: list[QuestionRecord]) -> WorksTable:
    """Every quoted author's works and the questions quoting each."""
    table: WorksTable = {}
    for record in records:
        for author, work in record.works:
            # "Errico Malatesta" and "Malatesta, Errico" are one author.
            questions = table.setdefault(inverted_name(author), {}).setdefault(work, [])
            if record not in questions:
                questions.append(record)
    return table


def works_snapshot(records: list[QuestionRecord]) -> tuple[tuple[str, ...], ...]:
    """What a ``faq:sources`` table shows, to detect a change between builds.

    *records* are the questions the table lists (:meth:`FaqDomain.sorted_questions`):
    each quoting question's link shows its number, full title and place.
    """
    return tuple(sorted((a, w, r.number, r.title, r.docname, r.anchor)
                        for r in records for a, w in r.works))


class SourcesPostTransform(SphinxPostTransform):
    """Replace each :class:`works_index` by the grouped, linked list."""

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        if not faq_domain(self.env).holds_generated("sources"):
            return  # no faq:sources in the project: no page to search for one
        placeholders = list(self.document.findall(works_index))
        if not placeholders:
            return
        table = works_table(faq_domain(self.env).sorted_questions())
        for placeholder in placeholders:
            # The document it is written in (LaTeX resolves one merged tree).
            self.fromdocname = placeholder.get("docname", self.env.docname)
            listing = self.build(table)
            listing["classes"].extend(placeholder["classes"])
            placeholder.replace_self(listing)

    def build(self, table: WorksTable) -> nodes.Element:
        """Authors by surname; under each, works by title, then question links."""
        if not table:
            return nodes.paragraph("", _("No works quoted yet."), classes=["faq-sources-empty"])
        authors = nodes.bullet_list(classes=["faq-sources-authors"])
        for author in sorted(table, key=name_sort_key):
            item = nodes.list_item(classes=["faq-sources-author"])
            heading = nodes.paragraph("", "")
            heading += nodes.strong("", author)
            works = table[author]
            if "" in works:  # quoted with no work named: link straight from the name
                heading += nodes.Text(" \u2014 ")
                heading.extend(self.links(works[""]))
            item += heading
            titled = sorted((w for w in works if w), key=str.casefold)
            if titled:
                sub = nodes.bullet_list(classes=["faq-sources-works"])
                for work in titled:
                    line = nodes.paragraph("", "")
                    line += nodes.emphasis(work, work)
                    line += nodes.Text(" \u2014 ")
                    line.extend(self.links(works[work]))
                    sub += nodes.list_item("", line, classes=["faq-sources-work"])
                item += sub
            authors += item
        return authors

    def links(self, records: list[QuestionRecord]) -> list[nodes.Node]:
        """``A.2.6, B.1`` each linking to its question."""
        result: list[nodes.Node] = []
        builder = current_builder(self.env)
        for index, record in enumerate(sorted(records, key=lambda r: sort_key(r.number))):
            if index:
                result.append(nodes.Text(", "))
            text = nodes.inline(record.number, record.number, classes=["faq-number"])
            try:
                result.append(make_refnode(builder, self.fromdocname, record.docname,
                                           record.anchor, text, record.full_title))
            except NoUri:
                result.append(text)
        return result


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Rewrite the ``faq:sources`` pages when what they show changes.

    Runs after the domain's handler has derived this build's question table.
    """
    domain = faq_domain(env)
    snapshot = works_snapshot(domain.sorted_questions())
    if not domain.replace_works_snapshot(snapshot):
        return []
    return sorted(doc for doc, kinds in domain.generated.items() if "sources" in kinds)
