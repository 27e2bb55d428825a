"""Shared fixtures: Sphinx test projects under ``tests/roots`` and tool checks."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"
DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
DOCS = REPO / "docs"
#: Where tests keep what a reader would look at (screenshots, PDFs, ePubs).
ARTIFACTS = Path(os.environ.get("FAQ_TEST_ARTIFACTS", REPO / "test-artifacts"))

#: Set by .ci/run: a missing external tool fails the test instead of skipping it.
REQUIRE_TOOLS = os.environ.get("FAQ_REQUIRE_TOOLS", "") not in ("", "0")


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


def need_tool(name: str, available: bool | None = None) -> None:
    """Skip (locally) or fail (in CI) when an external tool is missing."""
    if available is None:
        available = shutil.which(name) is not None
    if available:
        return
    if REQUIRE_TOOLS:
        pytest.fail(f"{name} is required (FAQ_REQUIRE_TOOLS is set) but not available")
    pytest.skip(f"{name} not available")


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


def build_once(
    shared: Path,
    name: str,
    project: str,
    builder: str,
    overrides: dict[str, object],
    after=None,  # type: ignore[no-untyped-def]
) -> tuple[Path, str]:
    """Build *project* (``docs`` or a test root) once per test session.

    With pytest-xdist the first worker that needs a build makes it under a file
    lock in the shared folder (see :func:`xdist_shared_dir`); the others read
    the result.  *after* (called with the output folder) runs inside the lock,
    e.g. to compile LaTeX.  Returns the output folder and the warnings.
    """
    import fcntl
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    target = shared / name
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / "done").exists():
            shutil.rmtree(target, ignore_errors=True)
            source = DOCS if project == "docs" else ROOTS / f"test-{project}"
            shutil.copytree(source, target / "src", ignore=shutil.ignore_patterns("_build"))
            app = SphinxTestApp(
                builder, srcdir=target / "src",
                confoverrides={"nitpicky": True, **overrides},
                status=StringIO(), warning=StringIO(),
            )
            try:
                app.build()
            finally:
                app.cleanup()
            (target / "warnings.txt").write_text(warnings_of(app), "utf8")
            (target / "outdir.txt").write_text(str(app.outdir), "utf8")
            if after is not None:
                after(Path(app.outdir))
            (target / "done").write_text("ok")
    outdir = Path((target / "outdir.txt").read_text("utf8"))
    return outdir, (target / "warnings.txt").read_text("utf8")


# -- one way to build in process, one way to read what was built -----------------


@dataclass(frozen=True)
class Built:
    """What a finished in-process build left: output folder, warnings, extensions."""

    outdir: Path
    warnings: str
    extensions: frozenset[str] = frozenset()

    def page(self, name: str) -> BeautifulSoup:
        """The HTML page *name* (without ``.html``) of this build."""
        return html_page(self.outdir, name)


def sphinx_build(srcdir: Path, builder: str, **overrides: object) -> Built:
    """Build *srcdir* with *builder* (``conf.py`` values overridden) on sphinx.testing.

    The app is cleaned up at once: node registrations are process-global, so
    two live apps would warn about each other; tests read the files it wrote.
    """
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp(builder, srcdir=srcdir, confoverrides=overrides,
                        status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(Path(app.outdir), warnings_of(app), frozenset(app.extensions))


def build_root(tmp: Path, root: str, builder: str, **overrides: object) -> Built:
    """Copy ``tests/roots/test-<root>`` to *tmp* and build it with *builder*."""
    srcdir = tmp / root
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    return sphinx_build(srcdir, builder, **overrides)


def html_page(outdir: Path, name: str) -> BeautifulSoup:
    """The HTML page *name* (without ``.html``) under *outdir*."""
    return BeautifulSoup((outdir / f"{name}.html").read_text("utf8"), "html.parser")


def pdf_page_texts(pdf: Path, *, crop: float = 0) -> list[str]:
    """Each page's text (pdftotext); *crop* points off the top and bottom margins."""
    import subprocess

    from pypdf import PdfReader

    need_tool("pdftotext")
    texts = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        args = ["pdftotext", "-f", str(number), "-l", str(number)]
        if crop:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            args += ["-x", "0", "-y", str(int(crop)), "-W", str(int(width)),
                     "-H", str(int(height - 2 * crop))]
        result = subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True,
                                check=True)
        texts.append(result.stdout)
    return texts
