"""The fuzz harness's runner: generated documents through every builder, in batches.

:func:`run` renders the documents (:mod:`generator`), writes them into Sphinx
projects — a batch of documents a project (:func:`write_batch`), to keep it
fast, with the notes and reference styles varied from batch to batch
(:func:`batch_config`) — and builds each project with every builder of
:data:`~checks.BUILDERS` (``html``, ``epub``, ``latex``, ``text``, ``man``,
``texinfo``), then the first documents with the PDF paths
(:data:`~checks.PDF_BUILDERS`: ``latexmk``, ``faqpdf`` with its Typst engine
and ``faqpdf-weasyprint``).  Each finished build goes to
:func:`checks.check_build <checks.check_build>`; everything found is gathered
in a :class:`Report`.

Builds run in-process through the one way of building that the tests
share (:func:`sphinx_faq_ext.testing.build`, on :mod:`sphinx.testing`); the
builders of one batch share the doctrees of the first.  A builder that
raises is a :class:`~checks.Crash` (so is a LaTeX error from latexmk): the
crash is pinned on its document — the documents that crashed another
builder are tried alone first, then the batch is cut in four, recursively
(:func:`build_and_check`) — and the batch is built again without it, so the
other documents are still checked.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx_faq_ext import testing

from .checks import (
    BUILDERS,
    PDF_BUILDERS,
    Build,
    Crash,
    Failure,
    check_build,
    classify,
)
from .generator import BIB, Rendered, render

#: The builder each name runs, and its ``conf.py`` overrides (faqpdf's engines).
REAL_BUILDERS: dict[str, tuple[str, dict[str, str]]] = {
    "latexmk": ("latex", {}),
    "faqpdf": ("faqpdf", {"faq_pdf_engine": "typst"}),
    "faqpdf-weasyprint": ("faqpdf", {"faq_pdf_engine": "weasyprint"}),
}

# ---------------------------------------------------------------------------
# Projects and builds
# ---------------------------------------------------------------------------

CONF = """\
extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
show_warning_types = True
bibtex_bibfiles = ["refs.bib"]
project = "Fuzz"
author = "Fuzz"
version = release = "1"
copyright = "2026, Fuzz"
faq_notes_style = {notes_style!r}
faq_ref_style = {ref_style!r}
latex_elements = {{"printindex": ""}}
"""


def write_batch(srcdir: Path, docs: list[Rendered], config: dict[str, str]) -> None:
    """A project holding *docs*, all in the root toctree."""
    if srcdir.exists():
        shutil.rmtree(srcdir)
    toc = "\n".join(doc.docname for doc in docs)
    files = {"refs.bib": BIB, "index.md": f"# Fuzz\n\n```{{toctree}}\n{toc}\n```\n"}
    files.update({f"{doc.docname}{doc.suffix}": doc.text for doc in docs})
    testing.write_project(srcdir, files, conf=CONF.format(**config))


def _signature(exc: BaseException) -> str:
    """``Type@function`` of the innermost frame, plus the innermost of ours."""
    while exc.__cause__ is not None:  # Sphinx wraps handler errors: name the cause
        exc = exc.__cause__
    frames = traceback.extract_tb(exc.__traceback__)
    where = ">".join(f"{Path(f.filename).stem}.{f.name}" for f in frames[-2:])
    ours = [f for f in frames if "sphinx_faq_ext" in f.filename]
    mine = f" in {Path(ours[-1].filename).stem}.{ours[-1].name}" if ours else ""
    return f"{type(exc).__name__}@{where}{mine}"


def build_project(srcdir: Path, builddir: Path, builder: str, fresh: bool = True) -> Build:
    """Build in-process; an exception becomes a :class:`~checks.Crash`.

    Builders of one batch share *builddir*'s doctrees, so only the first
    (``fresh``) reads the documents; read warnings come from that build.
    """
    real, overrides = REAL_BUILDERS.get(builder, (builder, {}))
    if fresh:  # no environment left: the build reads every document
        shutil.rmtree(builddir, ignore_errors=True)
    shutil.rmtree(builddir / real, ignore_errors=True)
    try:
        built = testing.build(srcdir, real, builddir=builddir, parallel=0, **overrides)
    except Exception as exc:
        cause = exc.__cause__ or exc
        crash = Crash(builder, _signature(exc), f"{type(cause).__name__}: {cause}"[:300], [])
        return Build(builder, builddir / real, "", crash)
    result = Build(builder, built.outdir, built.warnings)
    if builder == "latexmk":
        result.crash = _compile_latex(result.outdir)
    return result


def _compile_latex(outdir: Path) -> Crash | None:
    """latexmk as Sphinx's Makefile runs it; LaTeX errors pinned on documents."""
    [tex] = sorted(outdir.glob("*.tex"))
    env = dict(os.environ, LATEXOPTS="-interaction=nonstopmode")
    done = subprocess.run(
        ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", tex.name],
        cwd=outdir, env=env, capture_output=True, text=True, errors="replace", timeout=900,
        check=False,
    )
    if done.returncode == 0 and tex.with_suffix(".pdf").exists():
        return None
    log = tex.with_suffix(".log").read_text("utf8", errors="replace") \
        if tex.with_suffix(".log").exists() else done.stdout
    source = tex.read_text("utf8").splitlines()
    errors = re.findall(r"^! (.*?)\n(?:.*\n){0,12}?l\.(\d+)", log, re.MULTILINE)
    docnames = []
    for _message, line in errors:
        before = "\n".join(source[: int(line)])
        found = re.findall(r"\\label\{\\detokenize\{(d\d{4})::doc\}\}", before)
        if found:
            docnames.append(found[-1])
    first = errors[0][0] if errors else (re.findall(r"^! (.*)$", log, re.MULTILINE) or
                                         ["latexmk failed"])[0]
    message = re.sub(r"\s+", " ", first).strip()
    signature = "LaTeX:" + re.sub(r"[^A-Za-z ]+", "", message).strip()[:40]
    return Crash("latexmk", signature, message[:300], sorted(set(docnames)))


# ---------------------------------------------------------------------------
# Running batches
# ---------------------------------------------------------------------------


@dataclass
class Report:
    """Everything one run found."""

    documents: int = 0
    builds: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    #: the documents whose doctrees the current batch's builders share
    batch_state: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        """builder -> category -> count."""
        table: dict[str, dict[str, int]] = {}
        for failure in self.failures:
            row = table.setdefault(failure.builder, {})
            row[failure.category] = row.get(failure.category, 0) + 1
        return table

    def unknown(self) -> list[Failure]:
        """The failures that are not a known bug (they make the run fail)."""
        return [f for f in self.failures if f.known is None]

    def summary(self) -> str:
        """The table printed at the end: counts by builder, then by signature."""
        lines = [f"{self.documents or '?'} documents, {sum(self.builds.values())} builds, "
                 f"{self.seconds:.0f} s"]
        header = f"{'builder':<9} {'tracebacks':>10} {'lost':>6} {'unlocated':>9} {'wrong':>6}"
        lines.append(header)
        table = self.counts()
        for builder in [*BUILDERS, *PDF_BUILDERS]:
            if builder not in self.builds:
                continue
            row = table.get(builder, {})
            lines.append(f"{builder:<9} {row.get('crash', 0):>10} {row.get('lost', 0):>6} "
                         f"{row.get('unlocated', 0):>9} {row.get('wrong', 0):>6}")
        by_sig = Counter((f.known or "NEW", f.signature) for f in self.failures)
        lines.append("by signature (known bug id or NEW):")
        for (known, signature), count in sorted(by_sig.items()):
            lines.append(f"  {count:>5}  {known:<24} {signature}")
        return "\n".join(lines)


def build_and_check(workdir: Path, docs: list[Rendered], builder: str,
                    config: dict[str, str], report: Report,
                    suspects: set[str] | None = None) -> None:
    """Build *docs* with *builder*; pin crashes on their documents.

    *suspects* (documents that crashed another builder of this batch) are
    tried on their own first, which is much cheaper than bisecting.
    """
    pending = list(docs)
    crashed: list[tuple[Rendered, Crash]] = []
    suspects = suspects if suspects is not None else set()
    untried = set(suspects)
    state = report.batch_state
    for _attempt in range(12):
        names = [doc.docname for doc in pending]
        # reuse the doctrees of an earlier builder that read exactly these documents
        fresh = state.get("docs") != names
        if fresh:
            write_batch(workdir / "src", pending, config)
        result = build_project(workdir / "src", workdir / "build", builder, fresh=fresh)
        report.builds[builder] += 1
        if result.crash is None:
            if fresh:
                state.update(docs=names, warnings=result.warnings)
                report.failures.extend(check_build(result, pending))
            else:
                report.failures.extend(check_build(result, pending, state["warnings"]))
            break
        state.clear()
        culprits = []
        for doc in [d for d in pending if d.docname in untried]:
            write_batch(workdir / "src", [doc], config)
            alone = build_project(workdir / "src", workdir / "alone", builder)
            report.builds[builder] += 1
            if alone.crash is not None:
                culprits.append((doc, alone.crash))
        untried.clear()
        if not culprits:
            culprits = _culprits(workdir, pending, builder, config, result.crash, report)
        if not culprits:  # only the whole batch crashes: blame it as a whole
            report.failures.append(Failure(builder, "crash", None, result.crash.signature,
                                           result.crash.message))
            break
        crashed.extend(culprits)
        culprit_names = {doc.docname for doc, _ in culprits}
        suspects.update(culprit_names)
        pending = [doc for doc in pending if doc.docname not in culprit_names]
        if not pending:
            break
    for doc, crash in crashed:
        report.failures.append(Failure(builder, "crash", doc.docname, crash.signature,
                                       crash.message))


def _culprits(workdir: Path, docs: list[Rendered], builder: str, config: dict[str, str],
              crash: Crash, report: Report) -> list[tuple[Rendered, Crash]]:
    """The documents that crash *builder* on their own."""
    if crash.docnames:  # LaTeX said where
        return [(doc, crash) for doc in docs if doc.docname in crash.docnames]
    if len(docs) == 1:
        return [(docs[0], crash)]
    # four parts, not two: small builds are cheap, crashes are often several
    size = max(1, -(-len(docs) // 4))
    found: list[tuple[Rendered, Crash]] = []
    for part in (docs[i:i + size] for i in range(0, len(docs), size)):
        write_batch(workdir / "src", part, config)
        result = build_project(workdir / "src", workdir / "alone", builder)
        if result.crash is not None and result.crash.docnames:  # LaTeX said where
            found.extend((doc, result.crash) for doc in part
                         if doc.docname in result.crash.docnames)
            continue
        report.builds[builder] += 1
        if result.crash is not None:
            found.extend(_culprits(workdir, part, builder, config, result.crash, report))
    return found


def batch_config(index: int) -> dict[str, str]:
    """Vary the notes and reference styles from batch to batch."""
    styles = ("endnotes", "footnotes", "inline")
    refs = ("number", "number-title", "title")
    return {"notes_style": styles[index % 3], "ref_style": refs[(index // 3) % 3]}


def run(docs: list[tuple[Any, ...]], builders: Iterable[str] = BUILDERS,
        pdf_docs: int = 0, batch_size: int = 40, workdir: Path | None = None,
        progress: Callable[[str, Report], None] | None = None, first_index: int = 0,
        shard: tuple[int, int] = (0, 1)) -> Report:
    """Render, build and check *docs*; the first *pdf_docs* also go through PDF.

    With *shard* ``(k, n)`` only every n-th batch from the k-th is built, so n
    processes can share a run (document names stay those of the whole run).
    """
    started = time.perf_counter()
    rendered = [render(doc, first_index + i) for i, doc in enumerate(docs)]
    by_name = {doc.docname: doc for doc in rendered}
    k, n = shard
    rendered = [doc for i, doc in enumerate(rendered) if (i // batch_size) % n == k]
    pdf_docs = len([i for i in range(pdf_docs) if (i // batch_size) % n == k])
    report = Report(documents=len(rendered))
    with _workdir(workdir) as work:
        batches = [rendered[i:i + batch_size] for i in range(0, len(rendered), batch_size)]
        for number, batch in enumerate(batches):
            config = batch_config(number)
            report.batch_state.clear()
            suspects: set[str] = set()
            for builder in builders:
                build_and_check(work, batch, builder, config, report, suspects)
            if progress:
                classify(report.failures, by_name)
                progress(f"batch {number + 1}/{len(batches)}: "
                         f"{len(report.failures)} failures, "
                         f"{sum(report.builds.values())} builds so far", report)
        pdf = rendered[:pdf_docs]
        pdf_batches = [pdf[i:i + batch_size] for i in range(0, len(pdf), batch_size)]
        for number, batch in enumerate(pdf_batches):
            report.batch_state.clear()
            for builder in PDF_BUILDERS:
                build_and_check(work, batch, builder, batch_config(number), report)
            if progress:
                classify(report.failures, by_name)
                progress(f"PDF batch {number + 1}/{len(pdf_batches)}", report)
    classify(report.failures, by_name)
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def _workdir(path: Path | None) -> Iterator[Path]:
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="faq-fuzz-") as tmp:
        yield Path(tmp)
