"""A ``faqpdf`` book laid out chapter by chapter, in several processes, then joined.

WeasyPrint lays a document out on one core and keeps every page in memory,
and its time per page grows with the document: a 500-question book as one
document took five times as long as the LaTeX path and 4 GB.  So a book with
two or more chapters (the documents of the root toctree) is written as one
HTML document per chapter, each laid out by a child process
(``python -m sphinx_faq_ext.builders.pdf.weasyprint.layout``), as many at once as
``-j`` says, and the PDFs are joined (:mod:`..join`) into one book with
continuous page numbers, bookmarks, links and one structure tree.

- Every chapter opens on a right-hand page, as in a printed book: the join
  puts a blank page before one that would not.
- A chapter's first page number depends on the chapters before it; the
  child asks for it once its pages are laid out (margin boxes are made
  last, :mod:`~sphinx_faq_ext.builders.pdf.weasyprint.upstream.page_numbers`).
- The contents (front matter, numbered i, ii…) and the chapters that print
  page numbers of other chapters (the question index and the works quoted)
  at the end of the book are laid out after the chapters they point into,
  with those numbers written in (``data-faq-page``, see ``book.css``).  Such
  a chapter followed by others is laid out with them, with placeholder
  numbers, then again with the numbers (:data:`SETTLE_ROUNDS`).
- Each part's HTML is written from the book's doctree when it is laid out
  (:class:`Render`), again with the page numbers once they are known.  A
  link into another chapter is written ``faq-join:ID`` (on the doctree,
  :func:`~sphinx_faq_ext.builders.pdf.parts.links_across`); the join turns
  it into a link inside the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sphinx_faq_ext.builders.pdf.join import Joined, body_first_pages, join
from sphinx_faq_ext.builders.pdf.parts import Plan
from sphinx_faq_ext.builders.pdf.weasyprint import layout as weasyprint_layout
from sphinx_faq_ext.builders.pdf.workers import FirstPages, PartLayout, Workers, in_order

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

#: Where the chapters' HTML (kept for debugging) and PDFs go, in the output folder.
PARTS_FOLDER = "_parts"


#: What a part printing page numbers prints while the numbers are not known.
PLACEHOLDER = "000"
#: Layouts of such a part with the numbers written in before giving up on one
#: whose page count keeps changing with the numbers.
SETTLE_ROUNDS = 4


class Render(Protocol):
    """Writes a part's HTML (``None``: the front matter) from the book's doctree.

    Its links into other parts are ``faq-join:ID``; *numbers* gives the
    printed page of such anchors (*placeholder* for one not known, nothing
    when it is ``""``), and *first_page*, when given, numbers its pages from
    there (a part whose place is known when it is laid out).
    """

    def __call__(self, part: int | None, numbers: dict[str, int], first_page: int | None,
                 placeholder: str = "") -> None: ...


# -- laying the parts out -------------------------------------------------------------------


def lay_out_body(jobs: dict[int, tuple[Path, Path]], count: int, workers: Workers,
                 known: dict[int, int] | None = None) -> dict[int, PartLayout]:
    """Lay out the body parts *jobs* (position → HTML, PDF) of *count*, as many at
    once as there are workers, each numbered after those before it; *known*:
    the page counts of the positions not in *jobs*."""

    def run(index: int, first_pages: FirstPages) -> PartLayout:
        return workers.run(*jobs[index], first_pages.ask(index))

    return in_order(sorted(jobs), count, workers.count, run, known)


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
    #: Parts printing page numbers whose page count did not settle (then the
    #: numbers of the chapters after them may be off).
    unsettled: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[PartLayout]:
        """The parts whose child failed (then there is no book)."""
        return [layout for layout in self.layouts if layout.returncode]


def lay_out_book(
    plan: Plan, path: Callable[[int | None, str], Path], render: Render, base: Path,
    target: Path, parallel: int,
) -> Book:
    """Write and lay out the body parts in parallel, then the back and front matter;
    join them.

    *path* gives a part's file (``None``: the front matter) with a suffix;
    *render* writes a part's HTML (:class:`Render`).
    """
    workers = Workers(base, parallel, weasyprint_layout.LAYOUT_MODULE)  # a test may set it
    try:
        return _lay_out_book(plan, path, render, target, workers)
    finally:
        workers.close()


def _lay_out_book(plan: Plan, path: Callable[[int | None, str], Path], render: Render,
                  target: Path, workers: Workers) -> Book:
    body = plan.body
    html = {position: path(index, ".html") for position, index in enumerate(body)}
    jobs = {position: (html[position], path(index, ".pdf"))
            for position, index in enumerate(body)}
    for position, index in enumerate(body):
        # a part printing page numbers first prints placeholders of their width
        render(index, {}, None, PLACEHOLDER if position in plan.middle else "")
    layouts = lay_out_body(jobs, len(body), workers)
    book = Book(list(layouts.values()))
    if book.failed:
        return book
    unsettled = []
    for position in plan.middle:
        # again with its page numbers written in; should its page count differ from
        # the last layout's, the chapters after it are laid out (numbered) again, and
        # it is laid out again with their new numbers
        for _round in range(SETTLE_ROUNDS):
            first = layouts[position].first_page
            render(body[position], page_numbers(iter(layouts.values())), first)
            again = workers.run(*jobs[position])
            again.first_page = first
            last, layouts[position] = layouts[position], again
            if again.returncode:
                return Book([again])
            if again.pages == last.pages:
                break
            later = {p: job for p, job in jobs.items() if p > position}
            known = {p: layouts[p].pages for p in jobs if p <= position}
            layouts.update(lay_out_body(later, len(body), workers, known))
            if failed := [layout for layout in layouts.values() if layout.returncode]:
                return Book(failed)
        else:
            unsettled.append(html[position])
    book = Book([layouts[position] for position in sorted(layouts)], unsettled=unsettled)
    numbers = page_numbers(iter(book.layouts))
    counts = [layout.pages for layout in book.layouts]
    for index in plan.back:
        first = body_first_pages([*counts, 0])[-1]
        render(index, numbers, first)
        layout = workers.run(path(index, ".html"), path(index, ".pdf"))
        layout.first_page = first
        book.layouts.append(layout)
        if layout.returncode:
            return book
        numbers.update(page_numbers(iter([layout])))
        counts.append(layout.pages)
    render(None, numbers, None)
    layout = workers.run(path(None, ".html"), path(None, ".pdf"))
    book.layouts.append(layout)
    if layout.returncode:
        return book
    target.unlink(missing_ok=True)
    parts = [path(index, ".pdf") for index in [*body, *plan.back]]
    book.joined = join(path(None, ".pdf"), parts, target)
    for part in [*parts, path(None, ".pdf")]:
        part.unlink(missing_ok=True)
    return book
