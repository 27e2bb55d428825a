"""One way to build a test project: write it, build it, read what the build said.

In the spirit of :mod:`sphinx.testing` and sphinx-design's ``testing.py``:
the tests (``tests/conftest.py``'s fixtures are thin wrappers over this
module), the fuzz harness (``tools/fuzz/runner.py``) and the benchmarks all
make and build their projects here.

* A project is a folder: a test root copied (:func:`copy_root`), a
  ``{path: text}`` dict written out (:func:`write_project`, ``conf.py``
  defaulting to :data:`BASE_CONF`), or the synthetic book
  (:func:`synthetic_book`, in :mod:`.book`).
* :func:`build` builds it in-process with a named builder, ``conf.py``
  values overridden, on :class:`sphinx.testing.util.SphinxTestApp`, and
  returns a :class:`Built`.
* A build in a process of its own (a fresh interpreter, another environment,
  the exit status a user sees) runs :func:`sphinx_arguments`; the tests run
  it through ``tests/external_tools.py`` (``sphinx_process``), which turns
  what the process said into the same :class:`Built`
  (:func:`built_by_process`).
* :class:`Built` holds the output folder, the warnings as Sphinx printed
  them and parsed (:class:`BuildWarning`, :func:`parse_warnings`), and the
  exit status.

Only Sphinx is imported here, and lazily: a test helper must not slow down
or change ``import sphinx_faq_ext``.  Reading HTML (:meth:`Built.page`)
needs BeautifulSoup, of the ``test`` extra.
"""

from __future__ import annotations

import re
import shutil
import sys
import warnings as _warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .book import synthetic_book

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

__all__ = [
    "BASE_CONF",
    "BuildWarning",
    "Built",
    "build",
    "built_by_process",
    "copy_root",
    "parse_warnings",
    "plain",
    "read_page",
    "sphinx_arguments",
    "sphinx_command",
    "synthetic_book",
    "write_project",
]

#: The ``conf.py`` of a project written from a dict, unless it brings its own.
BASE_CONF = """\
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
show_warning_types = True  # default from Sphinx 8; the tests read the [faq.*] suffix
"""


# -- projects ---------------------------------------------------------------------------


def write_project(srcdir: Path, files: Mapping[str, str], *, conf: str = BASE_CONF) -> Path:
    """Write *files* (``{path: text}``) into *srcdir*; ``conf.py`` is *conf* unless given.

    A file whose text is already there is not touched, so that writing a
    project again before a rebuild changes only what changed.
    """
    srcdir.mkdir(parents=True, exist_ok=True)
    for name, text in {"conf.py": conf, **files}.items():
        path = srcdir / name
        if path.is_file() and path.read_text("utf8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf8")
    return srcdir


def copy_root(root: Path, srcdir: Path) -> Path:
    """Copy the project *root* (a test root, ``docs/``) to *srcdir*, without its ``_build``."""
    shutil.copytree(root, srcdir, ignore=shutil.ignore_patterns("_build"))
    return srcdir


# -- what a build said ------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_START = re.compile(
    r"^(?:(?P<loc>.*?): )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE):", re.MULTILINE
)
_WHERE = re.compile(r"^(?P<file>.*?)(?::(?P<line>\d+))?:?$")
_TYPE = re.compile(r" \[(?P<type>[\w-]+)(?:\.(?P<subtype>[\w.-]+))?\]$")


def plain(text: str) -> str:
    """*text* without ANSI colours (Sphinx colours its warnings on a terminal or in CI)."""
    return _ANSI.sub("", text)


@dataclass(frozen=True)
class BuildWarning:
    """One warning (or error) of a build: where, how bad, what, and its type."""

    #: the source file, or ``None`` when the warning names none
    file: str | None
    #: the line in *file*, or ``None``
    line: int | None
    #: ``WARNING``, ``ERROR``, ``CRITICAL`` or ``SEVERE``
    level: str
    #: the first line after the level, without the ``[type.subtype]`` suffix
    message: str
    #: ``faq`` of ``[faq.ref]``; ``None`` without ``show_warning_types`` (or a type)
    type: str | None
    subtype: str | None
    #: the whole warning as printed, continuation lines (a traceback) included
    text: str


def parse_warnings(text: str) -> tuple[BuildWarning, ...]:
    """Split Sphinx's warning stream into warnings, in order."""
    text = plain(text)
    found = []
    starts = list(_START.finditer(text))
    ends = [following.start() for following in starts[1:]] + [len(text)]
    for match, end in zip(starts, ends[:len(starts)], strict=True):
        body = text[match.start():end].strip()
        where = _WHERE.match(match.group("loc") or "")
        file = where.group("file") if where and where.group("file") else None
        line = int(where.group("line")) if where and where.group("line") else None
        first = text[match.end():end].strip().splitlines()
        message = first[0] if first else ""
        kind = _TYPE.search(message)
        if kind:
            message = message[:kind.start()]
        found.append(BuildWarning(
            file, line, match.group("level"), message,
            kind.group("type") if kind else None, kind.group("subtype") if kind else None,
            body,
        ))
    return tuple(found)


@dataclass(frozen=True)
class Built:
    """What a finished build left: output folder, warnings, exit status, extensions."""

    outdir: Path
    #: the warning stream as Sphinx wrote it, without colours
    warnings: str
    extensions: frozenset[str] = frozenset()
    #: ``sphinx-build``'s exit status (``app.statuscode`` in-process)
    status: int = 0
    #: the status stream (a build in its own process: its standard output)
    output: str = field(default="", compare=False)

    @property
    def messages(self) -> tuple[BuildWarning, ...]:
        """:attr:`warnings`, parsed."""
        return parse_warnings(self.warnings)

    def page(self, docname: str, drop: str = "") -> BeautifulSoup:
        """The HTML page of *docname* (``index``, ``book/a-2-6``); *drop* as :func:`read_page`."""
        return read_page(self.outdir / f"{docname}.html", drop)

    def soup(self, name: str) -> BeautifulSoup:
        """Any HTML or XML file of the output (``nav.xhtml``, ``toc.ncx``, ``content.opf``)."""
        return read_page(self.outdir / name)

    def text(self, name: str) -> str:
        """The output file *name* as text."""
        return (self.outdir / name).read_text("utf8")

    def file(self, pattern: str) -> Path:
        """The one output file matching *pattern* (``*.epub``, ``*.pdf``, ``*.tex``)."""
        found = sorted(self.outdir.glob(pattern))
        assert len(found) == 1, f"{pattern} in {self.outdir}: {found}"
        return found[0]


def read_page(path: Path, drop: str = "") -> BeautifulSoup:
    """An HTML, XHTML or XML file, parsed; the elements matching the CSS selector *drop*
    removed.

    html.parser keeps ``epub:type`` attributes but lowercases tag names
    (``navpoint``); lxml is not a dependency.
    """
    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        page = BeautifulSoup(path.read_text("utf8"), "html.parser")
    for element in page.select(drop) if drop else ():
        element.decompose()
    return page


# -- building ---------------------------------------------------------------------------


def build(srcdir: Path, builder: str = "html", *, builddir: Path | None = None,
          parallel: int = 0, **overrides: Any) -> Built:
    """Build *srcdir* with *builder* in this process, ``conf.py`` values *overrides*.

    The application is cleaned up at once: node registrations are
    process-global, so two live applications would warn about each other;
    what matters is in the files it wrote.  *builddir* defaults to
    ``srcdir/_build`` (the output in ``builddir/<builder>``, the doctrees
    beside it, shared by the builders of one *builddir*); *parallel* is
    ``-j``.  A build that raises raises here.
    """
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    status, warning = StringIO(), StringIO()
    app = SphinxTestApp(builder, srcdir=srcdir, builddir=builddir, confoverrides=overrides,
                        status=status, warning=warning, parallel=parallel)
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(Path(app.outdir), plain(warning.getvalue()), frozenset(app.extensions),
                 app.statuscode, status.getvalue())


def sphinx_arguments(srcdir: Path, outdir: Path, builder: str = "html", *,
                     doctrees: Path | None = None, jobs: int | str | None = None,
                     overrides: Mapping[str, object] | None = None,
                     options: Sequence[str] = ("-q",)) -> list[str]:
    """The arguments of ``python`` that build *srcdir* into *outdir* in a process of its own.

    ``-m sphinx``, then *options* (``-q`` by default; ``-W``, ``-E``, …),
    the builder, ``-j`` *jobs*, ``-d`` *doctrees* and a ``-D`` for each
    of *overrides*.
    """
    arguments = ["-m", "sphinx", *options, "-b", builder]
    if jobs is not None:
        arguments += ["-j", str(jobs)]
    if doctrees is not None:
        arguments += ["-d", str(doctrees)]
    for name, value in (overrides or {}).items():
        arguments += ["-D", f"{name}={value}"]
    return [*arguments, str(srcdir), str(outdir)]


def sphinx_command(srcdir: Path, outdir: Path, builder: str = "html",
                   **how: Any) -> list[str]:
    """:func:`sphinx_arguments` after this Python: a command line to run as it is."""
    return [sys.executable, *sphinx_arguments(srcdir, outdir, builder, **how)]


def built_by_process(outdir: Path, returncode: int, stderr: str, stdout: str = "") -> Built:
    """What a ``sphinx-build`` process left in *outdir* and said, as a :class:`Built`."""
    return Built(outdir, plain(stderr), status=returncode, output=stdout)
