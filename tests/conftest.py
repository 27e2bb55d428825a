"""Shared fixtures: Sphinx test projects under ``tests/roots``, one way to build, one to read.

In-process builds all go through :mod:`sphinx.testing`:

* ``@pytest.mark.sphinx("html", testroot="basic")`` and the ``app`` fixture: a
  test root built inside one test;
* :func:`make_project`: a project written from a ``{path: text}`` dict;
* ``make_app``: the plain sphinx.testing factory, for incremental and
  parallel rebuilds of one source folder;
* :func:`build_root` / :func:`sphinx_build`: a build for a module-scoped
  fixture, cleaned up at once, returning a :class:`Built`;
* :func:`build_once`: a costly build made once per run, shared by the xdist
  workers (also a :class:`Built`); :func:`once` for other costly work.

What was built is read with :class:`Built` (or :func:`read_page` for a
file); programs outside Python run through :mod:`external_tools`, and text
is compared through the normalisers of :mod:`seed`.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"
DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
DOCS = REPO / "docs"
#: ``conf.py`` overrides of a faqpdf build that tests the WeasyPrint engine
#: (Typst is the default engine).
WEASYPRINT: dict[str, object] = {"faq_pdf_engine": "weasyprint"}
#: Where tests keep what a reader would look at (screenshots, PDFs, ePubs).
ARTIFACTS = Path(os.environ.get("FAQ_TEST_ARTIFACTS", REPO / "test-artifacts"))


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Test projects live in ``tests/roots/test-<name>``."""
    return ROOTS


def load_script(path: Path, name: str):  # type: ignore[no-untyped-def]
    """Import a script of the repository (tools/, benchmarks/) that is not in the package.

    Its own folder is on ``sys.path`` while it loads, so it can import its
    siblings (``bench_suite`` imports ``make_book``); it is registered in
    ``sys.modules`` because dataclasses look their module up.
    """
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def warnings_of(app) -> str:  # type: ignore[no-untyped-def]
    """The warnings the build emitted, without ANSI colours."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())


@pytest.fixture
def artifacts() -> Path:
    """A folder kept after the run for screenshots, PDFs and ePubs."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


BASE_CONF = """\
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
show_warning_types = True  # default from Sphinx 8; the tests read the [faq.*] suffix
"""


@pytest.fixture
def make_project(tmp_path: Path, make_app):  # type: ignore[no-untyped-def]
    """Write a project from a ``{path: text}`` dict and return a Sphinx app for it.

    ``conf.py`` defaults to :data:`BASE_CONF`; keyword arguments go to the app.
    """

    def factory(files: dict[str, str], buildername: str = "html", srcdir: Path | None = None,
                **kwargs):  # type: ignore[no-untyped-def]
        src = srcdir or tmp_path / "src"
        src.mkdir(parents=True, exist_ok=True)
        files = {"conf.py": BASE_CONF, **files}
        for name, text in files.items():
            path = src / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf8")
        return make_app(buildername, srcdir=src, **kwargs)

    return factory


def write_source(src: Path, files: dict[str, str]) -> None:
    """Make *src* hold *files* (``{name: text}``) and no other ``.md`` file.

    A file whose text did not change is not touched, so that an incremental
    build sees only the real changes.
    """
    src.mkdir(parents=True, exist_ok=True)
    for path in src.glob("*.md"):
        if path.name not in files:
            path.unlink()
    for name, text in files.items():
        path = src / name
        if not path.exists() or path.read_text("utf8") != text:
            path.write_text(text, encoding="utf8")


def xdist_shared_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder the xdist workers of this pytest run share (costly builds made once).

    xdist gives each worker ``<the run's basetemp>/popen-<worker>``; the
    shared folder sits beside those, named after the run's id, so neither an
    earlier run nor one running at the same time can hand over its builds.
    Without xdist (or with a layout it does not recognise) it is the
    process's own basetemp.
    """
    base = tmp_path_factory.getbasetemp()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if worker and run_id and base.name == f"popen-{worker}":
        base = base.parent / f"shared-{run_id}"
    shared = base / name
    shared.mkdir(parents=True, exist_ok=True)
    return shared


def pdf_outline(reader) -> list[tuple[int, str, int]]:  # type: ignore[no-untyped-def]
    """(depth, title, 0-based page) of every bookmark of a pypdf reader, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def once(shared: Path, name: str, make: Callable[[Path], object]) -> Path:
    """The folder ``shared/name``, filled by *make* once per test run.

    With pytest-xdist the first worker that needs it calls *make* with the
    empty folder under a file lock in the shared folder (see
    :func:`xdist_shared_dir`); the others wait, then read what it left.  When
    *make* fails, the next worker to ask tries again.
    """
    import fcntl

    target = shared / name
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / "done").exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            make(target)
            (target / "done").write_text("ok")
    return target


def build_once(
    shared: Path,
    name: str,
    project: str,
    builder: str,
    overrides: dict[str, object],
    after: Callable[[Path], object] | None = None,
) -> Built:
    """Build *project* (``docs`` or a test root) nitpicky, :func:`once` per test run.

    *after* (called with the output folder) runs as part of it, e.g. to
    compile LaTeX.
    """

    def make(target: Path) -> None:
        source = DOCS if project == "docs" else ROOTS / f"test-{project}"
        shutil.copytree(source, target / "src", ignore=shutil.ignore_patterns("_build"))
        built = sphinx_build(target / "src", builder, **{"nitpicky": True, **overrides})
        (target / "warnings.txt").write_text(built.warnings, "utf8")
        (target / "outdir.txt").write_text(str(built.outdir), "utf8")
        if after is not None:
            after(built.outdir)

    target = once(shared, name, make)
    return Built(Path((target / "outdir.txt").read_text("utf8")),
                 (target / "warnings.txt").read_text("utf8"))


# -- one way to build in process, one way to read what was built -----------------


@dataclass(frozen=True)
class Built:
    """What a finished in-process build left: output folder, warnings, extensions."""

    outdir: Path
    warnings: str
    extensions: frozenset[str] = frozenset()
    #: ``sphinx-build``'s exit status for this build (``app.statuscode``).
    status: int = 0

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


def sphinx_build(srcdir: Path, builder: str, *, builddir: Path | None = None,
                 parallel: int = 0, **overrides: object) -> Built:
    """Build *srcdir* with *builder* (``conf.py`` values overridden) on sphinx.testing.

    The app is cleaned up at once: node registrations are process-global, so
    two live apps would warn about each other; tests read the files it wrote.
    *builddir* defaults to ``srcdir/_build``; *parallel* is ``-j``.
    """
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp(builder, srcdir=srcdir, builddir=builddir, confoverrides=overrides,
                        status=StringIO(), warning=StringIO(), parallel=parallel)
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(Path(app.outdir), warnings_of(app), frozenset(app.extensions),
                 app.statuscode)


def build_root(tmp: Path, root: str, builder: str, **overrides: object) -> Built:
    """Copy ``tests/roots/test-<root>`` to *tmp* and build it with *builder*."""
    srcdir = tmp / root
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    return sphinx_build(srcdir, builder, **overrides)


@pytest.fixture(scope="session")
def book_html(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The ``test-book`` project (MyST, rST, BibTeX) as HTML, built once per worker."""
    return build_root(tmp_path_factory.mktemp("book-html"), "book", "html")


@pytest.fixture(scope="session")
def book_latex(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The ``test-book`` project as LaTeX (``booktest.tex``), built once per worker."""
    return build_root(tmp_path_factory.mktemp("book-latex"), "book", "latex")


@pytest.fixture(scope="session")
def epub_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where ``test_epub`` builds each ePub once per run; ``test_epub_a11y`` reads them there."""
    return xdist_shared_dir(tmp_path_factory, "epubs")


#: What a reader of the text skips: permalinks (the pilcrows), scripts, styles.
CHROME = "a.headerlink, script, style"


def read_page(path: Path, drop: str = "") -> BeautifulSoup:
    """An HTML, XHTML or XML file, parsed; the elements matching *drop* (e.g. :data:`CHROME`)
    removed.

    html.parser keeps ``epub:type`` attributes but lowercases tag names
    (``navpoint``); lxml is not a dependency.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        page = BeautifulSoup(path.read_text("utf8"), "html.parser")
    for element in page.select(drop) if drop else ():
        element.decompose()
    return page


def html_page(outdir: Path, docname: str, drop: str = "") -> BeautifulSoup:
    """The HTML page of *docname* under *outdir* (of an ``app`` or a ``make_project``)."""
    return read_page(Path(outdir) / f"{docname}.html", drop)
