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


class Worker:
    """A child process laying out parts one after another (``pdf_layout --serve``).

    Started when first needed; one that dies (a crash inside WeasyPrint) is
    started again for the next part.
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.child: subprocess.Popen[str] | None = None
        self.errors = tempfile.TemporaryFile("w+", encoding="utf8")  # noqa: SIM115 - closed by close()

    def start(self) -> subprocess.Popen[str]:
        if self.child is None or self.child.poll() is not None:
            self.errors.seek(0)
            self.errors.truncate()
            self.child = subprocess.Popen(
                [sys.executable, "-m", LAYOUT_MODULE, "--serve"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                text=True, env=child_environment(),
            )
        return self.child

    def run(self, html: Path, pdf: Path, ask: Callable[[int], int] | None = None) -> PartLayout:
        """Lay *html* out into *pdf*; with *ask*, pages are numbered from ``ask(pages)``."""
        pdf.unlink(missing_ok=True)
        layout = PartLayout(html, pdf)
        started = time.perf_counter()
        child = self.start()
        assert child.stdin is not None and child.stdout is not None
        job = {"html": str(html), "pdf": str(pdf), "base": str(self.base), "ask": bool(ask)}
        try:
            child.stdin.write(json.dumps(job) + "\n")
            child.stdin.flush()
            while line := child.stdout.readline():
                if self.answered(line, layout, ask):
                    break
            else:  # the worker died
                layout.returncode = child.wait() or -1
                self.errors.seek(0)
                layout.tail = self.errors.read()[-TAIL:]
        except BrokenPipeError:
            layout.returncode = child.wait() or -1
        layout.seconds = time.perf_counter() - started
        if not layout.returncode and not pdf.is_file():
            layout.returncode = -1
        return layout

    def answered(self, line: str, layout: PartLayout, ask: Callable[[int], int] | None) -> bool:
        """Take one line of the worker's report; True once the part is done."""
        assert self.child is not None and self.child.stdin is not None
        message = _json_field(line, "warning")
        if isinstance(message, str):
            layout.warnings.append(message)
            return False
        laid_out = _json_field(line, "laid_out")
        if isinstance(laid_out, int):
            layout.first_page = ask(laid_out) if ask is not None else 1
            self.child.stdin.write(json.dumps({"first_page": layout.first_page}) + "\n")
            self.child.stdin.flush()
            return False
        failed = _json_field(line, "failed")
        if isinstance(failed, str):
            layout.returncode, layout.tail = 1, failed
            return True
        pages, anchors = _json_field(line, "pages"), _json_field(line, "anchors")
        if isinstance(pages, int) and isinstance(anchors, dict):
            layout.pages = pages
            layout.anchors = {str(k): int(v) for k, v in anchors.items()}
            return True
        return False

    def close(self) -> None:
        """End the worker (it exits at the end of its input)."""
        if self.child is not None:
            if self.child.stdin is not None:
                self.child.stdin.close()
            self.child.wait()
            if self.child.stdout is not None:
                self.child.stdout.close()
        self.errors.close()


class Workers:
    """Up to *count* workers, one per thread that lays parts out."""

    def __init__(self, base: Path, count: int) -> None:
        self.base = base
        self.count = max(1, count)
        self.idle: list[Worker] = []
        self.lock = threading.Lock()

    def run(self, html: Path, pdf: Path, ask: Callable[[int], int] | None = None) -> PartLayout:
        with self.lock:
            worker = self.idle.pop() if self.idle else Worker(self.base)
        try:
            return worker.run(html, pdf, ask)
        finally:
            with self.lock:
                self.idle.append(worker)

    def close(self) -> None:
        for worker in self.idle:
            worker.close()


def lay_out_body(jobs: list[tuple[Path, Path]], workers: Workers) -> list[PartLayout]:
    """Lay the body parts out, as many at once as there are workers, each numbered
    after those before it."""
    first_pages = FirstPages(len(jobs))

    def run(index: int) -> PartLayout:
        def ask(pages: int) -> int:
            first_pages.report(index, pages)
            return first_pages.first_page(index)

        try:
            layout = workers.run(*jobs[index], ask)
        finally:  # a part that failed before asking must not hold the others
            if first_pages.counts[index] is None:
                first_pages.report(index, 0)
        return layout

    with ThreadPoolExecutor(max_workers=min(workers.count, len(jobs))) as pool:
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
    workers = Workers(base, parallel)
    try:
        return _lay_out_book(plan, path, target, workers)
    finally:
        workers.close()


def _lay_out_book(plan: Plan, path: Callable[[int | None, str], Path], target: Path,
                  workers: Workers) -> Book:
    layouts = lay_out_body([(path(i, ".html"), path(i, ".pdf")) for i in plan.body], workers)
    book = Book(layouts)
    if book.failed:
        return book
    numbers = page_numbers(iter(layouts))
    counts = [layout.pages for layout in layouts]
    for index in plan.back:
        first = body_first_pages([*counts, 0])[-1]
        html = path(index, ".html")
        html.write_text(with_page_numbers(html.read_text("utf8"), numbers, first), "utf8")
        layout = workers.run(html, path(index, ".pdf"))
        layout.first_page = first
        book.layouts.append(layout)
        if layout.returncode:
            return book
        numbers.update(page_numbers(iter([layout])))
        counts.append(layout.pages)
    front = path(None, ".html")
    front.write_text(with_page_numbers(front.read_text("utf8"), numbers, None), "utf8")
    layout = workers.run(front, path(None, ".pdf"))
    book.layouts.append(layout)
    if layout.returncode:
        return book
    target.unlink(missing_ok=True)
    parts = [path(index, ".pdf") for index in [*plan.body, *plan.back]]
    book.joined = join(path(None, ".pdf"), parts, target)
    for part in [*parts, path(None, ".pdf")]:
        part.unlink(missing_ok=True)
    return book
