"""``faq:index``: the linked, nested table of all questions (HTML, LaTeX, ePub)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import BASE_CONF, ROOTS, html_page, warnings_of
from sphinx.testing.util import SphinxTestApp


@pytest.fixture(scope="module")
def book_html(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    """The ``test-book`` project built once to HTML for the whole module."""
    src = tmp_path_factory.mktemp("book") / "src"
    shutil.copytree(ROOTS / "test-book", src)
    app = SphinxTestApp("html", srcdir=src)
    app.build()
    app.cleanup()  # restore Sphinx's global state now; the output stays for the tests
    return app


def page(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    return html_page(Path(app.outdir), docname)


def tree(listing) -> list:  # type: ignore[no-untyped-def]
    """``[("A", "part-a.html#a", [...children]), ...]`` of a nested index list."""
    result = []
    for item in listing.find_all("li", recursive=False):
        link = item.find("a")
        sub = item.find("ul")
        result.append((link.find(class_="faq-number").get_text(), link["href"],
                       tree(sub) if sub else []))
    return result


def test_build_is_clean(book_html: SphinxTestApp) -> None:
    assert warnings_of(book_html) == ""


def test_index_lists_every_question_nested_by_number(book_html: SphinxTestApp) -> None:
    contents = page(book_html, "contents")
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
        target = page(book_html, docname.removesuffix(".html")).find(id=anchor)
        assert target is not None and "faq-question" in target["class"]


def test_index_branch_and_depth(book_html: SphinxTestApp) -> None:
    contents = page(book_html, "contents")
    branch = contents.find("section", id="branch-a-2").find("ul", class_="faq-index")
    assert tree(branch) == [("A.2.1", "part-a.html#a-2-1", []), ("A.2.2", "part-a.html#a-2-2", [])]
    top = contents.find("section", id="top-level-only").find("ul", class_="faq-index")
    assert tree(top) == [("A", "part-a.html#a", []), ("B", "part-b.html#b", [])]


def test_index_bad_options_warn_with_location(make_project) -> None:  # type: ignore[no-untyped-def]
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
    tables = page(app, "index").select("ul.faq-index")
    assert len(tables) == 1  # the malformed one lists everything, the unknown one nothing
    assert tree(tables[0]) == [("A", "#a", [])]


def test_index_in_latex(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-book", src)
    app = SphinxTestApp("latex", srcdir=src)
    try:
        app.build()
        assert warnings_of(app) == ""
        tex = (Path(app.outdir) / "booktest.tex").read_text("utf8")
    finally:
        app.cleanup()
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


def write(src: Path, files: dict[str, str]) -> None:
    src.mkdir(parents=True, exist_ok=True)
    for path in src.glob("*.md"):
        if path.name not in files:
            path.unlink()
    for name, text in files.items():
        path = src / name
        if not path.exists() or path.read_text("utf8") != text:
            path.write_text(text, encoding="utf8")


def generated(app) -> str:  # type: ignore[no-untyped-def]
    """The index and works-quoted tables of ``contents.html``."""
    soup = BeautifulSoup((Path(app.outdir) / "contents.html").read_text("utf8"), "html.parser")
    return "\n".join(str(node) for node in soup.select("ul.faq-index, ul.faq-sources"))


CHANGES = {
    "rename": {"title": "Freedom?"},
    "add": {"extra": True},
    "delete": {"drop_b1": True},
    "quote": {"quote_in_b": True},  # works change, question table does not
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_incremental_equals_clean(make_app, tmp_path: Path, change: str) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "incremental"
    write(src, project())
    first = make_app("html", srcdir=src)
    first.build()
    before = generated(first)

    write(src, project(**CHANGES[change]))
    app = make_app("html", srcdir=src)
    app.build()
    incremental = generated(app)

    clean_src = tmp_path / "clean"
    write(clean_src, project(**CHANGES[change]))
    clean = make_app("html", srcdir=clean_src)
    clean.build()
    assert incremental == generated(clean)
    assert incremental != before  # the change shows


def test_parallel_equals_serial(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    results = []
    for jobs in (1, 2):
        src = tmp_path / f"j{jobs}"
        write(src, project(extra=True, quote_in_b=True))
        app = make_app("html", srcdir=src, parallel=jobs)
        app.build()
        results.append((generated(app), (Path(app.outdir) / "faq.json").read_text("utf8")))
    assert results[0] == results[1]
    assert "Mutual Aid" in results[0][0] and "Added?" in results[0][0]


def test_branch_by_label(make_project) -> None:  # type: ignore[no-untyped-def]
    app = make_project({
        "index.md": "# T\n\n::::{faq:question} Q?\n:number: A\n:label: part-a\n\n"
                    ":::{faq:question} Sub?\n:::\n::::\n\n"
                    "```{faq:index}\n:branch: part-a\n```\n",
    })
    app.build()
    assert warnings_of(app) == ""
    (table,) = page(app, "index").select("ul.faq-index")
    assert tree(table) == [("A.1", "#a-1", [])]
