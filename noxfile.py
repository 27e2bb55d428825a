"""Development tasks: ``nox -s tests``, ``nox -s book``, ``nox -s docs``, …

Each session installs what it needs into its own virtualenv, so on a fresh
machine ``python3 -m pip install nox`` is the only step before any of them.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
DOCS = ROOT / "docs"


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (external tools skip unless FAQ_REQUIRE_TOOLS=1)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "-n", "auto", *session.posargs)


@nox.session
def tests_oldest(session: nox.Session) -> None:
    """The suite at the floor of every dependency (pyproject.toml, the pdf extra too).

    The pins come from pyproject.toml each time (tools/floors.py), so a floor
    raised there is the version tested here.
    """
    pins = Path(session.create_tmp()) / "floors.txt"
    session.run("python", str(ROOT / "tools" / "floors.py"), "--output", str(pins))
    session.install("-c", str(pins), "-e", ".[test]")
    session.run("python", "-m", "pytest", "-n", "auto", *session.posargs)


@nox.session
def install_check(session: nox.Session) -> None:
    """Build the sdist and wheel, check them, install the wheel in fresh virtualenvs, build."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "-n", "auto", "-m", "install",
                "tests/test_install.py", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation to HTML, as strictly as the tests do."""
    session.install("-e", ".[docs]")
    session.run(
        "python", "-m", "sphinx", "-nW", "--keep-going", "-b", "html",
        str(DOCS), str(DOCS / "_build" / "html"),
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff and mypy."""
    session.install("-e", ".", "ruff", "mypy")
    session.run("ruff", "check", "sphinx_faq_ext", "tests", "noxfile.py")
    session.run("mypy", "sphinx_faq_ext")


@nox.session
def book(session: nox.Session) -> None:
    """Build docs/ to HTML, ePub and PDF in _build/book/ (`-- typst`, `-- latex`: that PDF)."""
    session.install("-e", ".[docs]")
    session.run("python", str(ROOT / "tools" / "build_book.py"), *session.posargs)


@nox.session
def rtd(session: nox.Session) -> None:
    """Build docs/ with Read the Docs' commands and .readthedocs.yaml's PDF job; check each file.

    ``-- --pdf weasyprint`` or ``-- --pdf latex`` for the other PDF paths.
    """
    session.install("-e", ".[docs]")
    # the independent PDF/UA-1 checker the script runs on the PDF (no JVM needed)
    session.install("pdfua>=0.1.3")
    session.run("python", str(ROOT / "tools" / "rtd_build.py"), *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: our markup against plain MyST at 100/500/1,000 questions (slow)."""
    session.install("-e", ".[pdf]")
    session.run("python", str(ROOT / "benchmarks" / "bench_suite.py"), *session.posargs)


@nox.session
def print_pages(session: nox.Session) -> None:
    """Rebuild the printed book's page images in docs/_static/print/ (LaTeX, Typst, WeasyPrint)."""
    session.install("-e", ".[pdf]")
    session.run("python", str(ROOT / "tools" / "print_pages.py"), *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """Fuzz: 1,000 generated documents through every builder; prints the counts.

    ``nox -s fuzz -- --seed 13 --count 2000 --json fuzz.json``; see
    ``python -m tools.fuzz --help`` (the harness is the package ``tools/fuzz/``).
    """
    session.install("-e", ".[test,docs]")
    # nox runs in the noxfile's folder, the repository's root, where -m finds tools.fuzz
    session.run("python", "-m", "tools.fuzz", *session.posargs)


@nox.session
def afaq(session: nox.Session) -> None:
    """Import the whole Debian edition of An Anarchist FAQ; build HTML, ePub, PDF in _build/afaq/.

    Needs ``apt-get install anarchism`` (and TeX Live for the LaTeX PDF); the PDFs are the
    LaTeX one and faqpdf's (Typst engine); `-- --pdf latex|typst|weasyprint|none` builds one.
    """
    session.install("-e", ".[test,pdf]")
    session.run("python", str(ROOT / "tools" / "build_afaq.py"), *session.posargs)
