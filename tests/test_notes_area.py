"""WeasyPrint's footnote area measured note by note (weasyprint/upstream/notes_area.py).

While these books are laid out, every call of the replacement also runs
WeasyPrint's own layout of the whole area and compares: there must be no
difference, with our stylesheet and with one whose notes have margins that
collapse, padding, and an area small enough to overflow.  (The comparison is
the test's own: shipped code carries no checking mode.)
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from conftest import WEASYPRINT, sphinx_build
from external_tools import need_module, pdf_page_texts

from sphinx_faq_ext.testing import synthetic_book

#: Notes with margins on both sides (collapsing between notes), padding, and
#: an area so low that long notes overflow it and move on.
TIGHT_CSS = """
@page { @footnote { max-height: 18%; padding-bottom: 2pt; border-bottom: 1pt solid; } }
.faq-footnote { margin-top: 2pt; margin-bottom: 3pt; padding: 1pt 0; }
"""


def book(tmp: Path, questions: int = 6, notes: int = 40) -> Path:
    """A synthetic book of *questions* with *notes* each."""
    return synthetic_book(tmp / "book", questions, notes)["ours"]


class Comparison:
    """What the checking replacement saw: calls, overflows, differences."""

    def __init__(self) -> None:
        self.calls = 0
        self.overflows = 0
        self.mismatches: list[str] = []


@pytest.fixture
def checking(monkeypatch: pytest.MonkeyPatch) -> Comparison:
    """Every call answered by WeasyPrint, and compared with the sum first."""
    need_module("weasyprint")
    from sphinx_faq_ext.builders.pdf.weasyprint.upstream import notes_area as area

    seen = Comparison()

    def update(self: area.NotesArea, context: Any) -> bool:
        footnote_area = context.current_footnote_area
        before = (footnote_area.height, context.page_bottom)
        summed = self.summed(context)
        mine = (footnote_area.height, context.page_bottom, summed)
        footnote_area.height, context.page_bottom = before
        theirs = bool(self.original(context))
        if summed is not None:
            seen.calls += 1
            seen.overflows += theirs
            expected = (footnote_area.height, context.page_bottom, theirs)
            if summed != theirs or any(abs(a - b) > 1e-6 for a, b in
                                       zip(mine[:2], expected[:2], strict=True)):
                seen.mismatches.append(f"{len(context.current_page_footnotes)} notes: "
                                       f"summed {mine}, WeasyPrint {expected}")
        return theirs

    monkeypatch.setattr(area.NotesArea, "update", update)
    return seen


@pytest.mark.parametrize("css", ["", TIGHT_CSS], ids=["book-css", "tight-css"])
def test_summed_area_is_weasyprints(tmp_path: Path, checking: Comparison, css: str) -> None:
    source = book(tmp_path)
    overrides: dict[str, Any] = {}
    if css:
        (source / "tight.css").write_text(css, "utf8")
        overrides["faq_pdf_css"] = ["tight.css"]
    built = sphinx_build(source, "faqpdf", **WEASYPRINT, **overrides)
    assert not built.warnings, built.warnings
    assert checking.calls > 200
    if css:
        assert checking.overflows > 0
    assert checking.mismatches == []


def test_same_pdf_text_with_and_without(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need_module("weasyprint")
    import contextlib

    from sphinx_faq_ext.builders.pdf.weasyprint import layout as builder

    source = book(tmp_path, questions=3)
    summed = sphinx_build(source, "faqpdf", **WEASYPRINT, builddir=tmp_path / "summed")
    monkeypatch.setattr(builder, "notes_area_summed", contextlib.nullcontext)
    whole = sphinx_build(source, "faqpdf", **WEASYPRINT, builddir=tmp_path / "whole")
    texts = [pdf_page_texts(next(b.outdir.glob("*.pdf"))) for b in (summed, whole)]
    assert len(texts[0]) > 10
    assert texts[0] == texts[1]


def test_changed_area_method_warns_and_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    need_module("weasyprint")
    from weasyprint.layout import LayoutContext

    from sphinx_faq_ext.builders.pdf.weasyprint.upstream import notes_area as area
    from sphinx_faq_ext.util import upstream

    assert all(line in inspect.getsource(LayoutContext._update_footnote_area)
               for line in area._AREA_LINES)

    def _update_footnote_area(self: object) -> bool:
        return False

    warned: list[str] = []
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", _update_footnote_area)
    monkeypatch.setattr(upstream, "_changed", lambda what, why: warned.append(what))
    monkeypatch.setattr(area, "_changed", lambda what, why: warned.append(what))
    with area.notes_area_summed() as applied:
        assert not applied
        assert LayoutContext._update_footnote_area is _update_footnote_area
    assert warned == ["weasyprint.layout.LayoutContext._update_footnote_area"]
