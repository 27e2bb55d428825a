"""Smoke test of the benchmark generator: both 3-question books build cleanly.

Not a timed test: ``benchmarks/bench_build.py`` does the timing.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from bs4 import BeautifulSoup
from conftest import REPO


def load_generator() -> ModuleType:
    """benchmarks/make_book.py, which is a script, not part of the package."""
    path = REPO / "benchmarks" / "make_book.py"
    spec = importlib.util.spec_from_file_location("make_book", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


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
