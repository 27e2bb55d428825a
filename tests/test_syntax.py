"""The same content written in MyST and in reStructuredText gives the same doctree."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from conftest import DATA, warnings_of

if TYPE_CHECKING:
    from conftest import MakeProject

SNIPPETS = DATA / "syntax"


def read_doctree(make_project: MakeProject, tmp_path: Path, name: str) -> str:
    source = SNIPPETS / name
    app = make_project({f"index{source.suffix}": source.read_text("utf8")},
                       srcdir=tmp_path / source.suffix[1:])
    app.build()
    # (a second app in one process warns that Sphinx's own nodes are re-registered)
    problems = [w for w in warnings_of(app).splitlines() if "while setting up extension" not in w]
    assert problems == []
    text = app.env.get_doctree("index").pformat()
    # MyST's per-section math-processing classes are not content.
    text = re.sub(r' classes="tex2jax_ignore mathjax_ignore"', "", text)
    return re.sub(r'<document source="[^"]*"', "<document", text)


def test_myst_and_rst_give_the_same_doctree(make_project: MakeProject, tmp_path: Path) -> None:
    md = read_doctree(make_project, tmp_path, "snippets.md")
    rst = read_doctree(make_project, tmp_path, "snippets.rst")
    assert md == rst
    for expected in ("faq-number", "<note_ref", "<notes_list", "<quote", "<attribution"):
        assert expected in md
