"""``faq:index``: the linked, nested table of all questions (HTML, LaTeX, ePub)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import BASE_CONF, Built, html_page, warnings_of, write_source

if TYPE_CHECKING:
    from bs4 import Tag
    from conftest import MakeApp, MakeProject
    from sphinx.testing.util import SphinxTestApp


def tree(listing: Tag | None) -> list[Any]:
    """``[("A", "part-a.html#a", [...children]), ...]`` of a nested index list."""
    assert listing is not None
    result = []
    for item in listing.find_all("li", recursive=False):
        link = item.find("a")
        sub = item.find("ul")
        result.append((link.find(class_="faq-number").get_text(), link["href"],
                       tree(sub) if sub else []))
    return result


def test_build_is_clean(book_html: Built) -> None:
    assert book_html.warnings == ""


def test_index_lists_every_question_nested_by_number(book_html: Built) -> None:
    contents = book_html.page("contents")
    table = contents.find("section", id="all-questions").find("ul", class_="faq-index")
    assert tree(table) == [
        ("A", "part-a.html#a", [
            ("A.1", "part-a.html#a-1", []),
            ("A.2", "part-a.html#a-2", [
                ("A.2.1", "part-a.html#a-2-1", []),
                ("A.2.2", "part-a.html#a-2-2", []),
            ]),
        ]),
        ("B", "part-b.html#b", [("B.1", "part-b.html#b-1", [])]),
    ]
    first = table.find("a")
    assert first.get_text(" ", strip=True) == "A What is anarchism?"
    # every link lands on the question's section
    for link in table.find_all("a"):
        docname, anchor = link["href"].split("#")
        target = book_html.soup(docname).find(id=anchor)
        assert target is not None and "faq-question" in target["class"]


def test_index_branch_and_depth(book_html: Built) -> None:
    contents = book_html.page("contents")
    branch = contents.find("section", id="branch-a-2").find("ul", class_="faq-index")
    assert tree(branch) == [("A.2.1", "part-a.html#a-2-1", []), ("A.2.2", "part-a.html#a-2-2", [])]
    top = contents.find("section", id="top-level-only").find("ul", class_="faq-index")
    assert tree(top) == [("A", "part-a.html#a", []), ("B", "part-b.html#b", [])]


def test_index_bad_options_warn_with_location(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": "# T\n\n:::{faq:question} Q?\n:number: A\n:::\n\n"
                    "```{faq:index}\n:branch: not a number!\n```\n\n"
                    "```{faq:index}\n:branch: Z.9\n```\n",
    })
    app.build()
    warnings = warnings_of(app)
    assert "index.md:7: WARNING: faq:index :branch: 'not a number!' is not a question" in warnings
    assert "[faq.malformed-branch]" in warnings
    assert "index.md:11: WARNING: faq:index :branch: Z.9: no such question" in warnings
    assert "[faq.unknown-branch]" in warnings
    tables = html_page(app.outdir, "index").select("ul.faq-index")
    assert len(tables) == 1  # the malformed one lists everything, the unknown one nothing
    assert tree(tables[0]) == [("A", "#a", [])]


def test_index_in_latex(book_latex: Built) -> None:
    assert book_latex.warnings == ""
    tex = book_latex.text("booktest.tex")
    entry = (r"{\hyperref[\detokenize{part-a:a-2-1}]{\sphinxcrossref{\DUrole{faq-index-entry}"
             r"{\DUrole{faq-number}{A.2.1} Liberty?}}}}")
    assert tex.count(entry) == 2  # the full table and the A.2 branch
    assert r"\label{\detokenize{part-a:a-2-1}}" in tex  # the link target exists
    start = tex.index(r"\label{\detokenize{contents:all-questions}}")
    table = tex[start:tex.index(r"\label{\detokenize{contents:branch-a-2}}")]
    assert table.count(r"\begin{itemize}") == 4  # top level, under A, A.2 and B


# -- exact under incremental and parallel builds ------------------------------------------


def project(*, title: str = "Liberty?", extra: bool = False, drop_b1: bool = False,
            quote_in_b: bool = False) -> dict[str, str]:
    """Three documents: questions in two, the index and works quoted in the third."""
    b1 = "" if drop_b1 else (
        "::::{faq:question} What about human nature?\n:number: B.1\n\nB.1 text.\n"
        + ("\n```{faq:quote}\n:author: Peter Kropotkin\n:source: Mutual Aid\n\nQuoted.\n```\n"
           if quote_in_b else "")
        + "::::\n"
    )
    files = {
        "conf.py": BASE_CONF,
        "index.md": "# Book\n\n```{toctree}\na\nb\n"
                    + ("c\n" if extra else "") + "contents\n```\n",
        "a.md": f"""# A

::::{{faq:question}} What is it?
:number: A

:::{{faq:question}} {title}
:number: A.1

```{{faq:quote}}
:author: Errico Malatesta
:source: Anarchy

Quoted.
```
:::
::::
""",
        "b.md": f"# B\n\n:::::{{faq:question}} Is it utopian?\n:number: B\n\n{b1}:::::\n",
        "contents.md": "# Contents\n\n```{faq:index}\n```\n\n```{faq:sources}\n```\n",
    }
    if extra:
        files["c.md"] = "# C\n\n:::{faq:question} Added?\n:number: A.2\n:::\n"
    return files


def generated(app: SphinxTestApp) -> str:
    """The index and works-quoted tables of ``contents.html``."""
    soup = html_page(app.outdir, "contents")
    return "\n".join(str(node) for node in soup.select("ul.faq-index, ul.faq-sources"))


CHANGES = {
    "rename": {"title": "Freedom?"},
    "add": {"extra": True},
    "delete": {"drop_b1": True},
    "quote": {"quote_in_b": True},  # works change, question table does not
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_incremental_equals_clean(make_app: MakeApp, tmp_path: Path, change: str) -> None:
    src = tmp_path / "incremental"
    write_source(src, project())
    first = make_app("html", srcdir=src)
    first.build()
    before = generated(first)

    write_source(src, project(**CHANGES[change]))
    app = make_app("html", srcdir=src)
    app.build()
    incremental = generated(app)

    clean_src = tmp_path / "clean"
    write_source(clean_src, project(**CHANGES[change]))
    clean = make_app("html", srcdir=clean_src)
    clean.build()
    assert incremental == generated(clean)
    assert incremental != before  # the change shows


def test_parallel_equals_serial(make_app: MakeApp, tmp_path: Path) -> None:
    results = []
    for jobs in (1, 2):
        src = tmp_path / f"j{jobs}"
        write_source(src, project(extra=True, quote_in_b=True))
        app = make_app("html", srcdir=src, parallel=jobs)
        app.build()
        results.append((generated(app), (Path(app.outdir) / "faq.json").read_text("utf8")))
    assert results[0] == results[1]
    assert "Mutual Aid" in results[0][0] and "Added?" in results[0][0]


def test_branch_by_label(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": "# T\n\n::::{faq:question} Q?\n:number: A\n:label: part-a\n\n"
                    ":::{faq:question} Sub?\n:::\n::::\n\n"
                    "```{faq:index}\n:branch: part-a\n```\n",
    })
    app.build()
    assert warnings_of(app) == ""
    (table,) = html_page(app.outdir, "index").select("ul.faq-index")
    assert tree(table) == [("A.1", "#a-1", [])]
