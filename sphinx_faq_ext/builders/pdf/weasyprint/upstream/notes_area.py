"""The footnote area of a page, measured note by note instead of all again.

Part of :mod:`sphinx_faq_ext.util.upstream` (WeasyPrint's private layout
code; see its table).  WeasyPrint's ``LayoutContext._update_footnote_area``
runs each time a footnote joins (or leaves) the page being laid out: it
copies the page's footnote area with *every* note on the page and lays them
all out again, only to learn the area's height.  A page with *k* notes lays
out 1 + 2 + … + *k* notes; in a 30-question book with 40 notes each (about
seven notes a page) that was half of the whole layout's CPU time.

The area's height is the sum of its notes' heights with the margins between
them collapsed, clamped by the area's ``min-height``/``max-height``.  So each
note is laid out alone once (in a copy of the area on its page, cached by
note and area width) and the sum is kept per page: the page bottom, the area
height and the overflow answer WeasyPrint gets are those of its own layout.
The page's final footnote area is still laid out by WeasyPrint whole, so what
is drawn is its own.  Any case the sum does not describe (columns, a note
that moves out of its place, an area clamped in a single note, notes whose
first margin would collapse through the area's top) is left to the original.
``tests/test_notes_area.py`` runs both for every call while books are laid
out and fails on any difference.
"""

from __future__ import annotations

import inspect
from contextlib import contextmanager
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from sphinx_faq_ext.util.upstream import _changed

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

#: The lines of ``_update_footnote_area`` whose meaning the sum reproduces.
_AREA_LINES = (
    "self.current_footnote_area.children = self.current_page_footnotes",
    "self.current_footnote_area.deepcopy())",
    "self.current_footnote_area.height = footnote_area.height",
    "self.page_bottom -= footnote_area.margin_height()",
    "overflow = last_child_bottom > footnote_area_bottom",
)
_TOLERANCE = 1e-6


def _collapse(a: float, b: float) -> float:
    """Two adjoining vertical margins collapsed (CSS 2.1, 8.3.1)."""
    if a >= 0 and b >= 0:
        return max(a, b)
    if a < 0 and b < 0:
        return min(a, b)
    return a + b


class _Note:
    """One note laid out alone in its page's footnote area."""

    __slots__ = ("bottom", "height", "tail", "top")

    def __init__(self, top: float, height: float, bottom: float, tail: float) -> None:
        self.top, self.height, self.bottom = top, height, bottom
        #: What the area's height has below the note's border box when it is
        #: the last note: its bottom margin, or 0 where that margin collapses
        #: through the bottom of an area without padding or border there.
        self.tail = tail


class _Area:
    """What a page's footnote area adds around its notes (one per area box)."""

    __slots__ = ("below_content", "extra", "max_height", "min_height")

    def __init__(self, laid: Any) -> None:
        self.extra = laid.margin_height() - laid.height
        self.max_height = laid.max_height
        self.min_height = laid.min_height
        self.below_content = laid.padding_bottom + laid.border_bottom_width


class NotesArea:
    """The replacement method's state for one render."""

    def __init__(self, original: Callable[[Any], bool], build: Any,
                 block_level_layout: Callable[..., Any]) -> None:
        self.original = original
        self.build = build
        self.block_level_layout = block_level_layout
        self.notes: dict[tuple[int, float], tuple[Any, _Note | None]] = {}
        self.areas: dict[int, tuple[Any, _Area]] = {}

    def measure(self, context: Any, area: Any, note: Any) -> _Note | None:
        """*note* laid out alone in a copy of *area* (None: not a simple block)."""
        key = (id(note), area.width)
        cached = self.notes.get(key)
        if cached is not None and cached[0] is note:
            return cached[1]
        saved = area.children
        area.children = [note]
        try:
            copy = self.build.create_anonymous_boxes(area.deepcopy())
        finally:
            area.children = saved
        laid = self.block_level_layout(context, copy, float("-inf"), None, area.page)[0]
        result: _Note | None = None
        if len(laid.children) == 1 and id(area) not in self.areas:
            self.areas[id(area)] = (area, _Area(laid))
        if len(laid.children) == 1:
            child = laid.children[0]
            unclamped = laid.height < laid.max_height and laid.height > laid.min_height
            at_top = abs(child.position_y - laid.content_box_y()) < _TOLERANCE
            if unclamped and at_top:
                top, height = child.margin_top, child.border_height()
                result = _Note(top, height, child.margin_bottom, laid.height - top - height)
        self.notes[key] = (note, result)
        return result

    def summed(self, context: Any) -> bool | None:
        """WeasyPrint's update done by sums; None when they do not apply."""
        area = context.current_footnote_area
        notes = context.current_page_footnotes
        if context.in_column or not notes:
            return None
        measured = [self.measure(context, area, note) for note in notes]
        shape = self.areas.get(id(area))
        if shape is None or shape[0] is not area or any(m is None for m in measured):
            return None
        box = shape[1]
        parts = [m for m in measured if m is not None]
        extent = parts[0].top + sum(m.height for m in parts) + sum(
            _collapse(a.bottom, b.top) for a, b in pairwise(parts)
        )
        height = max(min(extent + parts[-1].tail, box.max_height), box.min_height)
        if area.height != "auto":
            context.page_bottom += area.margin_height()
        area.children = notes
        area.height = height
        context.page_bottom -= height + box.extra
        return extent > height + box.below_content

    def update(self, context: Any) -> bool:
        """The replacement for ``LayoutContext._update_footnote_area``."""
        result = self.summed(context)
        return self.original(context) if result is None else result


@contextmanager
def notes_area_summed() -> Iterator[bool]:
    """Measure each page's footnote area note by note while we lay out.

    Yields whether it applied; a WeasyPrint whose method differs gets a
    warning (the layout is then only slower, never different).
    """
    from weasyprint.formatting_structure import build
    from weasyprint.layout import LayoutContext
    from weasyprint.layout.block import block_level_layout

    original = LayoutContext._update_footnote_area
    try:
        source = inspect.getsource(original)
    except (OSError, TypeError):
        source = ""
    if not all(line in source for line in _AREA_LINES):
        _changed("weasyprint.layout.LayoutContext._update_footnote_area",
                 "the layout of a book with many notes may be slow")
        yield False
        return
    state = NotesArea(original, build, block_level_layout)

    def update_footnote_area(context: Any) -> bool:
        return state.update(context)

    LayoutContext._update_footnote_area = update_footnote_area
    try:
        yield True
    finally:
        LayoutContext._update_footnote_area = original
