"""PyStemmer (a dependency) speeds up the search index and does not change it.

Sphinx's English search language calls ``snowballstemmer.stemmer("english")``;
snowballstemmer hands out PyStemmer's C stemmer when ``import Stemmer``
works at its own import, and its pure-Python one otherwise.  The same small
book is built twice in fresh processes, once with ``Stemmer`` made
unimportable, and the two ``searchindex.js`` must be byte-identical.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

from conftest import REPO, load_script
from external_tools import need_tool

#: Runs sphinx-build; with "block" first, ``import Stemmer`` fails in that process.
RUNNER = """
import sys
if sys.argv.pop(1) == "block":
    sys.modules["Stemmer"] = None  # import Stemmer raises ImportError
import snowballstemmer
print(type(snowballstemmer.stemmer("english")).__module__, file=sys.stderr)
from sphinx.cmd.build import main
raise SystemExit(main(sys.argv[1:]))
"""


def load_generator() -> ModuleType:
    return load_script(REPO / "benchmarks" / "make_book.py", "make_book")


def build(source: Path, out: Path, stemmer: str) -> str:
    """Build *source* into *out*; the module of the stemmer snowballstemmer gave."""
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, stemmer, "-q", "-b", "html", str(source), str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.splitlines()[0]


def test_pystemmer_gives_the_same_search_index(tmp_path: Path) -> None:
    try:
        import Stemmer  # noqa: F401
    except ImportError:
        need_tool("PyStemmer", False)
    source = load_generator().make_book(tmp_path / "src", count=6, notes=4)["ours"]
    fast = build(source, tmp_path / "fast", "use")
    slow = build(source, tmp_path / "slow", "block")
    assert (fast, slow) == ("Stemmer", "snowballstemmer.english_stemmer")
    index = (tmp_path / "fast" / "searchindex.js").read_bytes()
    assert index == (tmp_path / "slow" / "searchindex.js").read_bytes()
    # Stemming happened: "solidarity" is indexed under its stem, not as written.
    assert b'"solidar"' in index
