"""The ``faq`` domain: every question of the project, keyed by document.

Directives record questions while a document is read; the global tables
(number -> question, label -> question, duplicates) are derived after all
documents are read, in ``env-updated``, because in a parallel read each process
sees only a slice of the project.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.locale import get_translation
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.dependencies import (
    QuestionTable,
    TableChanges,
    ancestors,
    diff_tables,
    referenced_targets,
)
from sphinx_faq_ext.numbering import parent_number, sort_key, unique_anchor

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)
_ = get_translation("sphinx_faq_ext")


@dataclass(frozen=True)
class QuestionRecord:
    """What the domain knows about one question."""

    number: str
    title: str
    anchor: str
    docname: str
    lineno: int
    label: str = ""
    #: Number of the question it is nested in within its document, if any.
    enclosing: str | None = None
    note_count: int = 0
    #: Works quoted or cited in the question: (author, work) pairs.
    works: tuple[tuple[str, str], ...] = field(default=())

    @property
    def parent(self) -> str | None:
        """The number of the parent question (``A.2`` for ``A.2.6``)."""
        return parent_number(self.number)

    @property
    def full_title(self) -> str:
        """``A.2.6 Why is solidarity important to anarchists?``."""
        return f"{self.number} {self.title}"


#: Roles that force one reference text style whatever ``faq_ref_style`` says:
#: ``{faq:ref-title}`A.2.6``` shows the title only.
REF_STYLE_ROLES: dict[str, str] = {
    "ref-number": "number",
    "ref-full": "number-title",
    "ref-title": "title",
}


class QuestionRefRole(XRefRole):
    """``{faq:ref}`A.2.6``` and ``{faq:ref}`text <A.2.6>```."""

    innernodeclass = nodes.inline

    def __init__(self) -> None:
        # Unknown targets are reported by the domain itself with type="faq".
        super().__init__(warn_dangling=False)


class FaqDomain(Domain):
    """Questions, their numbers, labels and anchors across the project."""

    name = "faq"
    label = "FAQ"
    object_types = {"question": ObjType(_("question"), "ref", *REF_STYLE_ROLES)}
    roles = {"ref": QuestionRefRole(), **{name: QuestionRefRole() for name in REF_STYLE_ROLES}}
    initial_data = {
        "questions": {},  # docname -> list[QuestionRecord]
        "by_number": {},  # number -> QuestionRecord (derived in env-updated)
        "by_label": {},  # label -> QuestionRecord (derived)
        "duplicates": [],  # [(duplicate, first)] (derived)
        # (docname, anchor read) -> anchor written, for a question whose anchor
        # another document's question has already (a duplicate number) (derived)
        "renamed": {},
        "snapshot": QuestionTable(),  # the question table of the previous build
        "changes": TableChanges(),  # what differs from the previous build's (derived)
        # docname -> targets of its references that may name a question
        "references": {},
        # The whole-book features (faq:index, faq:sources):
        "generated": {},  # docname -> kinds of generated tables it holds ("index", "sources")
        "works_snapshot": (),  # the works table of the previous build
    }
    data_version = 3

    # -- per-document state -------------------------------------------------

    @property
    def questions(self) -> dict[str, list[QuestionRecord]]:
        """Questions by the document that defines them."""
        return self.data["questions"]

    def note_question(self, record: QuestionRecord) -> None:
        """Record a question read in ``record.docname``."""
        self.questions.setdefault(record.docname, []).append(record)

    def update_question(self, docname: str, number: str, **changes: Any) -> None:
        """Replace fields of a question recorded for *docname*."""
        records = self.questions.get(docname, [])
        for index, record in enumerate(records):
            if record.number == number:
                records[index] = replace(record, **changes)
                return

    @property
    def generated(self) -> dict[str, set[str]]:
        """Kinds of whole-book tables (``index``, ``sources``) each document holds."""
        return self.data["generated"]

    def holds_generated(self, kind: str) -> bool:
        """Whether any document of the project holds a generated table of *kind*."""
        return any(kind in kinds for kinds in self.generated.values())

    def note_generated(self, docname: str, kind: str) -> None:
        """Record that *docname* holds a generated table of *kind*."""
        self.generated.setdefault(docname, set()).add(kind)

    @property
    def references(self) -> dict[str, set[str]]:
        """Per document, the targets it shows a question for (see :mod:`.dependencies`)."""
        return self.data["references"]

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        targets = referenced_targets(document)
        if targets:
            self.references[docname] = targets

    def clear_doc(self, docname: str) -> None:
        self.questions.pop(docname, None)
        self.generated.pop(docname, None)
        self.references.pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for key in ("questions", "generated", "references"):
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]

    # -- global tables --------------------------------------------------------

    def all_questions(self) -> Iterator[QuestionRecord]:
        """Every question, in a deterministic order (document, then line)."""
        for docname in sorted(self.questions):
            yield from sorted(self.questions[docname], key=lambda r: r.lineno)

    def rebuild_tables(self) -> TableChanges:
        """Derive the global tables; return what changed since the previous build."""
        by_number: dict[str, QuestionRecord] = {}
        by_label: dict[str, QuestionRecord] = {}
        duplicates: list[tuple[QuestionRecord, QuestionRecord]] = []
        # Anchors are unique within a document; a duplicate number in another
        # document gets a distinct one, so merged outputs (LaTeX, singlehtml)
        # keep every question's notes apart.  So does the one pair of distinct
        # numbers sharing an anchor (``Part 1`` and ``PART.1``, see anchor_for).
        anchors: dict[str, str] = {}  # anchor -> the first document using it
        for record in self.all_questions():
            anchors.setdefault(record.anchor, record.docname)
        renamed: dict[tuple[str, str], str] = {}
        for record in self.all_questions():
            first = by_number.get(record.number)
            if first is None:
                by_number[record.number] = record
            else:
                duplicates.append((record, first))
            if anchors[record.anchor] != record.docname:
                new = unique_anchor(record.anchor, anchors)
                anchors[new] = record.docname
                renamed[(record.docname, record.anchor)] = new
            label = label_key(record.label)
            if label and label not in by_label:
                by_label[label] = record
        self.data["by_number"] = by_number
        self.data["by_label"] = by_label
        self.data["duplicates"] = duplicates
        self.data["renamed"] = renamed
        snapshot = QuestionTable(
            numbers={key: _row(record) for key, record in by_number.items()},
            labels={key: _row(record) for key, record in by_label.items()},
            renamed=renamed,
        )
        changes = diff_tables(self.data["snapshot"], snapshot)
        self.data["snapshot"] = snapshot
        self.data["changes"] = changes
        return changes

    @property
    def changes(self) -> TableChanges:
        """What :meth:`rebuild_tables` found changed in this build."""
        return self.data["changes"]

    def documents_showing(self, changes: TableChanges) -> set[str]:
        """The documents whose output shows one of the *changes*."""
        affected = set(changes.documents)
        if changes.numbers or changes.labels:
            # faq:index lists every question.
            affected.update(doc for doc, kinds in self.generated.items() if "index" in kinds)
        for docname, targets in self.references.items():
            if any(_changed(changes, target) for target in targets):
                affected.add(docname)
        return affected

    def documents_below(self, changes: TableChanges) -> set[str]:
        """The documents with a top-level question under a changed one.

        A page titled by a question shows its ancestors in the theme's breadcrumbs.
        """
        return {
            docname
            for docname, records in self.questions.items()
            for record in records
            if record.enclosing is None
            and any(_changed(changes, number) for number in ancestors(record.number))
        }

    def replace_works_snapshot(self, snapshot: tuple[Any, ...]) -> bool:
        """Keep *snapshot* as the works table of this build; whether it changed."""
        changed = snapshot != self.data["works_snapshot"]
        self.data["works_snapshot"] = snapshot
        return changed

    def question(self, target: str) -> QuestionRecord | None:
        """The question numbered or labelled *target*."""
        return self.data["by_number"].get(target) or self.data["by_label"].get(label_key(target))

    def written_anchor(self, docname: str, anchor: str) -> str:
        """The anchor a question read as *anchor* in *docname* is written with."""
        return self.data.get("renamed", {}).get((docname, anchor), anchor)

    def sorted_questions(self) -> list[QuestionRecord]:
        """Every (first-defined) question in natural number order."""
        return sorted(self.data["by_number"].values(), key=lambda r: sort_key(r.number))

    def check_consistency(self) -> None:
        """Warn about duplicate numbers and numbers whose parent is missing.

        Sphinx calls this once all documents are read (and only then), so it
        sees the whole project even in a parallel build.
        """
        for duplicate, first in self.data["duplicates"]:
            _warn(duplicate, "duplicate-number",
                  "duplicate FAQ question number %s (first defined in %s)",
                  duplicate.number, self._source(first))
        by_number = self.data["by_number"]
        by_case: dict[str, QuestionRecord] = {}
        for record in sorted(by_number.values(), key=lambda r: (r.docname, r.lineno)):
            other = by_case.setdefault(record.number.casefold(), record)
            if other is not record:
                _warn(record, "number-case",
                      "FAQ question number %s differs from %s (%s) only in case; "
                      "references tell them apart, readers may not",
                      record.number, other.number, self._source(other))
        by_anchor: dict[str, QuestionRecord] = {}
        for record in sorted(by_number.values(), key=lambda r: (r.docname, r.lineno)):
            other = by_anchor.setdefault(record.anchor, record)
            if other is not record:
                _warn(record, "anchor-clash",
                      "FAQ question numbers %s and %s (%s) share the anchor %s; "
                      "links to this one may land on the other: renumber one",
                      record.number, other.number, self._source(other), record.anchor)
        for record in by_number.values():
            parent = record.parent
            if parent is not None and parent not in by_number:
                _warn(record, "missing-parent", "FAQ question %s has no parent question %s",
                      record.number, parent)

    def _source(self, record: QuestionRecord) -> str:
        """Where *record* is written, for a message: ``book/a.md, line 12``."""
        return f"{self.env.doc2path(record.docname, False)}, line {record.lineno}"

    # -- references -------------------------------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> Element | None:
        record = self.question(target.strip())
        if record is None:
            _warn(node, "unknown-ref", "unknown FAQ question %r", target)
            # Keep the author's text in place rather than dropping it.
            return nodes.inline(target, "", *contnode.children, classes=["faq-ref-missing"])
        return self._reference(builder, fromdocname, record, node, contnode,
                               REF_STYLE_ROLES.get(typ))

    def _reference(
        self,
        builder: Builder,
        fromdocname: str,
        record: QuestionRecord,
        node: pending_xref,
        contnode: Element,
        style: str | None = None,
    ) -> Element:
        """The link to *record*; its text in *style* unless the author wrote one."""
        if not node.get("refexplicit"):
            contnode = nodes.inline("", self.reference_text(record, style), classes=["faq-ref"])
        return make_refnode(
            builder, fromdocname, record.docname, record.anchor, contnode, record.full_title
        )

    def reference_text(self, record: QuestionRecord, style: str | None = None) -> str:
        """The default text of a reference to *record* (``faq_ref_style``)."""
        style = style or faq_config(self.env.config).ref_style
        if style == "title":
            return record.title
        if style == "number-title":
            return record.full_title
        return record.number

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, Element]]:
        record = self.question(target.strip())
        if record is None:
            return []
        return [("faq:ref", self._reference(builder, fromdocname, record, node, contnode))]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for record in self.data["by_number"].values():
            yield (record.number, record.full_title, "question", record.docname, record.anchor, 1)


def _warn(where: QuestionRecord | Element, subtype: str, message: str, *args: object) -> None:
    """A ``faq.<subtype>`` warning at a question's line or at a node."""
    location = (where.docname, where.lineno) if isinstance(where, QuestionRecord) else where
    logger.warning(message, *args, type="faq", subtype=subtype, location=location)


def _changed(changes: TableChanges, target: str) -> bool:
    """Whether what :meth:`FaqDomain.question` finds for *target* changed."""
    return target in changes.numbers or label_key(target) in changes.labels


def _row(record: QuestionRecord) -> tuple[str, str, str, str]:
    return (record.number, record.title, record.docname, record.anchor)


def label_key(label: str) -> str:
    """Labels match as Sphinx's ``ref`` targets do: case and spacing ignored."""
    return nodes.fully_normalize_name(label)


def faq_domain(env: BuildEnvironment) -> FaqDomain:
    """The project's :class:`FaqDomain`."""
    return env.get_domain("faq")  # type: ignore[return-value]


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    # A renamed, renumbered, added or removed question changes the reference
    # texts and links that show it and the faq:index tables: rewrite those
    # pages (see sphinx_faq_ext.dependencies for every page that shows one).
    domain = faq_domain(env)
    changes = domain.rebuild_tables()
    if not changes:
        return []
    return sorted(domain.documents_showing(changes) & env.found_docs)


def setup_domain(app: Sphinx) -> None:
    """Register the ``faq`` domain and the events that keep it exact."""
    app.add_domain(FaqDomain)
    app.connect("env-updated", _on_env_updated)
