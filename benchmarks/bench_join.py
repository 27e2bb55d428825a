"""Time the join of a Typst book laid out in parts: anew, and by replacing one part.

Reads the parts a ``faqpdf`` build left in its ``_parts/`` folder (for instance
``benchmarks/bench_suite.py --typst-rebuild``'s, under ``--work``) and, in this
process, measures in CPU seconds:

- ``join``: :func:`~sphinx_faq_ext.builders.pdf.join.join` of the front matter
  and every part (what a build from scratch, or a rebuild that moved a
  chapter's first page, does);
- ``open_book``: the last book opened and its objects read (a rebuild does it
  in a thread while the changed chapter is laid out);
- ``rejoin``: :func:`~sphinx_faq_ext.builders.pdf.join.rejoin` of that book
  with part ``--part`` replaced (by the same PDF: the same work as after an
  edit), and the time to free the book afterwards.

Usage: ``python benchmarks/bench_join.py FOLDER/_parts [--part 10]``
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sphinx_faq_ext.builders.pdf.join import join, open_book, rejoin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a Typst build's _parts folder")
    parser.add_argument("--part", type=int, default=10, help="index of the part replaced")
    args = parser.parse_args()
    manifest = next(args.folder.glob("*.parts.json"))
    stem = manifest.name.removesuffix(".parts.json")
    reports = json.loads(manifest.read_text("utf8"))
    names = sorted(name for name in reports if name[len(stem) + 1:].isdigit())
    names += [name for name in (f"{stem}-index",) if name in reports]
    body = [args.folder / f"{name}.pdf" for name in names]
    anchors = [reports[name]["anchors"] for name in names]
    front = args.folder / f"{stem}-front.pdf"
    with tempfile.TemporaryDirectory() as temporary:
        first, second = Path(temporary) / "first.pdf", Path(temporary) / "second.pdf"
        started = time.process_time()
        joined = join(front, body, first, anchors, margin_elements=False)
        print(f"join      {time.process_time() - started:6.2f} s CPU "
              f"({joined.pages} pages, {len(body)} parts)")
        started = time.process_time()
        book = open_book(first)
        print(f"open_book {time.process_time() - started:6.2f} s CPU")
        started = time.process_time()
        again = rejoin(first, joined.record, body, second, anchors, {args.part}, book)
        del book
        done = time.process_time()
        assert again is not None and again.pages == joined.pages
        print(f"rejoin    {done - started:6.2f} s CPU (part {args.part}: {names[args.part]})")


if __name__ == "__main__":
    main()
