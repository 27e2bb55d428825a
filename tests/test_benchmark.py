# ruff: noqa: RUF001 (the multiplication sign of the tables is meant)
"""Smoke test of the benchmark generator: both 3-question books build cleanly.

Not a timed test: ``benchmarks/bench_build.py`` does the timing.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest
from conftest import REPO, load_script, read_page
from external_tools import python, sphinx_process
from seed import words

from sphinx_faq_ext.testing import book, synthetic_book


def build(source: Path, out: Path) -> str:
    return sphinx_process(source, out).warnings


def text_of(page: Path) -> str:
    soup = read_page(page)
    body = soup.find(attrs={"role": "main"}) or soup.body
    for hidden in body.select("a.headerlink, a.faq-backlink, span.faq-sidenote"):
        hidden.decompose()
    return words(body.get_text(" "))


def count(page: Path, selector: str) -> int:
    return len(read_page(page).select(selector))


@pytest.mark.parametrize("size", [100, 650, 1000])
def test_a_book_of_n_questions_has_n_questions_in_chapters_of_25(size: int) -> None:
    """The "1,000-question" book once stopped at Z: 650 questions, costs divided by 1,000."""
    numbers = list(book.numbers(size))
    assert len(numbers) == len(set(numbers)) == size
    chapters = book.pages(book.make_questions(size, notes=1))
    assert sum(len(questions) for questions in chapters.values()) == size
    assert {len(questions) for questions in chapters.values()} == {25}
    if size == 1000:
        assert list(chapters)[26:28] == ["aa", "ab"] and numbers[-1] == "AN.4.5"


def test_both_books_build_without_warnings_and_say_the_same(tmp_path: Path) -> None:
    sources = synthetic_book(tmp_path / "src", count=3, notes=20)
    assert sorted(sources) == ["ours", "plain"]
    for variant, source in sources.items():
        assert build(source, tmp_path / variant) == "", variant
    ours = text_of(tmp_path / "ours" / "a.html")
    plain = text_of(tmp_path / "plain" / "a.html")
    # A, A.1 and A.1.1, nested, 20 notes each, in both books
    for number in ("A ", "A.1 ", "A.1.1 "):
        assert f"{number}Why is" in ours and f"{number}Why is" in plain
    markers = {
        "ours": count(tmp_path / "ours" / "a.html", "a.faq-noteref"),
        "plain": count(tmp_path / "plain" / "a.html", "a.footnote-reference"),
    }
    assert markers == {"ours": 3 * 20, "plain": 3 * 20}
    # every sentence of the plain book is in ours
    sentences = re.findall(r"[A-Z][a-z-]+(?: [a-z-]+){8,}\.", plain)
    assert len(sentences) > 100
    assert [s for s in sentences if s not in ours] == []


def load_suite() -> ModuleType:
    """benchmarks/bench_suite.py, a script beside make_book.py (it imports HERE from it)."""
    return load_script(REPO / "benchmarks" / "bench_suite.py", "bench_suite")

def test_suite_measures_both_books_and_reports_ratios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The benchmark runs end to end on a tiny book: figures per variant, JSON, report."""
    suite = load_suite()
    results = suite.bench_size(2, 5, ["html"], 1, tmp_path)
    runs = results["html"]
    assert sorted(runs) == ["ours", "plain"]
    for variant in ("ours", "plain"):
        (run,) = runs[variant]
        assert run.wall > 0 and run.cpu > 0 and run.peak_mb > 10
    suite.report({2: results}, 5)
    out = capsys.readouterr().out
    assert "html" in out and "ratio = ours / plain" in out
    # a failing build is an error, not a figure
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "conf.py").write_text("raise RuntimeError('no')\n")
    with pytest.raises(SystemExit):
        suite.measure(suite.sphinx_command("html", broken, tmp_path / "out"))


def test_suite_saves_as_it_goes_and_reuses_the_latex_baseline(tmp_path: Path) -> None:
    """faqpdf's baseline is the latex step's plain runs when the run has them (not built
    twice); *saved* is called after each builder, with the results filled so far."""
    from external_tools import need_tool

    need_tool("latexmk")
    suite = load_suite()
    seen: list[list[str]] = []
    results: dict = {}
    suite.bench_size(2, 3, ["latex", "faqpdf"], 1, tmp_path, into=results,
                     saved=lambda: seen.append(sorted(results)))
    assert seen == [["latex", "latexpdf"], ["faqpdf", "latex", "latexpdf"]]
    (latex,), (pdf,) = results["latex"]["plain"], results["latexpdf"]["plain"]
    (baseline,) = results["faqpdf"]["plain"]
    assert baseline.wall == latex.wall + pdf.wall and baseline.cpu == latex.cpu + pdf.cpu
    assert not (tmp_path / "q2" / "out" / "plain-faqpdf").exists()
    (ours,) = results["faqpdf"]["ours"]
    assert ours.wall > 0 and list((tmp_path / "q2" / "out" / "ours-faqpdf").rglob("*.pdf"))


def load_page_maker() -> ModuleType:
    return load_script(REPO / "benchmarks" / "perf_page.py", "perf_page")


def _runs(wall: float, cpu: float, peak: float) -> list[dict[str, float]]:
    return [{"wall": wall, "cpu": cpu, "peak_mb": peak}]


def test_performance_page_tables_and_verdicts() -> None:
    page = load_page_maker()
    data = {
        "notes": 40, "machine": {"cores": 2, "python": "3.11"},
        "sizes": {
            "100": {"html": {"ours": _runs(10, 10, 100), "plain": _runs(10, 10, 100)}},
            "500": {
                "html": {"ours": _runs(52, 51, 100), "plain": _runs(50, 50, 100)},
                "epub": {"ours": _runs(60, 60, 120), "plain": _runs(50, 50, 100)},
                "faqpdf": {"ours": _runs(200, 190, 1500), "plain": _runs(100, 95, 700)},
                "faqpdf-4-volumes": {"ours": _runs(350, 380, 2100),
                                   "plain": _runs(100, 95, 700)},
                "faqpdf-typst": {"ours": _runs(70, 133, 1100), "plain": _runs(100, 95, 700)},
            },
        },
        "afaq": {"questions": 700,
                 "html": {"ours": _runs(66, 66, 300), "plain": _runs(60, 60, 300)}},
        "incremental": {"layout": "sections", "refs": 1,
                        "text": {"ours": {"wall": 3, "cpu": 3, "pages": 9, "rewritten": 2},
                                 "plain": {"wall": 2, "cpu": 2, "pages": 9, "rewritten": 2}}},
        "parallel": {"j1": 50.0, "jauto": 40.0, "speedup": 1.25, "cores": 2},
    }
    text = page.render(data)
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()
            if line.startswith("| ")}
    assert "CPU ×1.02, wall ×1.04 | met" in rows[
        "html at 500 questions: ours / plain ≤ 1.05 in CPU time"]
    assert "**not met**" in rows["epub at 500 questions: ours / plain ≤ 1.05 in CPU time"]
    assert "×1.00, wall ×1.00 | met" in rows[
        "html at 100 questions: ours / plain ≤ 1.05 in CPU time"]
    assert "×1.20 | **not met**" in rows["epub at 500 questions: peak memory ≤ ×1.1"]
    assert "CPU ×1.10, wall ×1.10 | **not met**" in rows[
        "html at the real book: ours / plain ≤ 1.05 in CPU time"]
    assert "×0.70 (CPU ×1.40), 1100 MB | met" in rows[
        "faqpdf-typst (Typst, `-j auto`) at 500 questions ≤ 0.8× the LaTeX path "
        "(.tex + latexmk), ≤ 2 GB"]
    assert "×2.00 (CPU ×2.00), 1500 MB | met" in rows[
        "faqpdf (one PDF, chapter by chapter, `-j 1`) at 500 questions ≤ 3× the LaTeX path "
        "(.tex + latexmk), < 2 GB"]
    assert "×3.50 (CPU ×4.00), 2100 MB | **not met**" in rows[
        "faqpdf-4-volumes (4 volumes, `-j auto`) at 500 questions ≤ 3× the LaTeX path "
        "(.tex + latexmk), < 2 GB"]
    # per-question CPU: 51 s / 500 against 10 s / 100
    assert "×1.02 | met" in rows["html: CPU per question at 500 within ×1.1 of 100"]
    assert "×1.50 (CPU ×1.50), 2 pages rewritten" in rows[
        "incremental (text edit) ≤ ×1.5 plain Sphinx"]
    assert "×1.25 | **not met**" in text
    assert "| 500 questions | epub | 60.0 s (60.0) | 120 MB |" in text


def test_results_files_merge_first_one_wins(tmp_path: Path) -> None:
    import json

    page = load_page_maker()
    narrow, wide = tmp_path / "results-faqpdf.json", tmp_path / "results.json"
    narrow.write_text(json.dumps({"command": "b", "sizes": {"500": {
        "faqpdf": {"ours": _runs(2, 2, 2), "plain": _runs(1, 1, 1)}}}}))
    wide.write_text(json.dumps({"command": "a", "notes": 40, "sizes": {
        "500": {"html": {"ours": _runs(5, 5, 5), "plain": _runs(5, 5, 5)},
                "faqpdf": {"ours": _runs(9, 9, 9), "plain": _runs(1, 1, 1)}},
        "1000": {"html": {"ours": _runs(9, 9, 9), "plain": _runs(9, 9, 9)}}}}))
    data = page.merged(sorted([wide, narrow]))
    assert data["sizes"]["500"]["faqpdf"]["ours"][0]["wall"] == 2
    assert sorted(data["sizes"]["500"]) == ["faqpdf", "html"] and "1000" in data["sizes"]
    assert data["notes"] == 40 and data["command"] == "b`, then `a"
    text = page.render(data)
    assert "| faqpdf: CPU per question at 1000 within ×1.1 of 500 | not measured at 1000 |" in text


def test_fixed_cost_merges_builder_by_builder(tmp_path: Path) -> None:
    """A later --fixed-cost run of the ePub alone replaces the ePub's row only."""
    import json

    page = load_page_maker()
    epub, wide = tmp_path / "results-a-epub.json", tmp_path / "results-b.json"
    epub.write_text(json.dumps({"command": "b", "sizes": {}, "fixed_cost": {
        "epub": {"ours": _runs(2, 2, 2), "plain": _runs(1, 1, 1)}}}))
    wide.write_text(json.dumps({"command": "a", "sizes": {}, "fixed_cost": {
        step: {"ours": _runs(9, 9, 9), "plain": _runs(9, 9, 9)}
        for step in ("html", "epub", "latex")}}))
    data = page.merged(sorted([wide, epub]))
    assert list(data["fixed_cost"]) == ["html", "epub", "latex"]
    assert data["fixed_cost"]["epub"]["ours"][0]["wall"] == 2
    assert data["fixed_cost"]["html"]["ours"][0]["wall"] == 9


def test_performance_page_is_generated_from_the_committed_results() -> None:
    page = load_page_maker()
    results = sorted((REPO / "benchmarks" / "published").glob("results*.json"))
    assert results, "no benchmarks/published/results*.json: the page has nothing to come from"
    doc = REPO / "docs" / "performance.md"
    text = doc.read_text("utf8")
    assert page.update(doc, page.merged(results)) == text, (
        "docs/performance.md is not what benchmarks/perf_page.py makes of "
        "benchmarks/published/results*.json: run python benchmarks/perf_page.py "
        "benchmarks/published/results*.json"
    )


def test_suite_measures_the_imported_book(tmp_path: Path) -> None:
    """``--afaq`` on two pages of the Debian book: imported in both flavours, built with
    html, ours and plain measured under the JSON's ``afaq`` key."""
    import json

    from external_tools import need_tool

    afaq = Path("/usr/share/doc/anarchism/html")
    need_tool("anarchism (Debian package)", (afaq / "secA2.html").exists())
    work, results = tmp_path / "work", tmp_path / "results.json"
    run = python(
        str(REPO / "benchmarks" / "bench_suite.py"), "--sizes", "",
        "--builders", "html", "--afaq", str(afaq), "--afaq-pages", "secA1.html,secA2.html",
        "--work", str(work), "--json", str(results),
        cwd=tmp_path, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    data = json.loads(results.read_text("utf8"))
    assert data["sizes"] == {}
    assert data["afaq"]["questions"] >= 20  # A.1 … A.1.5, A.2 … A.2.20
    for variant in ("ours", "plain"):
        (measured,) = data["afaq"]["html"][variant]
        assert measured["wall"] > 0 and measured["cpu"] > 0 and measured["peak_mb"] > 10
    assert " afaq html " in run.stdout
    plain = work / "afaq" / "src" / "plain"
    text = "\n".join(p.read_text("utf8") for p in plain.rglob("*.md")
                     if "_import" not in p.parts)
    assert "faq:" not in text and "[^a-2-6-note-1]" in text
    assert "sphinx_faq_ext" not in (plain / "conf.py").read_text("utf8")
    ours = "\n".join(p.read_text("utf8") for p in (work / "afaq" / "src" / "ours").rglob("*.md"))
    assert "{faq:question}" in ours and "{faq:note}" in ours
    assert (work / "afaq" / "out" / "plain-html" / "html" / "seca2" / "a-2-6.html").exists()


def test_suite_skips_a_missing_book(tmp_path: Path) -> None:
    """Without the Debian book, ``--afaq`` says so and measures the rest."""
    import json

    run = python(
        str(REPO / "benchmarks" / "bench_suite.py"), "--sizes", "",
        "--builders", "html", "--afaq", str(tmp_path / "nowhere"),
        "--work", str(tmp_path / "work"), "--json", str(tmp_path / "r.json"),
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert "afaq skipped: no index.html in" in run.stdout
    assert "afaq" not in json.loads((tmp_path / "r.json").read_text("utf8"))


def test_page_per_section_book_with_references_builds_and_edits(tmp_path: Path) -> None:
    """``--split --refs``: pages secA, secA1; references show the same text in both books;
    the incremental edits of the suite change the one question in both books."""
    sources = synthetic_book(tmp_path / "src", count=3, notes=2, split=True, refs=2)
    for variant, source in sources.items():
        assert sorted(p.stem for p in source.glob("*.md")) == ["index", "secA", "secA1"]
        assert build(source, tmp_path / variant) == "", variant
    refs = {"ours": "a.reference .faq-ref", "plain": "a.reference span.std-ref"}
    texts = {
        variant: [" ".join(ref.get_text(" ").split())
                  for ref in read_page(tmp_path / variant / "secA1.html").select(selector)]
        for variant, selector in refs.items()
    }
    assert texts["ours"] == texts["plain"] and texts["ours"]
    suite = load_suite()
    for variant, source in sources.items():
        before = (source / "secA1.md").read_text("utf8")
        suite.edit_title(source, "A.1.1", True)
        suite.edit_text(source, "A.1.1", True)
        after = (source / "secA1.md").read_text("utf8")
        assert after.count("Edited: Why is") == 1 and after.count("\nEdited ") == 1, variant
        assert before.replace("Edited: ", "") != after.replace("Edited: ", "")


def test_incremental_figures_per_edit_and_variant(tmp_path: Path) -> None:
    """``--incremental``: a text edit and a title edit, each rebuilt, pages counted."""
    figures = load_suite().incremental(3, 2, tmp_path, split=True, refs=1)
    assert sorted(figures) == ["text", "title"]
    for kind in figures:
        for variant in ("ours", "plain"):
            run = figures[kind][variant]
            # index, secA, secA1, genindex, search; the edited page is rewritten
            assert run["pages"] == 5 and 1 <= run["rewritten"] <= 5, (kind, variant)


def test_fixed_cost_goal_and_shared_runs_kept_apart(tmp_path: Path) -> None:
    """The one-question book's extra CPU time is judged against 0.1 s; a run taken
    on a shared machine is shown apart and replaces none of the quiet figures."""
    import json

    page = load_page_maker()
    quiet, shared = tmp_path / "results.json", tmp_path / "results-0-shared.json"
    quiet.write_text(json.dumps({"command": "quiet", "notes": 40, "fixed_cost": {
        "html": {"ours": _runs(1, 0.75, 9), "plain": _runs(1, 0.70, 9)},
        "epub": {"ours": _runs(1, 0.95, 9), "plain": _runs(1, 0.70, 9)}},
        "sizes": {"100": {"html": {"ours": _runs(5, 5, 5), "plain": _runs(5, 5, 5)}}}}))
    shared.write_text(json.dumps({
        "command": "busy", "machine": {"cores": 2, "shared": True, "load": [9.5, 12.0]},
        "sizes": {"100": {"html": {"ours": _runs(7, 7, 5), "plain": _runs(5, 5, 5)}}}}))
    data = page.merged(sorted([quiet, shared]))
    assert data["sizes"]["100"]["html"]["ours"][0]["cpu"] == 5  # the quiet run's
    text = page.render(data)
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()
            if line.startswith("| ")}
    goal = "fixed cost a build (1-question book) ≤ 0.1 s CPU over plain"
    assert "+0.05 s | met" in rows[f"html: {goal}"]
    assert "+0.25 s | **not met**" in rows[f"epub: {goal}"]
    assert "| html | 0.75 s | 0.70 s | +0.05 s |" in text
    before, _, after = text.partition("### Measured on a shared machine")
    assert "load average 9.5 at the start, 12.0 at the end" in after
    assert "| 100 questions | html | 7.0 s (7.0) |" in after
    assert "| 100 questions | html | 5.0 s (5.0) |" in before


def test_fixed_cost_builds_a_one_question_book_both_ways(tmp_path: Path) -> None:
    """``--fixed-cost``: each chosen builder, ours and plain, one question; its
    builds run with the bytecode cache on, as an installed package has it."""
    suite = load_suite()
    results = suite.fixed_cost(["html", "faqpdf"], 2, 1, tmp_path)
    assert sorted(results) == ["html"]  # a PDF step has no fixed cost of this kind
    assert {variant: len(runs) for variant, runs in results["html"].items()} == {
        "ours": 1, "plain": 1}
    assert results["html"]["ours"][0].cpu > 0
    for variant in ("ours", "plain"):
        page = tmp_path / "fixed" / "out" / f"{variant}-html" / "html" / "a.html"
        assert "A.1" not in words(read_page(page).get_text(" "))  # one question: A only


def test_instruction_counts_are_read_from_valgrind_and_shown_with_their_ratio(
        tmp_path: Path) -> None:
    """``--instructions``: cachegrind's "I refs" line is the count; the page shows
    ours, plain, the difference and the ratio per book and step, also for a run
    taken on a shared machine (the count does not depend on the load)."""
    import json

    suite = load_suite()
    found = suite.I_REFS.search("==12== \n==12== I   refs:      3,196,545,431\n")
    assert found is not None and int(found[1].replace(",", "")) == 3_196_545_431
    page = load_page_maker()
    counted = {"command": "python benchmarks/bench_suite.py --instructions --sizes 25",
               "date": "2026-12-07",
               "counts": {"25": {"epub": {"ours": 8_880_000_000, "plain": 8_000_000_000}},
                          "1": {"html": {"ours": 3_200_000_000, "plain": 2_800_000_000}}}}
    quiet = tmp_path / "results-instructions.json"
    quiet.write_text(json.dumps({"command": "x", "instructions": counted}))
    shared = tmp_path / "results-shared.json"
    shared.write_text(json.dumps({"command": "y", "machine": {"shared": True},
                                  "instructions": counted}))
    for path in (quiet, shared):
        text = page.render(page.merged([path]))
        head, _, table = text.partition("Instructions executed")
        assert "--instructions --sizes 25` on 2026-12-07" in table
        rows = [line for line in table.splitlines() if line.startswith(("| 1", "| 25"))]
        assert rows == ["| 1 question | html | 3.200 G | 2.800 G | +0.400 G | 1.143 |",
                        "| 25 questions | epub | 8.880 G | 8.000 G | +0.880 G | 1.110 |"]
        assert ("### Measured on a shared machine" in head) == (path is shared)


def test_instruction_runs_merge_per_book_and_step(tmp_path: Path) -> None:
    """Two ``--instructions`` runs: each book and step from the first file that has
    it, both commands named; neither joins the timed runs' "Measured by" line."""
    import json

    page = load_page_maker()
    first = tmp_path / "results-instructions.json"
    second = tmp_path / "results-instructions-100.json"
    first.write_text(json.dumps({"command": "a", "sizes": {}, "instructions": {
        "command": "run-a", "date": "2026-12-07", "counts": {
            "1": {"epub": {"ours": 3, "plain": 2}}, "25": {"epub": {"ours": 9, "plain": 9}}}}}))
    second.write_text(json.dumps({"command": "b", "sizes": {}, "instructions": {
        "command": "run-b", "date": "2026-12-07", "counts": {
            "1": {"epub": {"ours": 5, "plain": 2}}, "100": {"epub": {"ours": 30, "plain": 31}}}}}))
    data = page.merged([first, second])
    counts = data["instructions"]["counts"]
    assert counts["1"]["epub"]["ours"] == 3 and counts["100"]["epub"]["plain"] == 31
    assert sorted(counts) == ["1", "100", "25"]
    assert data["instructions"]["command"] == "run-a`, then `run-b"
    assert data["command"] == ""
    assert "`run-a`, then `run-b` on 2026-12-07" in page.render(data)
