"""PyStemmer (a dependency) speeds up the search index and does not change it.

Sphinx's English search language calls ``snowballstemmer.stemmer("english")``;
snowballstemmer hands out PyStemmer's C stemmer when ``import Stemmer``
works at its own import, and its pure-Python one otherwise.  The same small
book is built twice in fresh processes, once with ``Stemmer`` made
unimportable, and the two ``searchindex.js`` must be byte-identical.
"""

from __future__ import annotations

import os
from pathlib import Path

from external_tools import need_tool, sphinx_process

from sphinx_faq_ext.testing import synthetic_book

#: Runs sphinx-build; with FAQ_TEST_STEMMER=block, ``import Stemmer`` fails in that process.
RUNNER = """
import os, sys
if os.environ.get("FAQ_TEST_STEMMER") == "block":
    sys.modules["Stemmer"] = None  # import Stemmer raises ImportError
import snowballstemmer
print(type(snowballstemmer.stemmer("english")).__module__, file=sys.stderr)
from sphinx.cmd.build import main
raise SystemExit(main(sys.argv[1:]))
"""


def build(source: Path, out: Path, stemmer: str) -> str:
    """Build *source* into *out*; the module of the stemmer snowballstemmer gave."""
    built = sphinx_process(source, out, runner=RUNNER,
                           env={**os.environ, "FAQ_TEST_STEMMER": stemmer})
    return built.warnings.splitlines()[0]


def test_pystemmer_gives_the_same_search_index(tmp_path: Path) -> None:
    try:
        import Stemmer  # noqa: F401
    except ImportError:
        need_tool("PyStemmer", False)
    source = synthetic_book(tmp_path / "src", count=6, notes=4)["ours"]
    fast = build(source, tmp_path / "fast", "use")
    slow = build(source, tmp_path / "slow", "block")
    assert (fast, slow) == ("Stemmer", "snowballstemmer.english_stemmer")
    index = (tmp_path / "fast" / "searchindex.js").read_bytes()
    assert index == (tmp_path / "slow" / "searchindex.js").read_bytes()
    # Stemming happened: "solidarity" is indexed under its stem, not as written.
    assert b'"solidar"' in index
