"""A ``faqpdf`` book laid out chapter by chapter, in several processes, then joined.

WeasyPrint lays a document out on one core and keeps every page in memory,
and its time per page grows with the document: a 500-question book as one
document took five times as long as the LaTeX path and 4 GB.  So a book with
two or more chapters (the documents of the root toctree) is written as one
HTML document per chapter, each laid out by a child process
(``python -m sphinx_faq_ext.builders.pdf_layout``), as many at once as
``-j`` says, and the PDFs are joined (:mod:`.pdf_join`) into one book with
continuous page numbers, bookmarks, links and one structure tree.

- Every chapter opens on a right-hand page, as in a printed book: the join
  puts a blank page before one that would not.
- A chapter's first page number depends on the chapters before it; the
  child asks for it once its pages are laid out (margin boxes are made
  last, :mod:`~sphinx_faq_ext.util.upstream.weasyprint_page_numbers`).
- The contents (front matter, numbered i, ii…) and the chapters that print
  page numbers of other chapters (the question index and the works quoted:
  the back matter) are laid out after the chapters they point into, with
  those numbers written in (``data-faq-page``, see ``book.css``).
- A link into another chapter is written ``faq-join:ID``; the join turns it
  into a link inside the PDF.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_faq_ext.builders.pdf_doctree import BACK_MATTER_TABLES
from sphinx_faq_ext.builders.pdf_join import JOIN_SCHEME, Joined, body_first_pages, join
from sphinx_faq_ext.builders.pdf_layout import (
    LAYOUT_MODULE,
    TAIL,
    Layout,
    _json_field,
    child_environment,
)
from sphinx_faq_ext.builders.pdf_volumes import Volumes, chapters_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

#: Where the chapters' HTML (kept for debugging) and PDFs go, in the output folder.
PARTS_FOLDER = "_parts"


def shows_page_numbers(unit: nodes.Node) -> bool:
    """Whether *unit* holds a question index or works-quoted list (page numbers)."""
    return isinstance(unit, nodes.Element) and any(
        BACK_MATTER_TABLES & set(node["classes"]) for node in unit.findall(nodes.bullet_list)
    )


@dataclass
class Plan:
    """The book's chapters as parts, and which of them are back matter."""

    parts: Volumes
    #: Indices of the parts laid out after the others (page numbers written in).
    back: list[int]

    @property
    def body(self) -> list[int]:
        """Indices of the parts laid out first, in parallel."""
        return [index for index in range(self.parts.count) if index not in self.back]


def plan_parts(tree: nodes.document) -> tuple[Plan | None, str]:
    """One part a chapter, or None and why the book is laid out in one piece."""
    chapters = chapters_of(tree)
    if len(chapters) < 2:
        return None, ""
    parts = Volumes(tree, [[chapter["docname"]] for chapter in chapters])
    back = sorted({part for unit, part in parts.units() if shows_page_numbers(unit)})
    if back and back != list(range(parts.count - len(back), parts.count)):
        return None, (
            "a question index or works-quoted list is followed by a chapter that "
            "does not print page numbers"
        )
    return Plan(parts, back), ""


# -- the HTML of a part ------------------------------------------------------------------

_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'href="#([^"]+)"')
_JOIN_HREF = re.compile(r'href="' + re.escape(JOIN_SCHEME) + r'([^"]+)"')


def link_across(html: str) -> str:
    """*html* with its links to ids it does not hold written ``faq-join:ID``."""
    own = set(_ID.findall(html))

    def across(match: re.Match[str]) -> str:
        anchor = match.group(1)
        return match.group(0) if anchor in own else f'href="{JOIN_SCHEME}{anchor}"'

    return _HREF.sub(across, html)


def with_page_numbers(html: str, numbers: dict[str, int], first_page: int | None) -> str:
    """*html* with the page number of each ``faq-join:`` link written in.

    With *first_page*, its pages are numbered from there (the back matter,
    whose place is known when it is laid out).
    """

    def numbered(match: re.Match[str]) -> str:
        number = numbers.get(match.group(1))
        return match.group(0) if number is None else f'{match.group(0)} data-faq-page="{number}"'

    html = _JOIN_HREF.sub(numbered, html)
    if first_page is not None:
        rule = f"@page :first {{ counter-reset: page {first_page}; }}\n</style>"
        html = html.replace("</style>", rule, 1)
    return html


# -- laying the parts out -------------------------------------------------------------------


class FirstPages:
    """The body parts' page counts as children report them, and their first pages."""

    def __init__(self, count: int) -> None:
        self.counts: list[int | None] = [None] * count
        self.ready = threading.Condition()

    def report(self, index: int, pages: int) -> None:
        """Part *index* is laid out in *pages* pages (0: it failed)."""
        with self.ready:
            self.counts[index] = pages
            self.ready.notify_all()

    def first_page(self, index: int) -> int:
        """Part *index*'s first page number, once every part before it is laid out."""
        with self.ready:
            self.ready.wait_for(lambda: all(c is not None for c in self.counts[:index]))
            counts = [c or 0 for c in self.counts[: index + 1]]
        return body_first_pages(counts)[index]


@dataclass
class PartLayout(Layout):
    """What a child reported about a part: also its anchors and first page."""

    first_page: int = 1
    anchors: dict[str, int] | None = None


def lay_out_part(
    html: Path, pdf: Path, base: Path, ask: Callable[[int], int] | None = None
) -> PartLayout:
    """Lay *html* out in a child process; with *ask*, it numbers pages from ``ask(pages)``."""
    pdf.unlink(missing_ok=True)
    command = [sys.executable, "-m", LAYOUT_MODULE, str(html), str(pdf), "--base", str(base)]
    if ask is not None:
        command.append("--ask-first-page")
    layout = PartLayout(html, pdf)
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf8") as errors:
        with subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
            text=True, env=child_environment(),
        ) as child:
            assert child.stdin is not None and child.stdout is not None
            for line in child.stdout:
                laid_out = _json_field(line, "laid_out")
                if isinstance(laid_out, int) and ask is not None:
                    layout.first_page = ask(laid_out)
                    child.stdin.write(json.dumps({"first_page": layout.first_page}) + "\n")
                    child.stdin.flush()
                pages, anchors = _json_field(line, "pages"), _json_field(line, "anchors")
                if isinstance(pages, int):
                    layout.pages = pages
                if isinstance(anchors, dict):
                    layout.anchors = {str(k): int(v) for k, v in anchors.items()}
            child.stdin.close()
            layout.returncode = child.wait()
        errors.seek(0)
        other = []
        for line in errors:
            message = _json_field(line, "warning")
            if isinstance(message, str):
                layout.warnings.append(message)
            else:
                other.append(line.rstrip("\n"))
    layout.tail = "\n".join(other)[-TAIL:]
    layout.seconds = time.perf_counter() - started
    if not layout.returncode and (not pdf.is_file() or layout.anchors is None):
        layout.returncode = -1
    return layout


def lay_out_body(jobs: list[tuple[Path, Path]], base: Path, parallel: int) -> list[PartLayout]:
    """Lay the body parts out, *parallel* at once, each numbered after those before it."""
    first_pages = FirstPages(len(jobs))

    def run(index: int) -> PartLayout:
        def ask(pages: int) -> int:
            first_pages.report(index, pages)
            return first_pages.first_page(index)

        try:
            layout = lay_out_part(*jobs[index], base, ask)
        finally:  # a part that failed before asking must not hold the others
            if first_pages.counts[index] is None:
                first_pages.report(index, 0)
        return layout

    with ThreadPoolExecutor(max_workers=max(1, min(parallel, len(jobs)))) as pool:
        return list(pool.map(run, range(len(jobs))))


def page_numbers(layouts: Iterator[PartLayout]) -> dict[str, int]:
    """The printed page number of every anchor of the parts laid out."""
    numbers: dict[str, int] = {}
    for layout in layouts:
        for anchor, index in (layout.anchors or {}).items():
            numbers.setdefault(anchor, layout.first_page + index)
    return numbers


@dataclass
class Book:
    """What laying a book out by chapter gave: every part's report, and the join."""

    layouts: list[PartLayout]
    joined: Joined | None = None

    @property
    def failed(self) -> list[PartLayout]:
        """The parts whose child failed (then there is no book)."""
        return [layout for layout in self.layouts if layout.returncode]


def lay_out_book(
    plan: Plan, path: Callable[[int | None, str], Path], base: Path, target: Path,
    parallel: int,
) -> Book:
    """Lay out the body parts in parallel, then the back and front matter; join them.

    *path* gives a part's file (``None``: the front matter) with a suffix.
    """
    layouts = lay_out_body([(path(i, ".html"), path(i, ".pdf")) for i in plan.body], base,
                           parallel)
    book = Book(layouts)
    if book.failed:
        return book
    numbers = page_numbers(iter(layouts))
    counts = [layout.pages for layout in layouts]
    for index in plan.back:
        first = body_first_pages([*counts, 0])[-1]
        html = path(index, ".html")
        html.write_text(with_page_numbers(html.read_text("utf8"), numbers, first), "utf8")
        layout = lay_out_part(html, path(index, ".pdf"), base)
        layout.first_page = first
        book.layouts.append(layout)
        if layout.returncode:
            return book
        numbers.update(page_numbers(iter([layout])))
        counts.append(layout.pages)
    front = path(None, ".html")
    front.write_text(with_page_numbers(front.read_text("utf8"), numbers, None), "utf8")
    layout = lay_out_part(front, path(None, ".pdf"), base)
    book.layouts.append(layout)
    if layout.returncode:
        return book
    target.unlink(missing_ok=True)
    parts = [path(index, ".pdf") for index in [*plan.body, *plan.back]]
    book.joined = join(path(None, ".pdf"), parts, target)
    for part in [*parts, path(None, ".pdf")]:
        part.unlink(missing_ok=True)
    return book
