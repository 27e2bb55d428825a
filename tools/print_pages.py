"""Page images of the printed book, for the docs' output pages.

Builds tests/roots/test-print (22 real questions of An Anarchist FAQ) with
LaTeX (compiled with Read the Docs' latexmk command) and with the faqpdf
builder's two engines (Typst and WeasyPrint), and renders with pdftoppm the
title page, a question page and the first back-matter page of each into
``docs/_static/print/{latex,typst,weasyprint}-*.png``.

Usage: ``python tools/print_pages.py [--out DIR] [--dpi N] [--paths latex,typst,weasyprint]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from rtd_build import latexmk_command  # noqa: E402

SOURCE = ROOT / "tests" / "roots" / "test-print"


def page_of(pdf: Path, needle: str, start: int = 1) -> int:
    """The first 1-based page from *start* whose text begins with *needle*."""
    count = int(next(
        line.split()[-1] for line in subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
        ).stdout.splitlines() if line.startswith("Pages:")
    ))
    for page in range(start, count + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout
        if needle in text:
            return page
    raise SystemExit(f"{needle!r} not found in {pdf}")


def render(pdf: Path, page: int, target: Path, dpi: int) -> None:
    """One page as a PNG."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
         "-singlefile", str(pdf), str(target.with_suffix(""))],
        check=True,
    )
    print("wrote", target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)


#: Each PDF path: its name in the images, the builder and its ``-D`` settings.
PATHS = (
    ("latex", "latex", []),
    ("typst", "faqpdf", ["-D", "faq_pdf_engine=typst"]),
    ("weasyprint", "faqpdf", ["-D", "faq_pdf_engine=weasyprint"]),
)


def build(work: Path, names: list[str]) -> dict[str, Path]:
    """The PDFs of the test project by the paths called *names*."""
    src = work / "src"
    shutil.copytree(SOURCE, src)
    pdfs = {}
    for name, builder, settings in PATHS:
        if name not in names:
            continue
        out = work / name
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-b", builder, *settings, str(src), str(out)],
            check=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        if builder == "latex":
            done = subprocess.run(latexmk_command("afaq"), cwd=out, check=False,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"latexmk exited {done.returncode}:\n{done.stdout[-3000:]}")
        pdfs[name] = out / "afaq.pdf"
    return pdfs


def main(argv: list[str] | None = None) -> None:
    """Build the three PDFs and write the nine page images."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "_static" / "print")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--paths", default=",".join(name for name, _b, _s in PATHS),
                        help="comma-separated: latex,typst,weasyprint (default: all)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = build(Path(tmp), args.paths.split(","))
        for name, pdf in pdfs.items():
            question = page_of(pdf, "A.2.6 Why is solidarity", start=4)
            back = page_of(pdf, "Index of questions", start=question)
            for kind, page in (("title", 1), ("question", question), ("back", back)):
                render(pdf, page, args.out / f"{name}-{kind}.png", args.dpi)


if __name__ == "__main__":
    main()
