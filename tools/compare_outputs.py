"""Build ``docs/`` with the code of a git revision and of the working tree; list what differs.

A refactor that means to change no output proves it here: the book is built
to HTML, ePub, LaTeX (the ``.tex`` files) and ``faqpdf`` with each engine
(WeasyPrint, Typst), once with the package of *REV* (``git archive``) and
once with the package of the working tree (uncommitted changes included),
and every output file is compared byte for byte.  Nothing is normalised.

Both sides build the same book: the working tree's ``docs/`` (``--book
worktree``, the default), so that a difference comes from the code, not
from a page of ``docs/`` the refactor rewrote (docs/develop/how-it-works.md
describes the modules it moves).  ``--book each`` builds each side's own
``docs/`` instead.

Both sides are built from the same folder (``STAGE/sphinx_faq_ext``,
``STAGE/docs``, output in ``STAGE/_build``), one after the other, with the
same ``SOURCE_DATE_EPOCH``: an absolute path or a date that ends up in an
output is therefore the same on both sides and cannot pass for a change of
code.  The package is imported from the stage (``PYTHONPATH``), not from the
editable install; each build checks that it is.

Usage::

    python tools/compare_outputs.py REV [--formats html,epub,latex,weasyprint,typst]
                                        [--book worktree|each] [--cache] [--keep DIR] [-j N]

``--cache`` keeps REV's outputs (under the temporary folder, by commit and
by a digest of the book built) and reuses them next time: the same code and
book give the same outputs, which a run against the working tree at that
same commit shows (0 differences).  Exit status 1
when a file differs or exists on one side only.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What is copied from a revision or the working tree: the code and the book.
TREES = ("sphinx_faq_ext", "docs")
#: Output name: (builder, extra ``-D`` options, which files count).
FORMATS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "html": ("html", (), "*"),
    "epub": ("epub", (), "*"),
    "latex": ("latex", (), "*.tex"),
    "weasyprint": ("faqpdf", ("faq_pdf_engine=weasyprint",), "*"),
    "typst": ("faqpdf", ("faq_pdf_engine=typst",), "*"),
}
EPOCH = "1700000000"
STAGE = Path(tempfile.gettempdir()) / "faq-compare-outputs" / "stage"
CACHE = Path(tempfile.gettempdir()) / "faq-compare-outputs" / "cache"


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()


def stage_revision(rev: str, book: str) -> None:
    """The package of *rev*, as committed, in :data:`STAGE`, with *rev*'s own
    ``docs/`` (*book* ``each``) or the working tree's (``worktree``)."""
    reset_stage()
    trees = TREES if book == "each" else ("sphinx_faq_ext",)
    if book != "each":
        copy_tree("docs")
    archive = subprocess.run(["git", "archive", "--format=tar", rev, *trees], cwd=ROOT,
                             check=True, capture_output=True).stdout
    with tempfile.TemporaryFile() as handle:
        handle.write(archive)
        handle.seek(0)
        with tarfile.open(fileobj=handle) as tar:
            tar.extractall(STAGE, filter="data")


def stage_working_tree() -> None:
    """The package and ``docs/`` as they are in the working tree, in :data:`STAGE`."""
    reset_stage()
    for name in TREES:
        copy_tree(name)


def copy_tree(name: str) -> None:
    """The working tree's *name* (a folder) into :data:`STAGE`."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_build")
    shutil.copytree(ROOT / name, STAGE / name, ignore=ignore)


def book_digest(commit: str, book: str) -> str:
    """sha256 of the ``docs/`` a side built from *commit* reads."""
    if book == "each":
        return git("rev-parse", f"{commit}:docs")
    digest = hashlib.sha256()
    for path in sorted((ROOT / "docs").rglob("*")):
        if path.is_file() and "_build" not in path.parts and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def reset_stage() -> None:
    if STAGE.exists():
        shutil.rmtree(STAGE)
    STAGE.mkdir(parents=True)


def build(name: str, jobs: int) -> Path:
    """Build *name* from :data:`STAGE`; the output folder."""
    builder, defines, _ = FORMATS[name]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(STAGE),
           "PYTHONHASHSEED": "0"}
    where = subprocess.run(
        [sys.executable, "-c", "import sphinx_faq_ext; print(sphinx_faq_ext.__file__)"],
        env=env, cwd=STAGE, check=True, capture_output=True, text=True).stdout.strip()
    if not Path(where).is_relative_to(STAGE):
        raise SystemExit(f"sphinx_faq_ext imported from {where}, not from {STAGE}")
    out = STAGE / "_build" / name
    command = [sys.executable, "-m", "sphinx", "-q", "-b", builder, "-j", str(jobs),
               "-d", str(STAGE / "_build" / f"doctrees-{name}"),
               *(arg for define in defines for arg in ("-D", define)),
               str(STAGE / "docs"), str(out)]
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, env=env, cwd=STAGE, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{name} build failed:\n{result.stdout}\n{result.stderr}")
    return out


def keep(out: Path, pattern: str, target: Path) -> None:
    """Move the files of *out* matching *pattern* into *target*."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for path in sorted(out.rglob(pattern)):
        if path.is_file():
            dest = target / path.relative_to(out)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, dest)


def build_side(names: list[str], target: Path, jobs: int) -> None:
    for name in names:
        keep(build(name, jobs), FORMATS[name][2], target / name)


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def compare(before: Path, after: Path) -> list[str]:
    """Every difference between two output folders, one line each."""
    old, new = files(before), files(after)
    lines = [f"only in before: {name}" for name in sorted(old - new)]
    lines += [f"only in after:  {name}" for name in sorted(new - old)]
    lines += [f"differs:        {name}" for name in sorted(old & new)
              if not filecmp.cmp(before / name, after / name, shallow=False)]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the git revision to compare the working tree with")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help=f"comma-separated, of {', '.join(FORMATS)}")
    parser.add_argument("--book", choices=("worktree", "each"), default="worktree",
                        help="which docs/ both sides build (default: the working tree's)")
    parser.add_argument("--cache", action="store_true",
                        help="reuse (or keep) REV's outputs, by commit")
    parser.add_argument("--keep", type=Path, help="leave both sides' outputs in this folder")
    parser.add_argument("-j", "--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.formats.split(",") if name.strip()]
    if unknown := set(names) - set(FORMATS):
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")
    commit = git("rev-parse", "--verify", f"{args.rev}^{{commit}}")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="faq-compare-"))
    before, after = work / "before", work / "after"

    cached = CACHE / f"{commit}-{book_digest(commit, args.book)[:16]}"
    todo = [name for name in names if not (args.cache and (cached / name).is_dir())]
    if todo:
        print(f"building {', '.join(todo)} at {args.rev} ({commit[:7]})", flush=True)
        stage_revision(commit, args.book)
        build_side(todo, cached if args.cache else before, args.jobs)
    if args.cache:
        for name in names:
            if (before / name).exists():
                shutil.rmtree(before / name)
            shutil.copytree(cached / name, before / name)
    print(f"building the working tree (book: {args.book}'s docs/)", flush=True)
    stage_working_tree()
    build_side(names, after, args.jobs)

    total = 0
    for name in names:
        lines = compare(before / name, after / name)
        count = len(files(after / name))
        print(f"{name}: {count} files, {len(lines)} differ")
        for line in lines:
            print("   ", line)
        total += len(lines)
    print(f"{total} differences ({work})")
    if not args.keep:
        shutil.rmtree(work)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
