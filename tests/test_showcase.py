"""The showcase (docs/) builds strictly and says exactly what the seed says."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import CHROME, Built, build_once, xdist_shared_dir
from seed import load_seed, normalise


@pytest.fixture(scope="module")
def docs_html(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """docs/ built to HTML with -n (nitpicky), once per run: the browser tests view it too."""
    shared = xdist_shared_dir(tmp_path_factory, "html-sites")
    built = build_once(shared, "docs", "docs", "html", {})
    assert built.warnings.strip() == "", built.warnings
    return built


def showcase(docs_html: Built) -> BeautifulSoup:
    """The showcase question's page, as a reader reads it."""
    return docs_html.page("book/a-2-6", CHROME)


def test_docs_build_without_warnings(docs_html: Built) -> None:
    assert (docs_html.outdir / "book" / "a-2-6.html").exists()


def test_showcase_title(docs_html: Built) -> None:
    section = showcase(docs_html).find("section", id="a-2-6")
    heading = section.find(re.compile(r"^h[1-6]$"))
    assert normalise(heading.get_text()) == load_seed().title


def test_showcase_body_matches_the_seed(docs_html: Built) -> None:
    """Every sentence, in order, with markers [1]..[9] where the seed has them."""
    section = showcase(docs_html).find("section", id="a-2-6")
    section.find(re.compile(r"^h[1-6]$")).decompose()
    section.find("section", role="doc-endnotes").decompose()
    for caption in section.find_all("figcaption"):  # attribution lines are ours
        caption.decompose()
    for block in section.find_all(["p", "li", "blockquote", "figure", "div"]):
        block.append(" ")
    html_text = normalise(section.get_text(""))
    seed_text = normalise(" ".join(load_seed().body))
    assert html_text == seed_text


def test_showcase_sentences_in_order(docs_html: Built) -> None:
    text = normalise(showcase(docs_html).find("section", id="a-2-6").get_text(""))
    position = 0
    for sentence in load_seed().sentences:
        found = text.find(sentence, position)
        assert found >= 0, f"missing or out of order: {sentence!r}"
        position = found + len(sentence)


def test_showcase_notes_match_the_seed(docs_html: Built) -> None:
    section = showcase(docs_html).find("section", id="a-2-6")
    notes = section.find("section", role="doc-endnotes")
    items = notes.find_all("li")
    for item in items:
        item.find("a", role="doc-backlink").decompose()
    assert [normalise(item.get_text("")) for item in items] == load_seed().notes
    markers = section.select("a[role=doc-noteref]")
    assert [normalise(m.get_text()) for m in markers] == [f"[{n}]" for n in range(1, 10)]
    for number, (marker, item) in enumerate(zip(markers, items, strict=True), start=1):
        assert marker["href"] == f"#{item['id']}" == f"#a-2-6-note-{number}"


def test_showcase_quotes_are_attributed(docs_html: Built) -> None:
    section = showcase(docs_html).find("section", id="a-2-6")
    captions = [normalise(f.figcaption.get_text("")) for f in section.find_all("figure")]
    assert captions == [
        "— Ret Marut, The BrickBurner",
        "— Alfie Kohn, No Contest: The Case Against Competition, p. 7",
        "— Errico Malatesta, Anarchy, p. 33",
    ]
