"""The whole benchmark: our markup against plain MyST at several book sizes, in one run.

For each size (questions, ``--notes`` notes each) the synthetic book is
written twice (:func:`sphinx_faq_ext.testing.synthetic_book`: the same text
with our directives, and in plain MyST with headings, ``[^n]`` footnotes and
attributed block quotes).  Then, for each builder, each variant is built from
scratch, alternating the variants so that machine noise hits both alike:

``html``, ``epub``
    ``python -m sphinx -b <builder>``.
``latex``
    ``python -m sphinx -b latex`` (the ``.tex``), then ``latexmk`` on it (the
    compiled PDF), measured as two steps, ``latex`` and ``latexpdf``.
``faqpdf``
    Our PDF builder with its WeasyPrint engine (``-D faq_pdf_engine=weasyprint``:
    the step measured before Typst became the default engine). Plain MyST has
    no such builder: its baseline is the LaTeX path of the same book (``.tex``
    + latexmk), which is what the faqpdf PDF competes with.
``faqpdf-typst``
    The same builder with its Typst engine (the default), ``-j auto``: the book
    written as Typst markup, a ``.typ`` a chapter, compiled side by side by
    the Typst compiler and joined (``builders/pdf/typst/chapters.py``).
``faqpdf-typst-one-piece``
    The Typst engine with ``faq_pdf_by_chapter = False``: the book compiled
    in one piece, as before the Typst engine laid chapters out apart.
``faqpdf-parallel``, ``faqpdf-one-piece``
    The same builder with ``-j auto`` (the chapters laid out side by side,
    then joined into the one PDF), and with ``faq_pdf_by_chapter = False``
    (the whole book as one WeasyPrint document, as before chapter layout).
``faqpdf-N-volumes`` (``faqpdf-4-volumes``, …)
    The same builder with ``faq_pdf_volumes = N`` and ``-j auto``: the book
    as N volumes, each its own PDF, laid out side by side.

Every build is a fresh process measured with ``os.wait4``: wall time, CPU
time (user + system, children included) and peak resident memory (the
largest process of the build, or the sum of all its processes at once,
sampled from ``/proc``, whichever is larger).  The report prints, per size and builder,
ours, plain, the ratio ours/plain and the per-question cost, then how the
per-question cost grows from the smallest to the largest size (linearity).

``--afaq [DIR]`` adds a real book as one more row, ``afaq``: the whole
*An Anarchist FAQ* (the Debian package ``anarchism``, default
``/usr/share/doc/anarchism/html``) imported twice by ``sphinx-faq-ext
import``, with our markup and with ``--flavour plain``, and measured like a
synthetic size (its per-question cost over its imported questions).  Both
are built with the default theme, as the synthetic books are, so that only
the markup differs; the real book has build warnings (authors the importer
is unsure of), so its builds are not run with ``-W`` (the count is kept).
``--afaq-pages secA1.html,secA2.html`` imports only those pages.

``--fixed-cost`` measures, before the sizes, what a build costs whatever
the book's size: a book of one question, ours and plain, built
``--repeat`` times alternately with each of the run's html, epub and latex
builders (``fixed_cost`` in the JSON; the goal is ≤ 0.1 s of CPU time over
plain).  A build that pays for imports or assets it does not need shows
there, as every ``sphinx-autobuild`` rebuild pays it.

``--instructions`` counts, instead of timing, the instructions each build
executes (Valgrind's ``cachegrind --cache-sim=no``, ``PYTHONHASHSEED=0``):
the one-question book and each ``--sizes`` book, html, epub and the ``.tex``,
ours and plain (``instructions`` in the JSON).  Unlike CPU time, the count
does not move with the load of a shared machine (the same build counted twice
differs by well under 0.1 %), so both variants are built side by side and
once each; a build runs about 20 times slower under Valgrind.

``--shared`` marks the run as taken on a machine other people were using
at the time (the load average is recorded at the start and the end in any
case): ``perf_page.py`` shows such a run apart from the quiet runs, and its
ratios as indicative only.

Builds run with Python's bytecode cache on (``PYTHONDONTWRITEBYTECODE`` is
dropped from their environment), as a user's installed package has it:
otherwise our modules, unlike Sphinx's installed ones, would be compiled
again at every build.

Optional parts: ``--incremental`` (after a clean html build, edit one
question's text, rebuild, then its title, rebuild; each time count the pages
rewritten, ours against plain; the book for it has a page per section, as An
Anarchist FAQ has, and ``--refs`` references per question: ``--layout
chapters`` for a page per letter), ``--parallel`` (html with
``-j auto`` against ``-j 1``), ``--rtd`` (the whole Read the Docs build of
our book at the largest size through ``tools/rtd_build.py``: html, epub and
PDF, against the 15-minute / 3 GB budget).

Results go to ``--json`` as well, which ``benchmarks/perf_page.py`` turns
into the table of ``docs/performance.md``.

Usage::

    python benchmarks/bench_suite.py --sizes 100,500,1000 --notes 40 \\
        --builders html,epub,latex,faqpdf --afaq --incremental --parallel --rtd
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from make_book import HERE

from sphinx_faq_ext import testing
from sphinx_faq_ext.testing import synthetic_book
from sphinx_faq_ext.testing.book import make_questions, page_name

ROOT = HERE.parent
#: Read the Docs' community build limits.
RTD_SECONDS = 15 * 60
RTD_MEMORY_MB = 3 * 1024
#: The Debian package ``anarchism``'s web edition of *An Anarchist FAQ*.
AFAQ = Path("/usr/share/doc/anarchism/html")


@dataclass
class Run:
    """One measured process."""

    wall: float  #: seconds
    cpu: float  #: seconds, user + system, children included
    peak_mb: float  #: peak resident memory: of the largest process, or of all at once
    warnings: int = 0  #: lines of the output saying WARNING or ERROR
    largest_mb: float = 0  #: peak resident memory of the largest single process


class TreeMemory:
    """Peak of the summed resident memory of a process and all its descendants.

    ``ru_maxrss`` is the largest *single* process; a build that lays out PDF
    volumes in parallel processes, or ``-j`` workers, holds the sum of them at
    once.  A thread reads ``/proc`` every :attr:`interval` seconds.
    """

    interval = 0.2

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    todo.extend(int(child) for child in task.read_text().split())
        return pids

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            total = 0
            for pid in self._tree():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            self.peak_kb = max(self.peak_kb, total * PAGE_KB)

    def stop(self) -> float:
        """Stop watching; the peak in MB."""
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def measure(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
            allowed: tuple[int, ...] = (0,)) -> Run:
    """Run *command*; fail loudly unless its exit status is in *allowed*."""
    if env is None:
        env = dict(os.environ)
    env = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    with subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT) as process:
        memory = TreeMemory(process.pid)
        output = process.stdout.read() if process.stdout else b""
        tree_mb = memory.stop()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode not in allowed:
        tail = output.decode("utf8", "replace")[-3000:]
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    warnings = sum(1 for line in output.decode("utf8", "replace").splitlines()
                   if "WARNING" in line or "ERROR" in line)
    # ru_maxrss (kilobytes on Linux) is the largest single process; the tree's
    # sampled sum is larger when processes work side by side.
    peak = max(usage.ru_maxrss / 1024, tree_mb)
    return Run(wall, usage.ru_utime + usage.ru_stime, peak, warnings, usage.ru_maxrss / 1024)


#: Steps that are our ``faqpdf`` builder with the book in N volumes, laid
#: out side by side (``-j auto``): ``faqpdf-4-volumes``.
VOLUMES_STEP = re.compile(r"faqpdf-(\d+)-volumes")


#: The WeasyPrint engine, named: Typst is the builder's default.
WEASYPRINT = ["-D", "faq_pdf_engine=weasyprint"]
#: Other ``faqpdf`` steps: their ``-j`` and ``-D`` options.
PDF_STEPS: dict[str, tuple[str, list[str]]] = {
    "faqpdf": ("1", WEASYPRINT),
    "faqpdf-parallel": ("auto", WEASYPRINT),
    "faqpdf-one-piece": ("1", [*WEASYPRINT, "-D", "faq_pdf_by_chapter=0"]),
    "faqpdf-typst": ("auto", ["-D", "faq_pdf_engine=typst"]),
    "faqpdf-typst-one-piece": ("auto", ["-D", "faq_pdf_engine=typst",
                                        "-D", "faq_pdf_by_chapter=0"]),
}


def is_pdf_step(builder: str) -> bool:
    """Steps whose plain baseline is the LaTeX path (.tex + latexmk): plain MyST
    has no faqpdf builder."""
    return (builder == "faqpdf" or builder in PDF_STEPS
            or VOLUMES_STEP.fullmatch(builder) is not None)


def sphinx_command(builder: str, source: Path, out: Path, jobs: str = "1",
                   strict: bool = True) -> list[str]:
    """A clean ``sphinx-build``; *strict*: warnings are errors (both books must be clean)."""
    real, options = builder, []
    if volumes := VOLUMES_STEP.fullmatch(builder):
        real, jobs = "faqpdf", "auto"
        options = [*WEASYPRINT, "-D", f"faq_pdf_volumes={volumes[1]}"]
    elif builder in PDF_STEPS:
        real, (step_jobs, options) = "faqpdf", PDF_STEPS[builder]
        if builder != "faqpdf":  # the plain step keeps the -j it is given
            jobs = step_jobs
    return testing.sphinx_command(source, out / real, real, doctrees=out / ".doctrees",
                                  jobs=jobs, options=("-q", *(["-W"] if strict else []), *options))


def clean(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def build(builder: str, source: Path, out: Path, jobs: str = "1",
          strict: bool = True) -> dict[str, Run]:
    """One clean build of *builder*; LaTeX is two steps (``latex``, ``latexpdf``).

    ``tex`` is the ``latex`` step alone (the ``.tex``, no latexmk): for the real
    book, whose 5,800 pages would make each latexmk run longer than the rest of
    the benchmark.
    """
    clean(out)
    if builder == "latexpdf":
        raise ValueError("latexpdf is measured as part of latex")
    if builder == "tex":
        return {"latex": measure(sphinx_command("latex", source, out, jobs, strict))}
    steps = {builder: measure(sphinx_command(builder, source, out, jobs, strict))}
    if builder == "latex":
        steps["latexpdf"] = latexmk(out / "latex")
    return steps


def latexmk(folder: Path) -> Run:
    """The compiled PDF, as Sphinx's own ``make latexpdf`` runs latexmk."""
    tex = sorted(p for p in folder.glob("*.tex") if p.name != "sphinxmessages.tex")
    return measure(["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode",
                    "-halt-on-error", *(p.name for p in tex)], cwd=folder)


Results = dict[str, dict[str, dict[str, list[Run]]]]  # size -> step -> variant -> runs


#: The step whose instructions ``--instructions`` counts (the .tex for latex).
INSTRUCTION_BUILDERS = ("html", "epub", "latex")
I_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def count_instructions(builder: str, source: Path, out: Path, strict: bool = True) -> int:
    """The instructions one clean build executes, counted by cachegrind."""
    clean(out)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no",
               "--cachegrind-out-file=/dev/null",
               *sphinx_command(builder, source, out, strict=strict)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = I_REFS.search(result.stderr)
    if result.returncode or found is None:
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}:\n"
                         f"{result.stderr[-3000:]}")
    return int(found[1].replace(",", ""))


def instructions(sizes: list[int], builders: list[str], notes: int, work: Path,
                 into: dict[str, dict[str, dict[str, int]]],
                 saved: Callable[[], None] | None = None,
                 books: dict[str, dict[str, Path]] | None = None) -> None:
    """Instructions of a clean build, ours and plain (built side by side: the
    count does not depend on the load), for a one-question book and *sizes*,
    then for *books* (label -> the two imported projects, e.g. ``afaq``)."""
    from concurrent.futures import ThreadPoolExecutor

    chosen = [b for b in builders if b in INSTRUCTION_BUILDERS] or list(INSTRUCTION_BUILDERS)
    labelled: list[tuple[str, dict[str, Path], bool]] = [
        (str(size), synthetic_book(work / f"i{size}" / "src", size, notes), True)
        for size in (1, *sizes)]
    labelled += [(label, sources, False) for label, sources in (books or {}).items()]
    for size, sources, strict in labelled:
        for builder in chosen:
            outs = {variant: work / f"i{size}" / "out" / f"{variant}-{builder}"
                    for variant in sources}
            with ThreadPoolExecutor(2) as pool:
                counts = dict(zip(sources, pool.map(
                    count_instructions, [builder] * len(sources), sources.values(),
                    outs.values(), [strict] * len(sources)), strict=True))
            into.setdefault(str(size), {})[builder] = counts
            print(f"  instructions {size:>5} {builder:6} ours {counts['ours'] / 1e9:7.3f} G, "
                  f"plain {counts['plain'] / 1e9:7.3f} G: x{counts['ours'] / counts['plain']:.3f}",
                  flush=True)
            if saved is not None:
                saved()


def bench_size(size: int, notes: int, builders: list[str], repeat: int, work: Path,
               into: dict | None = None, saved: Callable[[], None] | None = None) -> dict:
    """Clean builds of every builder, both variants, *repeat* times."""
    sources = synthetic_book(work / f"q{size}" / "src", size, notes)
    return bench_sources(sources, f"q{size}", builders, repeat, work, into=into, saved=saved)


#: The builders whose fixed cost ``--fixed-cost`` measures (those of the run among them).
FIXED_COST_BUILDERS = ("html", "epub", "latex")


def fixed_cost(builders: list[str], notes: int, repeat: int, work: Path,
               into: dict[str, dict[str, list[Run]]] | None = None,
               saved: Callable[[], None] | None = None) -> dict[str, dict[str, list[Run]]]:
    """Clean builds of a one-question book, ours and plain, alternately.

    What is left of a build when the book is as small as it gets: starting
    Python and Sphinx, our imports, ``setup()``, and the per-build work of
    the builder (assets, search index, catalogs).  LaTeX is the ``.tex`` only
    (no latexmk: the PDF's cost is not ours).
    """
    chosen = [b for b in builders if b in FIXED_COST_BUILDERS] or list(FIXED_COST_BUILDERS)
    sources = synthetic_book(work / "fixed" / "src", 1, notes)
    results: dict[str, dict[str, list[Run]]] = {} if into is None else into
    for builder in chosen:
        for round_ in range(repeat):
            order = ["ours", "plain"] if round_ % 2 == 0 else ["plain", "ours"]
            for variant in order:
                out = work / "fixed" / "out" / f"{variant}-{builder}"
                clean(out)
                run = measure(sphinx_command(builder, sources[variant], out))
                results.setdefault(builder, {}).setdefault(variant, []).append(run)
        ours = statistics.median(r.cpu for r in results[builder]["ours"])
        plain = statistics.median(r.cpu for r in results[builder]["plain"])
        print(f"  fixed cost {builder:6} ours {ours:5.2f}s CPU, plain {plain:5.2f}s: "
              f"{ours - plain:+.2f}s", flush=True)
        if saved is not None:
            saved()
    return results


def bench_sources(sources: dict[str, Path], label: str, builders: list[str], repeat: int,
                  work: Path, strict: bool = True, into: dict | None = None,
                  saved: Callable[[], None] | None = None) -> dict:
    """Clean builds of *sources* (``ours`` and ``plain``), every builder, *repeat* times.

    Results go into *into* as they come, and *saved* is called after each
    builder, so that a run cut short keeps what it measured.
    """
    results: dict[str, dict[str, list[Run]]] = {} if into is None else into
    for builder in builders:
        for round_ in range(repeat):
            if is_pdf_step(builder):
                # plain has no faqpdf: its baseline is the LaTeX path of the same book,
                # measured by the latex step of this run when there is one
                order = [("ours", builder), ("plain", "latex")]
                latex_runs = results.get("latex", {}).get("plain", [])
                pdf_runs = results.get("latexpdf", {}).get("plain", [])
                if round_ < min(len(latex_runs), len(pdf_runs)):
                    latex, pdf = latex_runs[round_], pdf_runs[round_]
                    results.setdefault(builder, {}).setdefault("plain", []).append(
                        Run(latex.wall + pdf.wall, latex.cpu + pdf.cpu,
                            max(latex.peak_mb, pdf.peak_mb), latex.warnings + pdf.warnings))
                    order = [("ours", builder)]
            else:
                order = [("ours", builder), ("plain", builder)]
            if round_ % 2:
                order.reverse()
            for variant, real_builder in order:
                out = work / label / "out" / f"{variant}-{real_builder}"
                steps = build(real_builder, sources[variant], out, strict=strict)
                if is_pdf_step(builder) and variant == "plain":
                    latex, pdf = steps["latex"], steps["latexpdf"]
                    steps = {builder: Run(latex.wall + pdf.wall, latex.cpu + pdf.cpu,
                                           max(latex.peak_mb, pdf.peak_mb),
                                           latex.warnings + pdf.warnings)}
                for step, run in steps.items():
                    results.setdefault(step, {}).setdefault(variant, []).append(run)
                print(f"  {label} {variant:5} {real_builder:7} "
                      + "  ".join(f"{s} {r.wall:6.1f}s {r.peak_mb:5.0f}MB"
                                  + (f" {r.warnings} warnings" if r.warnings else "")
                                  for s, r in steps.items()), flush=True)
        if saved is not None:
            saved()
    return results


def import_afaq(source: Path, pages: list[str], work: Path) -> tuple[dict[str, Path], int]:
    """The Debian book (or *pages* of it) imported with our markup and in plain MyST.

    Returns the two project folders and the number of questions imported.
    """
    from sphinx_faq_ext.importer import ImportOptions, import_book

    missing = [page for page in pages if not (source / page).is_file()]
    if missing:
        raise SystemExit(f"--afaq-pages: not in {source}: {', '.join(missing)}")
    inputs = [source / page for page in pages] if pages else [source]
    folders: dict[str, Path] = {}
    questions = 0
    for variant, flavour in (("ours", "faq"), ("plain", "plain")):
        folder = work / "afaq" / "src" / variant
        started = time.perf_counter()
        report = import_book(inputs, folder,
                             ImportOptions(title="An Anarchist FAQ", flavour=flavour))
        questions = report.counts["questions"]
        if variant == "ours":  # the plain book has the default theme: only the markup differs
            with (folder / "conf.py").open("a", encoding="utf8") as conf:
                conf.write('html_theme = "alabaster"  # bench_suite: the plain book\'s theme\n')
        print(f"  afaq {variant:5} imported: {questions} questions, "
              f"{report.counts['notes']} notes ({time.perf_counter() - started:.1f}s)",
              flush=True)
        folders[variant] = folder
    return folders, questions


def median_run(runs: list[Run]) -> Run:
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               max(r.peak_mb for r in runs), max(r.warnings for r in runs))


def question_lines(source: Path, number: str, split: bool) -> tuple[Path, list[str], int]:
    """The page holding question *number*, its lines, and the line naming the question.

    That is ``:number: A.2.6`` in our book, the ``## A.2.6 …`` heading in the plain one.
    """
    page = source / f"{page_name(number, split)}.md"
    lines = page.read_text("utf8").splitlines()
    for index, line in enumerate(lines):
        if line == f":number: {number}" or (
            line.startswith("#") and line.lstrip("#").startswith(f" {number} ")
        ):
            return page, lines, index
    raise ValueError(f"question {number} not found in {page}")


def edit_text(source: Path, number: str, split: bool) -> None:
    """Change the first sentence of question *number*'s answer."""
    page, lines, start = question_lines(source, number, split)
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line and line[0].isupper() and "." in line:
            lines[index] = "Edited " + line
            break
    page.write_text("\n".join(lines) + "\n", "utf8")


def edit_title(source: Path, number: str, split: bool) -> None:
    """Change question *number*'s title (the directive's argument, or the heading)."""
    page, lines, index = question_lines(source, number, split)
    if lines[index].startswith("#"):
        lines[index] = lines[index].replace(f" {number} ", f" {number} Edited: ", 1)
    else:  # the directive's line is just above its :number:
        lines[index - 1] = lines[index - 1].replace("} ", "} Edited: ", 1)
    page.write_text("\n".join(lines) + "\n", "utf8")


#: The edits of ``--incremental``, in the order they are made.
EDITS = {"text": edit_text, "title": edit_title}


def incremental(size: int, notes: int, work: Path, split: bool = True,
                refs: int = 1) -> dict[str, dict[str, dict[str, float]]]:
    """After a clean html build, each edit of :data:`EDITS` and a rebuild: what changed.

    The question edited is the first one from the middle of the book without
    sub-questions (as most are) that a question on another page refers to:
    its title shows on that page too.  (Editing a letter's title also
    rewrites the pages under it, whose breadcrumbs show it, with our theme.)
    """
    sources = synthetic_book(work / f"inc{size}" / "src", size, notes, split=split, refs=refs)
    questions = make_questions(size, notes, refs=refs)
    referred = {number for question in questions for number in question.refs
                if page_name(number, split) != page_name(question.number, split)}
    middle = questions[size // 2:]
    number = next((q.number for q in middle if q.depth == 2 and q.number in referred),
                  middle[0].number)
    figures: dict[str, dict[str, dict[str, float]]] = {kind: {} for kind in EDITS}
    for variant, source in sources.items():
        out = work / f"inc{size}" / "out" / variant
        clean(out)
        command = testing.sphinx_command(source, out / "html", "html",
                                         doctrees=out / ".doctrees", options=("-q", "-W"))
        measure(command)
        for kind, editor in EDITS.items():
            pages = {p: p.stat().st_mtime_ns for p in (out / "html").glob("*.html")}
            time.sleep(0.05)
            editor(source, number, split)
            run = measure(command)
            rewritten = sum(1 for p, t in pages.items() if p.stat().st_mtime_ns != t)
            figures[kind][variant] = {"wall": run.wall, "cpu": run.cpu, "pages": len(pages),
                                      "rewritten": rewritten}
    return figures


def parallel(size: int, notes: int, work: Path) -> dict[str, float]:
    """Our html build with ``-j auto`` against ``-j 1`` (wall time)."""
    sources = synthetic_book(work / f"par{size}" / "src", size, notes)
    out = work / f"par{size}" / "out"
    walls = {}
    for jobs in ("1", "auto"):
        clean(out)
        walls[jobs] = measure(sphinx_command("html", sources["ours"], out, jobs)).wall
    return {"j1": walls["1"], "jauto": walls["auto"], "speedup": walls["1"] / walls["auto"],
            "cores": os.cpu_count() or 1}


def rtd(size: int, notes: int, work: Path, pdf: str) -> dict[str, float]:
    """Read the Docs' whole build of our book (html, epub, pdf) via tools/rtd_build.py."""
    sources = synthetic_book(work / f"rtd{size}" / "src", size, notes)
    output = work / f"rtd{size}" / "output"
    clean(output)
    shutil.rmtree(sources["ours"] / "_build", ignore_errors=True)
    run = measure([sys.executable, str(ROOT / "tools" / "rtd_build.py"),
                   "--docs", str(sources["ours"]), "--output", str(output), "--pdf", pdf])
    return {"pdf": pdf, "wall": run.wall, "cpu": run.cpu, "peak_mb": run.peak_mb,
            "within_budget": run.wall <= RTD_SECONDS and run.peak_mb <= RTD_MEMORY_MB}


def typst_rebuild(size: int, notes: int, work: Path) -> dict[str, object]:
    """The Typst PDF of our book from scratch (``-j auto``), then again after a
    one-question edit (the text of the question in the middle of the book):
    the chapters whose markup and first page did not change are reused."""
    sources = synthetic_book(work / f"typst{size}" / "src", size, notes)
    out = work / f"typst{size}" / "out"
    clean(out)
    command = sphinx_command("faqpdf-typst", sources["ours"], out)
    runs = {"clean": measure(command)}
    questions = make_questions(size, notes)
    number = questions[size // 2].number
    edit_text(sources["ours"], number, split=False)
    runs["edit"] = measure(command)
    folder = out / "faqpdf" / "_parts"
    return {"questions": size, "edited": number,
            "parts": len(list(folder.glob("*.pdf"))),
            **{kind: asdict(run) for kind, run in runs.items()}}


def versions() -> dict[str, str]:
    """The versions the figures depend on."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("sphinx", "myst-parser", "weasyprint"):
        with contextlib.suppress(PackageNotFoundError):
            found[name.replace("-", "_")] = version(name)
    return found


def report(results: dict[int, dict], notes: int, afaq: tuple[int, dict] | None = None) -> None:
    """Print ours against plain per size and step, and the growth of the per-question cost.

    *afaq* (questions, results) is the imported real book: one more row, ``afaq``.
    """
    print(f"\nClean builds, {notes} notes a question (afaq: the real book); median wall "
          "seconds (CPU), peak MB; ratio = ours / plain")
    print(f"{'size':>5} {'step':9} {'ours':>16} {'plain':>16} {'wall x':>6} {'CPU x':>6} "
          f"{'mem x':>6} {'ms/q ours':>10} {'ms/q plain':>10}")
    rows: list[tuple[str, int, dict]] = [(str(size), size, steps)
                                         for size, steps in results.items()]
    if afaq is not None:
        rows.append(("afaq", *afaq))
    for label, size, steps in rows:
        for step, variants in steps.items():
            ours, plain = median_run(variants["ours"]), median_run(variants["plain"])
            warned = [f"{v} {median_run(variants[v]).warnings}" for v in ("ours", "plain")
                      if median_run(variants[v]).warnings]
            print(f"{label:>5} {step:9} {ours.wall:7.1f} ({ours.cpu:6.1f}) "
                  f"{plain.wall:7.1f} ({plain.cpu:6.1f}) {ours.wall / plain.wall:6.2f} "
                  f"{ours.cpu / plain.cpu:6.2f} {ours.peak_mb / plain.peak_mb:6.2f} "
                  f"{1000 * ours.cpu / size:10.1f} {1000 * plain.cpu / size:10.1f}"
                  + (f"  (warnings: {', '.join(warned)})" if warned else ""))
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"\nLinearity: CPU per question at {large} / at {small} questions (goal ≤ 1.10)")
        for step in results[large]:
            for variant in ("ours", "plain"):
                if step in results[small] and variant in results[small][step]:
                    a = median_run(results[small][step][variant]).cpu / small
                    b = median_run(results[large][step][variant]).cpu / large
                    print(f"  {step:9} {variant:5} {b / a:5.2f}")


def runs_json(steps: dict[str, dict[str, list[Run]]]) -> dict[str, object]:
    """One row's runs for the JSON: step -> variant -> list of runs."""
    return {step: {v: [asdict(r) for r in runs] for v, runs in by.items()}
            for step, by in steps.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,500,1000",
                        help="synthetic book sizes in questions ('' for none)")
    parser.add_argument("--notes", type=int, default=40, help="notes per question")
    parser.add_argument("--builders", default="html,epub,latex,faqpdf")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--afaq", type=Path, nargs="?", const=AFAQ, default=None,
                        metavar="DIR", help=f"also the imported Debian book (default {AFAQ})")
    parser.add_argument("--afaq-builders", default="",
                        help="builders for the real book (default: --builders)")
    parser.add_argument("--afaq-pages", default="",
                        help="import only these pages of it (e.g. secA1.html,secA2.html)")
    parser.add_argument("--fixed-cost", action="store_true",
                        help="also a one-question book: the cost of a build of any size")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions (cachegrind) instead of timing: 1 question "
                             "and --sizes, html/epub/latex")
    parser.add_argument("--shared", action="store_true",
                        help="the machine was shared while measuring: figures are indicative")
    parser.add_argument("--incremental", action="store_true")
    parser.add_argument("--layout", choices=("sections", "chapters"), default="sections",
                        help="--incremental: a page per section (as the real book) or letter")
    parser.add_argument("--refs", type=int, default=1,
                        help="--incremental: references to other questions per question")
    parser.add_argument("--parallel", action="store_true")
    parser.add_argument("--rtd", choices=("latex", "weasyprint"), default=None)
    parser.add_argument("--typst-rebuild", action="store_true",
                        help="the Typst PDF from scratch, then after a one-question edit")
    parser.add_argument("--extras-size", type=int, default=0,
                        help="book size for --incremental/--parallel/--rtd (default: the "
                             "largest); they run right after that size")
    parser.add_argument("--work", type=Path, default=HERE / "_work")
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    builders = [b.strip() for b in args.builders.split(",") if b.strip()]
    results: dict[int, dict] = {}
    extra: dict[str, object] = {}
    load_at_start = os.getloadavg()[0]

    def save() -> None:
        """Write what is measured so far (a run cut short keeps it)."""
        args.json.write_text(json.dumps({
            "command": " ".join(["python", "benchmarks/bench_suite.py", *sys.argv[1:]]),
            "date": time.strftime("%Y-%m-%d"),
            **versions(),
            "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform(), "shared": args.shared,
                        "load": [round(load_at_start, 1), round(os.getloadavg()[0], 1)]},
            "notes": args.notes,
            "sizes": {str(size): runs_json(steps) for size, steps in results.items()},
            **extra,
        }, indent=1), "utf8")

    if args.instructions:
        print("instructions (cachegrind) …", flush=True)
        counted: dict[str, dict[str, dict[str, int]]] = {}
        extra["instructions"] = {
            "command": " ".join(["python", "benchmarks/bench_suite.py", *sys.argv[1:]]),
            "date": time.strftime("%Y-%m-%d"), "counts": counted}
        books = {}
        if args.afaq is not None:  # the real book too (its imports are not counted)
            pages = [p.strip() for p in args.afaq_pages.split(",") if p.strip()]
            books["afaq"] = import_afaq(args.afaq, pages, args.work)[0]
        instructions(sizes, builders, args.notes, args.work, counted, save, books)
        save()
        print(f"\nwrote {args.json}")
        return
    if not sizes and (args.incremental or args.parallel or args.rtd or args.typst_rebuild):
        raise SystemExit("--incremental, --parallel and --rtd need a synthetic size")
    if args.fixed_cost:
        print("fixed cost (a one-question book) …", flush=True)
        fixed: dict[str, dict[str, list[Run]]] = {}

        def save_fixed() -> None:
            extra["fixed_cost"] = runs_json(fixed)
            save()

        fixed_cost(builders, args.notes, max(args.repeat, 3), args.work, fixed, save_fixed)
    extras_size = args.extras_size or max(sizes, default=0)
    for size in sizes:
        print(f"{size} questions …", flush=True)
        results[size] = {}
        bench_size(size, args.notes, builders, args.repeat, args.work,
                   into=results[size], saved=save)
        if size == extras_size:
            extras(args, size, extra, save)
    if extras_size not in sizes and sizes:
        extras(args, extras_size, extra, save)
    afaq: tuple[int, dict] | None = None
    pages = [p.strip() for p in args.afaq_pages.split(",") if p.strip()]
    if args.afaq is not None and not (args.afaq / (pages or ["index.html"])[0]).is_file():
        print(f"\nafaq skipped: no {(pages or ['index.html'])[0]} in {args.afaq} (is the "
              "Debian package 'anarchism' installed?)", flush=True)
    elif args.afaq is not None:
        print("An Anarchist FAQ …", flush=True)
        afaq_sources, questions = import_afaq(args.afaq, pages, args.work)
        afaq_runs: dict = {}

        def save_afaq() -> None:
            extra["afaq"] = {**runs_json(afaq_runs), "questions": questions}
            save()

        afaq_builders = [b.strip() for b in args.afaq_builders.split(",") if b.strip()]
        bench_sources(afaq_sources, "afaq", afaq_builders or builders, args.repeat, args.work,
                      strict=False, into=afaq_runs, saved=save_afaq)
        afaq = questions, afaq_runs
    report(results, args.notes, afaq)
    save()
    print(f"\nwrote {args.json}")


def extras(args: argparse.Namespace, size: int, extra: dict[str, object],
           save: Callable[[], None]) -> None:
    """Incremental edits, -j auto and the Read the Docs build, at *size* questions."""
    summary: list[str] = []
    if args.incremental:
        figures = incremental(size, args.notes, args.work, split=args.layout == "sections",
                              refs=args.refs)
        extra["incremental"] = {"questions": size, "layout": args.layout, "refs": args.refs,
                                **figures}
        summary.append(f"\nIncremental ({size} questions, a page per "
                       f"{'section' if args.layout == 'sections' else 'letter'}, {args.refs} "
                       "references a question); wall, pages rewritten")
        for kind, by_variant in figures.items():
            ours, plain = by_variant["ours"], by_variant["plain"]
            summary.append(
                f"  {kind:5} edit: ours {ours['wall']:5.1f}s "
                f"{ours['rewritten']:.0f}/{ours['pages']:.0f}; plain {plain['wall']:5.1f}s "
                f"{plain['rewritten']:.0f}/{plain['pages']:.0f}; "
                f"ratio {ours['wall'] / plain['wall']:.2f} (goal ≤ 1.5)")
        save()
    if args.parallel:
        extra["parallel"] = par = parallel(size, args.notes, args.work)
        summary.append(f"\nhtml -j auto on {par['cores']} cores: {par['jauto']:.1f}s against "
                       f"{par['j1']:.1f}s with -j 1: x{par['speedup']:.2f}")
        save()
    if args.rtd:
        extra["rtd"] = budget = rtd(size, args.notes, args.work, args.rtd)
        summary.append(f"\nRead the Docs build ({args.rtd} PDF), {size} questions: "
                       f"{budget['wall']:.0f}s, peak {budget['peak_mb']:.0f} MB "
                       f"({'within' if budget['within_budget'] else 'OVER'} 15 min / 3 GB)")
        save()
    if args.typst_rebuild:
        extra["typst_rebuild"] = figures = typst_rebuild(size, args.notes, args.work)
        clean_run, edit_run = figures["clean"], figures["edit"]
        summary.append(
            f"\nTypst PDF, {size} questions: from scratch {clean_run['wall']:.1f}s "
            f"({clean_run['cpu']:.1f}s CPU, largest process {clean_run['largest_mb']:.0f} MB); "
            f"after a one-question edit {edit_run['wall']:.1f}s ({edit_run['cpu']:.1f}s CPU)")
        save()
    for line in summary:
        print(line, flush=True)


if __name__ == "__main__":
    main()
