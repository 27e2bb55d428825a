"""Bad input gives a located ``type="faq"`` warning, never a traceback or lost text."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from conftest import warnings_of

from sphinx_faq_ext.domain import faq_domain

if TYPE_CHECKING:
    from conftest import MakeProject
    from sphinx.testing.util import SphinxTestApp

TOC = "# Book\n\n```{toctree}\n" + "\n".join(["a", "b"]) + "\n```\n"


def faq_warnings(app: SphinxTestApp) -> list[str]:
    return [line for line in warnings_of(app).splitlines() if "[faq." in line]


def test_duplicate_number_in_one_document(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": ":::{faq:question} One\n:number: A\n:::\n\n"
                    ":::{faq:question} Two\n:number: A\n:::\n",
    })
    app.build()
    [warning] = faq_warnings(app)
    assert re.search(r"index\.md:5: WARNING: duplicate FAQ question number A \(first defined "
                     r"in .*index\.md, line 1\) \[faq\.duplicate-number\]", warning), warning


@pytest.mark.parametrize("parallel", [0, 2])
def test_duplicate_number_across_documents(make_project: MakeProject, parallel: int) -> None:
    app = make_project({
        "index.md": TOC,
        "a.md": "# A\n\n:::{faq:question} One\n:number: Q\n:::\n",
        "b.md": "# B\n\ntext\n\n:::{faq:question} Two\n:number: Q\n:::\n",
    }, parallel=parallel)
    app.build()
    [warning] = faq_warnings(app)
    assert re.search(r"b\.md:5: WARNING: duplicate FAQ question number Q", warning), warning
    # the first definition (in document order) wins the references
    first = faq_domain(app.env).question("Q")
    assert first is not None and first.docname == "a"


def test_unknown_ref(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": ":::{faq:question} One\n:number: A\n\nSee {faq:ref}`Z.9` here.\n:::\n",
    })
    app.build()
    [warning] = faq_warnings(app)
    assert re.search(r"index\.md:4: WARNING: unknown FAQ question 'Z.9' \[faq\.unknown-ref\]",
                     warning), warning
    html = (app.outdir / "index.html").read_text("utf8")
    assert 'class="faq-ref-missing"' in html and "Z.9" in html  # the text is kept


def test_quote_without_content(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": ":::{faq:question} One\n:number: A\n\n"
                    "```{faq:quote}\n:author: Emma Goldman\n```\n:::\n",
    })
    app.build()
    [warning] = faq_warnings(app)
    assert re.search(r"index\.md:4: WARNING: faq:quote has no quoted text \[faq\.empty-quote\]",
                     warning), warning
    assert "Emma Goldman" in (app.outdir / "index.html").read_text("utf8")


def test_quote_without_author(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": ":::{faq:question} One\n:number: A\n\n"
                    "```{faq:quote}\n:source: Anarchy\n\nQuoted words.\n```\n:::\n",
    })
    app.build()
    [warning] = faq_warnings(app)
    assert re.search(r"index\.md:4: WARNING: faq:quote has no :author: \[faq\.missing-author\]",
                     warning), warning
    html = (app.outdir / "index.html").read_text("utf8")
    assert "Quoted words." in html and "<cite>Anarchy</cite>" in html


def test_note_outside_question(make_project: MakeProject) -> None:
    app = make_project({"index.md": "# Title\n\nPlain text.{faq:note}`*Lost*, p. 1`\n"})
    app.build()
    [warning] = faq_warnings(app)
    assert re.search(r"index\.md:3: WARNING: source note outside any faq:question: Lost, p\. 1 "
                     r"\[faq\.note-outside-question\]", warning), warning
    html = (app.outdir / "index.html").read_text("utf8")
    assert "[<em>Lost</em>, p. 1]" in html  # kept in place, in brackets


def test_notes_directive_outside_question(make_project: MakeProject) -> None:
    app = make_project({"index.md": "# Title\n\n```{faq:notes}\n```\n"})
    app.build()
    [warning] = faq_warnings(app)
    assert "index.md:3: WARNING: faq:notes outside any faq:question" in warning


def test_malformed_number(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": ":::{faq:question} One\n:number: A..2 x\n:::\n",
    })
    app.build()
    [warning] = faq_warnings(app)
    assert re.search(r"index\.md:1: WARNING: malformed question number 'A\.\.2 x'.* "
                     r"\[faq\.malformed-number\]", warning), warning
    # still a question, numbered automatically, its title kept
    assert "One" in (app.outdir / "index.html").read_text("utf8")


def test_missing_parent(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": ":::{faq:question} Orphan\n:number: A.9.1\n:::\n\n"
                    ":::{faq:question} Top\n:number: A\n:::\n",
    })
    app.build()
    [warning] = faq_warnings(app)
    assert re.search(r"index\.md:1: WARNING: FAQ question A\.9\.1 has no parent question A\.9 "
                     r"\[faq\.missing-parent\]", warning), warning


def test_nested_number_mismatch(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": "::::{faq:question} Top\n:number: A\n\n"
                    ":::{faq:question} Misplaced\n:number: B.1\n:::\n::::\n"
                    ":::{faq:question} B\n:number: B\n:::\n",
    })
    app.build()
    [warning] = faq_warnings(app)
    assert "[faq.number-mismatch]" in warning and "index.md:4" in warning


def test_bad_input_in_rst(make_project: MakeProject) -> None:
    app = make_project({
        "index.rst": "Title\n=====\n\n.. faq:question:: One\n   :number: 7..\n\n"
                     "   Text :faq:note:`n` and :faq:ref:`nowhere`.\n",
    })
    app.build()
    warnings = "\n".join(faq_warnings(app))
    assert "index.rst:4: WARNING: malformed question number '7..'" in warnings
    assert "index.rst:7: WARNING: unknown FAQ question 'nowhere'" in warnings


def test_warnings_fail_a_strict_build(make_project: MakeProject) -> None:
    from sphinx.errors import SphinxError

    app = make_project({"index.md": "# T\n\nx{faq:note}`y`\n"}, warningiserror=True)
    try:
        app.build()
    except SphinxError:  # Sphinx < 8 stops at the first warning
        return
    assert app.statuscode == 1
