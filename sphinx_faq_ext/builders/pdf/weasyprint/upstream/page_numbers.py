"""Printed page numbers chosen after layout, for a chapter laid out apart.

Part of :mod:`sphinx_faq_ext.util.upstream` (see its table).  When the
``faqpdf`` builder lays a book out chapter by chapter in several processes
(:mod:`sphinx_faq_ext.builders.pdf.weasyprint.chapters`), a chapter's first page number
depends on how many pages the chapters before it take, which another
process may still be working out.  Body text never shows a page number of
its own chapter (contents and index are laid out apart, with the numbers
written in), only the margin boxes do, and WeasyPrint makes those after
every page of the document has been laid out (the "Add margin boxes" loop
of ``weasyprint.layout.layout_document``).  So the layout runs first, and
the number is asked for when the first margin box is made.
"""

from __future__ import annotations

import inspect
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sphinx_faq_ext.util.upstream import _changed

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

#: ``make_margin_boxes``' parameters, as ``layout_document`` calls it.
_PARAMETERS = ["context", "page", "state"]


@contextmanager
def page_numbers_after_layout(first_page: Callable[[int], int]) -> Iterator[bool]:
    """While open, the margin boxes count pages from ``first_page(pages laid out)``.

    *first_page* is called once, when every page of the document is laid out
    and before the first margin box is made, with the document's page count;
    it may block (the builder answers once the chapters before are laid
    out).  The ``page`` counter of every margin box is shifted by the answer
    minus one.  Yields whether it applied; a WeasyPrint whose margin-box code
    differs gets a ``faq.upstream`` warning and pages numbered from 1.
    """
    try:
        from weasyprint import layout
    except ImportError:  # pragma: no cover - checked by load_weasyprint first
        layout = None
    original = getattr(layout, "make_margin_boxes", None)
    if original is None or list(inspect.signature(original).parameters) != _PARAMETERS:
        _changed(
            "weasyprint.layout.make_margin_boxes",
            "a chapter laid out apart prints page numbers from 1",
        )
        yield False
        return
    shift: list[int] = []

    def make_margin_boxes(context: Any, page: Any, state: Any) -> Any:
        values = state[1]
        if not shift:
            shift.append(first_page(int(values.get("pages", [0])[-1])) - 1)
        if shift[0]:
            values = dict(values)
            values["page"] = [number + shift[0] for number in values.get("page", [1])]
            state = (state[0], values, *state[2:])
        return original(context, page, state)

    assert layout is not None
    layout.make_margin_boxes = make_margin_boxes
    try:
        yield True
    finally:
        layout.make_margin_boxes = original
