"""An edit rewrites only the pages that show it, and those pages are exact.

Each test builds a small book, edits it, rebuilds incrementally and checks
which pages Sphinx wrote (their modification times) and what they say, then
compares every page with a clean build of the edited book.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from conftest import BASE_CONF, warnings_of, write_source

if TYPE_CHECKING:
    from conftest import MakeApp
    from sphinx.testing.util import SphinxTestApp

CONF = BASE_CONF + 'html_theme = "sphinx_faq_ext"\n'


def book(**changes: str) -> dict[str, str]:
    """A book whose pages refer to each other's questions; *changes* replace files."""
    files = {
        "conf.py": changes.pop("conf", CONF),
        "index.md": "# Book\n\n```{toctree}\nquestions\nsources\na\nsub\nb\nc\nd\ne\n```\n",
        "questions.md": "# Questions\n\n```{faq:index}\n```\n",
        "sources.md": "# Works quoted\n\n```{faq:sources}\n```\n",
        "a.md": A_PAGE.format(title="Why is solidarity important?", number="A.2", text="Text."),
        # A page that is one question: its breadcrumbs show A.1 from page a.
        "sub.md": ":::{faq:question} A nested question on its own page?\n"
                  ":number: A.1.1\n\nBelow A.1.\n:::\n",
        "b.md": "# B\n\nFull: {faq:ref-full}`A.1`. Title: {faq:ref-title}`A.1`.\n",
        "c.md": "# C\n\nBy label: {faq:ref-title}`solidarity`.\n",
        "d.md": "# D\n\n:::{faq:question} Unrelated?\n:number: D.1\n\nSee {faq:ref}`A.2`.\n:::\n",
        "e.md": "# E\n\nNot yet written: {faq:ref-full}`Z.1`. Other: {faq:ref}`D.1`.\n",
    }
    files.update(changes)
    return files


A_PAGE = """# A

::::{{faq:question}} {title}
:number: A.1
:label: solidarity

{text}

```{{faq:quote}}
:author: Peter Kropotkin
:source: Mutual Aid

Quoted.
```
::::

:::{{faq:question}} Another question?
:number: {number}

Answer.
:::
"""


def build(make_app: MakeApp, src: Path, parallel: int = 1) -> tuple[SphinxTestApp, set[str]]:
    """Build *src*; return the app and the documents whose pages it wrote.

    Pages are told by their modification time: with ``-j 2`` they are written
    in other processes.
    """
    app = make_app("html", srcdir=src, parallel=parallel)
    outdir = Path(app.outdir)
    before = {path.name: path.stat().st_mtime_ns for path in outdir.glob("*.html")}
    time.sleep(0.05)  # coarse file system clocks
    app.build()
    written = {
        path.stem for path in outdir.glob("*.html")
        if before.get(path.name) != path.stat().st_mtime_ns
    }
    return app, written & set(app.env.found_docs)


def page(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{name}.html").read_text("utf8"), "html.parser")


def edit(
    make_app: MakeApp, tmp_path: Path, parallel: int = 1, **changes: str
) -> tuple[SphinxTestApp, set[str]]:
    """Build the book, apply *changes*, rebuild; check the result equals a clean build."""
    src = tmp_path / "incremental"
    write_source(src, book(**{key: value for key, value in changes.items() if key == "conf"}))
    _app, first = build(make_app, src, parallel)
    assert first == {name.removesuffix(".md") for name in book() if name.endswith(".md")}
    write_source(src, book(**changes))
    app, written = build(make_app, src, parallel)

    clean_src = tmp_path / "clean"
    write_source(clean_src, book(**changes))
    clean_app, _ = build(make_app, clean_src)
    for path in sorted(Path(clean_app.outdir).glob("*.html")):
        mine = (Path(app.outdir) / path.name).read_text("utf8")
        assert mine == path.read_text("utf8"), f"{path.name} is stale after the edit"
    return app, written


def retitled(title: str = "Why is mutual aid important?") -> str:
    return A_PAGE.format(title=title, number="A.2", text="Text.")


@pytest.mark.parametrize("parallel", [1, 2])
def test_title_edit_rewrites_only_pages_showing_it(make_app: MakeApp, tmp_path: Path,
                                                   parallel: int) -> None:
    app, written = edit(make_app, tmp_path, parallel, **{"a.md": retitled()})
    # a: edited; b and c: refer to A.1 (by number, by label); sub: its
    # breadcrumbs show A.1; questions and sources: the index and works
    # tables list it; index: Sphinx's own, its toctree lists a.
    assert written == {"a", "b", "c", "sub", "questions", "sources", "index"}
    b = page(app, "b")
    links = [link.get_text() for link in b.select("a.reference")]
    assert "A.1 Why is mutual aid important?" in links
    assert "Why is mutual aid important?" in links
    assert "Why is mutual aid important?" in page(app, "c").get_text()
    crumbs = page(app, "sub").select(".faq-breadcrumbs a")
    assert any(a.get("title") == "A.1 Why is mutual aid important?" for a in crumbs)


def test_breadcrumbs_count_only_with_the_theme(make_app: MakeApp, tmp_path: Path) -> None:
    # Sphinx's default theme shows no breadcrumbs: page sub shows nothing of A.1.
    _app, written = edit(make_app, tmp_path, conf=BASE_CONF, **{"a.md": retitled()})
    assert written == {"a", "b", "c", "questions", "sources", "index"}


def test_text_edit_rewrites_only_its_page(make_app: MakeApp, tmp_path: Path) -> None:
    changed = A_PAGE.format(title="Why is solidarity important?", number="A.2", text="Edited.")
    _app, written = edit(make_app, tmp_path, **{"a.md": changed})
    assert written == {"a", "index"}


def test_removed_question_warns_its_referrers(make_app: MakeApp, tmp_path: Path) -> None:
    app, written = edit(make_app, tmp_path, **{"d.md": "# D\n\nNo question now.\n"})
    # e refers to D.1; the index lists it; sub, b, c show nothing of it.
    assert written == {"d", "e", "questions", "index"}
    assert "unknown FAQ question 'D.1'" in warnings_of(app)
    assert page(app, "e").select(".faq-ref-missing")


def test_added_question_resolves_a_waiting_reference(make_app: MakeApp, tmp_path: Path) -> None:
    added = "# D\n\n:::{faq:question} Unrelated?\n:number: D.1\n\nSee {faq:ref}`A.2`.\n:::\n" \
            "\n:::{faq:question} Written at last?\n:number: Z.1\n\nNow.\n:::\n"
    app, written = edit(make_app, tmp_path, **{"d.md": added})
    assert written == {"d", "e", "questions", "index"}
    link = page(app, "e").find("a", string="Z.1 Written at last?")
    assert link is not None and link["href"] == "d.html#z-1"


def test_renumbering_rewrites_referrers_of_both_numbers(make_app: MakeApp, tmp_path: Path) -> None:
    renumbered = A_PAGE.format(title="Why is solidarity important?", number="Z.1", text="Text.")
    app, written = edit(make_app, tmp_path, **{"a.md": renumbered})
    # d referred to A.2, e was waiting for Z.1.
    assert written == {"a", "d", "e", "questions", "index"}
    assert "unknown FAQ question 'A.2'" in warnings_of(app)
    assert page(app, "e").find("a", string="Z.1 Another question?")["href"] == "a.html#z-1"
