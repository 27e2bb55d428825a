# ruff: noqa: RUF001 (the multiplication sign of the tables is meant)
"""Write the measured tables of ``docs/performance.md`` from ``bench_suite.py``'s JSON.

The page has hand-written parts (what the figures mean, the causes of the
remaining gaps) and one generated part between two markers::

    <!-- bench:begin -->
    ... every table, made by this script ...
    <!-- bench:end -->

Only the generated part is replaced, so the analysis stays and the figures
always come from one benchmark run.  ``tests/test_benchmark.py`` checks that
the page holds exactly what this script makes from the results committed in
``benchmarks/published/``.

Usage: ``python benchmarks/perf_page.py [RESULTS.json ...] [PAGE.md]`` (several
results files are merged: for each size and step, the first file that has it).
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

#: The goals of issue 10, as (step, what, limit).
RATIO_GOAL = 1.05
MEMORY_GOAL = 1.10
LINEAR_GOAL = 1.10
FAQPDF_GOAL = 3.0
FAQPDF_MEMORY_MB = 2048
FIXED_COST_GOAL = 0.1  # seconds of CPU time a build over plain Sphinx (issue 23)
INCREMENTAL_GOAL = 1.5
PARALLEL_GOAL = 1.5
RTD_SECONDS = 15 * 60
RTD_MEMORY_MB = 3 * 1024
TYPST_REBUILD_SECONDS = 10  # the Typst PDF again after a one-question edit (issue 20)
TYPST_LATEX_GOAL = 0.8  # the Typst PDF's wall time against the LaTeX path (issue 20)
TYPST_WEASYPRINT_GOAL = 0.33  # ... and against WeasyPrint's faqpdf-parallel (issue 20)


def median(runs: list[dict[str, float]], key: str) -> float:
    """The median of *key* over runs (peak memory: the largest)."""
    values = [run[key] for run in runs]
    return max(values) if key == "peak_mb" else statistics.median(values)


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def step_rows(label: str, questions: int, steps: dict[str, Any]) -> list[str]:
    """One table row per step: ours, plain, ratios, per-question cost."""
    rows = []
    for step, variants in steps.items():
        if "ours" not in variants or "plain" not in variants:
            continue
        ours, plain = variants["ours"], variants["plain"]
        wall = median(ours, "wall") / median(plain, "wall")
        cpu = median(ours, "cpu") / median(plain, "cpu")
        mem = median(ours, "peak_mb") / median(plain, "peak_mb")
        baseline = "LaTeX path" if step.startswith("faqpdf") else "plain MyST"
        rows.append(
            f"| {label} | {step} | {median(ours, 'wall'):.1f} s ({median(ours, 'cpu'):.1f}) "
            f"| {median(ours, 'peak_mb'):.0f} MB | {baseline}: {median(plain, 'wall'):.1f} s "
            f"({median(plain, 'cpu'):.1f}), {median(plain, 'peak_mb'):.0f} MB "
            f"| {wall:.2f} | {cpu:.2f} | {mem:.2f} "
            f"| {1000 * median(ours, 'cpu') / questions:.0f} |"
        )
    return rows


def goals(data: dict[str, Any]) -> list[str]:
    """The goals of issue 10 that this run can judge, with the figure and a verdict."""
    sizes = data.get("sizes", {})
    lines = ["| goal | measured | verdict |", "|---|---|---|"]
    for step, variants in data.get("fixed_cost", {}).items():
        extra = median(variants["ours"], "cpu") - median(variants["plain"], "cpu")
        lines.append(f"| {step}: fixed cost a build (1-question book) ≤ {FIXED_COST_GOAL} s "
                     f"CPU over plain | {extra:+.2f} s "
                     f"| {verdict(extra <= FIXED_COST_GOAL)} |")
    # Issue 23: ours / plain in CPU time at every size and on the real book.
    books = [(f"{size} questions", sizes[size]) for size in sorted(sizes, key=int)]
    if isinstance(data.get("afaq"), dict):
        books.append(("the real book", data["afaq"]))
    for book, steps in books:
        for step in ("html", "epub", "latex"):
            variants = steps.get(step)
            if not variants or "ours" not in variants or "plain" not in variants:
                continue
            cpu = median(variants["ours"], "cpu") / median(variants["plain"], "cpu")
            wall = median(variants["ours"], "wall") / median(variants["plain"], "wall")
            mem = (median(variants["ours"], "peak_mb")
                   / median(variants["plain"], "peak_mb"))
            # two decimals, or three where two would round across the goal
            shown = f"{cpu:.2f}" if abs(cpu - RATIO_GOAL) >= 0.005 else f"{cpu:.3f}"
            lines.append(f"| {step} at {book}: ours / plain ≤ {RATIO_GOAL} in CPU time "
                         f"| CPU ×{shown}, wall ×{wall:.2f} "
                         f"| {verdict(cpu <= RATIO_GOAL)} |")
            lines.append(f"| {step} at {book}: peak memory ≤ ×{MEMORY_GOAL} "
                         f"| ×{mem:.2f} | {verdict(mem <= MEMORY_GOAL)} |")
    if "500" in sizes and (typst := sizes["500"].get("faqpdf-typst")) \
            and "ours" in typst and "plain" in typst:
        # Issue 20: the Typst PDF against the LaTeX path and the WeasyPrint faqpdf.
        wall = median(typst["ours"], "wall")
        peak = median(typst["ours"], "peak_mb")
        ratio = wall / median(typst["plain"], "wall")
        lines.append(f"| faqpdf-typst (Typst, `-j auto`) at 500 questions ≤ "
                     f"{TYPST_LATEX_GOAL}× the LaTeX path (.tex + latexmk), ≤ 2 GB "
                     f"| ×{ratio:.2f} (CPU ×"
                     f"{median(typst['ours'], 'cpu') / median(typst['plain'], 'cpu'):.2f}), "
                     f"{peak:.0f} MB | {verdict(ratio <= TYPST_LATEX_GOAL and peak <= 2048)} |")
        weasy = sizes["500"].get("faqpdf-parallel", {}).get("ours")
        if weasy:
            ratio = wall / median(weasy, "wall")
            lines.append(f"| faqpdf-typst at 500 questions ≤ {TYPST_WEASYPRINT_GOAL}× "
                         f"WeasyPrint's faqpdf-parallel | {wall:.1f} s against "
                         f"{median(weasy, 'wall'):.1f} s: ×{ratio:.2f} "
                         f"| {verdict(ratio <= TYPST_WEASYPRINT_GOAL)} |")
    if "500" in sizes:
        pdf_steps = [
            ("faqpdf-parallel", "one PDF, chapters laid out side by side, `-j auto`"),
            ("faqpdf", "one PDF, chapter by chapter, `-j 1`"),
            ("faqpdf-one-piece", "one PDF laid out in one piece"),
        ] + [
            (step, f"{volumes[1]} volumes, `-j auto`") for step in sizes["500"]
            if (volumes := re.fullmatch(r"faqpdf-(\d+)-volumes", step))]
        for step, what in pdf_steps:
            pdf = sizes["500"].get(step)
            if not pdf or "ours" not in pdf or "plain" not in pdf:
                continue
            ratio = median(pdf["ours"], "wall") / median(pdf["plain"], "wall")
            cpu = median(pdf["ours"], "cpu") / median(pdf["plain"], "cpu")
            peak = median(pdf["ours"], "peak_mb")
            lines.append(f"| {step} ({what}) at 500 questions ≤ {FAQPDF_GOAL:.0f}× the LaTeX "
                         f"path (.tex + latexmk), < 2 GB | ×{ratio:.2f} (CPU ×{cpu:.2f}), "
                         f"{peak:.0f} MB "
                         f"| {verdict(ratio <= FAQPDF_GOAL and peak < FAQPDF_MEMORY_MB)} |")
    numeric = sorted(int(size) for size in sizes)
    if len(numeric) > 1:
        small, large = str(numeric[0]), str(numeric[-1])
        for step in sizes[small]:
            if step not in sizes[large]:
                lines.append(f"| {step}: CPU per question at {large} within ×{LINEAR_GOAL} of "
                             f"{small} | not measured at {large} | **not met** |")
                continue
            if "ours" not in sizes[small][step]:
                continue
            growth = ((median(sizes[large][step]["ours"], "cpu") / int(large))
                      / (median(sizes[small][step]["ours"], "cpu") / int(small)))
            # two decimals, or three where two would round across the goal
            shown = f"{growth:.2f}" if abs(growth - LINEAR_GOAL) >= 0.005 else f"{growth:.3f}"
            lines.append(f"| {step}: CPU per question at {large} within ×{LINEAR_GOAL} of "
                         f"{small} | ×{shown} | {verdict(growth <= LINEAR_GOAL)} |")
    for kind, figures in incremental_kinds(data):
        ratio = figures["ours"]["wall"] / figures["plain"]["wall"]
        cpu = figures["ours"]["cpu"] / figures["plain"]["cpu"]
        lines.append(f"| incremental ({kind}) ≤ ×{INCREMENTAL_GOAL} plain Sphinx "
                     f"| ×{ratio:.2f} (CPU ×{cpu:.2f}), "
                     f"{figures['ours']['rewritten']:.0f} pages rewritten "
                     f"(plain {figures['plain']['rewritten']:.0f}) "
                     f"| {verdict(ratio <= INCREMENTAL_GOAL)} |")
    if par := data.get("parallel"):
        lines.append(f"| html `-j auto` ≥ ×{PARALLEL_GOAL} on {par['cores']} cores "
                     f"({extras_size(data)} questions) "
                     f"| ×{par['speedup']:.2f} | {verdict(par['speedup'] >= PARALLEL_GOAL)} |")
    if rtd := data.get("rtd"):
        within = rtd["wall"] <= RTD_SECONDS and rtd["peak_mb"] <= RTD_MEMORY_MB
        lines.append(f"| whole Read the Docs build ({rtd.get('pdf', 'pdf')} PDF, "
                     f"{extras_size(data)} questions) ≤ 15 min, "
                     f"≤ 3 GB | {rtd['wall'] / 60:.1f} min, {rtd['peak_mb']:.0f} MB "
                     f"| {verdict(within)} |")
    return lines


def incremental_kinds(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """``incremental`` as (edit kind, {ours, plain}) pairs (one unnamed kind: "text edit")."""
    figures = data.get("incremental")
    if not figures:
        return []
    if "ours" in figures:
        return [("text edit", figures)]
    return [(f"{kind.replace('_', ' ').removesuffix(' edit')} edit", value)
            for kind, value in figures.items() if isinstance(value, dict) and "ours" in value]


def extras_size(data: dict[str, Any]) -> str:
    """The book size the incremental, parallel and Read the Docs figures are for."""
    if size := data.get("incremental", {}).get("questions"):
        return str(size)
    if match := re.search(r"--extras-size (\d+)", data.get("command", "")):
        return match.group(1)
    return str(max((int(size) for size in data.get("sizes", {})), default=0))


def fixed_cost_rows(data: dict[str, Any], heading: str = "###") -> list[str]:
    """The fixed cost table: a one-question book, ours against plain, per builder."""
    fixed = data.get("fixed_cost")
    if not fixed:
        return []
    runs = max(len(variants["ours"]) for variants in fixed.values())
    out = ["", f"{heading} Fixed cost of a build", "",
           "A book of one question, ours and plain MyST, built alternately "
           f"({runs} builds each, medians): what every build pays whatever the "
           "book's size (starting Python and Sphinx, imports, `setup()`, the "
           "builder's own files).", "",
           "| step | ours (CPU) | plain (CPU) | ours − plain | wall ours / plain |",
           "|---|---|---|---|---|"]
    for step, variants in fixed.items():
        ours, plain = median(variants["ours"], "cpu"), median(variants["plain"], "cpu")
        out.append(f"| {step} | {ours:.2f} s | {plain:.2f} s | {ours - plain:+.2f} s "
                   f"| {median(variants['ours'], 'wall'):.1f} s / "
                   f"{median(variants['plain'], 'wall'):.1f} s |")
    return out


def instruction_rows(data: dict[str, Any], heading: str = "###") -> list[str]:
    """Instructions of a clean build, ours against plain (``--instructions``).

    Counted by Valgrind, they do not move with the machine's load: the one
    measure of this page that a shared machine leaves exact.
    """
    run = data.get("instructions")
    if not run:
        return []
    counted = run["counts"]
    out = ["", f"{heading} Instructions executed", "",
           f"`{run.get('command', 'benchmarks/bench_suite.py --instructions')}`"
           + (f" on {run['date']}" if run.get("date") else "")
           + ": the instructions one clean build executes (Valgrind's cachegrind, "
           "`PYTHONHASHSEED=0`, bytecode cache on), ours and plain MyST, one build of "
           "each (the count is the same from run to run and whatever the load). "
           "The book of 1 question is the fixed cost of a build; latex is the `.tex` "
           "(no latexmk).", "",
           "| book | step | ours | plain | ours − plain | ours / plain |",
           "|---|---|---|---|---|---|"]
    def order(item: tuple[str, Any]) -> float:
        return int(item[0]) if item[0].isdigit() else float("inf")  # the real book last

    for size, steps in sorted(counted.items(), key=order):
        book = ("1 question" if size == "1" else f"{size} questions" if size.isdigit()
                else "*An Anarchist FAQ*" if size == "afaq" else size)
        for step, variants in steps.items():
            ours, plain = variants["ours"], variants["plain"]
            out.append(f"| {book} | {step} | {ours / 1e9:.3f} G | {plain / 1e9:.3f} G "
                       f"| {(ours - plain) / 1e9:+.3f} G | {ours / plain:.3f} |")
    return out


def typst_rebuild_rows(data: dict[str, Any], judged: bool, heading: str = "###") -> list[str]:
    """The Typst PDF from scratch, then again after a one-question edit (``--typst-rebuild``)."""
    figures = data.get("typst_rebuild")
    if not figures:
        return []
    clean, edit = figures["clean"], figures["edit"]
    goal = (f" Goal: ≤ {TYPST_REBUILD_SECONDS} s; "
            f"{verdict(edit['wall'] <= TYPST_REBUILD_SECONDS)}." if judged else "")
    return ["", f"{heading} Typst PDF after a one-question edit", "",
            f"The {figures['questions']}-question book's Typst PDF (`-j auto`, "
            f"{figures['parts']} parts) from scratch: {clean['wall']:.1f} s "
            f"({clean['cpu']:.1f} s CPU, largest process {clean['largest_mb']:.0f} MB); "
            f"then the text of question {figures['edited']} edited and the PDF made again: "
            f"{edit['wall']:.1f} s ({edit['cpu']:.1f} s CPU, largest process "
            f"{edit['largest_mb']:.0f} MB).{goal}"]


def shared_rows(runs: list[dict[str, Any]]) -> list[str]:
    """Runs taken on a shared machine: shown apart, their ratios indicative only."""
    out: list[str] = []
    for data in runs:
        machine = data.get("machine", {})
        load = machine.get("load") or ["?", "?"]
        out += ["", "### Measured on a shared machine", "",
                f"`{data.get('command', 'benchmarks/bench_suite.py')}`"
                + (f" on {data['date']}" if data.get("date") else "")
                + f", while other people used the {machine.get('cores', '?')} cores "
                f"(load average {load[0]} at the start, {load[-1]} at the end). CPU time "
                "is inflated on a busy machine and wall time means nothing: these ratios "
                "are indicative, not judged against the goals above.",
                *fixed_cost_rows(data, "####"), *instruction_rows(data, "####")]
        rows = [row for size, steps in sorted(data.get("sizes", {}).items(),
                                              key=lambda item: int(item[0]))
                for row in step_rows(f"{size} questions", int(size), steps)]
        if rows:  # (a run of --typst-rebuild only has none)
            out += ["", "Clean builds, as in the table above (medians of CPU time in "
                    "parentheses):",
                    "", "| book | step | ours | peak | baseline | wall × | CPU × "
                    "| memory × | ms CPU / question |", "|---|---|---|---|---|---|---|---|---|",
                    *rows]
        out += typst_rebuild_rows(data, judged=False, heading="####")
    return out


def render(data: dict[str, Any]) -> str:
    """The generated part of the page (between the markers, markers excluded)."""
    machine = data.get("machine", {})
    out = [
        "",
        f"Measured by `{data.get('command', 'benchmarks/bench_suite.py')}`"
        + (f" on {data['date']}" if data.get("date") else "")
        + f": {machine.get('cores', '?')} cores, Python {machine.get('python', '?')}"
        + (f", Sphinx {data['sphinx']}" if data.get("sphinx") else "")
        + (f", WeasyPrint {data['weasyprint']}" if data.get("weasyprint") else "")
        + f"; {data.get('notes', '?')} notes a question."
        + (f" Left out: {data['dropped']}." if data.get("dropped") else ""),
        "",
        "### Goals",
        "",
        *(goal_lines if len(goal_lines := goals(data)) > 2
          else ["This run measured none of the sizes the goals are set for."]),
        "",
        *fixed_cost_rows(data)[1:],
        *([""] if data.get("fixed_cost") else []),
        "### Clean builds",
        "",
        "Median wall time (CPU time: user + system, children included), peak resident "
        "memory (of the largest process, or of all the build's processes at once, "
        "whichever is larger); ratios are ours / baseline.  The baseline is the "
        "same book in plain MyST, built the same way, alternately with ours; for `faqpdf` "
        "it is that book's LaTeX path (`.tex` and latexmk), which the WeasyPrint PDF "
        "replaces.",
        "",
        "| book | step | ours | peak | baseline | wall × | CPU × | memory × | ms CPU / question |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size, steps in sorted(data.get("sizes", {}).items(), key=lambda item: int(item[0])):
        out.extend(step_rows(f"{size} questions", int(size), steps))
    if afaq := data.get("afaq"):
        steps = {key: value for key, value in afaq.items() if isinstance(value, dict)}
        out.extend(step_rows(f"*An Anarchist FAQ* ({afaq['questions']} questions)",
                             int(afaq["questions"]), steps))
    kinds = incremental_kinds(data)
    if kinds:
        figures = data["incremental"]
        book = (f"a page per section, {figures['refs']} reference(s) a question"
                if figures.get("layout") == "sections" else "a page per letter")
        out += ["", "### Incremental rebuilds", "",
                f"After a clean html build of the {extras_size(data)}-question book "
                f"({book}), one question's "
                "text is edited and the book rebuilt, then its title; plain Sphinx gets the "
                "same edits.", "",
                "| edit | ours | plain | × | pages rewritten (ours / plain) |",
                "|---|---|---|---|---|"]
        for kind, figures in kinds:
            ours, plain = figures["ours"], figures["plain"]
            out.append(f"| {kind} | {ours['wall']:.1f} s | {plain['wall']:.1f} s "
                       f"| {ours['wall'] / plain['wall']:.2f} "
                       f"| {ours['rewritten']:.0f} / {plain['rewritten']:.0f} "
                       f"of {ours['pages']:.0f} |")
    if par := data.get("parallel"):
        out += ["", "### Parallel build", "",
                f"html of the {extras_size(data)}-question book with `-j auto` on "
                f"{par['cores']} cores: {par['jauto']:.1f} s against "
                f"{par['j1']:.1f} s with `-j 1` (×{par['speedup']:.2f})."]
    if rtd := data.get("rtd"):
        out += ["", "### Read the Docs", "",
                f"The whole build Read the Docs runs for the {extras_size(data)}-question "
                "book (html, epub, PDF with "
                f"{rtd.get('pdf', '?')}): {rtd['wall']:.0f} s wall, {rtd['cpu']:.0f} s CPU, "
                f"peak {rtd['peak_mb']:.0f} MB."]
    out += instruction_rows(data)
    out += typst_rebuild_rows(data, judged=True)
    out += shared_rows(data.get("shared_runs", []))
    out.append("")
    return "\n".join(out)


def update(page: Path, data: dict[str, Any]) -> str:
    """The page's text with its generated part replaced."""
    text = page.read_text("utf8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + render(data) + text[end:]


def merged(results: list[Path]) -> dict[str, Any]:
    """Several results files as one: for each size (the real book's too) and step,
    and for every other part, the first file that has it wins (so a later,
    narrower run named to sort first, e.g. ``results-faqpdf.json``, replaces
    those steps only).  A run taken on a shared machine (``--shared``) replaces
    nothing: it is kept apart, under ``shared_runs``."""
    import json

    data: dict[str, Any] = {"sizes": {}}
    commands = []
    shared = []
    for path in results:
        part = json.loads(path.read_text("utf8"))
        if part.get("machine", {}).get("shared"):
            shared.append(part)  # shown apart (shared_rows), never mixed with quiet runs
            continue
        if part.get("sizes") or not part.get("instructions"):
            # an --instructions run names its own command in its table
            commands.append(part.get("command", path.name))
        for size, steps in part.get("sizes", {}).items():
            for step, variants in steps.items():
                data["sizes"].setdefault(size, {}).setdefault(step, variants)
        if counted := part.get("instructions"):
            # several --instructions runs: for each book and step, the first file's
            into = data.setdefault("instructions", {"command": [], "date": counted.get("date"),
                                                    "counts": {}})
            into["command"].append(counted.get("command", path.name))
            for size, steps in counted.get("counts", {}).items():
                for step, variants in steps.items():
                    into["counts"].setdefault(size, {}).setdefault(step, variants)
        for key, value in part.items():
            if key == "dropped" and data.get("dropped"):
                data["dropped"] += f"; {value}"  # every file's, not the first one's
            elif key == "afaq" and isinstance(value, dict):
                # the real book as a size: for each step, the first file's
                for step, figures in value.items():
                    data.setdefault("afaq", {}).setdefault(step, figures)
            elif key == "fixed_cost" and isinstance(value, dict):
                # a --fixed-cost run of some builders replaces those builders only
                for step, variants in value.items():
                    data.setdefault("fixed_cost", {}).setdefault(step, variants)
            elif key not in ("sizes", "instructions"):
                data.setdefault(key, value)
    if "fixed_cost" in data:  # html, epub, latex, as the builders are listed elsewhere
        order = {step: index for index, step in enumerate(("html", "epub", "latex"))}
        data["fixed_cost"] = dict(sorted(data["fixed_cost"].items(),
                                         key=lambda item: order.get(item[0], len(order))))
    data["command"] = "`, then `".join(commands)
    if "instructions" in data:
        data["instructions"]["command"] = "`, then `".join(data["instructions"]["command"])
    if shared:
        data["shared_runs"] = shared
    return data


def main(argv: list[str]) -> None:
    results = [Path(a) for a in argv if a.endswith(".json")] or sorted(
        (HERE / "published").glob("results*.json"))
    pages = [Path(a) for a in argv if a.endswith(".md")]
    page = pages[0] if pages else HERE.parent / "docs" / "performance.md"
    page.write_text(update(page, merged(results)), "utf8")
    print(f"wrote {page} from {', '.join(map(str, results))}")


if __name__ == "__main__":
    main(sys.argv[1:])
