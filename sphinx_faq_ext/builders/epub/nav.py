"""Questions in the ePub navigation (``nav.xhtml`` and ``toc.ncx``).

Sphinx lists the root document only by its title, never its sections, and
drops every heading deeper than ``epub_tocdepth`` (3 by default) from both
navigation files.  Questions written in the root document are added under its
entry.  In an FAQ book questions routinely sit four levels down
(book page, ``A``, ``A.2``, ``A.2.6``) and readers cite them by number, so a
question is kept whatever its depth; other headings still obey
``epub_tocdepth``.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, TypeVar

from docutils import nodes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.environment import BuildEnvironment

Entry = dict[str, Any]
Point = TypeVar("Point")


def question_uris(env: BuildEnvironment, suffix: str) -> set[str]:
    """Every question's URI, as Sphinx's refnodes spell them.

    ``docname.xhtml#anchor``; and ``docname.xhtml`` for the question that is
    its page's title (a page of one question, as an imported book's
    ``seca1/a-1-1.md``): Sphinx's entry for a page's first section carries no
    anchor.  That question is the one of the page whose anchor the page's
    table of contents does not name (:func:`_page_question`).
    """
    from sphinx_faq_ext.domain import faq_domain

    uris: set[str] = set()
    for docname, records in faq_domain(env).questions.items():
        for record in records:
            # refnodes carry html-escaped URIs; escape the same way to compare.
            uris.add(html.escape(f"{docname}{suffix}#{record.anchor}"))
        if _page_question(env, docname, [record.anchor for record in records]):
            uris.add(html.escape(f"{docname}{suffix}"))
    return uris


def _page_question(env: BuildEnvironment, docname: str, anchors: list[str]) -> bool:
    """Whether the first section of *docname* is one of its questions (*anchors*).

    The page's toc names every section by its anchor but the first, which it
    names by the page alone; so when exactly one question's anchor is missing
    from the toc, that question is the first section.
    """
    toc = env.tocs.get(docname)
    if toc is None or not anchors:
        return False
    named = {ref.get("anchorname", "").lstrip("#") for ref in toc.findall(nodes.reference)}
    return sum(anchor not in named for anchor in anchors) == 1


def root_question_entries(env: BuildEnvironment, root_doc: str, suffix: str) -> list[Entry]:
    """Nav entries for the questions of the root document, in reading order.

    Titles come from the document's table of contents, as Sphinx's own entries
    do (a note marker in a title is empty there, its text lives in the notes).
    """
    from sphinx_faq_ext.domain import faq_domain

    questions = {record.anchor for record in faq_domain(env).questions.get(root_doc, [])}
    entries: list[Entry] = []

    def walk(toc: nodes.Element, level: int) -> None:
        for item in toc.children:
            for child in item.children:
                if isinstance(child, nodes.bullet_list):
                    walk(child, level + 1)
                    continue
                if not isinstance(child, nodes.Element):
                    continue
                ref = child.next_node(nodes.reference)
                anchor = ref.get("anchorname", "").lstrip("#") if ref is not None else ""
                if ref is not None and anchor in questions:
                    entries.append({
                        "level": level,
                        "refuri": html.escape(f"{root_doc}{suffix}#{anchor}"),
                        "text": html.escape(ref.astext()),
                    })

    toc = env.tocs.get(root_doc)
    if toc is not None:
        # The first level of the root document's toc is its own title.
        walk(toc, 1)
    return entries


def kept_entries(
    entries: Iterable[Entry], tocdepth: int, questions: set[str], ignored: Iterable[str]
) -> list[Entry]:
    """The entries to show, with levels that never jump by more than one.

    A question below a dropped heading is lifted to one level under the last
    kept entry, so the nesting stays well formed.
    """
    ignored = set(ignored)
    kept: list[Entry] = []
    # Level in the source outline -> level shown, for the chain of open entries.
    shown_for: list[tuple[int, int]] = []
    for entry in entries:
        if not entry["text"] or entry["refuri"].split("#")[0] in ignored:
            continue
        level = entry["level"]
        if level > tocdepth and entry["refuri"] not in questions:
            continue
        while shown_for and shown_for[-1][0] >= level:
            shown_for.pop()
        shown = shown_for[-1][1] + 1 if shown_for else 1
        shown = min(level, shown)
        shown_for.append((level, shown))
        kept.append({**entry, "level": shown})
    return kept


def nest(
    entries: list[Entry],
    make: Callable[[Entry], Point],
    children: Callable[[Point], list[Point]],
    duplicate_parent: Callable[[Entry], Point] | None = None,
) -> list[Point]:
    """Turn a flat list of leveled entries into a tree of navigation points.

    *duplicate_parent*, when given, repeats a parent as the first child of its
    sub-list (Sphinx's ``epub_tocdup`` for ``toc.ncx``).
    """
    roots: list[Point] = []
    stack: list[tuple[int, Point, Entry]] = []
    for entry in entries:
        level = entry["level"]
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            siblings = children(stack[-1][1])
            if not siblings and duplicate_parent is not None:
                siblings.append(duplicate_parent(stack[-1][2]))
        else:
            siblings = roots
        point = make(entry)
        siblings.append(point)
        stack.append((level, point, entry))
    return roots


def depth(points: list[Any]) -> int:
    """Depth of a navigation tree (``dtb:depth`` of ``toc.ncx``)."""
    return 1 + max((depth(point.children) for point in points), default=0) if points else 0
