"""Compiling the book's Typst markup into a tagged PDF/UA-1 (the ``typst`` package).

``typst`` is imported here only, when a PDF is made: it is an optional extra
(``pip install "sphinx-faq-ext[pdf]"``).  Fonts are the ones built into the
Typst compiler (Libertinus Serif, New Computer Modern, DejaVu Sans Mono) plus
the folders ``faq_pdf_fonts`` names; the machine's own fonts are not used, so
two machines make the same PDF.  ``SOURCE_DATE_EPOCH`` is the PDF's creation
date when it is set.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import SphinxError

from sphinx_faq_ext.builders.pdf.workers import (
    Layout,
    Workers,
    parse_worker_arguments,
    serve,
    warn,
)
from sphinx_faq_ext.util.optional import MissingExtraError, import_optional

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

#: The PDF standard written: tagged, with title, language and alt texts.
PDF_STANDARD = "ua-1"


#: The catalogue's ``/MarkInfo`` as Typst writes it, and the same without
#: ``/Suspects false``, padded to the same length (the cross-reference table's
#: offsets stay right).  ``/Suspects false`` is valid PDF and the key's default,
#: but poppler before 25.12 (``Catalog::getMarkInfo``) takes any ``/Suspects``
#: that is not true for one of the wrong type: every ``pdfinfo``, ``pdftotext``
#: and ``pdftoppm`` of the book printed "Syntax Error: Suspects object is wrong
#: type (boolean)".  PDF/UA-1 asks only that it is not true.
TYPST_MARK_INFO = b"/MarkInfo<</Marked true/Suspects false>>"
QUIET_MARK_INFO = b"/MarkInfo<</Marked true>>".ljust(len(TYPST_MARK_INFO))


def without_false_suspects(pdf: bytes) -> bytes:
    """*pdf* (Typst's) with ``/Suspects false`` left out of its ``/MarkInfo``."""
    return pdf.replace(TYPST_MARK_INFO, QUIET_MARK_INFO, 1)


class TypstMissingError(MissingExtraError):
    """The ``typst`` package (the ``pdf`` extra) is not installed."""


class TypstCompileError(SphinxError):
    """Typst could not compile the book: its diagnostic, located in the ``.typ``."""

    category = "Typst error"


def load_typst() -> Any:
    """Import the Typst compiler lazily, or raise :class:`TypstMissingError` naming the extra."""
    try:
        return import_optional("typst", "the faqpdf builder (faq_pdf_engine = 'typst')")
    except MissingExtraError as error:
        raise TypstMissingError(str(error)) from error


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an integer, if set and valid."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


@dataclass(frozen=True)
class Compiled:
    """A compiled PDF and what Typst had to say."""

    pdf: Path
    warnings: list[str]


#: Typst 0.15's internal error when a hyphen ends a link in a tagged PDF.
LINK_HYPHEN_BUG = "expected link ancestor in logical tree"
#: What the book's .typ reads from ``sys.inputs`` to set no hyphenation.
NO_HYPHENATION = {"faq-hyphenate": "false"}


def compile_pdf(source: Path, pdf: Path, font_paths: list[Path]) -> Compiled:
    """Compile *source* (root: its folder) into *pdf*, PDF/UA-1.

    Should Typst hit its bug with a hyphen at the end of a link (which the
    translator works around where it can see it coming), the book is laid
    out again without hyphenation, and a warning says so.
    """
    typst = load_typst()
    compiler = typst.Compiler(
        str(source),
        root=str(source.parent),
        font_paths=[str(path) for path in font_paths],
        ignore_system_fonts=True,
    )
    notes = []
    for inputs in ({}, NO_HYPHENATION):
        try:
            output, warnings = compiler.compile_with_warnings(
                output=None, pdf_standards=[PDF_STANDARD],
                timestamp=source_date_epoch(), sys_inputs=inputs,
            )
            pdf.write_bytes(without_false_suspects(output))
            break
        except typst.TypstError as error:
            if LINK_HYPHEN_BUG in str(error.message) and not inputs:
                notes.append(
                    f"{source.name}: Typst could not tag a hyphen at the end of a link "
                    f"({LINK_HYPHEN_BUG}); the PDF is set without hyphenation"
                )
                continue
            raise TypstCompileError(
                f"Typst could not compile {source}: {error.message}\n{error.diagnostic}"
            ) from error
    return Compiled(pdf, notes + [_describe(warning) for warning in warnings])


#: The module of the worker processes (``python -m``; a test may set it).
WORKER_MODULE = __name__
#: A Typst worker holding more than this (MB) after a PDF or a part is ended.
#: Typst keeps what it laid out in memory until its process ends (about 2 MB
#: a page), so a worker that laid out a long chapter or a volume is ended and
#: the next gets a fresh process: the volumes of a long book, or its long
#: chapters, never add up.  Short chapters share a worker, which saves
#: starting Python and Typst and re-evaluating the template for each: the
#: docs (17 parts, -j 2) took 5.9-6.7 s of the workers' CPU against 8.7-9.3 s
#: with a process a part (largest worker 279 MB against 163 MB), the
#: test-print book (6 parts) 0.8-0.9 s against 1.3-1.4 s; same PDF bytes.
#: A fresh worker holds about 80 MB.
RECYCLE_MB = 300


def compile_in_children(
    jobs: list[tuple[Path, Path]], font_paths: list[Path], processes: int,
) -> list[Compiled]:
    """Compile each ``(source, pdf)`` by a worker process, *processes* at once.

    Each worker is ``python -m sphinx_faq_ext.builders.pdf.typst.compile
    --serve``, on the protocol of :mod:`..workers` (not
    :mod:`multiprocessing`, whose ``spawn`` imports the caller's main script
    again: a script calling Sphinx without a ``__main__`` guard would fail),
    ended after a PDF that leaves it above :data:`RECYCLE_MB`.  Results come in the order of
    *jobs*; a PDF Typst could not compile raises :class:`TypstCompileError`
    once all are done.
    """
    load_typst()  # fail here, not in a child
    base = jobs[0][0].parent if jobs else Path()
    layouts = typst_workers(base, processes, font_paths).run_all(jobs)
    if failed := [layout for layout in layouts if layout.returncode]:
        raise compile_error(failed)
    return [Compiled(layout.pdf, layout.warnings) for layout in layouts]


def typst_workers(base: Path, processes: int, font_paths: list[Path]) -> Workers:
    """Up to *processes* Typst workers (:data:`WORKER_MODULE`) for the PDFs of
    folder *base*, with the font folders *font_paths*."""
    return Workers(base, processes, WORKER_MODULE,
                   {"fonts": [str(path) for path in font_paths]}, RECYCLE_MB)


def compile_error(failed: Sequence[Layout]) -> TypstCompileError:
    """One error for the parts Typst could not lay out: Typst's diagnostic of each,
    or how its worker failed (an exception's traceback, a crash's stderr)."""
    messages = []
    for layout in failed:
        if layout.error:
            messages.append(layout.error)
        else:
            how = "failed" if layout.returncode == 1 else f"exited {layout.returncode}"
            messages.append(f"Typst worker for {layout.source.name} {how}:\n"
                            f"{layout.tail.strip() or 'no error message'}")
    return TypstCompileError("\n".join(messages))


def _compile(compiler: Any, source: Path, inputs: dict[str, str],
             notes: list[str]) -> tuple[bytes, list[Any], dict[str, str]]:
    """Compile with *inputs*; on Typst's hyphen-in-link bug, again without hyphenation."""
    typst = load_typst()
    try:
        pdf, warnings = compiler.compile_with_warnings(
            output=None, pdf_standards=[PDF_STANDARD], timestamp=source_date_epoch(),
            sys_inputs=inputs)
        return pdf, warnings, inputs
    except typst.TypstError as error:
        if LINK_HYPHEN_BUG not in str(error.message) or NO_HYPHENATION.items() <= inputs.items():
            raise TypstCompileError(
                f"Typst could not compile {source}: {error.message}\n{error.diagnostic}"
            ) from error
    notes.append(f"{source.name}: Typst could not tag a hyphen at the end of a link "
                 f"({LINK_HYPHEN_BUG}); the PDF is set without hyphenation")
    return _compile(compiler, source, {**inputs, **NO_HYPHENATION}, notes)


#: The label of the report a part's markup ends with (``faq-part-report``).
PART_REPORT = "<faq-part-report>"


def lay_out_part(source: Path, pdf: Path, data: Path, font_paths: list[Path],
                 first_page: Callable[[int], int] | None) -> dict[str, Any]:
    """Compile one part of a book laid out in parts; its report (pages, anchors,
    index entries, warnings).

    *data* is the part's JSON file (``first``: the printed number of its first
    page, ``pages``: printed page numbers of other parts' anchors), which the
    template reads.  Once laid out, its page count goes to *first_page*,
    which answers the first page number; when that is not the one laid out,
    the part is compiled again with it, which reuses the layout Typst keeps in
    memory (only the page numbers change: about a seventh of the first compile).
    """
    typst = load_typst()
    root = source.parent.parent
    compiler = typst.Compiler(
        str(source), root=str(root),
        font_paths=[str(path) for path in font_paths], ignore_system_fonts=True,
    )
    notes: list[str] = []
    inputs = {"faq-part": "/" + data.relative_to(root).as_posix()}
    output, warnings, inputs = _compile(compiler, source, inputs, notes)
    report = json.loads(compiler.query(PART_REPORT, field="value", one=True))
    values = json.loads(data.read_text("utf8"))
    first = first_page(int(report["pages"])) if first_page is not None else values["first"]
    if first != values["first"]:
        values["first"] = first
        data.write_text(json.dumps(values, sort_keys=True), "utf8")
        output, warnings, inputs = _compile(compiler, source, inputs, notes)
    pdf.write_bytes(without_false_suspects(output))
    return {**report, "first": first,
            "warnings": notes + [_describe(warning) for warning in warnings]}


def lay_out_job(job: dict[str, Any], ask: Callable[[int], int] | None) -> dict[str, Any]:
    """One job of a Typst worker: a part (with its ``data`` file) or a whole PDF.

    Typst's warnings are said as they are (:func:`..workers.warn`).
    """
    source, pdf = Path(job["source"]), Path(job["pdf"])
    fonts = [Path(font) for font in job["fonts"]]
    if job.get("data"):
        report = lay_out_part(source, pdf, Path(job["data"]), fonts, ask)
        warnings = report.pop("warnings")
    else:
        compiled = compile_pdf(source, pdf, fonts)
        report, warnings = {"pages": 0}, compiled.warnings
    for message in warnings:
        warn(message)
    return report


def main(argv: list[str] | None = None) -> int:
    """``python -m sphinx_faq_ext.builders.pdf.typst.compile --serve``: a worker.

    See :func:`~sphinx_faq_ext.builders.pdf.workers.serve`.
    """
    parse_worker_arguments(WORKER_MODULE, "compile the parts the build writes on stdin", argv)
    return serve(lay_out_job, expected=(TypstCompileError,))


def image_problem(folder: Path, name: str) -> str | None:
    """Why Typst cannot print image *name* of *folder*, or None when it can.

    A file Typst cannot decode would stop the whole book; the builder asks
    first, so such an image is a warning and its alt text is printed.
    """
    typst = load_typst()
    probe = f'#image("{name}", alt: "probe")'.encode()
    try:
        typst.compile(probe, root=str(folder), format="svg", ignore_system_fonts=True)
    except typst.TypstError as error:
        return str(error.message)
    return None


def _describe(warning: Any) -> str:
    """A Typst warning's message and where it stands."""
    text = str(getattr(warning, "message", warning))
    diagnostic = str(getattr(warning, "diagnostic", "") or "")
    return f"{text}\n{diagnostic}".strip() if diagnostic and diagnostic != text else text


if __name__ == "__main__":
    sys.exit(main())
