"""``faq.json``: every question as data, written by website builders only."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import BASE_CONF, ROOTS, read_page, warnings_of

from sphinx_faq_ext.testing import copy_root, write_project

if TYPE_CHECKING:
    from conftest import MakeApp, MakeProject
    from sphinx.testing.util import SphinxTestApp


def load(app: SphinxTestApp) -> dict:
    return json.loads((Path(app.outdir) / "faq.json").read_text("utf8"))


def copy_book(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    copy_root(ROOTS / "test-book", src)
    return src


def test_every_question_with_number_title_parent_url_notes(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app("html", srcdir=copy_book(tmp_path))
    app.build()
    assert warnings_of(app) == ""
    data = load(app)
    assert data["format"] == 1 and data["project"] == "Book test" and data["language"] == "en"
    rows = {q["number"]: q for q in data["questions"]}
    assert list(rows) == ["A", "A.1", "A.2", "A.2.1", "A.2.2", "B", "B.1"]
    assert rows["A.1"] == {"number": "A.1", "title": "Why solidarity?", "parent": "A",
                           "url": "part-a.html#a-1", "notes": 4, "label": None}
    assert rows["A"]["parent"] is None and rows["A.2.1"]["parent"] == "A.2"
    assert [rows[n]["notes"] for n in rows] == [0, 4, 0, 2, 2, 0, 1]
    for row in rows.values():  # every URL points at the question's section
        page, anchor = row["url"].split("#")
        soup = read_page(Path(app.outdir) / page)
        section = soup.find("section", id=anchor)
        assert section is not None
        assert row["title"] in section.find(re.compile("^h[1-6]$")).get_text()


def test_dirhtml_urls_and_absolute_base(make_project: MakeProject) -> None:
    app = make_project({
        "conf.py": BASE_CONF + 'html_baseurl = "https://faq.example.org/en/"\n',
        "index.md": "# T\n\n```{toctree}\nsub/page\n```\n",
        "sub/page.md": "# P\n\n:::{faq:question} Q \"quoted\" <b>?\n:number: 1\n"
                       ":label: first\n\nText.{faq:note}`n`\n:::\n",
    }, "dirhtml")
    app.build()
    (row,) = load(app)["questions"]
    assert row == {"number": "1", "title": "Q \u201cquoted\u201d <b>?", "parent": None,
                   "url": "https://faq.example.org/en/sub/page/#q-1", "notes": 1,
                   "label": "first"}


@pytest.mark.parametrize("builder", ["epub", "latex", "text", "singlehtml", "faqpdf"])
def test_only_website_builders_write_it(make_project: MakeProject, builder: str) -> None:
    app = make_project({"index.md": "# T\n\n:::{faq:question} Q?\n:number: 1\n:::\n"}, builder)
    app.build()
    written = (Path(app.outdir) / "faq.json").exists()
    assert written == (builder == "singlehtml")
    if written:
        assert load(app)["questions"][0]["url"] == "index.html#q-1"


def test_incremental_build_updates_it(make_app: MakeApp, tmp_path: Path) -> None:
    src = copy_book(tmp_path)
    make_app("html", srcdir=src).build()
    part_b = src / "part-b.rst"
    part_b.write_text(part_b.read_text("utf8").replace(":faq:cite:`goldman1998, p. 49`", "")
                      .replace("What about human nature?", "Human nature?"), encoding="utf8")
    app = make_app("html", srcdir=src)
    app.build()
    rows = {q["number"]: q for q in load(app)["questions"]}
    assert rows["B.1"]["title"] == "Human nature?" and rows["B.1"]["notes"] == 0


def test_no_questions_no_file_and_no_json_ld(make_app: MakeApp, tmp_path: Path) -> None:
    """API docs using the theme get neither ``faq.json`` nor JSON-LD; a project whose
    last question is removed loses the ``faq.json`` it had."""
    src = write_project(tmp_path / "src", {
        "index.md": "# API\n\n```{toctree}\npage\n```\n",
        "page.md": "# Page\n\n:::{faq:question} Q?\n:number: 1\n\nAnswer.\n:::\n",
    }, conf=BASE_CONF + 'html_theme = "sphinx_faq_ext"\n')
    page = src / "page.md"
    app = make_app("html", srcdir=src)
    app.build()
    assert load(app)["questions"][0]["number"] == "1"
    assert read_page(Path(app.outdir) / "page.html").select('script[type="application/ld+json"]')
    page.write_text("# Page\n\nNo questions here.\n", "utf8")
    app = make_app("html", srcdir=src)
    app.build()
    assert "[faq" not in warnings_of(app)
    assert not (Path(app.outdir) / "faq.json").exists()
    for html in Path(app.outdir).glob("*.html"):
        assert "application/ld+json" not in html.read_text("utf8"), html.name
