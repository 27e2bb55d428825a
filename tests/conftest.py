"""Shared fixtures: the test projects under ``tests/roots`` and the one way to build them.

Projects are made and built by :mod:`sphinx_faq_ext.testing` -- the tests,
the fuzz harness and the benchmarks share it -- on :mod:`sphinx.testing`'s
``SphinxTestApp``; the helpers here are thin wrappers over the two, for
pytest:

* ``@pytest.mark.sphinx("html", testroot="basic")`` and the ``app`` fixture
  (:mod:`sphinx.testing`'s, over ``tests/roots``): a test root built inside
  one test; ``make_app`` for incremental and parallel rebuilds of one
  source folder;
* :func:`make_project`: a ``{path: text}`` dict written by
  :func:`~sphinx_faq_ext.testing.write_project`, as a ``make_app``
  application;
* :func:`sphinx_build` (:func:`sphinx_faq_ext.testing.build`) and
  :func:`build_root` (a test root copied first): a build finished and
  cleaned up at once, a :class:`Built`; :func:`build_once`: a costly one
  made once per run and shared by the xdist workers (:func:`once` for
  other costly work);
* a build in a process of its own (a fresh interpreter, the exit status a
  user sees) is ``external_tools.sphinx_process``, also a :class:`Built`.

The synthetic book is :func:`sphinx_faq_ext.testing.synthetic_book`.  What
was built is read with :class:`Built` (or :func:`read_page` for a file);
programs outside Python run through :mod:`external_tools`, and text is
compared through the normalisers of :mod:`seed`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from bs4 import BeautifulSoup

from sphinx_faq_ext.testing import BASE_CONF, Built, copy_root, plain, read_page, write_project
from sphinx_faq_ext.testing import build as sphinx_build

if TYPE_CHECKING:
    from pypdf import PdfReader
    from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

__all__ = ["BASE_CONF", "Built", "read_page", "sphinx_build"]

ROOTS = Path(__file__).parent / "roots"
DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
DOCS = REPO / "docs"
#: ``conf.py`` overrides of a faqpdf build that tests the WeasyPrint engine
#: (Typst is the default engine).
WEASYPRINT: dict[str, Any] = {"faq_pdf_engine": "weasyprint"}
#: Where tests keep what a reader would look at (screenshots, PDFs, ePubs).
ARTIFACTS = Path(os.environ.get("FAQ_TEST_ARTIFACTS", REPO / "test-artifacts"))

#: The type of sphinx.testing's ``make_app`` fixture.
MakeApp = Callable[..., "SphinxTestApp"]


class MakeProject(Protocol):
    """The type of the :func:`make_project` fixture."""

    def __call__(self, files: dict[str, str], buildername: str = "html",
                 srcdir: Path | None = None, **kwargs: Any) -> SphinxTestApp: ...


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Test projects live in ``tests/roots/test-<name>``."""
    return ROOTS


def load_script(path: Path, name: str) -> ModuleType:
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


def warnings_of(app: SphinxTestApp) -> str:
    """The warnings the build emitted, without ANSI colours."""
    return plain(app.warning.getvalue())


@pytest.fixture
def artifacts() -> Path:
    """A folder kept after the run for screenshots, PDFs and ePubs."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def make_project(tmp_path: Path, make_app: MakeApp) -> MakeProject:
    """Write a project from a ``{path: text}`` dict and return a Sphinx app for it.

    ``conf.py`` defaults to :data:`BASE_CONF`; keyword arguments go to the app.
    """

    def factory(files: dict[str, str], buildername: str = "html", srcdir: Path | None = None,
                **kwargs: Any) -> SphinxTestApp:
        src = write_project(srcdir or tmp_path / "src", files)
        return make_app(buildername, srcdir=src, **kwargs)

    return factory


#: An extension whose directive makes a node no builder but html knows (its
#: text in a paragraph): the writers must warn where it is and keep its text.
STRANGE_NODE_EXT = (
    "from docutils import nodes\nfrom sphinx.util.docutils import SphinxDirective\n"
    "class strange(nodes.General, nodes.Element): pass\n"
    "class Strange(SphinxDirective):\n    has_content = True\n"
    "    def run(self):\n        node = strange()\n"
    "        self.set_source_info(node)\n"
    "        node += nodes.paragraph(text='\\n'.join(self.content))\n"
    "        return [node]\n"
    "def setup(app):\n"
    "    app.add_node(strange, html=(lambda s, n: None, lambda s, n: None))\n"
    "    app.add_directive('strange', Strange)\n"
)


def write_unprinted_link_book(source: Path, anchor: str, label: str, raw: str) -> None:
    """Two chapters: ``a.md`` links (line 6) to *anchor*, which ``b.md`` puts on a
    raw HTML block (*raw*): a link into another chapter that no PDF prints."""
    source.mkdir()
    files = {
        "conf.py": 'extensions = ["myst_parser", "sphinx_faq_ext"]\n'
                   'myst_enable_extensions = ["colon_fence"]\nproject = "Small"\n',
        "index.md": "# Small book\n\n```{toctree}\na\nb\n```\n",
        "a.md": ":::{faq:question} Why a?\n:number: A\n\nAnswer a.\n\n"
                f"See [{label}](#{anchor}).\n:::\n",
        "b.md": f":::{{faq:question}} Why b?\n:number: B\n\nAnswer b.\n\n({anchor})=\n"
                f"```{{raw}} html\n<p>{raw}</p>\n```\n:::\n",
    }
    for name, text in files.items():
        (source / name).write_text(text, "utf8")


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


def pdf_outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page) of every bookmark of a pypdf reader, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                assert page is not None, f"bookmark {item.title!r} leads to no page"
                found.append((depth, item.title, page))

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
    overrides: dict[str, Any],
    after: Callable[[Path], object] | None = None,
) -> Built:
    """Build *project* (``docs`` or a test root) nitpicky, :func:`once` per test run.

    *after* (called with the output folder) runs as part of it, e.g. to
    compile LaTeX.
    """

    def make(target: Path) -> None:
        source = DOCS if project == "docs" else ROOTS / f"test-{project}"
        src = copy_root(source, target / "src")
        built = sphinx_build(src, builder, **{"nitpicky": True, **overrides})
        (target / "warnings.txt").write_text(built.warnings, "utf8")
        (target / "outdir.txt").write_text(str(built.outdir), "utf8")
        if after is not None:
            after(built.outdir)

    target = once(shared, name, make)
    return Built(Path((target / "outdir.txt").read_text("utf8")),
                 (target / "warnings.txt").read_text("utf8"))


def build_root(tmp: Path, root: str, builder: str, **overrides: Any) -> Built:
    """Copy ``tests/roots/test-<root>`` to *tmp* and build it with *builder*."""
    return sphinx_build(copy_root(ROOTS / f"test-{root}", tmp / root), builder, **overrides)


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


def html_page(outdir: Path, docname: str, drop: str = "") -> BeautifulSoup:
    """The HTML page of *docname* under *outdir* (of an ``app`` or a ``make_project``)."""
    return read_page(Path(outdir) / f"{docname}.html", drop)
