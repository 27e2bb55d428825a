"""The book's parts: its chapters, and volumes of them (both engines).

The chapters are the documents the root toctree includes; a part is a run
of whole chapters (:class:`Parts`): a volume (``faq_pdf_volumes``, as the
printed editions of long books are), or one chapter of a book laid out
chapter by chapter (:class:`Plan`, which also says which parts print the
page numbers of others).  The book's one doctree is kept; :meth:`Parts.only`
shows one part of it while that part is written.

Links from one volume into another cannot be links inside the PDF: they go
to the website (``html_baseurl``) or stay as text, and say which volume
(:meth:`Parts.resolve_links`, and the CSS of :func:`volume_css`).  Links
from one chapter into another, laid out apart, go to ``faq-join:ID`` while
the chapter is written (:func:`links_across`); the join resolves them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from sphinx_faq_ext.builders.pdf.doctree import BACK_MATTER_TABLES, elements_by_document
from sphinx_faq_ext.nodes import PART_TITLE, printed_part, same_title
from sphinx_faq_ext.util.builder import JOIN_SCHEME
from sphinx_faq_ext.util.conf_py import conf_location

logger = logging.getLogger(__name__)

#: Classes of a link into another volume: this one, and ``faq-volume-<n>``.
OTHER_VOLUME_CLASS = "faq-other-volume"


def is_toctree_wrapper(node: nodes.Node) -> bool:
    """The container an inlined toctree leaves (its chapters' ``start_of_file``)."""
    return isinstance(node, nodes.compound) and "toctree-wrapper" in node["classes"]


def root_section(tree: nodes.document) -> nodes.section | None:
    """The root document's section, which holds the toctree."""
    return next((child for child in tree.children if isinstance(child, nodes.section)), None)


def chapters_of(tree: nodes.document) -> list[addnodes.start_of_file]:
    """The documents of the root toctree(s), in reading order."""
    root = root_section(tree)
    if root is None:
        return []
    return [
        chapter
        for wrapper in root.children if is_toctree_wrapper(wrapper)
        for chapter in wrapper.children if isinstance(chapter, addnodes.start_of_file)
    ]


def root_parts(root: nodes.document) -> list[tuple[str, list[str]]]:
    """The captions of the root document's toctrees and the documents each lists,
    when two or more are captioned (``Volume 1``, ``Supplementary Material``): the
    book's parts.  One captioned toctree is no division of the book: ``[]``."""
    captioned = [(toctree["caption"], [str(name) for name in toctree["includefiles"]])
                 for toctree in root.findall(addnodes.toctree)
                 if toctree.get("caption") and toctree.get("includefiles")]
    return captioned if len(captioned) >= 2 else []


def mark_root_parts(tree: nodes.document, parts: list[tuple[str, list[str]]]) -> int:
    """Each of the book's *parts* (:func:`root_parts`) as a
    :class:`~sphinx_faq_ext.nodes.printed_part` with an id, the first child of the
    first document its toctree lists in *tree* (the merged book): it goes with
    that document into its volume or laid-out part, and prints as LaTeX's
    ``PrintedPartsPostTransform`` prints it.  Returns how many were marked.

    A part of one chapter whose title is the part's caption (An Anarchist
    FAQ's *Supplementary Material*) would print the title twice, alone on the
    part's page and again as the chapter's heading: its chapter's section is
    marked :data:`~sphinx_faq_ext.nodes.PART_TITLE` instead, and its heading
    is the part's (a part's line of the contents; the chapter's own page).
    """
    top = {chapter["docname"]: chapter for chapter in chapters_of(tree)}
    marked = 0
    for caption, includes in parts:
        chapters = [top[name] for name in includes if name in top]
        if not chapters:
            continue
        first = chapters[0]
        section = next((child for child in first.children
                        if isinstance(child, nodes.section)), None)
        title = section.next_node(nodes.title) if section is not None else None
        if (len(chapters) == 1 and section is not None and title is not None
                and same_title(caption, title.astext())):
            section[PART_TITLE] = True
            continue
        marked += 1
        first.insert(0, printed_part(caption=caption, ids=[f"faq-part-{marked}"]))
    return marked


def balanced(sizes: Sequence[int], count: int) -> list[int]:
    """Where volumes start (indices into *sizes*), runs of about equal total size.

    *count* volumes (fewer with fewer chapters), each at least one chapter,
    the largest volume as small as it can be.
    """
    count = min(count, len(sizes))
    prefix = [0]
    for size in sizes:
        prefix.append(prefix[-1] + size)
    # best[k][i]: the smallest largest volume of the first i chapters in k volumes
    inf = float("inf")
    best = [[inf] * (len(sizes) + 1) for _ in range(count + 1)]
    cut = [[0] * (len(sizes) + 1) for _ in range(count + 1)]
    best[0][0] = 0
    for k in range(1, count + 1):
        for i in range(k, len(sizes) + 1):
            for j in range(k - 1, i):
                worst = max(best[k - 1][j], prefix[i] - prefix[j])
                if worst < best[k][i]:
                    best[k][i], cut[k][i] = worst, j
    starts, i = [], len(sizes)
    for k in range(count, 0, -1):
        i = cut[k][i]
        starts.append(i)
    return starts[::-1]


def plan(
    setting: int | tuple[tuple[str, ...], ...], chapters: Sequence[str], sizes: Sequence[int]
) -> tuple[list[list[str]], str]:
    """The volumes (chapter docnames), or ``[]`` and what is wrong with *setting*."""
    if isinstance(setting, int):
        if len(chapters) < 2:
            return [], (f"faq_pdf_volumes = {setting}, but the root toctree has "
                        f"{len(chapters)} chapter(s); one PDF is written")
        starts = [*balanced(sizes, setting), len(chapters)]
        return [list(chapters[a:b]) for a, b in itertools.pairwise(starts)], ""
    known = set(chapters)
    listed = [name for volume in setting for name in volume]
    unknown = [name for name in listed if name not in known]
    if unknown:
        return [], (f"faq_pdf_volumes: {', '.join(map(repr, unknown))} is not a chapter "
                    f"of the root toctree ({', '.join(chapters)}); one PDF is written")
    twice = sorted({name for name in listed if listed.count(name) > 1})
    if twice:
        return [], (f"faq_pdf_volumes: {', '.join(map(repr, twice))} is in more than one "
                    f"volume; one PDF is written")
    missing = [name for name in chapters if name not in listed]
    if missing:
        return [], (f"faq_pdf_volumes: no volume holds {', '.join(map(repr, missing))}; "
                    f"one PDF is written")
    if listed != list(chapters):
        return [], ("faq_pdf_volumes: the volumes must hold the chapters in the order "
                    f"of the root toctree ({', '.join(chapters)}); one PDF is written")
    return [list(volume) for volume in setting], ""


class Parts:
    """The book's doctree cut into parts, each a run of whole chapters.

    A volume (``faq_pdf_volumes``, :func:`volumes_of`), or a single chapter
    of a book laid out chapter by chapter (:func:`plan_parts`): one notion
    for both, and for both engines.
    """

    def __init__(self, tree: nodes.document, volumes: list[list[str]]) -> None:
        self.tree = tree
        self.names = volumes
        self.count = len(volumes)
        volume_of_doc = {name: index for index, volume in enumerate(volumes) for name in volume}
        root = root_section(tree)
        assert root is not None  # there are chapters
        self.root = root
        #: Each child of the root section and its volume (None: in every volume).
        self.parts: list[tuple[nodes.Node, int | None]] = []
        current = 0
        for child in root.children:
            if is_toctree_wrapper(child):
                names = [c["docname"] for c in child.children
                         if isinstance(c, addnodes.start_of_file)]
                if names:
                    current = volume_of_doc[names[-1]]
                self.parts.append((child, None))
            elif isinstance(child, nodes.title):
                self.parts.append((child, None))
            else:  # the root's own text after a chapter goes with that chapter
                self.parts.append((child, current))
        self.volume_of_doc = volume_of_doc
        #: Each id's volume and document, as :meth:`resolve_links` last found them.
        self.homes: dict[str, tuple[int, str]] = {}

    def volume_of(self, node: nodes.Node, inherited: int) -> int:
        """A chapter's volume; other nodes take *inherited*."""
        if isinstance(node, addnodes.start_of_file) and node["docname"] in self.volume_of_doc:
            return self.volume_of_doc[node["docname"]]
        return inherited

    def units(self) -> Iterator[tuple[nodes.Node, int]]:
        """Each chapter, and each part of the root's own text, with its volume."""
        for part, volume in self.parts:
            if volume is not None:
                yield part, volume
            elif is_toctree_wrapper(part):
                for chapter in part.children:
                    yield chapter, self.volume_of(chapter, 0)

    @contextmanager
    def only(self, volume: int) -> Iterator[None]:
        """While open, the tree holds *volume*'s chapters and text only."""
        saved_root = self.root.children
        saved = {id(part): part.children for part, _v in self.parts if is_toctree_wrapper(part)}
        kept: list[nodes.Node] = []
        for part, owner in self.parts:
            if owner is not None:
                if owner == volume:
                    kept.append(part)
                continue
            if is_toctree_wrapper(part):
                assert isinstance(part, nodes.Element)
                mine = [c for c in part.children if self.volume_of(c, -1) in (volume, -1)]
                if not any(isinstance(c, addnodes.start_of_file) for c in mine):
                    continue
                part.children = mine
            kept.append(part)
        self.root.children = kept
        try:
            yield
        finally:
            self.root.children = saved_root
            for part, _v in self.parts:
                if id(part) in saved:
                    assert isinstance(part, nodes.Element)
                    part.children = saved[id(part)]

    def resolve_links(
        self, renamed: dict[tuple[str, str], str], baseurl: str,
        page_uri: Callable[[str], str],
        known: dict[str, tuple[int, str]] | None = None,
    ) -> int:
        """Links into another volume: to the website, or text; marked with its volume.

        *renamed* is what :func:`~.doctree.make_ids_unique` renamed (the
        website keeps the old id); *page_uri* gives a document's page.
        *known*: each id's volume and document where the tree does not hold
        it (a rebuild's unchanged chapters are empty shells: the last build's
        :attr:`homes`).  Returns how many links were changed.
        """
        original = {new: key for key, new in renamed.items()}
        home: dict[str, tuple[int, str]] = {}  # id -> (volume, docname)
        for unit, volume in self.units():
            if not isinstance(unit, nodes.Element):
                continue
            # each id's own document (a chapter's may include others): its page
            for node, docname in elements_by_document(unit):
                if isinstance(node, addnodes.start_of_file):
                    home[f"document-{node['docname']}"] = (volume, node["docname"])
                for ident in node.get("ids", ()):
                    home.setdefault(ident, (volume, docname))
        for ident, where in (known or {}).items():
            home.setdefault(ident, where)
        self.homes = home
        changed = 0
        for unit, volume in self.units():
            for ref in list(unit.findall(nodes.reference)):
                uri = ref.get("refuri", "")
                target = home.get(uri[1:]) if uri.startswith("#") else None
                if target is None or target[0] == volume:
                    continue
                changed += 1
                classes = [*ref.get("classes", []), OTHER_VOLUME_CLASS,
                           f"faq-volume-{target[0] + 1}"]
                if not baseurl:
                    ref.replace_self(nodes.inline("", "", *ref.children, classes=classes))
                    continue
                anchor = uri[1:]
                docname, anchor = original.get(anchor, (target[1], anchor))
                if anchor == f"document-{docname}":
                    anchor = ""
                page = page_uri(docname) + (f"#{anchor}" if anchor else "")
                ref["refuri"] = urljoin(baseurl.rstrip("/") + "/", page)
                ref["classes"] = classes
        return changed


def shows_page_numbers(unit: nodes.Node) -> bool:
    """Whether *unit* holds a question index or works-quoted list (page numbers)."""
    return isinstance(unit, nodes.Element) and any(
        BACK_MATTER_TABLES & set(node["classes"]) for node in unit.findall(nodes.bullet_list)
    )


@dataclass
class Plan:
    """The book's chapters as parts, and which of them print page numbers."""

    parts: Parts
    #: Indices of the parts that print page numbers of others (index, works quoted).
    dependent: list[int]

    @property
    def back(self) -> list[int]:
        """The dependent parts at the end: laid out after all others, numbers written in."""
        back: list[int] = []
        for index in range(self.parts.count - 1, -1, -1):
            if index not in self.dependent:
                break
            back.insert(0, index)
        return back

    @property
    def body(self) -> list[int]:
        """Indices of the parts laid out first, in parallel."""
        return [index for index in range(self.parts.count) if index not in self.back]

    @property
    def middle(self) -> list[int]:
        """Positions in :attr:`body` of dependent parts that other chapters follow.

        Laid out first with placeholder page numbers (their page count numbers
        the chapters after them), then again with the numbers written in.
        """
        return [position for position, index in enumerate(self.body)
                if index in self.dependent]


def plan_parts(tree: nodes.document) -> Plan | None:
    """One part a chapter; None for a book of one chapter (laid out in one piece)."""
    chapters = chapters_of(tree)
    if len(chapters) < 2:
        return None
    parts = Parts(tree, [[chapter["docname"]] for chapter in chapters])
    dependent = sorted({part for unit, part in parts.units() if shows_page_numbers(unit)})
    return Plan(parts, dependent)


def css_string(text: str) -> str:
    """*text* as a CSS string (quoted, escaped), for generated rules."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{escaped}"'


def volume_css(count: int, label: Callable[[int], str]) -> str:
    """The rules that print "(vol. 2)" after links into volume 2, and so on.

    In the question index and the works quoted, where other entries print
    their page number, such an entry prints its volume instead.
    """
    rules = []
    for number in range(1, count + 1):
        text = label(number)
        cls = f".{OTHER_VOLUME_CLASS}.faq-volume-{number}"
        rules += [
            f'{cls}::after {{ content: "\\a0(" {css_string(text)} ")"; }}',
            f'ul.faq-index {cls}::after {{ content: leader(dotted) " " {css_string(text)}; }}',
            f'ul.faq-sources-authors {cls}::after {{ content: "\\a0(" {css_string(text)} ")"; }}',
        ]
    return "\n".join(rules)


def volumes_of(
    tree: nodes.document, setting: int | tuple[tuple[str, ...], ...],
    confdir: str | Path | None,
) -> Parts | None:
    """``faq_pdf_volumes`` applied to the book's chapters; None for one PDF.

    A setting that does not fit the book warns at ``conf.py`` and gives one PDF.
    """
    if not setting:
        return None
    chapters = chapters_of(tree)
    names = [chapter["docname"] for chapter in chapters]
    volumes, problem = plan(setting, names, [len(c.astext()) for c in chapters])
    if problem:
        logger.warning(problem, type="faq", subtype="config",
                       location=conf_location(confdir, "faq_pdf_volumes"))
    if len(volumes) < 2:
        return None
    return Parts(tree, volumes)


#: The attribute of a reference into another part that holds the printed page
#: number of its target, once known (an engine prints it: ``data-faq-page``).
PAGE_ATTRIBUTE = "faq_page"


def own_ids(shown: Iterable[nodes.Node]) -> set[str]:
    """The anchors the nodes *shown* define (a document's start is ``document-NAME``)."""
    ids: set[str] = set()
    for root in shown:
        for node in root.findall(nodes.Element):
            ids.update(node.get("ids", ()))
            if isinstance(node, addnodes.start_of_file):
                ids.add(f"document-{node['docname']}")
    return ids


def _anchor(uri: str) -> str | None:
    """The anchor of a link inside the book (``#ID``), None for another link."""
    return uri[1:] if uri.startswith("#") else None


def first_link_to(tree: nodes.Node, anchor: str) -> nodes.reference | None:
    """The first link of *tree* inside the book to *anchor* (where a warning about
    it points), or None."""
    for ref in tree.findall(nodes.reference):
        uri = ref.get("refuri")
        if (_anchor(uri) if uri is not None else ref.get("refid")) == anchor:
            return ref
    return None


@contextmanager
def links_across(
    shown: Sequence[nodes.Node], numbers: dict[str, int] | None = None,
    placeholder: str = "", also_own: Iterable[str] = (), own: set[str] | None = None,
) -> Iterator[int]:
    """While open, links of *shown* to anchors it lacks go to ``faq-join:ID``.

    For a part laid out apart (a chapter, the front matter): the join makes
    such a link a link inside the PDF.  Each gets its target's printed page
    from *numbers* (else *placeholder*, if any) in :data:`PAGE_ATTRIBUTE`.
    *also_own* are anchors the page defines outside the doctree (its
    template's); *own*, when given, the anchors it defines instead of
    :func:`own_ids` of *shown*.  Yields how many links were changed; the
    doctree is put back on exit, for the next part.
    """
    own = (own_ids(shown) if own is None else own) | set(also_own)
    saved: list[tuple[nodes.reference, dict[str, object]]] = []
    for root in shown:
        for ref in root.findall(nodes.reference):
            uri = ref.get("refuri")
            anchor = _anchor(uri) if uri is not None else ref.get("refid")
            if not anchor or anchor in own:
                continue
            saved.append((ref, dict(ref.attributes)))
            if uri is None:  # a refid: still an internal link
                del ref["refid"]
                ref["internal"] = True
            ref["refuri"] = JOIN_SCHEME + anchor
            number = str(numbers.get(anchor, placeholder)) if numbers is not None else placeholder
            if number:
                ref[PAGE_ATTRIBUTE] = number
    try:
        yield len(saved)
    finally:
        for ref, attributes in saved:
            ref.attributes = attributes
