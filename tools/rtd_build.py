"""Build ``docs/`` with Read the Docs' own commands and check one artifact per format.

Read the Docs runs, in the folder holding ``conf.py``::

    python -m sphinx -T -b html  -d _build/doctrees -D language=en . $READTHEDOCS_OUTPUT/html
    python -m sphinx -T -b epub  -d _build/doctrees -D language=en . $READTHEDOCS_OUTPUT/epub
    python -m sphinx -T -b latex -d _build/doctrees -D language=en . $READTHEDOCS_OUTPUT/pdf
    latexmk -r latexmkrc -pdf -f -dvi- -ps- -jobname=<project> -interaction=nonstopmode

(latexmk in the LaTeX folder; a non-zero exit only fails the build when no PDF
came out).  With ``--pdf weasyprint`` the PDF step is instead the
``build.jobs.build.pdf`` override that docs/output/publishing.md shows (run
from the repository root, as Read the Docs runs user jobs)::

    python -m sphinx -T -b faqpdf -j auto -d docs/_build/doctrees -D language=en \\
        docs docs/_build/faqpdf
    mkdir --parents $READTHEDOCS_OUTPUT/pdf/
    mv docs/_build/faqpdf/*.pdf $READTHEDOCS_OUTPUT/pdf/

``nox -s rtd`` runs this script; ``tests/test_rtd.py`` too.

Usage: ``python tools/rtd_build.py [--docs DIR] [--output DIR] [--project SLUG]
[--pdf latex|weasyprint]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rtd_env(output: Path, project: str) -> dict[str, str]:
    """The environment variables Read the Docs sets that builds may look at."""
    return {
        **os.environ,
        "READTHEDOCS": "True",
        "READTHEDOCS_OUTPUT": str(output),
        "READTHEDOCS_PROJECT": project,
        "READTHEDOCS_LANGUAGE": "en",
        "READTHEDOCS_VERSION": "latest",
    }


def sphinx(builder: str, docs: Path, out: Path, env: dict[str, str]) -> None:
    """One ``sphinx -b <builder>`` run, exactly as Read the Docs spells it."""
    command = [
        sys.executable, "-m", "sphinx", "-T", "-b", builder,
        "-d", "_build/doctrees", "-D", "language=en", ".", str(out),
    ]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=docs, env=env, check=True)


def latexmk_command(jobname: str) -> list[str]:
    """Read the Docs' latexmk command line, run in the LaTeX output folder."""
    return [
        "latexmk", "-r", "latexmkrc", "-pdf", "-f", "-dvi-", "-ps-",
        f"-jobname={jobname}", "-interaction=nonstopmode",
    ]


def latexmk(latex_dir: Path, jobname: str, env: dict[str, str] | None = None) -> Path:
    """Compile the LaTeX folder as Read the Docs does; return the PDF.

    Like Read the Docs, a failing latexmk is only an error when no PDF exists
    (Read the Docs once failed the build on it, and may again: our builds
    exit 0, which tests/test_print.py checks).
    """
    command = latexmk_command(jobname)
    print("+", " ".join(command), f"(in {latex_dir})", flush=True)
    result = subprocess.run(
        command, cwd=latex_dir, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
    )
    pdf = latex_dir / f"{jobname}.pdf"
    if not pdf.exists():
        print(result.stdout[-4000:])
        raise SystemExit(f"latexmk produced no {pdf.name} (exit {result.returncode})")
    if result.returncode:
        print(f"warning: latexmk exited {result.returncode}, but {pdf.name} was written")
    return pdf


def check_html(path: Path) -> Path:
    """``index.html`` exists and is an HTML page."""
    index = path / "index.html"
    if "<html" not in index.read_text("utf8")[:2000].lower():
        raise SystemExit(f"{index} is not an HTML page")
    return index


def check_epub(path: Path) -> Path:
    """Exactly one ``.epub``, a ZIP whose first entry is the EPUB mimetype."""
    epubs = sorted(path.glob("*.epub"))
    if len(epubs) != 1:
        raise SystemExit(f"expected one .epub in {path}, found {epubs}")
    with zipfile.ZipFile(epubs[0]) as book:
        first = book.infolist()[0]
        if first.filename != "mimetype" or book.read(first) != b"application/epub+zip":
            raise SystemExit(f"{epubs[0]} is not an EPUB container")
    return epubs[0]


def check_pdf(pdf: Path) -> Path:
    """A complete PDF file (header and end-of-file marker)."""
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise SystemExit(f"{pdf} is not a complete PDF")
    return pdf


def weasyprint_job(docs: Path, output: Path, env: dict[str, str]) -> Path:
    """The documented ``build.jobs.build.pdf`` override, from the repository root."""
    root, rel = docs.parent, docs.name
    command = [
        sys.executable, "-m", "sphinx", "-T", "-b", "faqpdf", "-j", "auto",
        "-d", f"{rel}/_build/doctrees",
        "-D", "language=en", rel, f"{rel}/_build/faqpdf",
    ]
    print("+", " ".join(command), f"(in {root})", flush=True)
    subprocess.run(command, cwd=root, env=env, check=True)
    target = output / "pdf"
    target.mkdir(parents=True, exist_ok=True)
    pdfs = sorted((docs / "_build" / "faqpdf").glob("*.pdf"))
    if len(pdfs) != 1:
        raise SystemExit(f"expected one PDF from faqpdf, found {pdfs}")
    return Path(shutil.move(pdfs[0], target / pdfs[0].name))


def build(docs: Path, output: Path, project: str, pdf_engine: str = "latex") -> dict[str, Path]:
    """Run the three builds and latexmk; return the checked artifact of each format."""
    env = rtd_env(output, project)
    sphinx("html", docs, output / "html", env)
    sphinx("epub", docs, output / "epub", env)
    if pdf_engine == "weasyprint":
        pdf = weasyprint_job(docs, output, env)
    else:
        sphinx("latex", docs, output / "pdf", env)
        pdf = latexmk(output / "pdf", project, env)
    return {
        "html": check_html(output / "html"),
        "epub": check_epub(output / "epub"),
        "pdf": check_pdf(pdf),
    }


def main(argv: list[str] | None = None) -> None:
    """Command line: build, check, print where each artifact is."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "readthedocs")
    parser.add_argument("--project", default="sphinx-faq-ext", help="the RTD project slug")
    parser.add_argument("--pdf", choices=("latex", "weasyprint"), default="latex")
    args = parser.parse_args(argv)
    artifacts = build(args.docs.resolve(), args.output.resolve(), args.project, args.pdf)
    for fmt, path in artifacts.items():
        print(f"{fmt:5} {path}")


if __name__ == "__main__":
    main()
