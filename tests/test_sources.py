"""``faq:sources`` (works quoted) and the index of names (genindex, ``\\printindex``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import Built, html_page, warnings_of
from external_tools import latexmk, need_tool, pdftotext

if TYPE_CHECKING:
    from conftest import MakeProject


def test_works_grouped_by_author_sorted_by_surname(book_html: Built) -> None:
    assert book_html.warnings == ""
    table = book_html.page("contents").find("ul", class_="faq-sources")
    authors = table.find_all("li", class_="faq-sources-author", recursive=False)
    assert [a.find("strong").get_text() for a in authors] == [
        "Goldman, Emma", "Kohn, Alfie", "Kropotkin, Peter", "Malatesta, Errico", "Stirner, Max",
    ]
    works = {
        a.find("strong").get_text(): {
            w.find("em").get_text(): [link.get_text() for link in w.find_all("a")]
            for w in a.find_all("li", class_="faq-sources-work")
        }
        for a in authors
    }
    # a work quoted (faq:quote) or cited (faq:cite), each once per question, in number order
    assert works["Malatesta, Errico"] == {"Anarchy": ["A.1", "A.2.1", "A.2.2", "B.1"]}
    assert works["Goldman, Emma"] == {
        "Anarchism: What It Really Stands For": ["B.1"],  # cited from the .bib, in rST
        "Red Emma Speaks": ["A.1"],  # quoted
    }
    # quoted with :author: and :cite: but no :source:: the BibTeX entry names the work
    assert works["Kohn, Alfie"] == {"No Contest: The Case Against Competition": ["A.1", "A.2.2"]}
    assert authors[1].find("p").find("a") is None
    # an author quoted with no work named links straight from the name
    kropotkin = authors[2].find("p")
    assert [a["href"] for a in kropotkin.find_all("a")] == ["part-b.html#b-1"]
    # never a cited-but-unquoted work that no question uses
    assert "Never Cited" not in table.get_text()


def test_links_go_to_the_questions(book_html: Built) -> None:
    table = book_html.page("contents").find("ul", class_="faq-sources")
    for link in table.find_all("a"):
        page, anchor = link["href"].split("#")
        target = book_html.soup(page).find(id=anchor)
        assert target is not None and link.get_text() == target["id"].upper().replace("-", ".")


def test_quoted_and_cited_authors_are_in_genindex(book_html: Built) -> None:
    index = book_html.page("genindex")
    entries = {item.find("a").get_text(): len(item.find_all("a"))
               for item in index.select("table.indextable li")}
    # one link per quote or citation (a quote with :cite: counts once)
    assert entries == {
        "Goldman, Emma": 2,
        "Kohn, Alfie": 3,
        "Kropotkin, Peter": 1,
        "Malatesta, Errico": 6,
        "Stirner, Max": 1,
    }
    # every index link lands on an element of its page
    for link in index.select("table.indextable a"):
        page, _, anchor = link["href"].partition("#")
        assert book_html.soup(page).find(id=anchor) is not None, link["href"]


def test_empty_sources_say_so(make_project: MakeProject) -> None:
    app = make_project({"index.md": "# T\n\n```{faq:sources}\n```\n"})
    app.build()
    assert warnings_of(app) == ""
    assert "No works quoted yet." in (Path(app.outdir) / "index.html").read_text("utf8")


def test_latex_index_entries_and_table(book_latex: Built) -> None:
    assert book_latex.warnings == ""
    tex = book_latex.text("booktest.tex")
    for name in ("Malatesta, Errico", "Goldman, Emma", "Kohn, Alfie", "Stirner, Max"):
        assert rf"\index{{{name}@\spxentry{{{name}}}}}" in tex
    assert r"\printindex" in tex
    assert (r"\sphinxstyleemphasis{Anarchy} — {\hyperref[\detokenize{part-a:a-1}]"
            r"{\sphinxcrossref{\DUrole{faq-number}{A.1}}}}") in tex


@pytest.mark.tool
def test_printed_book_has_an_index_of_names(book_latex: Built, artifacts: Path) -> None:
    need_tool("xindy")
    latexmk(book_latex.outdir, "booktest.tex")
    pdf = book_latex.outdir / "booktest.pdf"
    shutil.copy(pdf, artifacts / "book-index-of-names.pdf")
    text = pdftotext(pdf, layout=True)
    # the index of names opens with its own head (not upper-cased: sphinxfaqext.sty)
    index = text[[m.start() for m in re.finditer(r"^\s*Index\s*$", text, re.MULTILINE)][-1]:]
    names = [line.split(",")[0].strip() for line in index.splitlines() if "," in line]
    assert names == ["Goldman", "Kohn", "Kropotkin", "Malatesta", "Stirner"]


def test_one_author_however_written(make_project: MakeProject) -> None:
    quote = "```{{faq:quote}}\n:author: {}\n:source: Anarchy\n\nQuoted.\n```\n"
    app = make_project({
        "index.md": "# T\n\n:::{faq:question} Q?\n:number: A\n\n"
                    + quote.format("Errico Malatesta") + "\n" + quote.format("Malatesta, Errico")
                    + "\n" + quote.format("Ludwig von Mises")
                    + ":::\n\n```{faq:sources}\n```\n",
    })
    app.build()
    assert warnings_of(app) == ""
    soup = html_page(app.outdir, "index")
    names = [s.get_text() for s in soup.select("li.faq-sources-author > p > strong")]
    assert names == ["Malatesta, Errico", "von Mises, Ludwig"]  # sorted under M and v
