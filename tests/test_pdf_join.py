"""Joining part PDFs laid out by WeasyPrint one by one (builders/pdf/join.py).

Small real parts are laid out with WeasyPrint as the faqpdf builder does
(tagged, PDF/UA-1), joined, and the book is read back with pypdf, pikepdf
and poppler: pages and blanks, labels, text, links, names, outline,
structure tree and catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import pdf_outline
from external_tools import need_module, pdf_page_texts, pdfinfo
from pypdf import PdfReader

from sphinx_faq_ext.builders.pdf.join import Joined, body_first_pages, join
from sphinx_faq_ext.util.builder import JOIN_SCHEME

FOLIO = "@page { size: A6; @bottom-center { content: counter(page%s) } }"


def paragraphs(label: str, count: int) -> str:
    """*count* paragraphs of about half an A6 page each, told apart by *label*."""
    return "".join(
        f"<p>{label} paragraph {number}: " + "words of the part follow here " * 12 + "</p>"
        for number in range(count))


def html(body: str, *, lang: str = "en", roman: bool = False) -> str:
    folio = FOLIO % (", lower-roman" if roman else "")
    return (f'<html lang="{lang}"><head><title>Joined book</title><style>{folio}'
            f"h1, h2 {{ break-before: page }}</style></head><body>{body}</body></html>")


FRONT = html(
    "<h1>Contents</h1>" + paragraphs("Front", 6)
    + f'<p><a href="{JOIN_SCHEME}ch-two">Chapter two</a> '
    f'<a href="{JOIN_SCHEME}missing-anchor">gone</a></p>', roman=True)
PARTS = {
    "one": html(
        '<h1 id="ch-one">Chapter One</h1>' + paragraphs("One", 3)
        + '<h2 id="one-sec">One section</h2><p id="shared">Shared in one.</p>'
        + paragraphs("One more", 2)
        + f'<p><a href="{JOIN_SCHEME}two-sec">to two</a> <a href="#one-sec">here</a></p>'),
    "two": html(
        '<h1 id="ch-two">Chapter Two</h1>' + paragraphs("Two", 1)
        + '<h2 id="two-sec">Two section</h2><p id="shared">Shared in two.</p>'
        + f'<p><a href="{JOIN_SCHEME}ch-one">back to one</a></p>'),
    "three": html(
        f'<h1 id="ch-three">Chapitre trois</h1><p><a href="{JOIN_SCHEME}shared">partagé</a>'
        f' <a href="{JOIN_SCHEME}nowhere">nulle part</a></p>', lang="fr"),
}


def write(source: str, pdf: Path) -> Path:
    need_module("weasyprint")
    import weasyprint

    from sphinx_faq_ext.builders.pdf.weasyprint.layout import pdf_options

    weasyprint.HTML(string=source).write_pdf(pdf, **pdf_options(weasyprint))
    return pdf


@dataclass
class Book:
    front: Path
    parts: list[Path]
    pdf: Path
    joined: Joined
    starts: list[int]  # 0-based index of each part's first page in the book, from page counts
    blanks: list[int]  # 0-based indexes of the blank pages expected


def expected_layout(front: int, counts: list[int]) -> tuple[list[int], list[int], int]:
    """Where the parts start, where the blanks are and the page count, from page counts."""
    starts, blanks, index = [], [], front
    for count in counts:
        if index % 2:
            blanks.append(index)
            index += 1
        starts.append(index)
        index += count
    return starts, blanks, index


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    tmp = tmp_path_factory.mktemp("join")
    front = write(FRONT, tmp / "front.pdf")
    parts = [write(source, tmp / f"{name}.pdf") for name, source in PARTS.items()]
    counts = [len(PdfReader(part).pages) for part in parts]
    front_count = len(PdfReader(front).pages)
    # The layout must exercise blanks after the front and between parts.
    assert front_count % 2 and counts[0] % 2 and counts[1] % 2 == 0, (front_count, counts)
    starts, blanks, _ = expected_layout(front_count, counts)
    joined = join(front, parts, tmp / "book.pdf")
    return Book(front, parts, tmp / "book.pdf", joined, starts, blanks)


def test_body_first_pages_start_on_odd_pages() -> None:
    assert body_first_pages([3, 2, 1, 4]) == [1, 5, 7, 9]
    assert body_first_pages([1]) == [1]
    assert body_first_pages([]) == []


def test_pages_and_blanks(book: Book) -> None:
    counts = [len(PdfReader(part).pages) for part in book.parts]
    _, _, total = expected_layout(len(PdfReader(book.front).pages), counts)
    assert (book.joined.pages, book.joined.blanks) == (total, len(book.blanks))
    assert f"Pages:           {total}" in pdfinfo(book.pdf)
    assert "Tagged:          yes" in pdfinfo(book.pdf)
    with pikepdf.open(book.pdf) as pdf:
        for index in book.blanks:
            blank, before = pdf.pages[index].obj, pdf.pages[index - 1].obj
            assert blank.Contents.read_bytes() == b""
            assert blank.Tabs == pikepdf.Name.S and "/StructParents" not in blank
            for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
                assert list(blank[box]) == list(before[box])


def test_page_labels_show_printed_numbers(book: Book) -> None:
    first_body = book.starts[0]
    labels = PdfReader(book.pdf).page_labels
    assert labels[:first_body] == ["i", "ii", "iii", "iv", "v", "vi", "vii"][:first_body]
    assert labels[first_body:] == [str(n) for n in range(1, len(labels) - first_body + 1)]
    # The printed folio of each body page is its label (the parts count from 1 here,
    # so only the first part's folios match; the builder gives later parts theirs).
    assert PdfReader(book.pdf).pages[first_body + 1].extract_text().strip().endswith("2")


def test_every_page_of_every_part_in_order(book: Book) -> None:
    texts = pdf_page_texts(book.pdf)
    front = pdf_page_texts(book.front)
    assert texts[: len(front)] == front
    for start, part in zip(book.starts, book.parts, strict=True):
        own = pdf_page_texts(part)
        assert texts[start: start + len(own)] == own
    for index in book.blanks:
        assert texts[index].strip() == ""


def destinations(pdf: Path) -> dict[str, int]:
    """Named destination -> 0-based page index."""
    reader = PdfReader(pdf)
    return {name: reader.get_destination_page_number(dest)
            for name, dest in reader.named_destinations.items()}


def join_links(pdf: Path) -> list[tuple[int, str]]:
    """``(page index, anchor)`` of every faq-join: link of *pdf*."""
    with pikepdf.open(pdf) as doc:
        return [(index, str(annot.A.URI)[len(JOIN_SCHEME):])
                for index, page in enumerate(doc.pages)
                for annot in page.obj.get("/Annots", [])
                if "/A" in annot and str(annot.A.URI).startswith(JOIN_SCHEME)]


def test_join_links_land_on_the_page_of_their_anchor(book: Book) -> None:
    # Where each anchor is, from the parts themselves: the first definition wins.
    where: dict[str, int] = {}
    for start, part in zip([0, *book.starts], [book.front, *book.parts], strict=True):
        for name, index in destinations(part).items():
            where.setdefault(name, start + index)
    expected = sorted((start + index, anchor)
                      for start, part in zip([0, *book.starts], [book.front, *book.parts],
                                             strict=True)
                      for index, anchor in join_links(part) if anchor in where)
    assert len(expected) == 4
    assert destinations(book.pdf) == where
    assert where["shared"] == book.starts[0] + destinations(book.parts[0])["shared"]
    assert book.joined.duplicates == 1  # "shared"
    found = []
    with pikepdf.open(book.pdf) as pdf:
        names = pdf.Root.Names.Dests.Names
        keys = [bytes(names[i]) for i in range(0, len(names), 2)]
        assert keys == sorted(keys)
        for index, page in enumerate(pdf.pages):
            for annot in page.obj.get("/Annots", []):
                assert "/A" not in annot or not str(annot.A.URI).startswith(JOIN_SCHEME)
                if "/Dest" in annot:
                    assert str(annot.Dest) in where, annot.Dest
                    if str(annot.Contents) != "one-sec":  # the part's own internal link
                        found.append((index, str(annot.Dest)))
                        assert annot.Contents == annot.Dest
    assert sorted(found) == expected
    assert book.joined.links == len(expected)
    for index, anchor in found:
        assert where[anchor] != index or anchor == "one-sec"


def test_unresolved_anchors_are_reported_and_their_links_removed(book: Book) -> None:
    assert book.joined.unresolved == ["missing-anchor", "nowhere"]
    assert join_links(book.pdf) == []
    with pikepdf.open(book.pdf) as pdf, pikepdf.open(book.parts[2]) as part:
        # Every /Link element holds one annotation; the removed links' became spans.
        links = [element for element in walk(pdf.Root.StructTreeRoot.K[0])
                 if element.get("/S") == "/Link"]
        assert [len([kid for kid in link.K if isinstance(kid, pikepdf.Dictionary)])
                for link in links] == [1] * len(links)
        assert len(links) == sum(len(page.obj.get("/Annots", [])) for page in pdf.pages)
        assert len([e for e in walk(part.Root.StructTreeRoot.K[0]) if e.get("/S") == "/Link"]) == 2
        # "nulle part" (a removed link's text) is still there.
        assert "nulle part" in pdf_page_texts(book.pdf)[book.starts[2]]


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """``(depth, title, page index)`` of every outline item, in order."""
    return pdf_outline(PdfReader(pdf))


def test_outline_in_order_on_the_right_pages(book: Book) -> None:
    expected = list(outline(book.front))
    for start, part in zip(book.starts, book.parts, strict=True):
        expected += [(depth, title, start + page) for depth, title, page in outline(part)]
    assert [title for _, title, _ in expected] == [
        "Contents", "Chapter One", "One section", "Chapter Two", "Two section",
        "Chapitre trois"]
    assert outline(book.pdf) == expected
    with pikepdf.open(book.pdf) as pdf:
        assert pdf.Root.Outlines.Count == 6


def walk(element: Any) -> list[Any]:
    """*element* and every structure element below it."""
    found, stack = [], [element]
    while stack:
        item = stack.pop()
        found.append(item)
        kids = item.get("/K", [])
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != pikepdf.Name.OBJR:
                stack.append(kid)
    return found


def test_structure_tree(book: Book) -> None:
    with pikepdf.open(book.pdf) as pdf:
        root = pdf.Root.StructTreeRoot
        assert len(root.K) == 1
        document = root.K[0]
        assert document.S == "/Document"
        assert document.P.objgen == root.objgen
        elements = walk(document)
        assert sum(e.get("/S") == pikepdf.Name.Document for e in elements) == 1
        assert all(kid.P.objgen == document.objgen for kid in document.K)
        pages = {page.objgen: page for page in pdf.pages}
        for element in elements[1:]:
            assert element.Pg.objgen in pages
            for kid in element.K:  # every OBJR is of an annotation on its page
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    annots = pages[kid.Pg.objgen].obj.Annots
                    assert kid.Obj.objgen in {annot.objgen for annot in annots}
        kids_lang = {str(kid.get("/Lang", "")) for kid in document.K}
        assert kids_lang == {"", "fr"}

        # a leaf of the ParentTree an input, in the order of their keys
        leaves = root.ParentTree.Kids
        nums = [item for leaf in leaves for item in leaf.Nums]
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert keys == sorted(set(keys)) and int(root.ParentTreeNextKey) > keys[-1]
        assert [int(leaf.Limits[0]) for leaf in leaves] == sorted(int(leaf.Limits[0])
                                                                  for leaf in leaves)
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        assert tree.keys() == dict(pikepdf.NumberTree(root.ParentTree).items()).keys()
        annotations = 0
        for page in pdf.pages:
            if "/StructParents" not in page.obj:
                continue
            content = page.obj.Contents.read_bytes().decode("latin-1")
            mcids = {int(mcid) for mcid in re.findall(r"/MCID\s+(\d+)", content)}
            marked = tree[int(page.obj.StructParents)]
            assert len(marked) == len(mcids) and max(mcids) < len(marked)
            for element in marked:  # each up to the one Document, through /P
                assert element.Pg.objgen == page.objgen
                while element.objgen != document.objgen:
                    element = element.P
            for annot in page.obj.get("/Annots", []):
                annotations += 1
                element = tree[int(annot.StructParent)]
                objr = [kid for kid in element.K if isinstance(kid, pikepdf.Dictionary)
                        and kid.get("/Type") == pikepdf.Name.OBJR]
                assert [kid.Obj.objgen for kid in objr] == [annot.objgen]
                assert objr[0].Pg.objgen == page.objgen
        assert annotations == len(keys) - sum(
            "/StructParents" in page.obj for page in pdf.pages)


def test_catalog_and_metadata_are_the_fronts(book: Book) -> None:
    with pikepdf.open(book.front) as front, pikepdf.open(book.pdf) as pdf:
        assert pdf.Root.Lang == front.Root.Lang == "en"
        assert pdf.Root.MarkInfo.Marked
        assert pdf.Root.Metadata.read_bytes() == front.Root.Metadata.read_bytes()
        assert b"pdfuaid" in pdf.Root.Metadata.read_bytes()
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert pdf.docinfo.Title == front.docinfo.Title == "Joined book"


def test_same_inputs_same_bytes(book: Book, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    assert join(book.front, book.parts, again) == book.joined
    assert again.read_bytes() == book.pdf.read_bytes()


def test_one_part_reads_as_the_whole_laid_out_at_once(tmp_path: Path) -> None:
    front_body = "<h1>Title</h1>" + paragraphs("Front", 3)
    part_body = '<h1 id="p">Part</h1>' + paragraphs("Part", 3)
    plain = "<html lang='en'><head><style>@page { size: A6 }</style></head><body>%s</body></html>"
    whole = write(plain % (front_body + f'<div style="break-before: right">{part_body}</div>'),
                  tmp_path / "whole.pdf")
    front = write(plain % front_body, tmp_path / "front.pdf")
    part = write(plain % part_body, tmp_path / "part.pdf")
    joined = join(front, [part], tmp_path / "book.pdf")
    assert joined.blanks == 1  # the front has an odd number of pages
    assert pdf_page_texts(tmp_path / "book.pdf") == pdf_page_texts(whole)


def test_tagged_and_untagged_parts_are_refused(tmp_path: Path) -> None:
    need_module("weasyprint")
    import weasyprint

    front = write(html("<p>Front</p>"), tmp_path / "front.pdf")
    untagged = tmp_path / "untagged.pdf"
    weasyprint.HTML(string=html("<p>Part</p>")).write_pdf(untagged)
    with pytest.raises(ValueError, match="tagged and untagged"):
        join(front, [untagged], tmp_path / "book.pdf")


TYPST_PART = """#set document(title: "Part")
#set text(lang: "en")
= {title}
Text#footnote[a note of {title}] more#footnote[another].
#table(columns: 2, table.header([A], [B]), [1], [2])
"""


def test_every_parts_structure_ids_are_kept_unique(tmp_path: Path) -> None:
    """Each part numbers its ids from the start (Typst: ``Note 1``, ``U1x0y0``): the
    book's IDTree holds every part's elements, each under its own id, and a
    table cell's /Headers names its header cell's (renamed) id."""
    need_module("typst")
    import typst

    paths = []
    for title in ("Front", "One", "Two"):
        pdf = tmp_path / f"{title}.pdf"
        source = tmp_path / f"{title}.typ"
        source.write_text(TYPST_PART.format(title=title), "utf8")
        pdf.write_bytes(typst.compile(str(source), pdf_standards=["ua-1"]))
        paths.append(pdf)
    counts = []
    for path in paths:
        with pikepdf.open(path) as part:
            counts.append(len(pikepdf.NameTree(part.Root.StructTreeRoot.IDTree)))
    assert counts[0] >= 4  # two notes, two header cells
    join(paths[0], paths[1:], tmp_path / "book.pdf")
    with pikepdf.open(tmp_path / "book.pdf") as book:
        tree = dict(pikepdf.NameTree(book.Root.StructTreeRoot.IDTree).items())
        assert len(tree) == sum(counts)  # none lost, none merged
        for key, element in tree.items():
            assert str(element.ID) == key
        named = 0
        for element in walk(book.Root.StructTreeRoot.K[0]):
            if element.get("/S") != pikepdf.Name.TD:
                continue
            for attributes in element.A if isinstance(element.A, pikepdf.Array) else [
                    element.A]:
                for header in attributes.get("/Headers", []):
                    # the header cell of its own table, not of the first part's
                    assert table_of(tree[str(header)]).objgen == table_of(element).objgen
                    named += 1
        assert named == 6  # two data cells in each of the three tables


def table_of(element: Any) -> Any:
    while str(element.S) != "/Table":
        element = element.P
    return element


def test_the_join_worker_joins_the_same_book_and_exits(book: Book, tmp_path: Path) -> None:
    """The join in a child process (:mod:`.join_worker`): the same book, bytes and
    record; then the last book opened while the parts are laid out, one part
    replaced in it (:func:`.join.rejoin`): the same book as the rejoin in the
    build's process makes.  The worker has exited once closed."""
    from sphinx_faq_ext.builders.pdf.join import rejoin
    from sphinx_faq_ext.builders.pdf.join_worker import JoinWorker

    worker = JoinWorker(tmp_path)
    worker.start()
    target = tmp_path / "book.pdf"
    assert worker.join(book.front, book.parts, target) == book.joined
    worker.close()
    assert worker.worker.child is None
    assert target.read_bytes() == book.pdf.read_bytes()

    record = book.joined.record
    anchors: list[dict[str, list[float]]] = [{} for _ in book.parts]
    here = rejoin(target, record, book.parts, tmp_path / "here.pdf", anchors, {1})
    assert here is not None
    worker = JoinWorker(tmp_path)
    worker.open(target)
    there = worker.rejoin(target, record, book.parts, tmp_path / "there.pdf", anchors, {1})
    worker.close()
    assert there == here
    assert (tmp_path / "there.pdf").read_bytes() == (tmp_path / "here.pdf").read_bytes()


def test_the_join_workers_failures(tmp_path: Path) -> None:
    """A join that fails in the worker is a :class:`.join_worker.JoinError` with
    the error's message; a rejoin that fails is None (the book is joined anew)."""
    need_module("weasyprint")
    import weasyprint

    from sphinx_faq_ext.builders.pdf.join_worker import JoinError, JoinWorker

    front = write(html("<p>Front</p>"), tmp_path / "front.pdf")
    untagged = tmp_path / "untagged.pdf"
    weasyprint.HTML(string=html("<p>Part</p>")).write_pdf(untagged)
    worker = JoinWorker(tmp_path)
    with pytest.raises(JoinError, match="tagged and untagged"):
        worker.join(front, [untagged], tmp_path / "book.pdf")
    worker.close()
    worker = JoinWorker(tmp_path)
    worker.open(tmp_path / "no-such-book.pdf")  # fails: the rejoin opens it, fails too
    assert worker.rejoin(tmp_path / "no-such-book.pdf", {"parts": [{}]}, [front],
                         tmp_path / "book.pdf", [{}], {0}) is None
    worker.close()


def test_the_join_worker_never_frees_its_books(book: Book, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Freeing a joined book takes pikepdf longer than the kernel takes to end the
    process: the worker keeps every book it opened and ends with ``os._exit``."""
    import io
    import json
    import os

    from sphinx_faq_ext.builders.pdf import join_worker

    job = {"kind": "join", "source": str(book.front), "pdf": str(tmp_path / "book.pdf"),
           "base": str(tmp_path), "ask": False, "body": [str(p) for p in book.parts],
           "anchors": None, "margin_elements": True}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(job) + "\n"))
    said = io.StringIO()
    monkeypatch.setattr("sys.stdout", said)
    monkeypatch.setattr(join_worker, "_books", {})
    ended: list[int] = []

    def _exit(status: int) -> None:
        ended.append(status)
        raise SystemExit(status)

    monkeypatch.setattr(os, "_exit", _exit)
    with pytest.raises(SystemExit):
        join_worker.main(["--serve"])
    assert ended == [0]
    done = json.loads(said.getvalue().splitlines()[-1])["done"]
    assert done["pages"] == book.joined.pages
    assert list(join_worker._books) == [str(book.front)]
    assert len(join_worker._books[str(book.front)].pages) == book.joined.pages
