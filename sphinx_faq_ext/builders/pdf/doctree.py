"""The single-page doctree of the ``faqpdf`` builder, made fit for print.

All documents become one page: ids must be unique across them, links
between them must point at plain anchors, note markers must stay with the
word before them, and the printed contents are read from the sections.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from docutils import nodes
from sphinx import addnodes

from sphinx_faq_ext.nodes import PART_TITLE, is_question, note_ref, printed_part
from sphinx_faq_ext.transforms.notes import glue_note_markers
from sphinx_faq_ext.util.walk import collect

if TYPE_CHECKING:
    from sphinx.builders import Builder


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the printed table of contents."""

    anchor: str
    number: str
    title: str
    level: int
    question: bool


def contents_entries(tree: nodes.document, depth: int) -> Iterator[ContentsEntry]:
    """Every question, and other sections down to *depth*, in reading order.

    Level 0 is the root document's own title (the title page replaces it: not
    listed) and the book's parts (:class:`~sphinx_faq_ext.nodes.printed_part`, or a
    chapter marked :data:`~sphinx_faq_ext.nodes.PART_TITLE`);
    level 1 are the documents the root toctree includes.
    """

    def walk(node: nodes.Element, level: int) -> Iterator[ContentsEntry]:
        for child in node.children:
            if not isinstance(child, nodes.Element):
                continue
            if isinstance(child, printed_part):  # level 0: above its chapters
                if child["ids"]:
                    yield ContentsEntry(child["ids"][0], "", child["caption"], 0, False)
            elif isinstance(child, nodes.section):
                question = is_question(child)
                if child["ids"] and level > 0 and (question or level <= depth):
                    # a part's only chapter, of its name: the part's line
                    yield entry(child, 0 if child.get(PART_TITLE) else level, question)
                yield from walk(child, level + 1)
            else:
                yield from walk(child, level)

    def entry(section: nodes.section, level: int, question: bool) -> ContentsEntry:
        title = section.next_node(nodes.title)
        number = section.get("faq_number", "") if question else ""
        text = title.astext() if title is not None else ""
        if number and text.startswith(number):
            text = text[len(number) :].strip()
        return ContentsEntry(section["ids"][0], number, text, level, question)

    yield from walk(tree, 0)


def inline_all_toctrees(
    builder: Builder, docnameset: set[str], docname: str, tree: nodes.document,
    colorfunc: Callable[[str], str], traversed: list[str], shells: Container[str] = (),
) -> nodes.document:
    """Sphinx's ``sphinx.util.nodes.inline_all_toctrees``, without copying each
    included document node by node.

    Sphinx deep-copies every doctree it inlines, but ``env.get_doctree``
    unpickles a new one at each call: the copy is thrown-away work (6.6 s of
    CPU of the 13.4 s that assembling a 500-question book took).  What the
    copy changes that anything could see is kept: the nodes at the top of an
    included document get a copy of their document as parent and document
    (its id tables empty, as Sphinx's copy has them); deeper nodes keep
    their parent and document, as they do in Sphinx's copy.  The root
    document (*tree*, which the caller may hold) is copied, as Sphinx does.

    The documents named in *shells* are not read: each stands as an empty
    ``start_of_file`` (a rebuild that assembles only the changed chapters).
    """
    tree = tree.deepcopy()
    _inline(builder, docnameset, docname, tree, colorfunc, traversed, "", shells)
    return tree


def _inline(builder: Builder, docnameset: set[str], docname: str, tree: nodes.document,
            colorfunc: Callable[[str], str], traversed: list[str], indent: str,
            shells: Container[str] = ()) -> None:
    """Replace each toctree of *tree* by the documents it includes (as Sphinx does)."""
    # Sphinx's own message, translated by Sphinx's catalog (not extracted into ours)
    from sphinx.locale import __ as sphinx_message
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    for toctreenode in list(tree.findall(addnodes.toctree)):
        newnodes = []
        indent += " "
        for includefile in map(str, toctreenode["includefiles"]):
            if includefile in traversed:
                continue
            if includefile in shells:
                traversed.append(includefile)
                newnodes.append(addnodes.start_of_file(docname=includefile))
                continue
            try:
                traversed.append(includefile)
                logger.info(indent + colorfunc(includefile))
                fresh = builder.env.get_doctree(includefile)
                _inline(builder, docnameset, includefile, fresh, colorfunc, traversed, indent,
                        shells)
                docnameset.add(includefile)
            except Exception:
                logger.warning(sphinx_message("toctree contains ref to nonexisting file %r"),
                               includefile, location=docname, type="toc",
                               subtype="not_readable")
            else:
                # what Element.deepcopy makes of the root: a new document over the children
                shell = fresh.copy()
                shell.children = fresh.children
                for child in shell.children:
                    shell.setup_child(child)
                sof = addnodes.start_of_file(docname=includefile)
                sof.children = shell.children
                for sectionnode in sof.findall(nodes.section):
                    if "docname" not in sectionnode:
                        sectionnode["docname"] = includefile
                newnodes.append(sof)
        assert toctreenode.parent is not None
        toctreenode.parent.replace(toctreenode, newnodes)


def elements_by_document(tree: nodes.document) -> Iterator[tuple[nodes.Element, str]]:
    """Every element of *tree* in document order, with the name of the document
    it was read from (the root's outside every ``start_of_file``).

    Down the ``children`` lists, not up the ``parent`` links: the top nodes of
    a document :func:`inline_all_toctrees` included have a copy of that
    document as their parent, not its ``start_of_file``.
    """
    root = tree.get("docname", "")
    stack: list[tuple[nodes.Node, str]] = [(tree, root)]
    while stack:
        node, document = stack.pop()
        if not isinstance(node, nodes.Element):
            continue
        if isinstance(node, addnodes.start_of_file):
            document = node["docname"]
        yield node, document
        stack.extend((child, document) for child in reversed(node.children))


def _print_walk(tree: nodes.document) -> tuple[list[tuple[nodes.Element, str]],
                                               list[nodes.Element], list[nodes.Element],
                                               list[nodes.Element]]:
    """For :func:`prepare_print_tree`, from one walk: every element with its document
    (:func:`elements_by_document`), the references, the ``start_of_file`` nodes
    and the note markers, each in reading order."""
    elements = list(elements_by_document(tree))
    references: list[nodes.Element] = []
    starts: list[nodes.Element] = []
    markers: list[nodes.Element] = []
    reference, start_of_file = nodes.reference, addnodes.start_of_file
    for node, _document in elements:
        if isinstance(node, start_of_file):
            starts.append(node)
        if isinstance(node, reference):
            references.append(node)
        if isinstance(node, note_ref):
            markers.append(node)
    return elements, references, starts, markers


def make_ids_unique(tree: nodes.document) -> dict[tuple[str, str], str]:
    """Rename ids that several documents use, now that they share one page.

    Each document's ids are unique only within it (two chapters may both
    have a "Summary" section); in one HTML document a repeated id is a broken
    anchor and a WeasyPrint warning.  Later duplicates get a suffix, and links
    inside the same document follow the rename.  Returns the renames as
    ``(docname, old id) -> new id`` for the cross-document links.
    """
    return _make_ids_unique(list(elements_by_document(tree)))


def _make_ids_unique(elements: list[tuple[nodes.Element, str]]) -> dict[tuple[str, str], str]:
    """:func:`make_ids_unique`, given the tree's elements in reading order, each with
    its document (:func:`elements_by_document`)."""
    seen: set[str] = set()
    renamed: dict[tuple[str, str], str] = {}
    refids: list[tuple[nodes.Element, str]] = []
    for node, document in elements:
        attributes = node.attributes
        if attributes.get("refid"):
            refids.append((node, document))
        ids = attributes.get("ids")
        if not ids:
            continue
        for index, old in enumerate(ids):
            if old not in seen:
                seen.add(old)
                continue
            suffix = 2
            while f"{old}-{suffix}" in seen:
                suffix += 1
            ids[index] = new = f"{old}-{suffix}"
            seen.add(new)
            renamed[document, old] = new
    for node, document in refids:
        if (key := (document, node["refid"])) in renamed:
            node["refid"] = renamed[key]
    return renamed


def apply_renames(tree: nodes.document, renamed: dict[tuple[str, str], str]) -> None:
    """What :func:`make_ids_unique` did to the book, done again to *tree*: part of
    that book (its root and some chapters), whose ids are those they had there.

    A rebuild that assembles only the chapters an edit changed
    (:mod:`.typst.rebuild`) renames their ids as the whole book's renaming did.
    """
    if not renamed:
        return
    documents = {document for document, _old in renamed}
    for node, document in elements_by_document(tree):
        if document not in documents:
            continue
        ids = node.get("ids")
        if ids:
            node["ids"] = [renamed.get((document, old), old) for old in ids]
        refid = node.get("refid")
        if refid and (document, refid) in renamed:
            node["refid"] = renamed[document, refid]


def keep_last_fragment(
    tree: nodes.document, renamed: dict[tuple[str, str], str], page: str = "",
    titles: dict[str, str] | None = None,
) -> None:
    """``#document-x#anchor`` (a cross-document link on one page) -> ``#anchor``.

    Sphinx builds such URIs for the single-page builders (its own fixer is
    deprecated); WeasyPrint, rightly, finds no such anchor.  An anchor that
    :func:`make_ids_unique` renamed in document ``x`` takes its new name.
    A link to a whole document (``#document-x``) goes to its title's section:
    Sphinx's ``document-x`` anchor stands before the chapter's page break, so
    a link to it landed on the last page of the chapter before.
    Sphinx 7 writes some of them as ``<page>#anchor`` (*page* being the one
    output file's name) instead: those keep their anchor.  *titles*: each
    document's title's id (:func:`document_titles` of the whole book), when
    *tree* holds part of it.
    """
    references, starts = collect(tree, nodes.reference, addnodes.start_of_file)
    if titles is None:
        titles = _document_titles(starts)
    _keep_last_fragment(references, titles, renamed, page)


def _keep_last_fragment(references: list[nodes.Element], titles: dict[str, str],
                        renamed: dict[tuple[str, str], str], page: str) -> None:
    """:func:`keep_last_fragment` of the tree's *references*, in reading order, with
    each document's title's id (*titles*)."""
    for ref in references:
        uri = ref.get("refuri", "")
        if uri.startswith("#document-") and "#" in uri[1:]:
            target_doc, _, anchor = uri[len("#document-") :].partition("#")
            ref["refuri"] = "#" + renamed.get((target_doc, anchor), anchor)
        elif uri.startswith("#document-") and uri[len("#document-") :] in titles:
            ref["refuri"] = "#" + titles[uri[len("#document-") :]]
        elif page and uri.startswith(f"{page}#"):
            ref["refuri"] = uri[len(page) :]


def document_titles(tree: nodes.document) -> dict[str, str]:
    """Each included document's name -> the id of its first section (its title)."""
    return _document_titles(collect(tree, addnodes.start_of_file)[0])


def _document_titles(starts: list[nodes.Element]) -> dict[str, str]:
    """:func:`document_titles` of the tree's ``start_of_file`` nodes, in reading order."""
    titles = {}
    for start in starts:
        section = next(iter(start.findall(nodes.section)), None)
        if section is not None and section["ids"]:
            titles[start["docname"]] = section["ids"][0]
    return titles


def resolve_outside_links(tree: nodes.document, baseurl: str = "") -> int:
    """Links to pages the book does not hold (``genindex.html``, ``search.html``).

    The single HTML holds the documents only; WeasyPrint would make such a
    relative link an absolute ``file:`` URI of the build machine.  With
    ``html_baseurl`` the link goes to that page of the website; without, its
    text stays and the link goes.  Returns how many were changed.
    """
    return _resolve_outside_links(collect(tree, nodes.reference)[0], baseurl)


def _resolve_outside_links(references: list[nodes.Element], baseurl: str) -> int:
    """:func:`resolve_outside_links` of the tree's *references*, in reading order."""
    changed = 0
    for ref in references:
        uri = ref.get("refuri", "")
        if not uri or uri.startswith(("#", "//")) or urlsplit(uri).scheme:
            continue
        changed += 1
        if baseurl:
            ref["refuri"] = urljoin(baseurl.rstrip("/") + "/", uri)
            continue
        ref.replace_self(nodes.inline("", "", *ref.children, classes=ref.get("classes", [])))
    return changed


#: The classes ``faq:index`` and ``faq:sources`` give their tables.
BACK_MATTER_TABLES = frozenset({"faq-index", "faq-sources"})
BACK_MATTER_CLASS = "faq-back-matter"


def _back_matter_tables(
    tree: nodes.document,
) -> list[tuple[nodes.Element, nodes.Element, nodes.Element | None]]:
    """The question index and works quoted after the last question, each with its
    parent and its ``start_of_file`` (None: in the root document).

    One walk down the ``children`` lists, in reading order, with a stack: in
    the merged tree the nodes of an included document keep their ``parent``
    in the tree they were read from (Sphinx's ``inline_all_toctrees`` moves
    children lists only), so the parent is the node the walk came from.
    """
    found: list[tuple[nodes.Element, nodes.Element, nodes.Element | None]] = []
    stack: list[tuple[nodes.Element, nodes.Element | None, nodes.Element | None]] = [
        (tree, None, None)]
    pop, element, bullet_list, start_of_file = (
        stack.pop, nodes.Element, nodes.bullet_list, addnodes.start_of_file)
    while stack:
        node, parent, file_node = pop()
        if is_question(node):
            found.clear()  # only the tables after the last question count
        elif (isinstance(node, bullet_list) and parent is not None
              and not BACK_MATTER_TABLES.isdisjoint(node["classes"])):
            found.append((node, parent, file_node))
        inner = node if isinstance(node, start_of_file) else file_node
        stack.extend([(child, node, inner) for child in reversed(node.children)
                      if isinstance(child, element)])
    return found


def mark_back_matter(tree: nodes.document) -> None:
    """Class ``faq-back-matter`` on the question index and works quoted.

    Only when no question follows them (they are then the book's back
    matter, which starts on a right-hand page under its own running head).
    A document holding them and no question gets the class on its section;
    tables written in the root document after its toctree are wrapped, with
    their caption, in a container carrying it.
    """
    marked: set[int] = set()
    for node, parent, file_node in _back_matter_tables(tree):
        if file_node is not None:
            section = next(
                (child for child in file_node.children if isinstance(child, nodes.section)), None
            )
            if section is not None and id(section) not in marked:
                section["classes"].append(BACK_MATTER_CLASS)
                marked.add(id(section))
            continue
        position = parent.index(node)
        start = position
        before = parent[position - 1] if position else None
        if isinstance(before, nodes.rubric) and "faq-caption" in before["classes"]:
            start -= 1
        wrapper = nodes.container(classes=[BACK_MATTER_CLASS])
        for child in list(parent.children[start : position + 1]):
            parent.remove(child)
            wrapper += child
        parent.insert(start, wrapper)


def split_root_intro(tree: nodes.document) -> list[nodes.Node]:
    """Take out the root document's own text before its first toctree.

    In the book it belongs to the front matter (the title page, or a page
    after the contents), not to the page before the first chapter, where a
    one-line introduction would stand alone under a running head.
    """
    root = next((child for child in tree.children if isinstance(child, nodes.section)), None)
    if root is None or not any(
        isinstance(child, nodes.compound) and "toctree-wrapper" in child["classes"]
        for child in root.children
    ):
        return []  # a book of one document: its text is the book
    intro: list[nodes.Node] = []
    for child in list(root.children):
        if isinstance(child, nodes.title):
            continue
        if isinstance(child, nodes.compound | nodes.section | addnodes.start_of_file):
            break
        if isinstance(child, nodes.target | nodes.comment):
            continue
        root.remove(child)
        intro.append(child)
    return intro


@dataclass
class PrintTree:
    """What preparing the merged tree for print found out, for the builder."""

    #: Ids renamed by :func:`make_ids_unique`, ``(docname, old) -> new``.
    renamed: dict[tuple[str, str], str]
    #: The root document's introduction, taken out for the front matter.
    intro: list[nodes.Node]
    #: Each document's title's id (:func:`document_titles`).
    titles: dict[str, str] = field(default_factory=dict)


def prepare_print_tree(tree: nodes.document, baseurl: str = "", page: str = "") -> PrintTree:
    """Make the merged book tree fit for print, for either PDF engine.

    Unique ids, in-book links to plain anchors, links out of the book to the
    website (or text), markers glued to their word, the back matter marked,
    and the root document's introduction taken out for the front matter.
    *page* is the one output file's name, for Sphinx 7's ``<page>#anchor``.
    """
    # one walk for the passes that look for nodes of some classes; the links
    # resolve_outside_links replaces keep their children, markers and all
    elements, references, starts, markers = _print_walk(tree)
    renamed = _make_ids_unique(elements)
    titles = _document_titles(starts)
    _keep_last_fragment(references, titles, renamed, page)
    _resolve_outside_links(references, baseurl)
    glue_note_markers(tree, markers)
    mark_back_matter(tree)
    return PrintTree(renamed, split_root_intro(tree), titles)
