"""A rebuild after a one-question edit joins the book again by replacing the changed
part in the last joined book (:func:`sphinx_faq_ext.builders.pdf.join.rejoin`).

The book so made must be the book a build from scratch of the edited
source makes: the same text on every page, page labels, bookmarks (title
and page), named destinations (name and page), links (from which page to
which page), structure elements and ids, and a structure tree PDF/UA finds
nothing wrong with.  An edit that changes a part's page count moves the
parts after it: the book is joined anew.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import ROOTS, pdf_outline, sphinx_build
from external_tools import pdf_page_texts
from pypdf import PdfReader

from sphinx_faq_ext.builders.pdf.join_worker import JoinWorker


def build(srcdir: Path, builddir: Path | None = None) -> Path:
    built = sphinx_build(srcdir, "faqpdf", builddir=builddir, parallel=2,
                         faq_pdf_by_chapter=True)
    assert built.warnings == ""
    return built.outdir / "afaq.pdf"


def book_summary(pdf_path: Path) -> dict[str, Any]:
    """What a reader or a checker sees of a joined book, by page index."""
    reader = PdfReader(pdf_path)
    summary: dict[str, Any] = {
        "texts": pdf_page_texts(pdf_path),
        "labels": reader.page_labels,
        "outline": pdf_outline(reader),
    }
    with pikepdf.open(pdf_path) as pdf:
        index = {page.objgen: number for number, page in enumerate(pdf.pages)}
        flat = pdf.Root.Names.Dests.Names
        dests = {bytes(flat[i]): index[flat[i + 1][0].objgen] for i in range(0, len(flat), 2)}
        links = []
        for number, page in enumerate(pdf.pages):
            for annotation in page.obj.get("/Annots", []):
                dest = annotation.get("/Dest")
                if dest is None:
                    links.append((number, str(annotation.get("/A", {}).get("/URI", ""))))
                elif isinstance(dest, pikepdf.Array):
                    links.append((number, index[dest[0].objgen]))
                else:
                    links.append((number, dests[bytes(dest)]))
        root = pdf.Root.StructTreeRoot
        kinds: Counter[str] = Counter()
        elements, seen = [root], set()
        while elements:
            element = elements.pop()
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and (
                        kid.objgen not in seen):
                    seen.add(kid.objgen)
                    kinds[str(kid.S)] += 1
                    elements.append(kid)
        keys = [key for key, _value in pikepdf.NumberTree(root.ParentTree).items()]
        summary.update(dests=dests, links=links, kinds=kinds, parent_tree=len(keys),
                       next_key=int(root.ParentTreeNextKey) > max(keys),
                       ids=sorted(str(k) for k, _v in pikepdf.NameTree(root.IDTree).items()))
    return summary


@pytest.fixture
def joins(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The joins the builds make: ``join`` (anew) or ``rejoin`` (the last book reused),
    each asked of the join worker."""
    calls: list[str] = []
    real_join, real_rejoin = JoinWorker.join, JoinWorker.rejoin

    def join(*args: Any, **kwargs: Any) -> Any:
        calls.append("join")
        return real_join(*args, **kwargs)

    def rejoin(*args: Any, **kwargs: Any) -> Any:
        calls.append("rejoin")
        return real_rejoin(*args, **kwargs)

    monkeypatch.setattr(JoinWorker, "join", join)
    monkeypatch.setattr(JoinWorker, "rejoin", rejoin)
    return calls


def test_a_one_question_edit_replaces_its_part_in_the_last_book(
        tmp_path: Path, joins: list[str]) -> None:
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    before = book_summary(build(srcdir))
    assert joins == ["join"]
    # a word for a word in question A: the same pages, new text
    page = srcdir / "secA.md"
    page.write_text(page.read_text("utf8").replace("three potentially", "three seriously"),
                    "utf8")
    rebuilt = build(srcdir)
    assert joins == ["join", "rejoin"]
    again = book_summary(rebuilt)
    fresh = book_summary(build(srcdir, tmp_path / "fresh"))
    assert again["texts"] != before["texts"]
    assert "three seriously" in " ".join(again["texts"]).replace("\n", " ")
    for what in fresh:
        assert again[what] == fresh[what], what
    assert len(again["links"]) >= 30 and len(again["dests"]) >= 15
    assert again["kinds"]["/Note"] >= 9 and again["kinds"]["/Link"] >= 30

    from pdfua import validate

    report = validate(str(rebuilt))
    assert [f for outcome in report.outcomes for f in outcome.findings] == []

    # a build with nothing changed keeps the book as it is
    kept = rebuilt.read_bytes()
    build(srcdir)
    assert joins[2:] == ["join"]  # the fresh build's
    assert rebuilt.read_bytes() == kept

    # a part that grows by a page moves the parts after it: joined anew
    manifest = rebuilt.parent / "_parts" / "afaq.parts.json"
    pages = {name: report["pages"] for name, report in json.loads(manifest.read_text()).items()}
    page.write_text(page.read_text("utf8").replace(
        "\n:::::::\n", "\n" + "\n\nA paragraph more to fill a page.\n" * 30 + "\n:::::::\n", 1),
        "utf8")
    grown = build(srcdir)
    assert joins[3:] == ["join"]
    now = {name: report["pages"] for name, report in json.loads(manifest.read_text()).items()}
    assert now["afaq-001"] > pages["afaq-001"]
    assert "A paragraph more" in " ".join(pdf_page_texts(grown))


def test_a_book_not_the_recorded_one_is_joined_anew(tmp_path: Path, joins: list[str]) -> None:
    """The last book was changed by hand (or by another tool): it is not patched."""
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    pdf = build(srcdir)
    with pikepdf.open(pdf, allow_overwriting_input=True) as book:
        book.docinfo["/Title"] = "Changed by hand"
        book.save(pdf)
    page = srcdir / "secA.md"
    page.write_text(page.read_text("utf8").replace("three potentially", "three seriously"),
                    "utf8")
    build(srcdir)
    assert joins == ["join", "join"]
    with pikepdf.open(pdf) as book:
        assert str(book.docinfo.get("/Title")) != "Changed by hand"


def test_a_kept_chapter_is_converted_again_when_a_question_it_refers_to_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each chapter's Typst markup is kept between builds (``_parts/*.translated.json``)
    and reused while what it was made of is the same; a chapter whose own page did
    not change is converted again when a question it refers to, in another chapter,
    changes its title or its number (the reference prints both), and the rebuilt
    book is the book a build from scratch makes."""
    from sphinx_faq_ext.builders.pdf.typst.builder import FaqTypstBuilder

    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    page_a, page_a2 = srcdir / "secA.md", srcdir / "secA2.md"
    # question A (chapter 1) refers to A.2.5 (chapter 2) by its label
    page_a2.write_text(page_a2.read_text("utf8").replace(
        ":number: A.2.5\n", ":number: A.2.5\n:label: equality\n"), "utf8")
    page_a.write_text(page_a.read_text("utf8").replace(
        "\n:::::::\n", "\nOn equality, see {faq:ref-full}`equality`.\n:::::::\n", 1), "utf8")
    converted: list[str] = []
    real_translate = FaqTypstBuilder.translate_part

    def translate_part(self: FaqTypstBuilder, *args: Any) -> Any:
        done = real_translate(self, *args)
        converted.append(done[0].body)
        return done

    monkeypatch.setattr(FaqTypstBuilder, "translate_part", translate_part)

    def chapter_of_a() -> list[str]:
        return [body for body in converted if "On equality, see" in body]

    build(srcdir)
    assert len(converted) == 4 and "A.2.5 Why are anarchists in favour of equality?" in (
        chapter_of_a()[0].replace("\\", ""))
    converted.clear()
    build(srcdir)  # nothing changed: every chapter's markup is reused
    assert converted == []

    edits = [("Why are anarchists in favour of equality?",
              "Why do anarchists stand for equality?", "A.2.5 Why do anarchists stand for"),
             (":number: A.2.5\n", ":number: A.2.25\n", "A.2.25 Why do anarchists stand for")]
    for old, new, printed in edits:
        converted.clear()
        page_a2.write_text(page_a2.read_text("utf8").replace(old, new), "utf8")
        rebuilt = build(srcdir)
        # page_a.md did not change: its chapter is converted again for the reference
        assert len(chapter_of_a()) == 1, (old, new)
        assert printed in chapter_of_a()[0].replace("\\", ""), printed
        assert printed in " ".join(pdf_page_texts(rebuilt)).replace("\n", " ")
        again = book_summary(rebuilt)
        fresh = book_summary(build(srcdir, tmp_path / f"fresh-{len(printed)}"))
        for what in fresh:
            assert again[what] == fresh[what], (printed, what)
