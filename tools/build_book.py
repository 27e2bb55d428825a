"""Build the book (``docs/``) to HTML, ePub and PDF in one folder; print where each file is.

The PDF comes from our ``faqpdf`` builder with its WeasyPrint engine (no TeX
needed) unless ``typst`` (the same builder with its Typst engine) or
``latex`` is asked for, which uses Sphinx's LaTeX builder and latexmk (with
the same command Read the Docs uses).  ``nox -s book`` runs this script.

Usage: ``python tools/build_book.py [weasyprint|typst|latex] [--docs DIR] [--output DIR]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from rtd_build import check_epub, check_html, check_pdf, latexmk

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("weasyprint", "typst", "latex")


def sphinx(builder: str, docs: Path, out: Path, doctrees: Path,
           options: tuple[str, ...] = ()) -> None:
    """One Sphinx build; warnings are shown, not fatal (``nox -s docs`` is strict)."""
    command = [
        sys.executable, "-m", "sphinx", "-q", "-b", builder, *options, "-d", str(doctrees),
        str(docs), str(out),
    ]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def jobname(docs: Path) -> str:
    """The LaTeX document name Sphinx chose (the single ``.tex`` it wrote)."""
    texs = sorted(p for p in docs.glob("*.tex"))
    if not texs:
        raise SystemExit(f"no .tex file in {docs}")
    return texs[0].stem


def make_env(latex_dir: Path) -> dict[str, str]:
    """The variables Sphinx's LaTeX Makefile exports for latexmkrc (xindy options).

    Read the Docs calls latexmk without them (so its xindy index step fails,
    harmlessly); the book build passes them as ``make`` would.
    """
    env = {**os.environ}
    env.setdefault("LATEXOPTS", "")
    makefile = (latex_dir / "Makefile").read_text("utf8")
    if match := re.search(r"^export XINDYOPTS = (.*)$", makefile, re.MULTILINE):
        env["XINDYOPTS"] = match.group(1).strip()
    return env


def build_book(docs: Path, output: Path, engine: str = "weasyprint") -> dict[str, Path]:
    """Build all three formats under *output*; return the file of each."""
    doctrees = output / ".doctrees"
    sphinx("html", docs, output / "html", doctrees)
    sphinx("epub", docs, output / "epub", doctrees)
    epub = check_epub(output / "epub")
    if engine == "latex":
        sphinx("latex", docs, output / "latex", doctrees)
        pdf = latexmk(output / "latex", jobname(output / "latex"), make_env(output / "latex"))
    else:
        sphinx("faqpdf", docs, output / "faqpdf", doctrees,
               ("-D", f"faq_pdf_engine={engine}"))
        pdfs = sorted((output / "faqpdf").glob("*.pdf"))
        if len(pdfs) != 1:
            raise SystemExit(f"expected one PDF in {output / 'faqpdf'}, found {pdfs}")
        pdf = pdfs[0]
    check_pdf(pdf)
    # the two downloads side by side at the top of the book folder
    top_epub = Path(shutil.copy2(epub, output / epub.name))
    top_pdf = Path(shutil.copy2(pdf, output / pdf.name))
    return {"html": check_html(output / "html"), "epub": top_epub, "pdf": top_pdf}


def main(argv: list[str] | None = None) -> None:
    """Command line: build and print one line per format."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("engine", nargs="?", default="weasyprint", choices=ENGINES)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "book")
    args = parser.parse_args(argv)
    files = build_book(args.docs.resolve(), args.output.resolve(), args.engine)
    print("\nThe book is in", args.output.resolve())
    for fmt, path in files.items():
        print(f"  {fmt:5} {path}")


if __name__ == "__main__":
    main()
