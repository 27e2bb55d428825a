"""Installed as users install it: ``pip install sphinx-faq-ext``, with and without extras.

Every other test runs from the checkout with the ``test`` extra, so a module
importing an optional package at its top, or a template missing from the
wheel, would go unnoticed.  Two kinds of test here:

- fast ones, in every run: no module imports an optional package at its top
  (read from the source), and a Python in which those packages cannot be
  imported builds html, epub, latex, text, man and gettext, while ``faqpdf``
  stops with one error naming the extra;
- ``install`` ones (slower, about three minutes): ``python -m build`` makes
  the sdist and, from it, the wheel; ``twine check`` reads both; the wheel is
  installed into a fresh virtualenv without extras, which builds the showcase
  (docs/) with every Sphinx builder above, and into one with ``[pdf]``, which
  makes the PDF.  The wheel is built and each virtualenv made once per run,
  shared by the xdist workers.  ``-m "not install"`` leaves them out;
  ``nox -s install_check`` runs only them.
"""

from __future__ import annotations

import ast
import os
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import DOCS, REPO, ROOTS, once, xdist_shared_dir
from external_tools import need_module, pdftotext, python, run, sphinx_process

from sphinx_faq_ext.testing import copy_root, sphinx_arguments
from sphinx_faq_ext.util.optional import OPTIONAL

PACKAGE = REPO / "sphinx_faq_ext"
#: What a bare install must build.
BARE_BUILDERS = ("html", "epub", "latex", "text", "man", "gettext")
#: One file each of those builders writes for the showcase (docs/).
SHOWCASE_OUTPUT = {
    "html": "book/a-2-6.html",
    "epub": "sphinx-faq-ext.epub",
    "latex": "sphinx-faq-ext.tex",
    "text": "book/a-2-6.txt",
    "man": "sphinx-faq-ext.1",
    "gettext": "book.pot",
}
#: What the error for a missing extra tells the user to run.
INSTALL_PDF = 'python -m pip install "sphinx-faq-ext[pdf]"'


# -- fast: optional packages imported where they are used -------------------------------


def top_level_imports(tree: ast.Module) -> list[tuple[str, int]]:
    """Modules imported when the module is imported: not in a function or TYPE_CHECKING."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_no_module_imports_an_optional_package_at_its_top() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf8"))
        for module, line in top_level_imports(tree):
            if module.partition(".")[0] in OPTIONAL:
                wrong.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_top_level_import() -> None:
    """The reader above finds what it must (and only that)."""
    tree = ast.parse(
        "import pikepdf\nfrom typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import weasyprint\n"
        "def f():\n    import typst\n"
        "try:\n    from pydyf import PDF\nexcept ImportError:\n    pass\n"
    )
    assert [name for name, _ in top_level_imports(tree)] == ["pikepdf", "typing", "pydyf"]


#: Run in a fresh Python with every optional package made unimportable.
WITHOUT_EXTRAS = """\
import sys
for name in {optional!r}:
    sys.modules[name] = None  # "import name" raises ImportError
from sphinx.cmd.build import build_main
sys.exit(build_main(sys.argv[1:]))
"""


def build_without_extras(src: Path, builder: str, out: Path,
                         missing: tuple[str, ...] = tuple(OPTIONAL),
                         options: tuple[str, ...] = ()) -> tuple[int, str]:
    """``sphinx-build -b builder`` where the *missing* packages cannot be imported."""
    script = WITHOUT_EXTRAS.format(optional=sorted(missing))
    done = sphinx_process(src, out / builder, builder, doctrees=out / "doctrees" / builder,
                          options=("-q", *options), runner=script, check=False)
    return done.status, done.output + done.warnings


def small_project(tmp: Path) -> Path:
    """test-pdf with the showcase question: questions, quotes, notes, refs."""
    src = copy_root(ROOTS / "test-pdf", tmp / "src")
    shutil.copy(DOCS / "book" / "a-2-6.md", src / "a-2-6.md")
    return src


@pytest.mark.parametrize("builder", BARE_BUILDERS)
def test_builds_without_any_optional_package(tmp_path: Path, builder: str) -> None:
    status, said = build_without_extras(small_project(tmp_path), builder, tmp_path / "out")
    assert status == 0, said
    assert "Traceback" not in said
    assert any((tmp_path / "out" / builder).iterdir())


@pytest.mark.parametrize("engine", ["typst", "weasyprint"])
def test_faqpdf_without_the_extra_is_one_error_naming_it(tmp_path: Path, engine: str) -> None:
    status, said = build_without_extras(small_project(tmp_path), "faqpdf", tmp_path / "out",
                                        options=("-D", f"faq_pdf_engine={engine}"))
    assert status == 1, said
    errors = [line for line in said.splitlines() if "ERROR" in line]
    assert len(errors) == 1, said
    assert INSTALL_PDF in errors[0] and engine in errors[0]
    assert "Traceback" not in said
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_faqpdf_without_pikepdf_names_it_before_reading(tmp_path: Path) -> None:
    """WeasyPrint alone lays a book out in one piece; by chapter it needs pikepdf too."""
    need_module("weasyprint")
    status, said = build_without_extras(small_project(tmp_path), "faqpdf", tmp_path / "out",
                                        missing=("pikepdf",),
                                        options=("-D", "faq_pdf_engine=weasyprint"))
    assert status == 1, said
    errors = [line for line in said.splitlines() if "ERROR" in line]
    assert len(errors) == 1 and "needs pikepdf" in errors[0] and INSTALL_PDF in errors[0], said
    assert "Traceback" not in said


# -- install: the wheel in fresh virtualenvs ---------------------------------------------


def pip_env() -> dict[str, str]:
    """The environment for the virtualenvs: nothing of the checkout on ``sys.path``."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PIP_USER")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m build`` of the checkout (sdist, then the wheel from it), once per run."""
    need_module("build", "build (the test extra)")
    shared = xdist_shared_dir(tmp_path_factory, "install")

    def make(target: Path) -> None:
        # a copy: the build must not leave build/ or *.egg-info in the checkout
        source = target / "source"
        shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
            ".git", ".nox", "_build", "__pycache__", "*.egg-info", "build", "dist", ".venv*"))
        python("-m", "build", "--outdir", str(target / "dist"), str(source), env=pip_env())
        shutil.rmtree(source)

    return once(shared, "dist", make) / "dist"


def the(folder: Path, pattern: str) -> Path:
    (found,) = folder.glob(pattern)
    return found


def venv(tmp_path_factory: pytest.TempPathFactory, dist: Path, extras: str) -> Path:
    """A fresh virtualenv with the wheel (and *extras*) installed; its ``python``."""
    shared = xdist_shared_dir(tmp_path_factory, "install")

    def make(target: Path) -> None:
        python("-m", "venv", str(target / "venv"), env=pip_env())
        wheel = the(dist, "*.whl")
        run([str(target / "venv" / "bin" / "python"), "-m", "pip", "install", "-q",
             f"sphinx-faq-ext{extras} @ {wheel.as_uri()}"], env=pip_env())

    return once(shared, f"venv{extras or '-bare'}", make) / "venv" / "bin" / "python"


def in_venv(interpreter: Path, *args: str, cwd: Path) -> tuple[int, str]:
    done = run([str(interpreter), *args], cwd=cwd, env=pip_env(), check=False)
    return done.returncode, done.stdout + done.stderr


@pytest.mark.install
def test_twine_checks_the_sdist_and_the_wheel(dist: Path) -> None:
    need_module("twine", "twine (the test extra)")
    files = [str(the(dist, "*.tar.gz")), str(the(dist, "*.whl"))]
    done = python("-m", "twine", "check", "--strict", *files)
    assert done.stdout.count("PASSED") == 2, done.stdout


def package_files() -> set[str]:
    """Every file of the package in the checkout (no bytecode), as the wheel names it."""
    return {
        str(path.relative_to(REPO))
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.mark.install
def test_the_wheel_holds_every_file_of_the_package(dist: Path) -> None:
    """Templates, static files, locale catalogs (.mo), the PDF assets: all of them."""
    with zipfile.ZipFile(the(dist, "*.whl")) as wheel:
        names = set(wheel.namelist())
    missing = package_files() - names
    assert not missing, sorted(missing)
    for kind in ("theme/sphinx_faq_ext/layout.html", "theme/sphinx_faq_ext/theme.toml",
                 "pdf/weasyprint/static/book.css", "builders/epub_templates/content.opf.jinja",
                 "pdf/weasyprint/static/book.html", "de/LC_MESSAGES/sphinx_faq_ext.mo"):
        assert any(name.endswith(kind) for name in names), kind
    assert any(name.startswith("sphinx_faq_ext/theme/sphinx_faq_ext/static/") for name in names)


@pytest.mark.install
def test_the_sdist_holds_the_package_and_its_metadata(dist: Path) -> None:
    with tarfile.open(the(dist, "*.tar.gz")) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "PKG-INFO"} <= names
    missing = package_files() - names
    assert not missing, sorted(missing)


@pytest.fixture(scope="session")
def bare(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Path:
    """``pip install sphinx-faq-ext`` (the wheel, no extras) in a fresh virtualenv."""
    return venv(tmp_path_factory, dist, "")


@pytest.mark.install
def test_the_bare_install_has_no_optional_package_and_is_not_the_checkout(bare: Path,
                                                                           tmp_path: Path) -> None:
    code = ("import importlib.util, sphinx_faq_ext; print(sphinx_faq_ext.__file__); "
            f"print([m for m in {sorted(OPTIONAL)!r} if importlib.util.find_spec(m)])")
    status, said = in_venv(bare, "-c", code, cwd=tmp_path)
    assert status == 0, said
    where, found = said.splitlines()[-2:]
    # not the checkout's package (the venvs may live under the checkout: nox's TMPDIR)
    assert "site-packages" in where and str(REPO / "sphinx_faq_ext") not in where
    assert found == "[]"


@pytest.mark.install
@pytest.mark.parametrize("builder", BARE_BUILDERS)
def test_the_bare_install_builds_the_showcase(bare: Path, tmp_path: Path, builder: str) -> None:
    src = copy_root(DOCS, tmp_path / "docs")
    out = tmp_path / "out"
    status, said = in_venv(bare, *sphinx_arguments(src, out, builder), cwd=tmp_path)
    assert status == 0, said
    assert "Traceback" not in said
    assert (out / SHOWCASE_OUTPUT[builder]).is_file(), sorted(p.name for p in out.iterdir())
    if builder == "html":
        assert said.strip() == "", said  # the showcase builds without a warning
        assert (out / "_static" / "faq-theme.css").is_file()
        assert (out / "faq.json").is_file()


@pytest.mark.install
def test_the_bare_install_says_which_extra_the_pdf_needs(bare: Path, tmp_path: Path) -> None:
    src = small_project(tmp_path)
    status, said = in_venv(bare, *sphinx_arguments(src, tmp_path / "out", "faqpdf"),
                           cwd=tmp_path)
    assert status == 1, said
    assert said.count("ERROR") == 1 and INSTALL_PDF in said, said
    assert "Traceback" not in said


@pytest.mark.install
def test_the_pdf_extra_makes_the_pdf(tmp_path_factory: pytest.TempPathFactory, dist: Path,
                                     tmp_path: Path) -> None:
    need_module("weasyprint")  # Pango, which pip cannot install
    with_pdf = venv(tmp_path_factory, dist, "[pdf]")
    src = small_project(tmp_path)
    out = tmp_path / "out"
    status, said = in_venv(with_pdf, *sphinx_arguments(src, out, "faqpdf", jobs=2),
                           cwd=tmp_path)
    assert status == 0, said
    text = pdftotext(the(out, "*.pdf"))
    assert "Why is solidarity important to anarchists?" in " ".join(text.split())



# -- the floors: tests_oldest pins every lower bound of pyproject.toml ---------------------


def test_every_dependency_has_a_floor_pinned_by_tests_oldest() -> None:
    from conftest import load_script

    floors = load_script(REPO / "tools" / "floors.py", "floors")
    table = floors.project()
    pins = floors.floors(table)
    for requirement in floors.requirements(table):
        name, floor = floors.parse(requirement)
        assert floor is not None, f"{requirement}: no lower bound"
        assert pins[name] == floor
    assert {"sphinx", "myst-parser", "weasyprint", "pikepdf"} <= set(pins)
    # the session installs them as constraints, read from pyproject.toml each time
    noxfile = (REPO / "noxfile.py").read_text("utf8")
    session = noxfile[noxfile.index("def tests_oldest"):noxfile.index("def install_check")]
    assert '"floors.py"' in session and '"-c", str(pins)' in session


def test_an_extra_repeating_a_package_repeats_its_floor() -> None:
    """test and docs repeat the pdf extra's packages: the floors must not drift apart."""
    from conftest import load_script

    floors = load_script(REPO / "tools" / "floors.py", "floors")
    table = floors.project()
    seen: dict[str, tuple[str, str | None]] = {}
    drift = []
    for extra, requirements in table["optional-dependencies"].items():
        for requirement in [*table["dependencies"], *requirements]:
            if requirement.startswith("sphinx-faq-ext"):
                continue
            name, floor = floors.parse(requirement)
            first = seen.setdefault(name, (extra, floor))
            if first[1] != floor:
                drift.append(f"{name}: {first[1]} in {first[0]}, {floor} in {extra}")
    assert not drift, "\n".join(drift)


def test_a_requirement_without_a_floor_is_refused() -> None:
    from conftest import load_script

    floors = load_script(REPO / "tools" / "floors.py", "floors")
    with pytest.raises(ValueError, match="no lower bound"):
        floors.floors({"dependencies": ["sphinx<9"], "optional-dependencies": {"pdf": []}})
    assert floors.floors({"dependencies": ["Sphinx_Design >=0.7, <1"],
                          "optional-dependencies": {"pdf": ["weasyprint>=68.0"]}}) == {
        "sphinx-design": "0.7", "weasyprint": "68.0"}
