"""Worker processes that lay the parts of a book out one after another: the protocol.

Both sides are here.  A worker is ``python -m MODULE --serve`` for an
engine's module (WeasyPrint's: :mod:`.weasyprint.layout`), whose main calls
:func:`serve` with the engine's function that lays out one job.  It reads
jobs as JSON lines on stdin, ``{"html", "pdf", "base", "ask"}``, and
answers on stdout, one JSON line each:

- ``{"warning": message}`` for each of the engine's warnings, as they come
  (:class:`JsonWarnings`);
- with *ask*, ``{"laid_out": pages}`` once the pages are laid out, and it
  reads back ``{"first_page": n}``, the number of its first page;
- ``{"pages": n, "anchors": {id: page index}}`` when the part is done, or
  ``{"failed": traceback}``.

On the build's side, :class:`Worker` starts such a process and reads its
reports into a :class:`Layout`; :class:`Workers` keeps one a thread that lays
parts out (``-j`` of them, see :mod:`.weasyprint.chapters`).
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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

#: Where this package's folder is, put on the child's ``PYTHONPATH`` so that
#: it imports the same sphinx_faq_ext as the build, installed or not.
PACKAGE_PARENT = Path(__file__).resolve().parents[3]
#: How much of a failed child's stderr a warning quotes.
TAIL = 2000


# -- the worker's side --------------------------------------------------------------------


def _say(report: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()


class JsonWarnings(logging.Handler):
    """Each warning of the engine's logger as one JSON line ``{"warning": ...}`` on
    stdout, where the build reads it in order with the reports of its part."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        _say({"warning": record.getMessage()})


def _ask_first_page(pages: int) -> int:
    """Tell the build *pages* are laid out; read back the first page's number."""
    _say({"laid_out": pages})
    answer = _json_field(sys.stdin.readline().strip(), "first_page")
    return answer if isinstance(answer, int) and answer > 0 else 1


def serve(lay_out: Callable[[Path, Path, Path, Callable[[int], int] | None],
                            tuple[int, dict[str, int]]]) -> int:
    """A worker: lay out one part after another with *lay_out*, as the build asks.

    One process a core rather than one a chapter: a book of 150 chapters
    would otherwise start Python, the engine and its fonts 150 times.
    """
    import gc
    import traceback

    while line := sys.stdin.readline():
        job = json.loads(line)
        try:
            pages, anchors = lay_out(Path(job["html"]), Path(job["pdf"]), Path(job["base"]),
                                     _ask_first_page if job.get("ask") else None)
            _say({"pages": pages, "anchors": anchors})
        except Exception:  # reported to the build; the next part goes on
            _say({"failed": traceback.format_exc()[-TAIL:]})
        gc.collect()
    return 0


# -- the build's side -----------------------------------------------------------------------


@dataclass
class Layout:
    """What a worker reported about one part (chapter or volume)."""

    html: Path
    pdf: Path
    returncode: int = 0
    pages: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    #: The end of its traceback when it failed (or of its stderr when it died).
    tail: str = ""


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
    """What a child reported about a part: also its anchors and first page."""

    first_page: int = 1
    anchors: dict[str, int] | None = None


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

    Started when first needed; one that dies (a crash inside WeasyPrint) is
    started again for the next part, and one grown past :data:`RECYCLE_MB`
    (or after each part where its memory cannot be read) is ended.
    """

    def __init__(self, base: Path, module: str) -> None:
        self.base = base
        self.module = module
        self.child: subprocess.Popen[str] | None = None
        self.errors = tempfile.TemporaryFile("w+", encoding="utf8")  # noqa: SIM115 - closed by close()

    def start(self) -> subprocess.Popen[str]:
        if self.child is None or self.child.poll() is not None:
            self.errors.seek(0)
            self.errors.truncate()
            self.child = subprocess.Popen(
                [sys.executable, "-m", self.module, "--serve"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                text=True, env=child_environment(),
            )
        return self.child

    def run(self, html: Path, pdf: Path, ask: Callable[[int], int] | None = None) -> PartLayout:
        """Lay *html* out into *pdf*; with *ask*, pages are numbered from ``ask(pages)``."""
        pdf.unlink(missing_ok=True)
        layout = PartLayout(html, pdf)
        started = time.perf_counter()
        child = self.start()
        assert child.stdin is not None and child.stdout is not None
        job = {"html": str(html), "pdf": str(pdf), "base": str(self.base), "ask": bool(ask)}
        try:
            child.stdin.write(json.dumps(job) + "\n")
            child.stdin.flush()
            while line := child.stdout.readline():
                if self.answered(line, layout, ask):
                    break
            else:  # the worker died
                self.died(layout)
        except BrokenPipeError:  # ... before it read the job
            self.died(layout)
        layout.seconds = time.perf_counter() - started
        if not layout.returncode and not pdf.is_file():
            layout.returncode = -1
        if self.child is not None and self.child.poll() is None:
            size = resident_mb(self.child.pid)
            if size is None or size > RECYCLE_MB:
                self.end()
        return layout

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
            layout.first_page = ask(laid_out) if ask is not None else 1
            self.child.stdin.write(json.dumps({"first_page": layout.first_page}) + "\n")
            self.child.stdin.flush()
            return False
        failed = _json_field(line, "failed")
        if isinstance(failed, str):
            layout.returncode, layout.tail = 1, failed
            return True
        pages, anchors = _json_field(line, "pages"), _json_field(line, "anchors")
        if isinstance(pages, int) and isinstance(anchors, dict):
            layout.pages = pages
            layout.anchors = {str(k): int(v) for k, v in anchors.items()}
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
    """Up to *count* workers running *module*, one per thread that lays parts out."""

    def __init__(self, base: Path, count: int, module: str) -> None:
        self.base = base
        self.module = module
        self.count = max(1, count)
        self.idle: list[Worker] = []
        self.lock = threading.Lock()

    def run(self, html: Path, pdf: Path, ask: Callable[[int], int] | None = None) -> PartLayout:
        with self.lock:
            worker = self.idle.pop() if self.idle else Worker(self.base, self.module)
        try:
            return worker.run(html, pdf, ask)
        finally:
            with self.lock:
                self.idle.append(worker)

    def close(self) -> None:
        for worker in self.idle:
            worker.close()


def lay_out_all(jobs: list[tuple[Path, Path]], base: Path, parallel: int,
                module: str) -> list[PartLayout]:
    """Lay out each ``(html, pdf)`` by workers of *module*, at most *parallel* at once,
    reports in order."""
    workers = Workers(base, min(parallel, len(jobs)), module)
    try:
        with ThreadPoolExecutor(max_workers=workers.count) as pool:
            return list(pool.map(lambda job: workers.run(*job), jobs))
    finally:
        workers.close()
