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
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.errors import SphinxError

from sphinx_faq_ext.util.optional import MissingExtraError, import_optional

#: The PDF standard written: tagged, with title, language and alt texts.
PDF_STANDARD = "ua-1"


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
            _, warnings = compiler.compile_with_warnings(
                output=str(pdf), pdf_standards=[PDF_STANDARD],
                timestamp=source_date_epoch(), sys_inputs=inputs,
            )
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


def compile_in_children(
    jobs: list[tuple[Path, Path]], font_paths: list[Path], processes: int,
) -> Iterator[Compiled]:
    """Compile each ``(source, pdf)`` in a process of its own, *processes* at once.

    Typst keeps what it laid out in memory until its process ends (about
    2 MB a page); a process a PDF gives that memory back after each one, so
    the volumes of a long book never add up, and ``-j`` lays them out side
    by side.  Each child is ``python -m sphinx_faq_ext.builders.pdf.typst.compile``
    (not :mod:`multiprocessing`, whose ``spawn`` imports the caller's main
    script again: a script calling Sphinx without a ``__main__`` guard would
    fail).  Results come in the order of *jobs*; a PDF Typst could not compile
    raises :class:`TypstCompileError` once all are done.
    """
    load_typst()  # fail here, not in a child
    waiting = list(jobs)
    running: list[tuple[Path, subprocess.Popen[str]]] = []
    done: dict[Path, Compiled] = {}
    errors: list[str] = []
    while waiting or running:
        while waiting and len(running) < max(1, processes):
            source, pdf = waiting.pop(0)
            command = [sys.executable, "-m", __name__, str(source), str(pdf),
                       *(str(path) for path in font_paths)]
            running.append((pdf, subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True)))
        pdf, child = running.pop(0)
        out, err = child.communicate()
        try:
            answer = json.loads(out)
        except ValueError:
            answer = {"error": f"Typst child for {pdf.name} exited {child.returncode}:\n"
                      f"{err[-3000:]}"}
        if answer.get("error"):
            errors.append(answer["error"])
        else:
            done[pdf] = Compiled(pdf, answer["warnings"])
    if errors:
        raise TypstCompileError("\n".join(errors))
    for _source, pdf in jobs:
        yield done[pdf]


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
                 first_page: Callable[[dict[str, Any]], int]) -> list[str]:
    """Compile one part of a book laid out in parts; its warnings.

    *data* is the part's JSON file (``first``: the printed number of its first
    page, ``pages``: printed page numbers of other parts' anchors), which the
    template reads.  Once laid out, the part's report (its page count,
    anchors and index entries) goes to *first_page*, which answers the first
    page number; when that is not the one laid out, the part is compiled
    again with it, which reuses the layout Typst keeps in memory (only the
    page numbers change: about a seventh of the first compile).
    """
    typst = load_typst()
    compiler = typst.Compiler(
        str(source), root=str(source.parent.parent),
        font_paths=[str(path) for path in font_paths], ignore_system_fonts=True,
    )
    notes: list[str] = []
    inputs = {"faq-part": "/" + data.relative_to(source.parent.parent).as_posix()}
    output, warnings, inputs = _compile(compiler, source, inputs, notes)
    report = json.loads(compiler.query(PART_REPORT, field="value", one=True))
    values = json.loads(data.read_text("utf8"))
    first = first_page(report)
    if first != values["first"]:
        values["first"] = first
        data.write_text(json.dumps(values, sort_keys=True), "utf8")
        output, warnings, inputs = _compile(compiler, source, inputs, notes)
    pdf.write_bytes(output)
    return notes + [_describe(warning) for warning in warnings]


def _part_child() -> None:
    """``… compile --part``: a job (JSON line) in, report, first page in, done out."""
    job = json.loads(sys.stdin.readline())

    def ask(report: dict[str, Any]) -> int:
        sys.stdout.write(json.dumps({"laid_out": report}) + "\n")
        sys.stdout.flush()
        return int(json.loads(sys.stdin.readline())["first"])

    try:
        warnings = lay_out_part(Path(job["source"]), Path(job["pdf"]), Path(job["data"]),
                                [Path(font) for font in job["fonts"]], ask)
        answer: dict[str, Any] = {"done": warnings}
    except TypstCompileError as error:
        answer = {"error": str(error)}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


def _child(argv: list[str]) -> None:
    """``python -m sphinx_faq_ext.builders.pdf.typst.compile SOURCE PDF [FONTS…]``: JSON out."""
    source, pdf, *fonts = argv
    try:
        compiled = compile_pdf(Path(source), Path(pdf), [Path(font) for font in fonts])
        answer: dict[str, Any] = {"warnings": compiled.warnings}
    except TypstCompileError as error:
        answer = {"error": str(error)}
    sys.stdout.write(json.dumps(answer))


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
    if sys.argv[1:] == ["--part"]:
        _part_child()
    else:
        _child(sys.argv[1:])
