"""The CPU each WeasyPrint patch saves, at 500 questions with 40 notes (faqpdf, WeasyPrint).

Which of the engine's patches (``builders/pdf/weasyprint/upstream/``, applied
by ``layout.weasyprint_patches()``) earn their keep?  The book is written
once as the HTML parts the WeasyPrint engine lays out chapter by chapter (the
default), then some of those parts are laid out in fresh processes, with all
patches and without one of them, alternating, and the CPU time (user + system
of the child) compared.  Layout is what the patches touch; Sphinx's reading
and the join are the same either way, so the saving on the whole build is
smaller than the one printed here (the figure says which).

    python benchmarks/bench_patches.py prepare /tmp/bench-patches
    python benchmarks/bench_patches.py measure /tmp/bench-patches --rounds 2

The machine may be shared: CPU time is less sensitive to load than wall time
but not immune (caches, frequency), hence the alternation and the rounds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

#: What can be switched off, by name: the speed patches kept (the others
#: change what is printed, not how fast).  Three more were measured so and
#: removed under 5 % (docs/develop/weasyprint-patches.md).
SPEED_PATCHES = ("notes_area_summed", "fewer_collections")


def prepare(folder: Path, questions: int, notes: int) -> None:
    """The synthetic book, and its parts' HTML as the WeasyPrint engine writes them."""
    from sphinx_faq_ext.testing import synthetic_book

    source = synthetic_book(folder / "book", questions, notes)["ours"]
    script = (
        "import sys\n"
        "from sphinx.cmd.build import build_main\n"
        "from sphinx_faq_ext.builders.pdf.weasyprint.builder import FaqPdfBuilder\n"
        "FaqPdfBuilder.write_pdf = lambda self: None  # the HTML only\n"
        "sys.exit(build_main(['-q', '-b', 'faqpdf', '-D', 'faq_pdf_engine=weasyprint',"
        " sys.argv[1], sys.argv[2]]))\n"
    )
    subprocess.run([sys.executable, "-c", script, str(source), str(folder / "out")],
                   check=True)


def lay_out(htmls: list[Path], without: str) -> float:
    """Lay *htmls* out under every patch but *without*; this process's CPU seconds."""
    from sphinx_faq_ext.builders.pdf.weasyprint import layout

    if without:
        setattr(layout, without, contextlib.nullcontext)
    layout.load_weasyprint()
    before = resource.getrusage(resource.RUSAGE_SELF)
    with tempfile.TemporaryDirectory() as tmp, layout.weasyprint_patches():
        for html in htmls:
            layout.lay_out(html, Path(tmp) / "part.pdf", html.parent.parent)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def parts(folder: Path, count: int) -> list[Path]:
    """The first *count* chapters of the book (the synthetic book's are alike)."""
    return sorted((folder / "out" / "_parts").glob("*-[0-9]*.html"))[:count]


def measure(folder: Path, rounds: int, count: int, only: list[str]) -> dict[str, object]:
    """Rounds of "all patches", then "all but one" for each; CPU seconds of each."""
    htmls = parts(folder, count)
    runs: dict[str, list[float]] = {"": []}
    for name in only:
        runs[name] = []
    for _round in range(rounds):
        for without in ("", *only):  # all patches, then each one left out
            done = subprocess.run(
                [sys.executable, __file__, "lay-out", without, *map(str, htmls)],
                check=True, capture_output=True, text=True)
            seconds = float(done.stdout.strip().splitlines()[-1])
            runs[without].append(seconds)
            print(f"without {without or '(none)'}: {seconds:.1f} s", file=sys.stderr)
    base = min(runs[""])
    effects = {name: (min(times) - base) / base for name, times in runs.items() if name}
    return {"parts": [h.name for h in htmls], "runs": runs, "effect": effects}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("folder", type=Path)
    p.add_argument("--questions", type=int, default=500)
    p.add_argument("--notes", type=int, default=40)
    m = sub.add_parser("measure")
    m.add_argument("folder", type=Path)
    m.add_argument("--rounds", type=int, default=2)
    m.add_argument("--chapters", type=int, default=1)
    m.add_argument("--only", nargs="*", default=list(SPEED_PATCHES))
    lo = sub.add_parser("lay-out")
    lo.add_argument("without")
    lo.add_argument("htmls", nargs="+", type=Path)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.folder, args.questions, args.notes)
    elif args.command == "measure":
        print(json.dumps(measure(args.folder, args.rounds, args.chapters, args.only), indent=1))
    else:
        print(f"{lay_out(args.htmls, args.without):.3f}")


if __name__ == "__main__":
    main()
