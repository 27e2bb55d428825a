"""Property-based fuzzing of sphinx-faq-ext: generate FAQ documents, build them, check.

The command line of the fuzz harness::

    python -m tools.fuzz --count 1000 --seed 13 --json fuzz.json
    python -m tools.fuzz --count 1000 --shard 0/2 --json a.json   # one of two processes
    python -m tools.fuzz --merge a.json b.json                    # their table together

It draws documents (:mod:`generator`), builds and checks them
(:mod:`runner`, :mod:`checks`), prints the table of failures by builder and
by signature, and exits 1 when a failure is not a known bug.  ``nox -s fuzz``
runs it; ``--help`` lists the options.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

from .checks import Failure, classify
from .generator import generate, render
from .runner import Report, run


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.fuzz``: generate, build, check and print the counts."""
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="documents (default 1000)")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (random)")
    parser.add_argument("--batch", type=int, default=40, help="documents per project")
    parser.add_argument("--pdf", type=int, default=200,
                        help="documents also built with latexmk and faqpdf's two engines "
                             "(default 200)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep projects here")
    parser.add_argument("--shard", default="0/1",
                        help="K/N: build only every N-th batch from the K-th (N processes)")
    parser.add_argument("--json", type=Path, default=None, help="write failures as JSON")
    parser.add_argument("--save-docs", type=Path, default=None,
                        help="write every generated document to this folder")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"fuzz: seed {seed}, {args.count} documents", flush=True)
    docs = generate(args.count, seed=seed)
    if args.save_docs:
        args.save_docs.mkdir(parents=True, exist_ok=True)
        for i, doc in enumerate(docs):
            rendered = render(doc, i)
            (args.save_docs / f"{rendered.docname}{rendered.suffix}").write_text(
                rendered.text, "utf8")
    tools = all(shutil.which(tool) for tool in ("latexmk", "pdftotext"))
    pdf = min(args.pdf, args.count) if tools else 0
    shard_k, shard_n = (int(part) for part in args.shard.split("/"))

    def save(report: Report, done: str) -> None:
        if args.json:
            args.json.write_text(json.dumps({
                "seed": seed, "count": args.count, "shard": args.shard, "done": done,
                "documents": report.documents,
                "builds": dict(report.builds), "counts": report.counts(),
                "failures": [f.as_dict() for f in report.failures],
            }, indent=1), "utf8")

    def progress(line: str, report: Report) -> None:
        print(line, flush=True)
        save(report, line)

    report = run(docs, pdf_docs=pdf, batch_size=args.batch, workdir=args.workdir,
                 progress=progress, shard=(shard_k, shard_n))
    save(report, f"all {report.documents} documents")
    print(report.summary())
    print(f"seed {seed}: reproduce with --seed {seed}")
    return 1 if report.unknown() else 0


def merge(paths: list[Path]) -> str:
    """The summary table of several ``--json`` files (shards of one run)."""
    report = Report()
    for path in paths:
        data = json.loads(path.read_text("utf8"))
        report.documents += data.get("documents", 0)
        report.builds.update(data["builds"])
        failures = [Failure(**f) for f in data["failures"]]
        # classify again with this file's KNOWN_BUGS (the run may be older)
        docs = generate(data.get("count", 1000), seed=data["seed"])
        by_name = {r.docname: r for r in (render(doc, i) for i, doc in enumerate(docs))}
        for failure in failures:
            failure.known = None
        classify(failures, by_name)
        report.failures.extend(failures)
        print(f"{path}: {data['done']}")
    return report.summary()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--merge"]:
        print(merge([Path(arg) for arg in sys.argv[2:]]))
        sys.exit(0)
    sys.exit(main())
