"""State is exact: ``-j 2`` equals ``-j 1``, incremental rebuilds equal clean builds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import BASE_CONF, warnings_of, write_source

if TYPE_CHECKING:
    from conftest import MakeApp
    from sphinx.testing.util import SphinxTestApp

N_DOCS = 8


def book(titles: dict[int, str] | None = None, numbers: dict[int, str] | None = None,
         extra: bool = False, drop: int | None = None) -> dict[str, str]:
    """A project of N_DOCS chapters whose questions reference each other."""
    titles = titles or {}
    numbers = numbers or {}
    docs = [i for i in range(N_DOCS) if i != drop]
    files = {"conf.py": BASE_CONF, "index.md": "# Book\n\n```{toctree}\n"
             + "".join(f"ch{i}\n" for i in docs) + ("extra\n" if extra else "") + "```\n"}
    for i in docs:
        number = numbers.get(i, f"Q{i}")
        nxt = numbers.get((i + 1) % N_DOCS, f"Q{(i + 1) % N_DOCS}")
        files[f"ch{i}.md"] = f"""# Chapter {i}

::::{{faq:question}} {titles.get(i, f"Question {i}?")}
:number: {number}

Answer {i}.{{faq:note}}`Note {i}.1` See {{faq:ref}}`{nxt}` and {{faq:ref}}`X.1`.

:::{{faq:question}} Sub-question of {i}?
Sub-answer.{{faq:note}}`Note {i}.a`{{faq:note}}`Note {i}.b`
:::
::::
"""
    if extra:
        files["extra.md"] = """# Extra

:::{faq:question} An added question?
:number: X.1

Added.{faq:note}`Extra note`
:::
"""
    return files


def outputs(app: SphinxTestApp) -> dict[str, str]:
    return {
        str(path.relative_to(app.outdir)): path.read_text("utf8")
        for path in sorted(Path(app.outdir).rglob("*.html"))
    }


def faq_warnings(app: SphinxTestApp) -> list[str]:
    return sorted(
        line.split("WARNING: ", 1)[1]
        for line in warnings_of(app).splitlines()
        if "[faq." in line
    )


def test_parallel_equals_serial(make_app: MakeApp, tmp_path: Path) -> None:
    files = book(extra=True)
    files["ch3.md"] += "\n:::{faq:question} Clash?\n:number: Q1\n:::\n"
    results = []
    for jobs in (1, 2):
        src = tmp_path / f"j{jobs}"
        write_source(src, files)
        app = make_app("html", srcdir=src, parallel=jobs)
        app.build()
        results.append((outputs(app), faq_warnings(app)))
    (serial, serial_warnings), (parallel, parallel_warnings) = results
    assert serial_warnings == parallel_warnings
    assert any("duplicate FAQ question number Q1" in w for w in serial_warnings)
    assert serial.keys() == parallel.keys()
    for name in serial:
        assert serial[name] == parallel[name], name


CHANGES = {
    "title": {"titles": {2: "A renamed question?"}},
    "number": {"numbers": {2: "R2"}},
    "add": {"extra": True},
    "delete": {"drop": 5},
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_incremental_equals_clean(make_app: MakeApp, tmp_path: Path, change: str) -> None:
    incremental_src = tmp_path / "incremental"
    start = {"extra": True} if change == "delete" else {}
    write_source(incremental_src, book(**start))
    make_app("html", srcdir=incremental_src).build()

    changed = {**start, **CHANGES[change]}
    write_source(incremental_src, book(**changed))
    app = make_app("html", srcdir=incremental_src)
    app.build()
    if change == "delete":
        # Sphinx never deletes the pages of removed documents; not ours to judge.
        (Path(app.outdir) / "ch5.html").unlink()
    incremental = outputs(app)

    clean_src = tmp_path / "clean"
    write_source(clean_src, book(**changed))
    clean_app = make_app("html", srcdir=clean_src)
    clean_app.build()
    clean = outputs(clean_app)

    assert incremental.keys() == clean.keys()
    for name in clean:
        if change == "delete":
            # Sphinx's own previous/next links of the page after the removed
            # one stay stale, as in a project without this extension.
            for pages in (incremental, clean):
                pages[name] = SPHINX_NEIGHBOURS.sub("", pages[name])
        assert incremental[name] == clean[name], f"{name} is stale after changing the {change}"


#: Sphinx's links to the previous and next documents (alabaster's head, relbar, sidebar).
SPHINX_NEIGHBOURS = re.compile(
    r'<link rel="(?:prev|next)"[^>]*>'
    r'|<a href="[^"]*" title="[^"]*"\s*(?:accesskey="[PN]")?\s*>(?:previous|next)</a>'
    r'|<p class="topless">.*?</p>',
    re.S,
)
