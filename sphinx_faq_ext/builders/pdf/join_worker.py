"""The join of a book laid out in parts, in a child process that never frees it.

A joined 500-question book is some 270,000 qpdf objects: reading the last
book takes 1.8 s of CPU, writing the new one 1.5 s, and freeing the
``Pdf`` afterwards 0.7 s, which pikepdf does holding Python's lock.  In the
build's process all three were on the rebuild's critical path or took the
lock from the thread translating the parts.  The join worker
(``python -m sphinx_faq_ext.builders.pdf.join_worker --serve``, on the
protocol of :mod:`.workers`) reads the last book while the changed parts are
laid out, joins when asked, answers, and exits with :func:`os._exit` when
the build closes its input: the kernel takes back its 0.5-1 GB in some
60 ms, where freeing them object by object took 0.7 s (and 1.25 s for a
normal interpreter exit).  ``multiprocessing`` ends its children the same
way.

Its jobs, one JSON line each, with the fields every worker's job has
(``source``, ``pdf``, ``base``, ``ask``) and ``kind``:

- ``open``: read the book *source* (:func:`.join.open_book`) for a later
  ``rejoin`` of it; done: ``{"pages": n}``.
- ``rejoin``: :func:`.join.rejoin` of *source* into *pdf*, with ``record``,
  ``body``, ``anchors`` and ``changed``; ``join``: :func:`.join.join` of the
  front matter *source* and ``body`` into *pdf*, with ``anchors`` and
  ``margin_elements``.  Done: ``{"pages": n, "joined": Joined or null}``
  (null: the book cannot be rejoined).
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_faq_ext.builders.pdf.join import Joined, join, open_book, rejoin
from sphinx_faq_ext.builders.pdf.workers import (
    PartLayout,
    Worker,
    parse_worker_arguments,
    reason,
    serve,
)
from sphinx_faq_ext.util.optional import import_optional

if TYPE_CHECKING:
    from collections.abc import Callable

    from pikepdf import Pdf

#: The module a join worker runs (``python -m WORKER_MODULE --serve``).
WORKER_MODULE = "sphinx_faq_ext.builders.pdf.join_worker"


class JoinError(RuntimeError):
    """The join worker could not join the book (its error's last line)."""


# -- the worker's side --------------------------------------------------------------------

#: Every book the worker opened, by path, kept to the end: never freed (see main).
_books: dict[str, Pdf] = {}


def _opened(path: str) -> Pdf:
    """Book *path*: the one an ``open`` job read, else opened now (and kept)."""
    pikepdf = import_optional("pikepdf", "the faqpdf builder (to join a book's chapters)")
    if path not in _books:
        _books[path] = pikepdf.Pdf.open(path)
    return _books[path]


def join_job(job: dict[str, Any], _ask: Callable[[int], int] | None) -> dict[str, Any]:
    """One job of a join worker (see the module's documentation)."""
    source, target = job["source"], Path(job["pdf"])
    if job["kind"] == "open":
        _books[source] = open_book(Path(source))
        return {"pages": len(_books[source].pages)}
    body = [Path(path) for path in job["body"]]
    joined: Joined | None
    if job["kind"] == "rejoin":
        joined = rejoin(Path(source), job["record"], body, target, job["anchors"],
                        set(job["changed"]), _opened(source))
    else:
        joined = join(Path(source), body, target, job["anchors"], job["margin_elements"],
                      _opened(source), front_anchors=job.get("front_anchors"))
    return {"pages": 0 if joined is None else joined.pages,
            "joined": None if joined is None else asdict(joined)}


def main(argv: list[str] | None = None) -> int:
    """``python -m sphinx_faq_ext.builders.pdf.join_worker --serve``: a join worker.

    Once the build closes its input, it exits without freeing its books
    (:func:`os._exit`, after flushing what it wrote): nothing else is left
    to do, and the kernel frees the memory at once.
    """
    parse_worker_arguments(WORKER_MODULE, "join the books the build asks for on stdin", argv)
    status = serve(join_job)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


# -- the build's side -----------------------------------------------------------------------


class JoinWorker:
    """A join worker for the books of folder *base*, started by :meth:`start` (early:
    Python and pikepdf import meanwhile) or by the first job.  It joins once
    (:meth:`rejoin` or :meth:`join`, after an :meth:`open` or not): its input
    is closed once it answered."""

    def __init__(self, base: Path) -> None:
        # never ended for its size: it is ended once it joined (close)
        self.worker = Worker(base, WORKER_MODULE, recycle_mb=math.inf)
        self.base = base
        #: Jobs sent whose reports are not read yet (an ``open``'s).
        self.unread: list[PartLayout] = []

    def start(self) -> None:
        """Start the process now."""
        self.worker.start()

    def open(self, book: Path) -> None:
        """Have the worker read *book*, to :meth:`rejoin` it: returns at once."""
        if self.worker.send(self.job("open", book, book)):
            self.unread.append(PartLayout(book, book))

    def rejoin(self, previous: Path, record: dict[str, Any], body: list[Path], target: Path,
               anchors: list[dict[str, list[float]]], changed: set[int]) -> Joined | None:
        """:func:`.join.rejoin`, in the worker (None: it could not, or failed)."""
        try:
            return self.run(self.job("rejoin", previous, target, record=record,
                                     body=[str(path) for path in body], anchors=anchors,
                                     changed=sorted(changed)))
        except JoinError:  # pikepdf's errors too: the book is joined anew
            return None

    def join(self, front: Path, body: list[Path], target: Path,
             anchors: list[dict[str, list[float]]] | None = None,
             margin_elements: bool = True,
             front_anchors: dict[str, list[float]] | None = None) -> Joined:
        """:func:`.join.join`, in the worker; raises :class:`JoinError` if it failed."""
        joined = self.run(self.job("join", front, target, body=[str(path) for path in body],
                                   anchors=anchors, margin_elements=margin_elements,
                                   front_anchors=front_anchors))
        if joined is None:
            raise JoinError(f"{target}: the join worker joined nothing")
        return joined

    def job(self, kind: str, source: Path, pdf: Path, **fields: Any) -> dict[str, Any]:
        return {"kind": kind, "source": str(source), "pdf": str(pdf),
                "base": str(self.base), "ask": False, **fields}

    def run(self, job: dict[str, Any]) -> Joined | None:
        """Send *job*, read its reports (those of the jobs before it first)."""
        for layout in self.unread:  # an open that failed: the join opens the book itself
            self.worker.receive(layout)
        self.unread = []
        layout = PartLayout(Path(job["source"]), Path(job["pdf"]))
        if self.worker.send(job):
            self.worker.receive(layout)
        else:
            self.worker.died(layout)
        child = self.worker.child
        if child is not None and child.stdin is not None:
            # its last job: it exits (without freeing) while the build goes on
            child.stdin.close()
        if layout.returncode:
            raise JoinError(layout.error or reason(layout.tail))
        joined = layout.done.get("joined")
        return None if joined is None else Joined(**joined)

    def close(self) -> None:
        """End the worker (it exits once the jobs sent are done), waiting for its exit."""
        self.worker.close()

    def kill(self) -> None:
        """End the worker at once, its jobs undone (a book it opens, not wanted)."""
        child = self.worker.child
        if child is not None and child.poll() is None:
            child.kill()
        self.worker.close()


if __name__ == "__main__":
    sys.exit(main())
