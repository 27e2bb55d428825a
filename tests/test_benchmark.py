"""Smoke test of the benchmark generator: both 3-question books build cleanly.

Not a timed test: ``benchmarks/bench_build.py`` does the timing.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, load_script


def load_generator() -> ModuleType:
    """benchmarks/make_book.py, which is a script, not part of the package."""
    return load_script(REPO / "benchmarks" / "make_book.py", "make_book")

def build(source: Path, out: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(source), str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def text_of(page: Path) -> str:
    soup = BeautifulSoup(page.read_text("utf8"), "html.parser")
    body = soup.find(attrs={"role": "main"}) or soup.body
    for hidden in body.select("a.headerlink, a.faq-backlink, span.faq-sidenote"):
        hidden.decompose()
    return " ".join(body.get_text(" ").split())


def count(page: Path, selector: str) -> int:
    return len(BeautifulSoup(page.read_text("utf8"), "html.parser").select(selector))


def test_both_books_build_without_warnings_and_say_the_same(tmp_path: Path) -> None:
    sources = load_generator().make_book(tmp_path / "src", count=3, notes=20)
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
    """benchmarks/bench_suite.py (imports make_book from its own folder)."""
    return load_script(REPO / "benchmarks" / "bench_suite.py", "bench_suite")

def test_suite_measures_both_books_and_reports_ratios(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
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


def test_page_per_section_book_with_references_builds_and_edits(tmp_path: Path) -> None:
    """``--split --refs``: pages secA, secA1; references show the same text in both books;
    the incremental edits of the suite change the one question in both books."""
    generator = load_generator()
    sources = generator.make_book(tmp_path / "src", count=3, notes=2, split=True, refs=2)
    for variant, source in sources.items():
        assert sorted(p.stem for p in source.glob("*.md")) == ["index", "secA", "secA1"]
        assert build(source, tmp_path / variant) == "", variant
    refs = {"ours": "a.reference .faq-ref", "plain": "a.reference span.std-ref"}
    texts = {
        variant: [" ".join(ref.get_text(" ").split()) for ref in BeautifulSoup(
            (tmp_path / variant / "secA1.html").read_text("utf8"), "html.parser"
        ).select(selector)]
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
