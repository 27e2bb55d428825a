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


def test_suite_measures_the_imported_book(tmp_path: Path) -> None:
    """``--afaq`` on two pages of the Debian book: imported in both flavours, built with
    html, ours and plain measured under the JSON's ``afaq`` key."""
    import json

    from conftest import need_tool

    afaq = Path("/usr/share/doc/anarchism/html")
    need_tool("anarchism (Debian package)", (afaq / "secA2.html").exists())
    work, results = tmp_path / "work", tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_suite.py"), "--sizes", "",
         "--builders", "html", "--afaq", str(afaq), "--afaq-pages", "secA1.html,secA2.html",
         "--work", str(work), "--json", str(results)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
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

    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_suite.py"), "--sizes", "",
         "--builders", "html", "--afaq", str(tmp_path / "nowhere"),
         "--work", str(tmp_path / "work"), "--json", str(tmp_path / "r.json")],
        capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    assert "afaq skipped: no index.html in" in run.stdout
    assert "afaq" not in json.loads((tmp_path / "r.json").read_text("utf8"))
