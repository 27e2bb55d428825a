"""The Typst engine lays each part out as soon as it is translated.

The builder hands the parts to the layout thread through a
:class:`~sphinx_faq_ext.builders.pdf.typst.chapters.PartsFeed`: a part is
there once written, the slot of an index of names the book turns out not to
have is empty, and a builder that stops (an error of its own) stops who
waits.  ``FAQ_PDF_TIMELINE`` shows the phases.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOTS, sphinx_build

from sphinx_faq_ext.builders.pdf.typst.chapters import (
    FeedAbandonedError,
    Front,
    Part,
    PartsFeed,
)


def no_front(numbers: dict[str, str]) -> Front:
    return Front("", [])


def test_a_part_is_there_once_written_and_a_slot_never_filled_is_empty() -> None:
    feed = PartsFeed(3)
    got: list[object] = []
    reader = threading.Thread(target=lambda: got.append(feed.upto(1)))
    reader.start()
    feed.add(Part("book-001", "one"))
    time.sleep(0.05)
    assert reader.is_alive()  # part 2 is not written yet
    feed.add(Part("book-002", "two"))
    reader.join(5)
    assert [[part.name for part in parts] for parts in got] == [["book-001", "book-002"]]
    feed.close(no_front)
    assert feed.upto(2) is None  # no index of names
    assert [part.name for part in feed.all()] == ["book-001", "book-002"]
    assert feed.front is no_front


def test_a_feed_abandoned_stops_who_waits() -> None:
    feed = PartsFeed(2)
    failures: list[BaseException] = []

    def wait() -> None:
        try:
            feed.upto(0)
        except FeedAbandonedError as error:
            failures.append(error)

    reader = threading.Thread(target=wait)
    reader.start()
    feed.abandon()
    reader.join(5)
    assert len(failures) == 1
    with pytest.raises(FeedAbandonedError):
        feed.all()


def test_the_timeline_shows_each_phase(tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    timeline = tmp_path / "timeline.txt"
    monkeypatch.setenv("FAQ_PDF_TIMELINE", str(timeline))
    built = sphinx_build(srcdir, "faqpdf", parallel=2, faq_pdf_by_chapter=True)
    assert built.warnings == ""
    lines = [line.split(maxsplit=3) for line in timeline.read_text("utf8").splitlines()]
    phases = {(what, name) for _seconds, _thread, what, name in lines}
    for name in ("translate afaq-001", "translate afaq-004", "lay out afaq-001",
                 "lay out afaq-index", "lay out afaq-front", "join", "collect the doctree"):
        assert {("start", name), ("end", name)} <= phases, name
    seconds = [float(line[0]) for line in lines]
    assert seconds == sorted(seconds)
