"""A rebuild that assembles only the chapters whose documents changed (faqpdf, Typst).

Laying a book out chapter by chapter lets a rebuild reuse the PDFs of the
chapters whose markup did not change (:mod:`.chapters`, :mod:`.translated`);
but to know a chapter's markup, the builder made the whole book's doctree
again: every document unpickled, references resolved, the book made fit for
print, the ids and links of every chapter found.  After a one-question edit
of a 500-question book that was 4.5 s before Typst could start on the edited
chapter.  This module lets the builder skip it when it can prove the
unchanged chapters would come out as they did.

What a chapter's part of the merged tree is made of:

- its documents' doctrees as read (``*.doctree``: their bytes are compared);
- the post-transforms and event handlers that resolve it, which read the
  build environment (its data is compared, in a canonical form, with the
  word counts MyST keeps per document left out: only that document's own
  substitutions read them, at read time), the configuration and code
  (compared as the kept translations compare them: :func:`.context_digest`),
  and the builder's tags (``only`` reads them, and they are neither).
  Only post-transforms and handlers reviewed to read nothing else (no other
  part of the merged tree) are trusted: with any other one the book is
  assembled whole (:func:`unreviewed`);
- what making the book fit for print does across chapters
  (:func:`~..doctree.prepare_print_tree`): ids another chapter already uses
  are renamed (a function of every chapter's ids, in order), links to a
  document go to its title's id, and the question index and works quoted
  after the last question are marked as back matter.

So a chapter none of whose documents changed comes out as it did if every
changed chapter gives the book what it gave before: the same ids in the same
order, the same links out of itself, the same lines of the contents, and no
back matter after the last question's chapter.  The builder assembles the
root document with the changed chapters only (the others' places hold empty
shells), checks that, and takes the other chapters' markup from the last
build (:class:`BookState`, ``<stem>.book.json``).  When any check fails, the
book is assembled whole, as without this module.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import _TranslationProxy
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.console import darkgreen

from sphinx_faq_ext.builders.pdf.doctree import (
    ContentsEntry,
    PrintTree,
    apply_renames,
    contents_entries,
    document_titles,
    inline_all_toctrees,
    keep_last_fragment,
    resolve_outside_links,
    split_root_intro,
)
from sphinx_faq_ext.builders.pdf.parts import Parts, chapters_of, mark_root_parts, root_parts
from sphinx_faq_ext.builders.pdf.typst.chapters import where_linked
from sphinx_faq_ext.builders.pdf.typst.translated import KeptChapters, Translated
from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.transforms.notes import glue_note_markers
from sphinx_faq_ext.transforms.sections import lift_answer_toctrees

if TYPE_CHECKING:
    from collections.abc import Container, Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

#: Bump when what is kept, or how, changes.
FORMAT = 3
#: The state's file in the parts' folder: ``<stem>`` + this.
SUFFIX = ".book.json"

#: Post-transforms reviewed: each changes a node from its own document, the
#: environment, the configuration and the builder only (never from another
#: part of the merged tree), so that a chapter resolved alone comes out as
#: it does in the whole book.  Sphinx's highlight language follows
#: ``start_of_file`` (each document starts again from the default).
REVIEWED_POST_TRANSFORMS = frozenset({
    "sphinx.domains.c.AliasTransform",
    "sphinx.domains.cpp.AliasTransform",
    "sphinx.transforms.post_transforms.ReferencesResolver",
    "sphinx.transforms.post_transforms.OnlyNodeTransform",
    "sphinx.transforms.post_transforms.SigElementFallbackTransform",
    "sphinx.transforms.post_transforms.PropagateDescDomain",
    "sphinx.transforms.post_transforms.code.HighlightLanguageTransform",
    "sphinx.transforms.post_transforms.code.TrimDoctestFlagsTransform",
    "sphinx.transforms.post_transforms.images.ImageDownloader",
    "sphinx.transforms.post_transforms.images.DataURIExtractor",
    "myst_parser.sphinx_ext.myst_refs.MystReferenceResolver",
    "sphinx_faq_ext.transforms.notes.DuplicateAnchorPostTransform",
    "sphinx_faq_ext.transforms.notes.NotesStylePostTransform",
    "sphinx_faq_ext.transforms.index.QuestionIndexPostTransform",
    "sphinx_faq_ext.transforms.sources.SourcesPostTransform",
    # sphinx-design's buttons and badges: what they stash before resolution
    # under a marker class is put back on the same node after it
    "sphinx_design.badges_buttons.ButtonRefContentStash",
    "sphinx_design.badges_buttons.ButtonRefContentGraft",
    "sphinx_design.badges_buttons.BadgeRefTooltipStash",
    "sphinx_design.badges_buttons.BadgeRefTooltipGraft",
})


def _bibliographies_restart(env: BuildEnvironment) -> bool:
    """sphinxcontrib-bibtex fills each bibliography from its domain's data, but
    an enumerated one with no ``:start:`` goes on numbering from the one before
    it in the tree (``env.temp_data``): trusted only when there is none."""
    domain = env.domaindata.get("cite", {})
    bibliographies = domain.get("bibliographies", {}) if isinstance(domain, dict) else {}
    return all(getattr(value, "list_", "") != "enumerated" or getattr(value, "start", 0) >= 1
               for value in bibliographies.values())


#: Post-transforms reviewed as above on a condition of the environment's data.
REVIEWED_IF = {
    "sphinxcontrib.bibtex.transforms.BibliographyTransform": _bibliographies_restart,
}
#: Handlers of the events of reference resolution, reviewed as above.
REVIEWED_HANDLERS = frozenset({
    "sphinx.domains.python.builtin_resolver",
    "sphinx.domains.python._builtin_resolver",
    "sphinx.domains.std.warn_missing_reference",
    "sphinx.domains.std._warn_missing_reference",
    "sphinx_design.extension._resolve_new_tab_refs",
})
#: The events whose handlers take part in resolving a chapter.
RESOLVING_EVENTS = ("doctree-resolved", "missing-reference", "warn-missing-reference")
#: Environment attributes that are no input of resolution: when each document
#: was read, the settings (which hold the environment itself), caches.
NOT_INPUTS = frozenset({"all_docs", "settings", "config_status", "config_status_extra",
                        "current_document", "ref_context", "temp_data", "project",
                        "events", "domains", "version", "config"})


#: Domain data no resolution reads: the faq domain's tables of the last build
#: and what changed since (kept to tell the html builder which pages to
#: write again; the tables themselves are in the data compared).
IGNORED_DOMAIN_DATA = {"faq": frozenset({"snapshot", "changes", "works_snapshot"})}
#: Fields of the domain's records no resolution of another document reads:
#: where a question is written (for warnings; the order of the questions is
#: that of their lists, compared) and how many notes it has (the website's
#: JSON only).  So adding a line or a note to a question leaves the others'
#: chapters as they were.
IGNORED_FIELDS = {"sphinx_faq_ext.domain.QuestionRecord": frozenset({"lineno", "note_count"})}


def _qualname(thing: Any) -> str:
    return f"{getattr(thing, '__module__', '?')}.{getattr(thing, '__qualname__', '?')}"


def unreviewed(app: Sphinx, builder: Builder) -> list[str]:
    """The post-transforms and resolving handlers that apply to *builder* and
    are not reviewed (:data:`REVIEWED_POST_TRANSFORMS`, :data:`REVIEWED_HANDLERS`)."""
    found = []
    for transform in app.registry.get_post_transforms():
        if isinstance(transform, type) and issubclass(transform, SphinxPostTransform):
            if transform.builders and builder.name not in transform.builders:
                continue
            if transform.formats and builder.format not in transform.formats:
                continue
        name = _qualname(transform)
        condition = REVIEWED_IF.get(name)
        if condition is not None and condition(builder.env):
            continue
        if name not in REVIEWED_POST_TRANSFORMS:
            found.append(name)
    for event in RESOLVING_EVENTS:
        for listener in app.events.listeners.get(event, []):
            name = _qualname(listener.handler)
            if name not in REVIEWED_HANDLERS:
                found.append(f"{event}: {name}")
    return found


class NotCanonicalError(Exception):
    """A value with no canonical text: nothing can be reused."""


def canonical(value: Any) -> str:
    """A text of *value* that is equal for equal values, from process to process.

    Sets and dictionaries are sorted; doctree nodes are written with their
    classes, attributes and children; objects by their class and fields.
    Raises :class:`NotCanonicalError` on anything else (a function, a cycle).
    """
    return _text(value, 0)


def _canonical(value: Any, out: list[str], depth: int) -> None:
    if depth > 200:
        raise NotCanonicalError("too deep (a cycle?)")
    if value is None or isinstance(value, bool | int | float | str | bytes | enum.Enum):
        out.append(repr(value))
        return
    if isinstance(value, Path):
        out.append(f"P{str(value)!r}")
        return
    if isinstance(value, type):  # a class (a domain's object type): its name
        out.append("C" + _qualname(value))
        return
    if isinstance(value, _TranslationProxy):  # a message, translated when read
        out.append(f"M{str(value)!r}")
        return
    depth += 1
    if isinstance(value, nodes.Node):
        _node(value, out, depth)
        return
    if isinstance(value, list | tuple):
        out.append("[" if isinstance(value, list) else "(")
        for item in value:
            _canonical(item, out, depth)
            out.append(",")
        out.append("]")
        return
    if isinstance(value, set | frozenset):
        out.append("{" + ",".join(sorted(_text(item, depth) for item in value)) + "}")
        return
    if isinstance(value, dict):
        items = sorted((_text(k, depth), _text(v, depth))
                       for k, v in value.items())
        out.append("{" + ",".join(f"{k}:{v}" for k, v in items) + "}")
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = _qualname(type(value))
        ignored = IGNORED_FIELDS.get(kind, frozenset())
        out.append(kind)
        _canonical({f.name: getattr(value, f.name) for f in dataclasses.fields(value)
                    if f.name not in ignored}, out, depth)
        return
    state = getattr(value, "__dict__", None)
    if isinstance(state, dict) and not callable(value):
        out.append(_qualname(type(value)))
        _canonical(state, out, depth)
        return
    raise NotCanonicalError(f"no canonical form for {type(value).__qualname__}")


def _text(value: Any, depth: int) -> str:
    """:func:`canonical` of *value*, *depth* levels down."""
    out: list[str] = []
    _canonical(value, out, depth)
    return "".join(out)


def _node(node: nodes.Node, out: list[str], depth: int) -> None:
    if isinstance(node, nodes.Text):
        out.append("T" + repr(str(node)))
        return
    assert isinstance(node, nodes.Element)
    out.append("<" + _qualname(type(node)))
    _canonical(node.attributes, out, depth)
    if isinstance(node, nodes.FixedTextElement):
        out.append(repr(node.rawsource))
    for child in node.children:
        _node(child, out, depth)
    out.append(">")


def env_digest(env: BuildEnvironment) -> str:
    """The hash of what resolving a document may read of *env* (:data:`NOT_INPUTS` aside).

    Raises :class:`NotCanonicalError` when some of it has no canonical text.
    """
    value = hashlib.sha256()
    for name, data in sorted(vars(env).items()):
        if name in NOT_INPUTS or name.startswith("_") or data is None:
            continue
        if name == "metadata":  # MyST's word counts: read by their own document only
            data = {doc: {k: v for k, v in meta.items() if k != "wordcount"}
                    for doc, meta in data.items()}
        if name == "domaindata":
            data = {domain: ({k: v for k, v in values.items()
                              if k not in IGNORED_DOMAIN_DATA.get(domain, ())}
                             if isinstance(values, dict) else values)
                    for domain, values in data.items()}
        value.update(name.encode())
        value.update(canonical(data).encode("utf8", "surrogatepass"))
        value.update(b"\0")
    value.update(canonical(sorted(env.all_docs)).encode())
    return value.hexdigest()


def doctree_digests(env: BuildEnvironment, docnames: Iterable[str]) -> dict[str, str]:
    """Each document's pickled doctree's hash (its bytes; "" when it cannot be read)."""
    digests = {}
    for docname in docnames:
        try:
            data = env.doctreedir.joinpath(docname + ".doctree").read_bytes()
        except OSError:
            digests[docname] = ""
            continue
        digests[docname] = hashlib.sha256(data).hexdigest()
    return digests


def ids_digest(tree: nodes.Node) -> str:
    """The hash of every id in *tree*, in document order (renaming reads them so)."""
    value = hashlib.sha256()
    for node in tree.findall(nodes.Element):
        ids = node.get("ids")
        if ids:
            value.update("\0".join(ids).encode("utf8", "surrogatepass"))
            value.update(b"\1")
    return value.hexdigest()


@dataclass
class BookState:
    """What the last build of a book laid out in parts knew of it (``<stem>.book.json``)."""

    key: str  #: :func:`env_digest`, the configuration and code's digest, the options
    docs: dict[str, str]  #: each document's :func:`doctree_digests`
    chapters: list[list[str]]  #: each chapter's documents, its own first
    ids: list[str]  #: each chapter's :func:`ids_digest` as assembled, before renaming
    home: list[tuple[str, int]]  #: each id of a part and its part, in order
    linked: list[list[str]]  #: each part's link targets (sorted)
    across: list[str]  #: ids linked from outside their part
    targets: list[str]  #: every id linked to
    entries: list[list[Any]]  #: the contents' lines (anchor, number, title, level, question)
    renamed: list[tuple[str, str, str]]  #: ids renamed: document, old, new
    titles: dict[str, str]  #: each document's title's id
    last_question: int  #: the last chapter holding a question (-1: none)
    #: the book's volumes: each one's chapters (their first documents); [] for one PDF
    volumes: list[list[str]]
    context: str  #: the kept translations' context digest
    keys: list[str]  #: each chapter's kept translation's key
    images: dict[str, str] = field(default_factory=dict)
    image_problems: dict[str, str] = field(default_factory=dict)
    #: a volume's: each of its ids' document (for links into it from a changed
    #: chapter of another volume, :meth:`.parts.Parts.resolve_links`)
    documents: dict[str, str] = field(default_factory=dict)
    format: int = FORMAT

    @staticmethod
    def path(folder: Path, stem: str) -> Path:
        return folder / f"{stem}{SUFFIX}"

    @classmethod
    def load(cls, folder: Path, stem: str) -> BookState | None:
        """The state kept in *folder*, or None (none, unreadable, another format)."""
        try:
            saved = json.loads(cls.path(folder, stem).read_text("utf8"))
            state = cls(**saved)
        except (OSError, ValueError, TypeError):
            return None
        if state.format != FORMAT:
            return None
        state.home = [(str(anchor), int(part)) for anchor, part in state.home]
        state.renamed = [(str(d), str(o), str(n)) for d, o, n in state.renamed]
        return state

    def save(self, folder: Path, stem: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path(folder, stem).write_text(json.dumps(dataclasses.asdict(self)), "utf8")

    @classmethod
    def forget(cls, folder: Path, stem: str) -> None:
        """No state kept (the book was not laid out in parts, or failed)."""
        cls.path(folder, stem).unlink(missing_ok=True)


@dataclass
class FastBook:
    """One PDF (the book, or a volume) as a rebuild knows it: the changed chapters
    assembled, the rest known from the last build (:func:`fast_book`)."""

    state: BookState  #: the last build's, for this PDF
    home: dict[str, int]
    targets: set[str]
    across: set[str]
    entries: list[ContentsEntry]
    context: str
    #: the unchanged chapters' keys and kept translations, by index in the PDF
    known: dict[int, tuple[str, Translated]]
    changed: set[int]  #: the indices of the changed chapters in the PDF


@dataclass
class FastBooks:
    """The book a rebuild assembled from its changed chapters (:func:`fast_book`)."""

    tree: nodes.document  #: the root, the changed chapters, and empty shells
    prepared: PrintTree
    volumes: Parts | None  #: the last build's volumes (None: one PDF)
    pdfs: dict[str, FastBook]  #: by PDF stem

    @property
    def changed(self) -> int:
        return sum(len(pdf.changed) for pdf in self.pdfs.values())

    @property
    def chapters(self) -> int:
        return sum(len(pdf.state.chapters) for pdf in self.pdfs.values())


@dataclass
class Reuse:
    """What a build of a book laid out by chapter knows for the next (or from the last)."""

    key: str  #: :meth:`~.builder.FaqTypstBuilder.book_key`
    docs: dict[str, str]  #: :func:`doctree_digests` of every document
    #: each chapter's :func:`ids_digest`, by its document (made when the book
    #: is assembled whole)
    chapter_ids: dict[str, str] = field(default_factory=dict)
    fast: FastBooks | None = None  #: the book assembled from its changed chapters
    #: why the whole book was assembled (for ``-v``)
    why: str = ""
    #: resolving the chapters assembled warned: nothing is kept, so that the
    #: next build resolves every chapter and says it again
    warned: bool = False


def assemble(builder: Builder, shells: Container[str] = ()) -> nodes.document:
    """The root document with every document of its toctrees inlined, references
    resolved: the book's doctree; the chapters named in *shells* left empty."""
    root = builder.config.root_doc
    tree = builder.env.get_doctree(root)
    parts = root_parts(tree)  # read before inlining replaces the toctrees
    tree = inline_all_toctrees(builder, set(), root, tree, darkgreen, [root], shells)
    tree["docname"] = root
    lift_answer_toctrees(tree)  # as LaTeX's AnswerToctreesPostTransform
    mark_root_parts(tree, parts)
    builder.env.resolve_references(tree, root, builder)
    return tree


def entry_row(entry: ContentsEntry) -> list[Any]:
    """A line of the contents as the state keeps it."""
    return [entry.anchor, entry.number, entry.title, entry.level, entry.question]


def chapter_documents(env: BuildEnvironment, top: str) -> list[str]:
    """*top* and every document its toctrees include, at any depth."""
    found = [top]
    seen = {top}
    index = 0
    while index < len(found):
        for name in env.toctree_includes.get(found[index], []):
            if name not in seen:
                seen.add(name)
                found.append(name)
        index += 1
    return found


def fast_book(builder: Builder, states: dict[str, BookState], docs: dict[str, str],
              folder: Path) -> tuple[FastBooks | None, str]:
    """The book from its changed chapters and the last build's *states* (one a
    PDF: the book, or each volume, in order), or None and why not (the book is
    then assembled whole).  See the module's text.  The builder checks the
    images (:meth:`.builder.FaqTypstBuilder.reuse`)."""
    root = builder.config.root_doc
    first = next(iter(states.values()))
    if set(docs) != set(first.docs) or docs.get(root) != first.docs.get(root):
        return None, "documents were added or removed, or the root document changed"
    # every chapter of the book, in order: (pdf, index in it, its documents)
    every = [(stem, index, names) for stem, state in states.items()
             for index, names in enumerate(state.chapters)]
    changed_docs = {name for name, digest in docs.items() if digest != first.docs[name]}
    changed = {place for place, (_stem, _index, names) in enumerate(every)
               if changed_docs.intersection(names)}
    last_question, start = -1, 0
    for state in states.values():
        if state.last_question >= 0:
            last_question = start + state.last_question
        start += len(state.chapters)
    if any(place >= last_question for place in changed):
        return None, "a chapter changed at or after the last question's"
    kept = KeptChapters(folder)
    known: dict[str, dict[int, tuple[str, Translated]]] = {stem: {} for stem in states}
    for place, (stem, index, _names) in enumerate(every):
        if place not in changed:
            key = states[stem].keys[index]
            done = kept.get(f"{stem}-{index + 1:03d}", key)
            if done is None:
                return None, f"{stem}'s chapter {index + 1}'s markup was not kept"
            known[stem][index] = (key, done)
    shells = {names[0] for place, (_s, _i, names) in enumerate(every) if place not in changed}
    tree = assemble(builder, shells)
    chapters = chapters_of(tree)
    if [chapter["docname"] for chapter in chapters] != [names[0] for _s, _i, names in every]:
        return None, "the chapters are not those of the last build"
    for place in changed:
        stem, index, _names = every[place]
        if ids_digest(chapters[place]) != states[stem].ids[index]:
            return None, f"{stem}'s chapter {index + 1}'s ids changed"
    renamed = {(document, old): new for document, old, new in first.renamed}
    apply_renames(tree, renamed)
    keep_last_fragment(tree, renamed, titles=first.titles)
    resolve_outside_links(tree, builder.config.html_baseurl)
    glue_note_markers(tree)
    intro = split_root_intro(tree)
    titles = document_titles(tree)
    if any(first.titles.get(name) != titles.get(name)
           for place in changed for name in every[place][2]):
        return None, "a changed document's title id changed"
    volumes = Parts(tree, first.volumes) if len(states) > 1 else None
    if volumes is not None:
        homes = {ident: (number, document) for number, state in enumerate(states.values())
                 for ident, document in state.documents.items()}
        volumes.resolve_links(renamed, builder.config.html_baseurl, lambda doc: doc + ".html",
                              homes)
    depth = faq_config(builder.config).pdf_toc_depth
    pdfs: dict[str, FastBook] = {}
    for number, (stem, state) in enumerate(states.items()):
        mine = {index for place, (s, index, _n) in enumerate(every)
                if s == stem and place in changed}
        with volumes.only(number) if volumes is not None else nullcontext():
            units = Parts(tree, [[chapter["docname"]] for chapter in chapters_of(tree)])
            linked: dict[int, set[str]] = {}
            home_now, _targets, _across = where_linked(tree, units, linked)
            home = dict(state.home)
            for index in mine:
                if ([anchor for anchor, part in home_now.items() if part == index]
                        != [anchor for anchor, part in state.home if part == index]):
                    return None, f"{stem}'s chapter {index + 1}'s ids changed"
                if sorted(linked.get(index, ())) != state.linked[index]:
                    return None, f"{stem}'s chapter {index + 1}'s links changed"
            rows = [entry_row(entry) for entry in contents_entries(tree, depth)
                    if home.get(entry.anchor) in mine]
        if rows != [row for row in state.entries if home.get(row[0]) in mine]:
            return None, "the contents changed"
        pdfs[stem] = FastBook(state, home, set(state.targets), set(state.across),
                              [ContentsEntry(*row) for row in state.entries], state.context,
                              known[stem], mine)
    return FastBooks(tree, PrintTree(renamed, intro, dict(first.titles)), volumes, pdfs), ""
