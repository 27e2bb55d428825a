"""WeasyPrint layout of the ``faqpdf`` book: in the build, or in a process of its own.

The builder lays a book in one piece out in its own process
(:func:`lay_out` under :func:`weasyprint_patches`).  A book in chapters or
volumes has each part laid out by a worker process,
``python -m sphinx_faq_ext.builders.pdf.weasyprint.layout --serve`` (:func:`serve`),
several at once: WeasyPrint keeps every page in memory and uses one core, so
separate processes bound the memory to one part and use the machine's cores.
The worker applies the same patches; :mod:`..workers` holds the protocol
(what a worker reads and says, and the build's side).
"""

from __future__ import annotations

import gc
import logging
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import SphinxError
from sphinx.util import logging as sphinx_logging

from sphinx_faq_ext.builders.pdf.weasyprint.upstream import (
    footnotes_stay_with_calls,
    footnotes_tagged_as_notes,
    images_named_by_content,
)
from sphinx_faq_ext.builders.pdf.weasyprint.upstream.notes_area import notes_area_summed
from sphinx_faq_ext.builders.pdf.weasyprint.upstream.page_numbers import page_numbers_after_layout
from sphinx_faq_ext.builders.pdf.workers import (
    JsonWarnings,
    Layout,
    parse_worker_arguments,
    reason,
    serve,
)
from sphinx_faq_ext.util.optional import MissingExtraError, import_optional

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

sphinx_logger = sphinx_logging.getLogger(__name__)

#: What else WeasyPrint needs when it is installed but cannot load.
PANGO_HINT = (
    "on Debian/Ubuntu WeasyPrint also needs Pango: "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
)
#: PDF/UA-1: a tagged PDF (structure tree, reading order, language, title).
PDF_VARIANT = "pdf/ua-1"
#: The module a worker process runs (``python -m``).
LAYOUT_MODULE = __name__


class WeasyPrintMissingError(MissingExtraError):
    """WeasyPrint (the ``pdf`` extra) is not installed or cannot load Pango."""


def load_weasyprint() -> Any:
    """Import WeasyPrint lazily: it is an optional extra and needs Pango."""
    try:
        return import_optional("weasyprint", "the faqpdf builder", PANGO_HINT)
    except MissingExtraError as error:
        raise WeasyPrintMissingError(str(error)) from error.__cause__


def pdf_options(weasyprint: Any) -> dict[str, Any]:
    """``write_pdf`` options for a tagged PDF/UA-1 document.

    Recent WeasyPrint (70 tested) has the ``pdf/ua-1`` variant, which implies
    ``pdf_tags``; without it (``{}``) the PDF is untagged, and the builder
    says so.
    """
    try:
        from weasyprint.pdf import VARIANTS
    except ImportError:  # pragma: no cover - very old WeasyPrint
        VARIANTS = {}  # noqa: N806
    return {"pdf_variant": PDF_VARIANT} if PDF_VARIANT in VARIANTS else {}


#: Allocations between two young-generation collections while WeasyPrint
#: works (Python's default is 700).  Layout makes millions of short-lived
#: boxes and keeps every page; with the default, collections that walk the
#: growing heap took a fifth of the time of a 300-page book.
GC_THRESHOLD = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often during layout, as the default costs a fifth."""
    saved = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)


@contextmanager
def weasyprint_patches() -> Iterator[None]:
    """Our corrections of WeasyPrint (``util/upstream``) while a book is laid out.

    In the build's process and in a volume's child process alike.
    """
    with ExitStack() as stack:
        for patch in (
            footnotes_stay_with_calls, footnotes_tagged_as_notes, notes_area_summed,
            images_named_by_content, fewer_collections,
        ):
            stack.enter_context(patch())
        yield


def lay_out(html: Path, pdf: Path, base_url: Path) -> int:
    """Lay *html* out into *pdf* (call under :func:`weasyprint_patches`); the page count."""
    return lay_out_with_anchors(html, pdf, base_url)[0]


def lay_out_with_anchors(html: Path, pdf: Path, base_url: Path) -> tuple[int, dict[str, int]]:
    """:func:`lay_out`, and the index of the page each anchor (id) is on."""
    weasyprint = load_weasyprint()
    document = weasyprint.HTML(filename=str(html), base_url=str(base_url)).render()
    document.write_pdf(str(pdf), **pdf_options(weasyprint))
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    return len(document.pages), anchors


class _Relay(logging.Handler):
    """Forward WeasyPrint's log warnings as Sphinx warnings with a location."""

    def __init__(self, location: str) -> None:
        super().__init__(logging.WARNING)
        self.location = location

    def emit(self, record: logging.LogRecord) -> None:
        sphinx_logger.warning(
            "WeasyPrint: %s",
            record.getMessage(),
            type="faq",
            subtype="weasyprint",
            location=self.location,
        )


@contextmanager
def relay_weasyprint_warnings(location: str) -> Iterator[None]:
    """Route ``weasyprint`` logger warnings to Sphinx while the PDF is made."""
    handler = _Relay(location)
    wp_logger = logging.getLogger("weasyprint")
    propagate = wp_logger.propagate
    wp_logger.addHandler(handler)
    wp_logger.propagate = False
    try:
        yield
    finally:
        wp_logger.removeHandler(handler)
        wp_logger.propagate = propagate


# -- the worker process (the protocol is in workers.py) -----------------------------------


def lay_out_job(job: dict[str, Any], ask: Callable[[int], int] | None) -> dict[str, Any]:
    """One job of a worker: its ``source`` HTML into its ``pdf``, its pages numbered
    from ``ask(pages)`` when *ask* is given (a chapter whose place is known once
    it is laid out); the page count and the page index of each anchor."""
    with ExitStack() as stack:
        if ask is not None:
            stack.enter_context(page_numbers_after_layout(ask))
        pages, anchors = lay_out_with_anchors(Path(job["source"]), Path(job["pdf"]),
                                              Path(job["base"]))
    return {"pages": pages, "anchors": anchors}


def main(argv: list[str] | None = None) -> int:
    """``python -m sphinx_faq_ext.builders.pdf.weasyprint.layout --serve``: a worker.

    See :func:`~sphinx_faq_ext.builders.pdf.workers.serve`.
    """
    parse_worker_arguments(LAYOUT_MODULE, "lay out the parts the build writes on stdin", argv)
    wp_logger = logging.getLogger("weasyprint")
    wp_logger.addHandler(JsonWarnings())
    wp_logger.propagate = False
    with weasyprint_patches():
        # a job looks the function up when it runs (a test may replace it)
        return serve(lambda job, ask: lay_out_job(job, ask))


# -- the build's side ---------------------------------------------------------------------


class PdfFailedError(SphinxError):
    """The PDF could not be made: the build fails, no PDF is left behind."""

    category = "faqpdf failed"


def failure_message(failed: Sequence[Layout], total: int, target: str) -> str:
    """One message for every failed part: each reason once, with its parts.

    Several parts usually fail for one reason (an incompatible WeasyPrint
    fails every chapter): the reason is said once, then which parts.  The
    tracebacks go to a log file, as Sphinx does with its own, for a bug report.
    """
    import tempfile

    parts: dict[str, list[str]] = {}
    for layout in failed:
        status = f" (exit status {layout.returncode})" if layout.returncode not in (0, 1) else ""
        parts.setdefault(reason(layout.tail) + status, []).append(str(layout.source))
    lines = [f"WeasyPrint could not lay out {len(failed)} of {total} part(s); "
             f"no {target} was written."]
    for why, htmls in parts.items():
        lines.append(f"{why}\n  in {', '.join(htmls)}")
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf8", prefix="sphinx-faqpdf-err-", suffix=".log", delete=False
    ) as log:
        log.writelines(f"--- {layout.source}\n{layout.tail}\n" for layout in failed)
    lines.append(f"The errors in full are in {log.name}.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
