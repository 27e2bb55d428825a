"""Write the synthetic FAQ book twice: with sphinx-faq-ext markup and in plain MyST.

The command line of :func:`sphinx_faq_ext.testing.synthetic_book` (the book
the tests and the benchmarks share; its docstring says what is in it).

Usage: ``python benchmarks/make_book.py [--questions 100] [--notes 20] [--split]
[--refs 0] [--out DIR]``
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sphinx_faq_ext.testing import synthetic_book

#: The benchmarks' folder; their work goes to ``HERE / "_work"`` by default.
HERE = Path(__file__).resolve().parent


def main() -> None:
    """Write the two books and print their folders."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--notes", type=int, default=20, help="notes per question")
    parser.add_argument("--split", action="store_true", help="a page per section")
    parser.add_argument("--refs", type=int, default=0, help="references per question")
    parser.add_argument("--out", type=Path, default=HERE / "_work")
    args = parser.parse_args()
    books = synthetic_book(args.out, args.questions, args.notes, split=args.split,
                           refs=args.refs)
    for variant, folder in books.items():
        print(f"{variant:5} {folder}")


if __name__ == "__main__":
    main()
