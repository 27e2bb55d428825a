"""Build ``docs/`` with Read the Docs' own commands and check one artifact per format.

Read the Docs builds the formats in this order, HTML and ePub with its own
commands, run in the folder holding ``conf.py``::

    python -m sphinx -T -b html -d _build/doctrees -D language=en . $READTHEDOCS_OUTPUT/html
    python -m sphinx -T -b epub -d _build/doctrees -D language=en . $READTHEDOCS_OUTPUT/epub

(then it keeps only ``<project>.epub`` in the ePub folder).  The PDF is the
``build.jobs.build.pdf`` job of ``.readthedocs.yaml``, run from the repository
root, each command in a shell of its own (``/bin/sh -c``, ``$READTHEDOCS_OUTPUT``
expanded), as Read the Docs runs user jobs.  ``--pdf typst`` (the default) runs
exactly the job of ``.readthedocs.yaml``; ``--pdf weasyprint`` the WeasyPrint
variant that docs/output/publishing.md shows; ``--pdf latex`` Read the Docs'
default PDF step instead::

    python -m sphinx -T -b latex -d _build/doctrees -D language=en . $READTHEDOCS_OUTPUT/pdf
    latexmk -r latexmkrc -pdf -f -dvi- -ps- -jobname=<project> -interaction=nonstopmode

(latexmk in the LaTeX folder; a non-zero exit only fails the build when no PDF
came out; then only ``<project>.pdf`` is kept).

Last, the checks Read the Docs makes before it uploads (``index.html`` in the
HTML folder, exactly one file in the PDF and ePub folders), and ours: the ePub
is an EPUB container; the PDF is complete, made by the engine asked for, has
pages and a title, is tagged (required of Typst) and, when the ``pdfua``
package is installed, what that PDF/UA-1 checker finds (nothing, for Typst).

``nox -s rtd`` runs this script; ``tests/test_rtd.py`` too, and checks that the
jobs below are those of ``.readthedocs.yaml`` and publishing.md.

Usage: ``python tools/rtd_build.py [--docs DIR] [--output DIR] [--project SLUG]
[--pdf typst|weasyprint|latex]``
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_FAQPDF = "python -m sphinx -T -b faqpdf -j auto -d docs/_build/doctrees -D language=en"
_MOVE = [
    "mkdir --parents $READTHEDOCS_OUTPUT/pdf/",
    "mv docs/_build/faqpdf/*.pdf $READTHEDOCS_OUTPUT/pdf/",
]
#: The ``build.jobs.build.pdf`` job of each PDF path, run from the repository
#: root: ``typst`` is the one of .readthedocs.yaml, ``weasyprint`` the one
#: docs/output/publishing.md shows (tests/test_rtd.py compares them).
PDF_JOBS: dict[str, list[str]] = {
    "typst": [f"{_FAQPDF} docs docs/_build/faqpdf", *_MOVE],
    "weasyprint": [
        f"{_FAQPDF} -D faq_pdf_engine=weasyprint docs docs/_build/faqpdf", *_MOVE,
    ],
}
#: The PDF paths: the two jobs above, and Read the Docs' default (LaTeX).
PDF_PATHS = ("typst", "weasyprint", "latex")
#: What each path writes in the PDF's ``/Creator`` or ``/Producer``.
PRODUCERS = {"typst": "Typst", "weasyprint": "WeasyPrint", "latex": "xdvipdfmx"}


def pdf_job(pdf_path: str, docs: str = "docs") -> list[str]:
    """The ``build.jobs.build.pdf`` commands of *pdf_path* for a docs folder named *docs*.

    For ``docs`` (this repository) they are :data:`PDF_JOBS` unchanged; the
    benchmarks build books in folders of other names.
    """
    quoted = shlex.quote(docs)
    return [re.sub(r"(?<= )docs(?=[/ ]|$)", lambda _: quoted, command)
            for command in PDF_JOBS[pdf_path]]


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


def run_job(commands: list[str], root: Path, env: dict[str, str]) -> None:
    """Run a ``build.jobs`` job as Read the Docs does: each command in ``/bin/sh -c``.

    ``python`` in the commands is this interpreter (Read the Docs' is that of
    the project's virtual environment); a failing command fails the build.
    """
    with tempfile.TemporaryDirectory(prefix="rtd-bin-") as bin_dir:
        # a script, not a symlink: a virtual environment's python finds its
        # pyvenv.cfg beside the path it was started by
        wrapper = Path(bin_dir, "python")
        wrapper.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} \"$@\"\n")
        wrapper.chmod(0o755)
        job_env = {**env, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"}
        for command in commands:
            print("+", command, f"(in {root})", flush=True)
            result = subprocess.run(["/bin/sh", "-c", command], cwd=root, env=job_env,
                                    check=False)
            if result.returncode:
                raise SystemExit(f"the build.jobs.build.pdf command failed "
                                 f"(exit {result.returncode}): {command}")


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


def keep_only(folder: Path, found: Path, name: str) -> Path:
    """Read the Docs' clean-up after its own ePub and PDF steps: *found* alone, as *name*."""
    kept = Path(tempfile.mkdtemp(prefix="rtd-keep-")) / name
    shutil.move(found, kept)
    shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return Path(shutil.move(kept, folder / name))


def check_upload(output: Path) -> None:
    """The checks Read the Docs makes on ``$READTHEDOCS_OUTPUT`` before it uploads.

    HTML needs an ``index.html``; the PDF, ePub and HTMLZip folders, when they
    exist, exactly one file each, whose name has one dot (Read the Docs splits
    it at the dot to rename it ``<project>-<version>.<format>``).
    """
    if not (output / "html" / "index.html").is_file():
        raise SystemExit(f"{output / 'html'} has no index.html")
    for fmt in ("pdf", "epub", "htmlzip"):
        folder = output / fmt
        if not folder.exists():
            continue
        files = sorted(p.name for p in folder.iterdir())
        if len(files) != 1:
            raise SystemExit(f"Read the Docs needs one file in {folder}, found {files}")
        if files[0].count(".") != 1:
            raise SystemExit(f"Read the Docs cannot rename {files[0]}: one dot only")


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


@dataclass
class PdfFacts:
    """What :func:`check_pdf` found in a PDF."""

    path: Path
    pages: int
    title: str
    #: The PDF's ``/Creator`` and ``/Producer``, joined by `` / ``.
    producer: str
    tagged: bool
    #: The PDF/UA part its XMP metadata claims (``"1"``), or ``""``.
    ua_part: str
    #: PDF/UA-1 findings of the ``pdfua`` checker (rule id and message), or
    #: ``None`` when that package is not installed.
    pdfua: list[tuple[str, str]] | None

    def summary(self) -> str:
        """One line for the console."""
        ua = ("pdfua not run" if self.pdfua is None
              else f"pdfua: {len(self.pdfua)} finding(s)")
        claim = f"PDF/UA-{self.ua_part}" if self.ua_part else "no PDF/UA claim"
        return (f"{self.pages} pages, {'tagged' if self.tagged else 'untagged'}, {claim}, "
                f"{ua}, title {self.title!r}, made by {self.producer!r}")


def check_pdf(pdf: Path, engine: str | None = None) -> PdfFacts:
    """A complete PDF with pages and a title.

    With *engine* (one of :data:`PDF_PATHS`), also made by that engine, and
    run through ``pdfua`` when it is installed; a Typst PDF must be tagged and
    draw no finding.
    """
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise SystemExit(f"{pdf} is not a complete PDF")
    import pikepdf  # the docs and pdf extras; imported where used

    with pikepdf.open(pdf) as document:
        info = document.docinfo
        title = str(info.get("/Title", ""))
        producer = " / ".join(str(info[key]) for key in ("/Creator", "/Producer")
                              if key in info)
        with document.open_metadata() as xmp:
            title = title or str(xmp.get("dc:title", ""))
            ua_part = str(xmp.get("pdfuaid:part", ""))
        mark_info = document.Root.get("/MarkInfo")
        tagged = ("/StructTreeRoot" in document.Root and mark_info is not None
                  and bool(mark_info.get("/Marked", False)))
        pages = len(document.pages)
    findings: list[tuple[str, str]] | None = None
    try:
        from pdfua import validate  # the test extra; optional here
    except ImportError:
        pass
    else:
        if engine is not None:
            findings = [(f.rule_id, f.message) for f in validate(str(pdf)).findings]
    facts = PdfFacts(pdf, pages, title, producer, tagged, ua_part, findings)
    problems = []
    if pages < 1:
        problems.append("no pages")
    if not title:
        problems.append("no title")
    if engine is not None and PRODUCERS[engine] not in producer:
        problems.append(f"not made by {PRODUCERS[engine]} (producer {producer!r})")
    if engine == "typst" and not (tagged and ua_part == "1"):
        problems.append("not tagged as PDF/UA-1")
    if engine == "typst" and findings:
        problems.append(f"pdfua findings: {findings[:5]}")
    if problems:
        raise SystemExit(f"{pdf}: " + "; ".join(problems))
    return facts


def build(docs: Path, output: Path, project: str,
          pdf_path: str = "typst") -> dict[str, Path]:
    """Run the builds in Read the Docs' order; return the checked artifact of each format."""
    return build_and_check(docs, output, project, pdf_path)[0]


def build_and_check(docs: Path, output: Path, project: str,
                    pdf_path: str = "typst") -> tuple[dict[str, Path], PdfFacts, dict[str, float]]:
    """:func:`build`, plus what the PDF holds and the wall time of each step."""
    if pdf_path not in PDF_PATHS:
        raise SystemExit(f"--pdf must be one of {', '.join(PDF_PATHS)}, not {pdf_path!r}")
    env = rtd_env(output, project)
    times: dict[str, float] = {}
    start = time.monotonic()
    sphinx("html", docs, output / "html", env)
    times["html"] = time.monotonic() - start
    start = time.monotonic()
    if pdf_path in PDF_JOBS:
        run_job(pdf_job(pdf_path, docs.name), docs.parent, env)
        pdfs = sorted((output / "pdf").glob("*.pdf"))
        if len(pdfs) != 1:
            raise SystemExit(f"expected one PDF in {output / 'pdf'}, found {pdfs}")
        pdf = pdfs[0]
    else:
        sphinx("latex", docs, output / "pdf", env)
        pdf = keep_only(output / "pdf", latexmk(output / "pdf", project, env), f"{project}.pdf")
    times["pdf"] = time.monotonic() - start
    start = time.monotonic()
    sphinx("epub", docs, output / "epub", env)
    epub = check_epub(output / "epub")
    keep_only(output / "epub", epub, f"{project}.epub")
    times["epub"] = time.monotonic() - start
    check_upload(output)
    artifacts = {
        "html": check_html(output / "html"),
        "epub": check_epub(output / "epub"),
        "pdf": pdf,
    }
    return artifacts, check_pdf(pdf, pdf_path), times


def main(argv: list[str] | None = None) -> None:
    """Command line: build, check, print where each artifact is."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "readthedocs")
    parser.add_argument("--project", default="sphinx-faq-ext", help="the RTD project slug")
    parser.add_argument("--pdf", choices=PDF_PATHS, default="typst",
                        help="the PDF path: .readthedocs.yaml's Typst job (default), "
                             "the WeasyPrint job of publishing.md, or RTD's LaTeX default")
    args = parser.parse_args(argv)
    output = args.output.resolve()
    if output.exists():  # Read the Docs starts from an empty output folder
        if not {p.name for p in output.iterdir()} <= {"html", "pdf", "epub", "htmlzip"}:
            raise SystemExit(f"{output} holds more than an earlier run's output; "
                             "give an empty or new folder")
        shutil.rmtree(output)
    artifacts, facts, times = build_and_check(args.docs.resolve(), output, args.project,
                                              args.pdf)
    for fmt, path in artifacts.items():
        print(f"{fmt:5} {path}")
    print(f"pdf   {facts.summary()}")
    print("wall  " + ", ".join(f"{fmt} {seconds:.1f} s" for fmt, seconds in times.items()))


if __name__ == "__main__":
    main()
