"""Worker processes that lay the parts of a book out one after another.

``python -m sphinx_faq_ext.builders.pdf.weasyprint.layout --serve``
(:func:`.weasyprint.layout.serve`) reads jobs on stdin; :class:`Workers`
keeps one such process a thread that lays parts out (``-j`` of them, see
:mod:`.weasyprint.chapters`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_faq_ext.builders.pdf.weasyprint import layout as pdf_layout
from sphinx_faq_ext.builders.pdf.weasyprint.layout import (
    TAIL,
    Layout,
    _json_field,
    child_environment,
)

if TYPE_CHECKING:
    from collections.abc import Callable


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
    """A child process laying out parts one after another (``weasyprint.layout --serve``).

    Started when first needed; one that dies (a crash inside WeasyPrint) is
    started again for the next part, and one grown past :data:`RECYCLE_MB`
    (or after each part where its memory cannot be read) is ended.
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.child: subprocess.Popen[str] | None = None
        self.errors = tempfile.TemporaryFile("w+", encoding="utf8")  # noqa: SIM115 - closed by close()

    def start(self) -> subprocess.Popen[str]:
        if self.child is None or self.child.poll() is not None:
            self.errors.seek(0)
            self.errors.truncate()
            self.child = subprocess.Popen(
                [sys.executable, "-m", pdf_layout.LAYOUT_MODULE, "--serve"],
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
    """Up to *count* workers, one per thread that lays parts out."""

    def __init__(self, base: Path, count: int) -> None:
        self.base = base
        self.count = max(1, count)
        self.idle: list[Worker] = []
        self.lock = threading.Lock()

    def run(self, html: Path, pdf: Path, ask: Callable[[int], int] | None = None) -> PartLayout:
        with self.lock:
            worker = self.idle.pop() if self.idle else Worker(self.base)
        try:
            return worker.run(html, pdf, ask)
        finally:
            with self.lock:
                self.idle.append(worker)

    def close(self) -> None:
        for worker in self.idle:
            worker.close()


def lay_out_all(jobs: list[tuple[Path, Path]], base: Path, parallel: int) -> list[PartLayout]:
    """Lay out each ``(html, pdf)``, at most *parallel* at once, reports in order."""
    workers = Workers(base, min(parallel, len(jobs)))
    try:
        with ThreadPoolExecutor(max_workers=workers.count) as pool:
            return list(pool.map(lambda job: workers.run(*job), jobs))
    finally:
        workers.close()
