"""A timeline of a PDF build's phases, for finding idle cores (``FAQ_PDF_TIMELINE``).

With the environment variable ``FAQ_PDF_TIMELINE`` set (to a file name, or
to ``-`` for stderr), each phase of laying out a book in parts (translating
part 3, laying part 3 out in a worker, the front matter, the join…) writes
a line when it starts and when it ends: seconds since the first line, the
thread, ``start`` or ``end``, and the phase.  Unset, :func:`phase` costs
one dictionary look-up.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from collections.abc import Iterator

#: The environment variable naming where the timeline goes.
VARIABLE = "FAQ_PDF_TIMELINE"
_origin: list[float] = []
_lock = threading.Lock()


def _write(what: str, name: str) -> None:
    where = os.environ.get(VARIABLE)
    if not where:
        return
    with _lock:
        # Read the clock under the lock, so the file's lines are in time order
        # even when threads end phases at the same moment.
        now = time.perf_counter()
        if not _origin:
            _origin.append(now)
        line = (f"{now - _origin[0]:9.3f} {threading.current_thread().name:<24} "
                f"{what:<5} {name}\n")
        if where == "-":
            _print(sys.stderr, line)
        else:
            with Path(where).open("a", encoding="utf8") as file:
                _print(file, line)


def _print(stream: TextIO, line: str) -> None:
    stream.write(line)
    stream.flush()


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Write *name*'s start and end to the timeline (when one is asked for)."""
    _write("start", name)
    try:
        yield
    finally:
        _write("end", name)
