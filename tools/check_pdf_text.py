"""The importer's text check, extended to the Typst PDF: every question's text is in the book.

``sphinx-faq-ext import`` keeps each question's text as it stood in the source
pages (``_import/source-text.json``); ``sphinx-faq-ext check`` compares it with
the HTML build.  This script compares it with the PDF of the ``faqpdf``
builder (Typst engine): it builds the project with notes set inline
(``faq_notes_style = "inline"``: each note's text in brackets where its
marker stands, as the source cites) and the quotations' attribution lines
left out, as are the table headers Typst repeats on each page a table spans
(a ``faq_pdf_typst`` file: that is what the book adds, and the HTML check
leaves it out too), reads the PDF's text back
with ``pdftotext`` (the margins, with running heads and page numbers, cropped
off), and checks that every question's title and whole text are in it, in one
piece.  Text is compared after the importer's normalisation, then with white
space, hyphens and dashes removed (a PDF cannot tell a hyphen at a line end
from hyphenation, nor always where a space was).

Usage: ``python tools/check_pdf_text.py PROJECT OUTDIR [--volumes N] [--jobs N]``
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sphinx_faq_ext.importer.check.fidelity import (  # noqa: E402
    CheckResult,
    Mismatch,
    first_difference,
    normalise,
)

#: The check's own template file: quotations without their attribution line,
#: and a table's header rows printed once (not again on each page it spans).
CHECK_TEMPLATE = (
    "#let faq-quote(attribution: none, body) = quote(block: true, body)\n"
    "#let faq-custom(body) = { set table.header(repeat: false); body }\n"
)
#: Top and bottom margin cropped off each page (points): 13 mm.
MARGIN = 13 * 72 / 25.4


def squash(text: str) -> str:
    """Normalised text without white space, hyphens, dashes and list bullets.

    Ligatures are spelled out; the bullets are what the book adds before
    list items (the HTML check does not see them either).
    """
    text = normalise(unicodedata.normalize("NFKC", text))
    return re.sub(r"[\s\-\u2010-\u2015\u00ad\u2060\u2022\u2023]+", "", text)


def build(project: Path, out: Path, volumes: int, jobs: int) -> list[Path]:
    """The project's Typst PDF (or volumes) with notes inline and no attribution lines."""
    out.mkdir(parents=True, exist_ok=True)
    template = (out / "check-quotes.typ").resolve()
    template.write_text(CHECK_TEMPLATE, "utf8")
    command = [
        sys.executable, "-m", "sphinx", "-q", "-j", str(jobs), "-b", "faqpdf",
        "-D", "faq_pdf_engine=typst", "-D", "faq_notes_style=inline",
        "-D", f"faq_pdf_typst={template}", "-D", f"faq_pdf_volumes={volumes}",
        "-d", str(out / ".doctrees"), str(project), str(out / "faqpdf"),
    ]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return sorted((out / "faqpdf").glob("*.pdf"))


def pdf_text(pdf: Path) -> str:
    """The text of every page, the top and bottom margins cropped off."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    width, height = (float(n) for n in re.search(
        r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    done = subprocess.run(
        ["pdftotext", "-x", "0", "-y", str(int(MARGIN)), "-W", str(int(width)),
         "-H", str(int(height - 2 * MARGIN)), str(pdf), "-"],
        capture_output=True, text=True, check=True)
    return done.stdout


def strip_number(title: str, number: str) -> str:
    """A source title without its question number."""
    title = title.strip()
    if number and title.startswith(number):
        return title[len(number):].lstrip(" .:").strip()  # "J.6.2. What …"
    return title


def check(project: Path, pdfs: list[Path]) -> CheckResult:
    """Every imported question's title and text, each found whole in the PDFs' text."""
    texts = json.loads((project / "_import" / "source-text.json").read_text("utf8"))
    book = "".join(squash(pdf_text(pdf)) for pdf in pdfs)
    result = CheckResult()
    for number, source in texts.items():
        result.compared += 1
        title = squash(strip_number(source["title"], source["source_number"]))
        if title not in book:
            result.missing.append(number)
            continue
        want = squash(source["text"])
        if want in book:
            continue
        # the longest start of the text that is there, to say where it parts
        low, high = 0, len(want)
        while low < high:
            middle = (low + high + 1) // 2
            if want[:middle] in book:
                low = middle
            else:
                high = middle - 1
        at = book.find(want[:low]) if low else 0
        result.mismatches.append(Mismatch(number, source["file"], source["line"],
                                          first_difference(want, book[at:at + len(want)])))
    return result


def main(argv: list[str] | None = None) -> int:
    """Build, check, print the summary and the first differences."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--volumes", type=int, default=0,
                        help="faq_pdf_volumes for the check build (0: one PDF)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-build", action="store_true", help="check OUT/faqpdf as built")
    args = parser.parse_args(argv)
    pdfs = (sorted((args.out / "faqpdf").glob("*.pdf")) if args.no_build
            else build(args.project, args.out, args.volumes, args.jobs))
    result = check(args.project, pdfs)
    print(result.summary())
    for number in result.missing[:20]:
        print(f"  missing: {number}")
    for mismatch in result.mismatches[:20]:
        print(f"  {mismatch.number} ({mismatch.file}:{mismatch.line}): {mismatch.detail}")
    return 0 if not result.missing and not result.mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
