"""Time clean builds of the synthetic book, ours against plain MyST, in one run.

Generates both books with :func:`sphinx_faq_ext.testing.synthetic_book` (same
text), then for each builder builds each variant from scratch ``--repeat``
times, alternating the variants so that machine noise hits both alike, and
prints the median wall time of each and the ratio ours/plain.  Each build is
a fresh ``python -m sphinx`` process (imports included, as a user would run it).

Usage: ``python benchmarks/bench_build.py [--questions 100] [--repeat 3]
[--builders html,epub,faqpdf] [--jobs 1]``
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from make_book import HERE

from sphinx_faq_ext.testing import sphinx_command, synthetic_book


def build_once(source: Path, out: Path, builder: str, jobs: int) -> tuple[float, float]:
    """One clean build: (wall seconds, CPU seconds). Fails on errors or warnings.

    CPU time (user + system of the build process) is the steadier figure on a
    busy machine; wall time is what a user waits.
    """
    doctrees = out.with_name(out.name + ".doctrees")
    for folder in (out, doctrees):
        shutil.rmtree(folder, ignore_errors=True)
    command = sphinx_command(source, out, builder, doctrees=doctrees, jobs=jobs,
                             options=("-q", "-W"))
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # With the bytecode cache, as an installed package has it (not recompiled each build).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return elapsed, cpu


Times = dict[str, dict[str, list[tuple[float, float]]]]


def bench(
    questions: int, notes: int, builders: list[str], repeat: int, jobs: int, work: Path
) -> Times:
    """(wall, CPU) times per builder and variant."""
    sources = synthetic_book(work / "src", questions, notes)
    times: Times = {}
    for builder in builders:
        times[builder] = {variant: [] for variant in sources}
        for round_ in range(repeat):
            order = list(sources) if round_ % 2 == 0 else list(reversed(sources))
            for variant in order:
                out = work / "out" / f"{variant}-{builder}"
                times[builder][variant].append(build_once(sources[variant], out, builder, jobs))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--notes", type=int, default=20, help="notes per question")
    parser.add_argument("--builders", default="html", help="e.g. html,epub,faqpdf")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="sphinx -j")
    parser.add_argument("--work", type=Path, default=HERE / "_work")
    args = parser.parse_args()
    builders = [name.strip() for name in args.builders.split(",") if name.strip()]
    times = bench(args.questions, args.notes, builders, args.repeat, args.jobs, args.work)
    print(f"\n{args.questions} questions, {args.notes} notes each, {args.repeat} clean builds "
          f"per variant, -j {args.jobs}, Python {sys.version.split()[0]}")
    print("median seconds of wall time (CPU time); ratio = ours / plain")
    print(f"{'builder':8} {'ours':>15} {'plain':>15} {'ratio wall':>11} {'ratio CPU':>10}")
    for builder, by_variant in times.items():
        wall = {v: statistics.median(t[0] for t in runs) for v, runs in by_variant.items()}
        cpu = {v: statistics.median(t[1] for t in runs) for v, runs in by_variant.items()}
        print(
            f"{builder:8} {wall['ours']:7.2f} ({cpu['ours']:5.2f}) "
            f"{wall['plain']:7.2f} ({cpu['plain']:5.2f}) "
            f"{wall['ours'] / wall['plain']:11.2f} {cpu['ours'] / cpu['plain']:10.2f}"
        )


if __name__ == "__main__":
    main()
