"""Questions, quotes, notes and references in HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from conftest import CHROME, html_page, warnings_of

from sphinx_faq_ext.domain import faq_domain

if TYPE_CHECKING:
    from conftest import MakeProject
    from sphinx.testing.util import SphinxTestApp


@pytest.mark.sphinx("html", testroot="basic")
def test_questions_are_numbered_sections(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == ""
    page = html_page(app.outdir, "index", CHROME)
    a1 = page.find("section", id="a-1")
    assert a1 is not None and "faq-question" in a1["class"]
    assert a1.find(["h2", "h3"]).get_text(" ", strip=True).startswith("A.1 Why?")
    # automatic number: the sibling after A.1
    a2 = page.find("section", id="a-2")
    assert a2.find(["h2", "h3"]).get_text(" ", strip=True) == "A.2 How?"
    # a heading inside the answer is a sub-section of the question
    sub = a1.find("section", id="a-heading-inside-the-answer")
    assert sub is not None and sub.find_parent("section") is a1


@pytest.mark.sphinx("html", testroot="basic")
def test_notes_numbered_per_question_and_linked_both_ways(app: SphinxTestApp) -> None:
    app.build()
    page = html_page(app.outdir, "index", CHROME)
    a1 = page.find("section", id="a-1")
    markers = list(a1.select("a.faq-noteref"))
    assert [m.get_text() for m in markers] == ["[1]", "[2]", "[3]"]
    for marker in markers:
        assert marker["role"] == "doc-noteref"
        note = page.find(id=marker["href"][1:])
        assert note is not None and note.name == "li"
        back = note.find("a", role="doc-backlink")
        assert back["href"] == f"#{marker['id']}"
    notes = a1.find("section", role="doc-endnotes")
    assert [li.get_text(" ", strip=True).rstrip("↩︎ ") for li in notes.find_all("li")] == [
        "First , p. 1",
        "Anarchy , p. 33",
        "Third",
    ]
    # the A list holds only A's own note and stands before its sub-questions
    a = page.find("section", id="a")
    a_notes = a.find("section", role="doc-endnotes", recursive=False)
    assert a_notes.find_all("li")[0]["id"] == "a-note-1"
    assert a_notes.find_next_sibling("section")["id"] == "a-1"


@pytest.mark.sphinx("html", testroot="basic")
def test_notes_directive_places_the_list(app: SphinxTestApp) -> None:
    app.build()
    page = html_page(app.outdir, "second", CHROME)
    b1 = page.find("section", id="b-1")
    children = [c for c in b1.children if getattr(c, "name", None)]
    assert children[1].name == "section" and children[1]["role"] == "doc-endnotes"
    assert "Text after the notes." in children[2].get_text()


@pytest.mark.sphinx("html", testroot="basic")
def test_quote_is_a_figure_with_attribution(app: SphinxTestApp) -> None:
    app.build()
    figure = html_page(app.outdir, "index", CHROME).find("figure", class_="faq-quote")
    assert figure.blockquote.get_text(" ", strip=True).startswith("Quoted text.")
    caption = figure.figcaption.get_text(" ", strip=True).replace("\xa0", " ")
    assert caption == "— Errico Malatesta, Anarchy , p. 33"
    assert figure.figcaption.cite.get_text() == "Anarchy"
    assert figure.blockquote.find("a", class_="faq-noteref").get_text() == "[2]"


@pytest.mark.sphinx("html", testroot="basic")
def test_refs_across_documents(app: SphinxTestApp) -> None:
    app.build()
    page = html_page(app.outdir, "index", CHROME)
    a1 = page.find("section", id="a-1")
    links = {a.get_text(): a["href"] for a in a1.select("a.reference.internal")}
    assert links["A.2"] == "#a-2"
    assert links["the other"] == "second.html#b-1"


@pytest.mark.sphinx("html", testroot="basic")
def test_questions_in_toc_and_search(app: SphinxTestApp) -> None:
    app.build()
    toc = app.env.tocs["index"].astext()
    assert "A.1 Why?" in toc and "A.2 How?" in toc
    index = (app.outdir / "searchindex.js").read_text("utf8")
    assert "A.1 Why?" in index


def test_labels_reach_questions(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": ":::{faq:question} Why solidarity?\n:number: A26\n:label: why-solidarity\n"
                    "\nText.\n:::\n\n# Elsewhere\n\n{faq:ref}`why-solidarity` and "
                    "{ref}`why-solidarity` and {faq:ref}`A26`.\n",
    })
    app.build()
    assert "WARNING" not in warnings_of(app)
    page = html_page(app.outdir, "index", CHROME)
    links = [(a.get_text(), a["href"]) for a in page.select("a.reference.internal")
             if a["href"] == "#a26"]
    assert links == [("A26", "#a26"), ("A26 Why solidarity?", "#a26"),
                     ("A26", "#a26")]


def test_note_in_a_title_stays_out_of_the_recorded_title(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": ":::{faq:question} Why *solidarity*?{faq:note}`A note`\n:number: A\n\n"
                    "Text.\n:::\n\n{faq:ref-full}`A`\n",
    })
    app.build()
    question = faq_domain(app.env).question("A")
    assert question is not None and question.title == "Why solidarity?"
    assert "A Why solidarity?</span>" in (app.outdir / "index.html").read_text("utf8")
