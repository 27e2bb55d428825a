"""Which pages show the question table, so an edit rewrites only those.

The question table (number, title, document, anchor and label of every
question) is global: a page shows parts of it that other documents define.
When it changes, ``env-updated`` asks Sphinx to rewrite the pages that show
what changed, and no others.  Where a page's output depends on questions of
other documents:

References: ``faq:ref`` and ``faq:ref-*``, ``{any}``, MyST links, ``{ref}`` to a label
    The reference text, link and tooltip (``FaqDomain.resolve_xref`` and
    ``resolve_any_xref``; Sphinx's ``std`` domain for ``{ref}`` to a label).
    Recorded at read time per document (:func:`referenced_targets`, every
    ``pending_xref`` that may reach the domain, resolved or not), so a page
    whose reference was unknown is rewritten when the target appears.
Breadcrumbs (the HTML theme)
    A page titled by a question shows its ancestors on other pages (number,
    link, full title): the theme's ``env-updated`` handler adds the
    documents with a top-level question under a changed one
    (``FaqDomain.documents_below``), when the builder uses the theme.
``faq:index``
    The whole table: rewritten on any change.
``faq:sources``
    The works quoted and the number, title and link of the questions quoting
    them: rewritten when that works table changes
    (:func:`sphinx_faq_ext.transforms.sources.on_env_updated`).
Duplicate numbers (``renamed`` anchors)
    Only trees that merge documents (singlehtml, LaTeX, Texinfo, the PDF) use
    them, and those builders write the whole book every time; the documents
    whose anchor changes are rewritten all the same.

Outputs written once per build from the whole table are exact without help:
``faq.json`` (``build-finished``), the ePub navigation and package files
(the builder's ``finish``), ``objects.inv`` and the search index, the LaTeX,
Texinfo and PDF books (one output for the whole book, written every build),
and the duplicate-number warnings (``check_consistency``).

The sidebar tree, previous/next links and breadcrumbs taken from the toctree
show other documents' *titles* as Sphinx records them: Sphinx rewrites the
edited page and the pages whose toctree lists it, as it does for a plain
heading; the others keep the old title until they are next written, exactly
as in a plain Sphinx project (a question's title is its section heading).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sphinx import addnodes

from sphinx_faq_ext.numbering import parent_number

if TYPE_CHECKING:
    from docutils import nodes

#: What a reference to a question shows: its number, title, document, anchor.
Row = tuple[str, str, str, str]
#: Reference types of other domains that may resolve to a question: Sphinx's
#: ``any`` role, MyST's Markdown links, and ``{ref}`` to a question's label.
FOREIGN_TYPES = frozenset({"any", "myst", "ref"})


@dataclass(frozen=True)
class QuestionTable:
    """The question table of one build, as references see it."""

    #: number -> the question a reference to that number shows
    numbers: dict[str, Row] = field(default_factory=dict)
    #: normalised label -> the question a reference to that label shows
    labels: dict[str, Row] = field(default_factory=dict)
    #: (document, anchor read) -> anchor written (duplicate numbers)
    renamed: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True)
class TableChanges:
    """What differs between two question tables."""

    numbers: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()
    #: documents whose written anchors differ
    documents: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.numbers or self.labels or self.documents)


def _changed_keys(old: dict[str, Row], new: dict[str, Row]) -> frozenset[str]:
    keys = old.keys() | new.keys()
    return frozenset(key for key in keys if old.get(key) != new.get(key))


def diff_tables(old: QuestionTable, new: QuestionTable) -> TableChanges:
    """The numbers and labels added, removed or showing something else."""
    renamed = old.renamed.keys() | new.renamed.keys()
    return TableChanges(
        numbers=_changed_keys(old.numbers, new.numbers),
        labels=_changed_keys(old.labels, new.labels),
        documents=frozenset(
            docname for docname, anchor in renamed
            if old.renamed.get((docname, anchor)) != new.renamed.get((docname, anchor))
        ),
    )


def referenced_targets(doctree: nodes.document) -> set[str]:
    """The targets of every reference in *doctree* that may name a question."""
    targets: set[str] = set()
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("refdomain") == "faq" or node.get("reftype") in FOREIGN_TYPES:
            target = str(node.get("reftarget", "")).strip()
            if target:
                targets.add(target)
    return targets


def ancestors(number: str) -> list[str]:
    """``A.2.6`` -> ``["A.2", "A"]``."""
    found = []
    parent = parent_number(number)
    while parent is not None:
        found.append(parent)
        parent = parent_number(parent)
    return found
