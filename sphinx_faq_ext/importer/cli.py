"""``sphinx-faq-ext import SOURCE... OUTDIR`` and ``sphinx-faq-ext check PROJECT HTMLDIR``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sphinx_faq_ext.importer.check.fidelity import check_build
from sphinx_faq_ext.importer.project import ImportOptions, import_book
from sphinx_faq_ext.importer.recognise.authors import SettingsError as AuthorSettingsError
from sphinx_faq_ext.importer.settings import BookSettings, SettingsError, load_settings


def parser() -> argparse.ArgumentParser:
    """The command line."""
    main = argparse.ArgumentParser(
        prog="sphinx-faq-ext",
        description="Bring an existing FAQ book (HTML pages or plain text) into Sphinx.",
    )
    commands = main.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="import pages into a new Sphinx project")
    imp.add_argument("paths", nargs="+", type=Path, metavar="SOURCE... OUTDIR",
                     help="HTML/text files or folders to import, then the project folder")
    imp.add_argument("--split", choices=("question", "section"), default="question",
                     help="one MyST file per question (default) or per source page")
    imp.add_argument("--start", default="",
                     help="the book's contents page, whose links give its order "
                          "(default: found by rule, see docs/howto/import.md)")
    imp.add_argument("--settings", type=Path, default=None, metavar="FILE",
                     help="the book's import settings (TOML): what no rule can know")
    imp.add_argument("--title", default="", help="the book's title (default: its contents "
                                                 "page's)")
    imp.add_argument("--author", default="", help="the book's author(s)")
    imp.add_argument("--language", default="", help="the book's language (default: en)")
    imp.add_argument("--flavour", choices=("faq", "plain"), default="faq",
                     help="our directives and roles (default), or plain MyST without "
                          "sphinx-faq-ext (headings, footnotes, block quotes)")
    check = commands.add_parser(
        "check", help="compare each question's source text with the built HTML")
    check.add_argument("project", type=Path, help="the folder the import wrote")
    check.add_argument("html", type=Path, help="the folder sphinx-build -b html wrote")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run the command; 0 on success."""
    args = parser().parse_args(argv)
    if args.command == "check":
        result = check_build(args.project, args.html)
        print(result.summary())
        for mismatch in result.mismatches:
            print(f"  {mismatch.number} ({mismatch.file}:{mismatch.line}): {mismatch.detail}")
        for number in result.missing:
            print(f"  {number}: not in the built HTML")
        return 0 if not result.mismatches and not result.missing else 1
    if len(args.paths) < 2:
        print("sphinx-faq-ext import: give at least one SOURCE and the OUTDIR", file=sys.stderr)
        return 2
    *sources, outdir = args.paths
    missing = [s for s in sources if not s.exists()]
    if missing:
        print(f"sphinx-faq-ext import: no such file: {', '.join(map(str, missing))}",
              file=sys.stderr)
        return 2
    settings = BookSettings()
    if args.settings is not None:
        try:
            settings = load_settings(args.settings)
        except SettingsError as error:
            print(f"sphinx-faq-ext import: {error}", file=sys.stderr)
            return 2
    options = ImportOptions(split=args.split, start=args.start, title=args.title,
                            author=args.author, language=args.language,
                            flavour=args.flavour, settings=settings)
    try:
        report = import_book(sources, outdir, options)
    except AuthorSettingsError as error:  # the [authors] table, read by the author rules
        print(f"sphinx-faq-ext import: {error}", file=sys.stderr)
        return 2
    print(report.summary())
    print(f"Project written to {outdir} (report: {outdir / '_import' / 'report.md'})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
