"""Worker processes that lay the parts of a book out: the one protocol of both engines.

Both sides are here.  A worker is ``python -m MODULE --serve`` for an
engine's module (WeasyPrint's :mod:`.weasyprint.layout`, Typst's
:mod:`.typst.compile`), whose main calls :func:`serve` with the engine's
function that lays out one job.  It reads jobs as JSON lines on stdin,
``{"source", "pdf", "base", "ask", ...}`` (the file laid out, the PDF to
write, the folder its paths are relative to, whether to ask for its first
page number, and the engine's own fields), and answers on stdout, one JSON
line each:

- ``{"warning": message}`` for each of the engine's warnings, as they come
  (:func:`warn`, :class:`JsonWarnings`);
- with *ask*, ``{"laid_out": pages}`` once the pages are laid out, and it
  reads back ``{"first_page": n}``, the number of its first page;
- ``{"done": {"pages": n, ...}}`` when the part is done (what else: the
  engine's, such as the page of each anchor), or ``{"error": message}`` for
  an error the engine expects (Typst's compile error: its diagnostic), or
  ``{"failed": traceback}`` for any other exception.

On the build's side, :class:`Worker` starts such a process and reads its
reports into a :class:`PartLayout` (a child that dies is one too: its exit
status and the end of its stderr); :class:`Workers` keeps one a thread that
lays parts out, :func:`in_order` runs parts ``-j`` at once, each numbered
after those before it (:class:`FirstPages`).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sphinx_faq_ext.builders.pdf.join import body_first_pages

if TYPE_CHECKING:
    from collections.abc import Callable

    #: A function laying out one job: its fields, and *ask* (pages -> first page
    #: number) when the build numbers its pages once laid out; what is done.
    LayOut = Callable[[dict[str, Any], Callable[[int], int] | None], dict[str, Any]]

T = TypeVar("T")

#: Where this package's folder is, put on the child's ``PYTHONPATH`` so that
#: it imports the same sphinx_faq_ext as the build, installed or not.
PACKAGE_PARENT = Path(__file__).resolve().parents[3]
#: How much of a failed child's stderr a warning quotes.
TAIL = 2000


# -- the worker's side --------------------------------------------------------------------


def _say(report: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()


def warn(message: str) -> None:
    """Say one of the engine's warnings to the build, in order with the part's reports."""
    _say({"warning": message})


class JsonWarnings(logging.Handler):
    """Each warning of the engine's logger as one JSON line ``{"warning": ...}`` on
    stdout, where the build reads it in order with the reports of its part."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        warn(record.getMessage())


def _ask_first_page(pages: int) -> int:
    """Tell the build *pages* are laid out; read back the first page's number."""
    _say({"laid_out": pages})
    answer = _json_field(sys.stdin.readline().strip(), "first_page")
    return answer if isinstance(answer, int) and answer > 0 else 1


def parse_worker_arguments(module: str, what: str, argv: list[str] | None = None) -> None:
    """A worker's command line, ``python -m MODULE --serve`` (the only one it takes);
    *what* is ``--serve``'s help: what the worker does with the jobs on stdin."""
    import argparse

    parser = argparse.ArgumentParser(prog=f"python -m {module}")
    parser.add_argument("--serve", action="store_true", required=True, help=what)
    parser.parse_args(sys.argv[1:] if argv is None else argv)


def serve(lay_out: LayOut, expected: tuple[type[Exception], ...] = ()) -> int:
    """A worker: lay out one job after another with *lay_out*, as the build asks.

    An exception of *expected* is the engine's own error (its message is the
    reason, as it is); any other is sent as its traceback.  The worker goes
    on with the next job either way.  One process for many parts rather
    than one a part: a book of 150 chapters would otherwise start Python, the
    engine and its fonts 150 times.
    """
    import gc
    import traceback

    while line := sys.stdin.readline():
        job = json.loads(line)
        try:
            _say({"done": lay_out(job, _ask_first_page if job.get("ask") else None)})
        except expected as error:
            _say({"error": str(error)})
        except Exception:  # reported to the build; the next part goes on
            _say({"failed": traceback.format_exc()[-TAIL:]})
        gc.collect()
    return 0


# -- the build's side -----------------------------------------------------------------------


@dataclass
class Layout:
    """What a worker reported about one part (chapter or volume)."""

    source: Path  #: the file laid out (HTML, Typst markup)
    pdf: Path
    returncode: int = 0
    pages: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    #: The end of its traceback when it failed (or of its stderr when it died).
    tail: str = ""
    #: The engine's own error message (an expected error, see :func:`serve`).
    error: str = ""


def reason(tail: str) -> str:
    """The last line of a traceback or of a child's stderr: what went wrong."""
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    return lines[-1] if lines else "no error message"


def child_environment() -> dict[str, str]:
    """The build's environment; this package's folder on ``PYTHONPATH`` if needed.

    An installed package is found by the child as by the build; a source
    checkout (a ``.pth`` file of an editable install, or ``sys.path`` set by
    a script) is added.  Site-packages itself is never put on ``PYTHONPATH``,
    where it would come before the standard library.
    """
    import site

    env = dict(os.environ)
    site_dirs = {Path(d).resolve() for d in (*site.getsitepackages(), site.getusersitepackages())}
    paths = [path for path in env.get("PYTHONPATH", "").split(os.pathsep) if path]
    if PACKAGE_PARENT not in site_dirs and str(PACKAGE_PARENT) not in paths:
        env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE_PARENT), *paths])
    return env


def _json_field(line: str, key: str) -> object:
    """``line``'s *key* if it is a JSON object, else None."""
    if not line.startswith("{"):
        return None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    return data.get(key) if isinstance(data, dict) else None


@dataclass
class PartLayout(Layout):
    """What a child reported about a part: also its first page and what it said when done."""

    first_page: int = 1
    #: The page of each anchor (as the engine says it), None until done.
    anchors: dict[str, Any] | None = None
    #: Everything the worker said when done (the engine's own fields too).
    done: dict[str, Any] = field(default_factory=dict)


#: A worker whose resident memory is above this after a part is ended and a
#: new one started for the next part.  WeasyPrint does not give back all it
#: took for a document, and lays out slower on a bigger heap: at 500
#: questions (25 chapters of 120 pages) two workers never ended grew to 1.3 GB
#: each (3.3 GB for the build, against 1.2 GB with a process a chapter) and
#: took 18 % more CPU; with a 400 MB limit the build still took 1.7 GB.  A
#: fresh worker holds about 150 MB; one after a chapter of 120 pages over
#: 300 MB, so such chapters get a process each, while the many short chapters
#: of a book like An Anarchist FAQ share one (a new process costs about a
#: second).
RECYCLE_MB = 250


def resident_mb(pid: int) -> float | None:
    """Resident memory of process *pid* in MB (None where /proc cannot tell)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text("ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


class Worker:
    """A child process laying out parts one after another (``python -m MODULE --serve``).

    Started when first needed; one that dies (a crash inside the engine) is
    started again for the next part, and one grown past *recycle_mb* (or
    after each part where its memory cannot be read) is ended.  *fields*
    go with every job (the engine's settings, such as Typst's fonts).
    """

    def __init__(self, base: Path, module: str, fields: dict[str, Any] | None = None,
                 recycle_mb: float | None = None) -> None:
        self.base = base
        self.module = module
        self.fields = fields or {}
        self.recycle_mb = RECYCLE_MB if recycle_mb is None else recycle_mb
        self.child: subprocess.Popen[str] | None = None
        self.errors = tempfile.TemporaryFile("w+", encoding="utf8")  # noqa: SIM115 - closed by close()

    def start(self) -> subprocess.Popen[str]:
        if self.child is None or self.child.poll() is not None:
            self.errors.seek(0)
            self.errors.truncate()
            # -P: not the current folder first on sys.path, where a checkout of
            # another version (a sphinx_faq_ext/ folder) would be imported
            self.child = subprocess.Popen(
                [sys.executable, "-P", "-m", self.module, "--serve"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                text=True, env=child_environment(),
            )
        return self.child

    def run(self, source: Path, pdf: Path, ask: Callable[[int], int] | None = None,
            fields: dict[str, Any] | None = None) -> PartLayout:
        """Lay *source* out into *pdf*; with *ask*, pages are numbered from
        ``ask(pages)``; *fields*: the job's own (with the worker's)."""
        pdf.unlink(missing_ok=True)
        layout = PartLayout(source, pdf)
        started = time.perf_counter()
        if self.send({**self.fields, **(fields or {}), "source": str(source), "pdf": str(pdf),
                      "base": str(self.base), "ask": bool(ask)}):
            self.receive(layout, ask)
        else:
            self.died(layout)
        layout.seconds = time.perf_counter() - started
        if not layout.returncode and not pdf.is_file():
            layout.returncode = -1
        if self.child is not None and self.child.poll() is None:
            size = resident_mb(self.child.pid)
            if size is None or size > self.recycle_mb:
                self.end()
        return layout

    def send(self, job: dict[str, Any]) -> bool:
        """Give *job* to the worker (started if need be); False: it died before reading it.

        :meth:`run` sends a job and reads its reports; a caller that sends
        one and reads its reports later (:meth:`receive`) reads every job's
        reports in the order the jobs were sent.
        """
        child = self.start()
        assert child.stdin is not None
        try:
            child.stdin.write(json.dumps(job) + "\n")
            child.stdin.flush()
        except BrokenPipeError:
            return False
        return True

    def receive(self, layout: PartLayout, ask: Callable[[int], int] | None = None) -> None:
        """Read the worker's reports on the oldest job not read into *layout*, until
        it is done or the worker died (*ask*: see :meth:`run`)."""
        assert self.child is not None and self.child.stdout is not None
        try:
            while line := self.child.stdout.readline():
                if self.answered(line, layout, ask):
                    return
            self.died(layout)
        except BrokenPipeError:  # ... before it read its first page
            self.died(layout)

    def died(self, layout: PartLayout) -> None:
        """The worker is gone: its exit status and the end of its stderr."""
        assert self.child is not None
        layout.returncode = self.child.wait() or -1
        self.errors.seek(0)
        layout.tail = self.errors.read()[-TAIL:]

    def answered(self, line: str, layout: PartLayout, ask: Callable[[int], int] | None) -> bool:
        """Take one line of the worker's report; True once the part is done."""
        assert self.child is not None and self.child.stdin is not None
        message = _json_field(line, "warning")
        if isinstance(message, str):
            layout.warnings.append(message)
            return False
        laid_out = _json_field(line, "laid_out")
        if isinstance(laid_out, int):
            layout.pages = laid_out
            layout.first_page = ask(laid_out) if ask is not None else 1
            self.child.stdin.write(json.dumps({"first_page": layout.first_page}) + "\n")
            self.child.stdin.flush()
            return False
        error = _json_field(line, "error")
        if isinstance(error, str):
            layout.returncode, layout.error = 1, error
            return True
        failed = _json_field(line, "failed")
        if isinstance(failed, str):
            layout.returncode, layout.tail = 1, failed
            return True
        done = _json_field(line, "done")
        if isinstance(done, dict) and isinstance(done.get("pages"), int):
            layout.done, layout.pages = done, done["pages"]
            anchors = done.get("anchors")
            layout.anchors = {str(k): v for k, v in anchors.items()} if isinstance(
                anchors, dict) else {}
            return True
        return False

    def end(self) -> None:
        """End the process (it exits at the end of its input); the next part starts one."""
        if self.child is not None:
            if self.child.stdin is not None:
                self.child.stdin.close()
            self.child.wait()
            if self.child.stdout is not None:
                self.child.stdout.close()
            self.child = None

    def close(self) -> None:
        """End the worker for good."""
        self.end()
        self.errors.close()


class Workers:
    """Up to *count* workers running *module*, one per thread that lays parts out
    (*fields* and *recycle_mb*: see :class:`Worker`)."""

    def __init__(self, base: Path, count: int, module: str,
                 fields: dict[str, Any] | None = None, recycle_mb: float | None = None) -> None:
        self.base = base
        self.module = module
        self.count = max(1, count)
        self.fields = fields
        self.recycle_mb = recycle_mb
        self.idle: list[Worker] = []
        self.lock = threading.Lock()

    def run(self, source: Path, pdf: Path, ask: Callable[[int], int] | None = None,
            fields: dict[str, Any] | None = None) -> PartLayout:
        with self.lock:
            worker = self.idle.pop() if self.idle else Worker(
                self.base, self.module, self.fields, self.recycle_mb)
        try:
            return worker.run(source, pdf, ask, fields)
        finally:
            with self.lock:
                self.idle.append(worker)

    def run_all(self, jobs: list[tuple[Path, Path]]) -> list[PartLayout]:
        """Lay out each ``(source, pdf)``, as many at once as there are workers,
        reports in order; then end the workers."""
        try:
            with ThreadPoolExecutor(max_workers=min(self.count, max(1, len(jobs)))) as pool:
                return list(pool.map(lambda job: self.run(*job), jobs))
        finally:
            self.close()

    def close(self) -> None:
        for worker in self.idle:
            worker.close()


def lay_out_all(jobs: list[tuple[Path, Path]], base: Path, parallel: int,
                module: str) -> list[PartLayout]:
    """Lay out each ``(source, pdf)`` by workers of *module*, at most *parallel* at
    once, reports in order."""
    return Workers(base, min(parallel, len(jobs)), module).run_all(jobs)


# -- numbering the parts laid out side by side ----------------------------------------------


class FirstPages:
    """The body parts' page counts as workers report them, and their first pages.

    Parts are laid out side by side; each asks for its first page number
    once laid out, which waits until every part before it has said its page
    count (a part that failed counts none, and must say so: :meth:`finish`).
    *known*: the page counts of parts not laid out now.
    """

    def __init__(self, count: int, known: dict[int, int] | None = None) -> None:
        self.counts: list[int | None] = [None] * count
        self.done: list[bool] = [False] * count
        for index, pages in (known or {}).items():
            self.counts[index] = pages
            self.done[index] = True
        self.ready = threading.Condition()

    def report(self, index: int, pages: int) -> None:
        """Part *index* is laid out in *pages* pages (0: it failed)."""
        with self.ready:
            self.counts[index] = pages
            self.ready.notify_all()

    def finish(self, index: int) -> None:
        """Part *index* is done (laid out, reused or failed)."""
        with self.ready:
            if self.counts[index] is None:
                self.counts[index] = 0  # failed: must not hold the others
            self.done[index] = True
            self.ready.notify_all()

    def first_page(self, index: int) -> int:
        """Part *index*'s first page number, once every part before it has reported."""
        with self.ready:
            self.ready.wait_for(lambda: all(c is not None for c in self.counts[:index]))
            counts = [c or 0 for c in self.counts[: index + 1]]
        return body_first_pages(counts)[index]

    def known_first(self, index: int) -> int | None:
        """The first page number if the parts before it have reported, else None."""
        with self.ready:
            if any(c is None for c in self.counts[:index]):
                return None
            counts = [c or 0 for c in self.counts[: index + 1]]
        return body_first_pages(counts)[index]

    def wait_done(self, index: int) -> None:
        """Until every part before *index* is done."""
        with self.ready:
            self.ready.wait_for(lambda: all(self.done[:index]))

    def ask(self, index: int) -> Callable[[int], int]:
        """The *ask* of part *index* (see :meth:`Worker.run`): report, then wait."""

        def ask(pages: int) -> int:
            self.report(index, pages)
            return self.first_page(index)

        return ask


def in_order(indexes: list[int], count: int, parallel: int,
             run: Callable[[int, FirstPages], T], known: dict[int, int] | None = None,
             ) -> dict[int, T]:
    """``run(index, first_pages)`` for each of *indexes* (positions among *count*
    body parts), *parallel* at once; each part is finished when *run* returns
    or raises, so that it never holds the parts after it."""
    first_pages = FirstPages(count, known)

    def one(index: int) -> T:
        try:
            return run(index, first_pages)
        finally:
            first_pages.finish(index)

    with ThreadPoolExecutor(max_workers=max(1, min(parallel, len(indexes)))) as pool:
        return dict(zip(indexes, pool.map(one, indexes), strict=True))
