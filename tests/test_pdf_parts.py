"""The ``faqpdf`` book laid out chapter by chapter in child processes, then joined.

The book is the volumes tests' synthetic one: chapters A (25 questions), B
(25) and C (5), each question referring to another, then a question index
and the works quoted (the back matter).  Checked against the same book laid
out in one piece (``faq_pdf_by_chapter = False``) and against itself: every
printed page number, contents and index entry, link and bookmark.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import WEASYPRINT, Built, pdf_outline, sphinx_build, write_unprinted_link_book
from external_tools import need_module, pdf_page_texts
from pypdf import PdfReader
from test_pdf_volumes import STEM, indexed_book, internal_links, uris

from sphinx_faq_ext.builders.pdf import workers as pdf_workers
from sphinx_faq_ext.builders.pdf.parts import PAGE_ATTRIBUTE, links_across
from sphinx_faq_ext.builders.pdf.weasyprint import chapters as pdf_parts
from sphinx_faq_ext.builders.pdf.weasyprint.chapters import (
    Workers,
    lay_out_body,
)
from sphinx_faq_ext.builders.pdf.weasyprint.layout import LAYOUT_MODULE
from sphinx_faq_ext.builders.pdf.workers import FirstPages

ROMAN = re.compile(r"^[ivxlc]+$")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_module("weasyprint")
    need_module("pikepdf")
    return indexed_book(tmp_path_factory.mktemp("parts-book"))


@pytest.fixture(scope="module")
def by_chapter(book: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The book by chapter, two layouts at a time (-j 2)."""
    return sphinx_build(book, "faqpdf", **WEASYPRINT, builddir=tmp_path_factory.mktemp("parts-j2"),
                        parallel=2)


@pytest.fixture(scope="module")
def one_piece(book: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return sphinx_build(book, "faqpdf", **WEASYPRINT,
                        builddir=tmp_path_factory.mktemp("parts-one"),
                        faq_pdf_by_chapter=False)


class Book:
    """A joined PDF read back: page texts, printed numbers, labels, bookmarks."""

    def __init__(self, pdf: Path) -> None:
        self.pdf = pdf
        self.reader = PdfReader(pdf)
        self.pages = pdf_page_texts(pdf)
        self.outline = pdf_outline(self.reader)
        self.labels = list(self.reader.page_labels)

    def printed(self, index: int) -> str:
        """The page number printed at the foot of page *index* ("" if none)."""
        lines = [line.strip() for line in self.pages[index].splitlines() if line.strip()]
        last = lines[-1] if lines else ""
        return last if last.isdigit() or ROMAN.match(last) else ""

    @property
    def body_start(self) -> int:
        """Index of the first chapter's first page."""
        return next(page for _d, title, page in self.outline if title != "Contents")

    def page_of(self, title_start: str) -> int:
        return next(page for _d, title, page in self.outline if title.startswith(title_start))


def test_by_chapter_has_the_one_piece_books_contents(by_chapter: Built,
                                                        one_piece: Built) -> None:
    assert by_chapter.warnings == ""
    assert not (by_chapter.outdir / "_parts" / f"{STEM}-001.pdf").exists()  # cleaned up
    assert (by_chapter.outdir / "_parts" / f"{STEM}-001.html").is_file()
    ours, theirs = Book(by_chapter.file("*.pdf")), Book(one_piece.file("*.pdf"))
    # the same bookmarks, in the same order and at the same depths
    assert [(d, t) for d, t, _p in ours.outline] == [(d, t) for d, t, _p in theirs.outline]
    # the same words in the same order, page numbers (which differ: ours count
    # from the first chapter) and blank pages aside
    def words(book: Book) -> list[str]:
        return [re.sub(r"\d+", "#", word.strip(".")) for index, page in enumerate(book.pages)
                for word in page.split()[: -1 if book.printed(index) else None]
                if not word.isdigit() and word.strip(".")]
    assert words(ours) == words(theirs)


def test_printed_numbers_are_continuous_and_match_the_page_labels(by_chapter: Built) -> None:
    book = Book(by_chapter.file("*.pdf"))
    start = book.body_start
    assert start % 2 == 0  # the first chapter opens on a right-hand page
    assert len(book.labels) == len(book.pages)
    for index in range(len(book.pages)):
        printed = book.printed(index)
        if index < start:
            assert printed == "" or ROMAN.match(printed), (index, printed)
            assert ROMAN.match(book.labels[index]) or book.labels[index] == "", index
            continue
        assert book.labels[index] == str(index - start + 1)
        if book.pages[index].strip():  # a blank page before a chapter prints nothing
            assert printed == book.labels[index], (index, printed, book.labels[index])


def test_every_chapter_opens_on_a_right_hand_page(by_chapter: Built) -> None:
    book = Book(by_chapter.file("*.pdf"))
    chapters = [page for depth, title, page in book.outline if depth == 0 and title != "Contents"]
    assert len(chapters) == 5  # A, B, C, question index, works quoted
    assert all((page - book.body_start) % 2 == 0 for page in chapters), chapters
    # a blank page where a chapter ended on a right-hand page
    blanks = [i for i in range(book.body_start, len(book.pages)) if not book.pages[i].strip()]
    assert all(i + 1 in chapters for i in blanks)


def listed(text: str) -> dict[str, str]:
    """Question number -> page number of each dotted-leader line."""
    return {m.group(1): m.group(2) for m in re.finditer(
        r"^([A-C](?:\.\d+)+) .*?(\d+)\s*$", text, re.MULTILINE)}


def check_listed_numbers(book: Book) -> None:
    """Contents and question index print the page each question starts on."""
    start = book.body_start
    contents = listed("\n".join(book.pages[:start]))
    index_page = book.page_of("Question index")
    index_end = min(page for _d, title, page in book.outline if page > index_page
                    and not title.startswith("Question index"))
    index = listed("\n".join(book.pages[index_page:index_end]))
    assert len(contents) == len(index) == 55 - 3  # every question but the chapters' own
    for number, page in contents.items():
        heading = book.page_of(number + " ")
        assert page == index[number] == book.labels[heading], number
        assert book.labels[heading] == str(heading - start + 1)


def test_contents_and_index_print_the_pages_of_what_they_list(by_chapter: Built) -> None:
    check_listed_numbers(Book(by_chapter.file("*.pdf")))


def test_links_across_chapters_land_inside_the_pdf(by_chapter: Built) -> None:
    pdf = by_chapter.file("*.pdf")
    dests, defined = internal_links(pdf)
    assert len(dests) > 55 * 2 and set(dests) <= defined
    assert uris(pdf) == set()  # no faq-join: link left
    text = " ".join(" ".join(Book(pdf).pages).split())
    assert "See C.1.3 Why is history important to theory?" in text


def test_a_chapter_less_leaves_no_file_of_it(tmp_path: Path) -> None:
    """Built again without chapter C, the output has no part of it left over."""
    need_module("weasyprint")
    source = indexed_book(tmp_path / "src")
    sphinx_build(source, "faqpdf", **WEASYPRINT, builddir=tmp_path / "out")
    parts = tmp_path / "out" / "faqpdf" / "_parts"
    assert (parts / f"{STEM}-005.html").is_file()
    index = source / "index.md"
    index.write_text(index.read_text("utf8").replace("\nc\n", "\n"), "utf8")
    (source / "c.md").unlink()
    built = sphinx_build(source, "faqpdf", **WEASYPRINT, builddir=tmp_path / "out")
    assert sorted(p.name for p in parts.iterdir()) == [
        f"{STEM}-{name}.html" for name in ("001", "002", "003", "004", "front")]
    titles = [title for _d, title, _p in Book(built.file("*.pdf")).outline]
    assert "B Why is commune important to workers?" in titles
    assert not [title for title in titles if title.startswith(("C ", "C."))]


def test_one_or_two_layouts_at_a_time_give_the_same_bytes(
    book: Path, by_chapter: Built, tmp_path: Path
) -> None:
    serial = sphinx_build(book, "faqpdf", **WEASYPRINT, builddir=tmp_path / "j1")
    assert serial.file("*.pdf").read_bytes() == by_chapter.file("*.pdf").read_bytes()


def test_an_index_before_a_chapter_is_laid_out_twice(tmp_path: Path) -> None:
    """The index between chapters B and C: first with placeholder numbers (its page
    count numbers C), then with the numbers written in."""
    need_module("weasyprint")
    source = indexed_book(tmp_path / "src")
    index = source / "index.md"
    index.write_text(index.read_text("utf8").replace("\nc\nqi\n", "\nqi\nc\n"), "utf8")
    built = sphinx_build(source, "faqpdf", **WEASYPRINT, builddir=tmp_path / "out")
    assert built.warnings == ""
    html = (built.outdir / "_parts" / f"{STEM}-003.html").read_text("utf8")
    assert 'data-faq-page="000"' not in html and 'data-faq-page="1"' in html
    book = Book(built.file("*.pdf"))
    titles = [title for depth, title, _p in book.outline if depth == 0]
    assert titles[1:] == ["A Why is society important to voluntary?",
                          "B Why is commune important to workers?", "Question index",
                          "C Why is land important to ethics?", "Works quoted"]
    check_listed_numbers(book)


def test_an_index_longer_with_placeholders_numbers_the_chapters_after_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Placeholders that take more room than the numbers (several lines an entry):
    the index gets fewer pages the second time, and chapter C is laid out again."""
    need_module("weasyprint")
    monkeypatch.setattr(pdf_parts, "PLACEHOLDER", " ".join(["0000"] * 60))
    source = indexed_book(tmp_path / "src")
    index = source / "index.md"
    index.write_text(index.read_text("utf8").replace("\nc\nqi\n", "\nqi\nc\n"), "utf8")
    built = sphinx_build(source, "faqpdf", **WEASYPRINT, builddir=tmp_path / "out")
    assert built.warnings == ""
    check_listed_numbers(Book(built.file("*.pdf")))


# -- the pieces ------------------------------------------------------------------------


def test_links_to_other_parts_are_marked_and_numbered_on_the_doctree() -> None:
    """Links to anchors a part lacks go to ``faq-join:``, with the page when known,
    while the part is written; the doctree is put back for the next part."""
    from docutils import nodes
    from docutils.utils import new_document

    document = new_document("book")
    paragraph = nodes.paragraph(ids=["here"])
    here = nodes.reference("", "a", refuri="#here", internal=True)
    there = nodes.reference("", "b", refuri="#there", internal=True)
    gone = nodes.reference("", "c", refid="gone")
    web = nodes.reference("", "d", refuri="https://example.org/#there")
    paragraph += [here, there, gone, web]
    document += paragraph
    with links_across([document], {"there": 12}) as changed:
        assert changed == 2
        assert here["refuri"] == "#here" and PAGE_ATTRIBUTE not in here
        assert there["refuri"] == "faq-join:there" and there[PAGE_ATTRIBUTE] == "12"
        # a refid becomes a link still rendered as internal; nothing known: no number
        assert gone["refuri"] == "faq-join:gone" and gone["internal"]
        assert "refid" not in gone and PAGE_ATTRIBUTE not in gone
        assert web["refuri"] == "https://example.org/#there"
    assert there["refuri"] == "#there" and PAGE_ATTRIBUTE not in there
    assert gone["refid"] == "gone" and "refuri" not in gone and "internal" not in gone
    with links_across([document], {}, "000"):
        assert there[PAGE_ATTRIBUTE] == gone[PAGE_ATTRIBUTE] == "000"
    with links_across([document], also_own=["there", "gone"]) as changed:
        assert changed == 0


def test_first_pages_wait_for_the_parts_before() -> None:
    first = FirstPages(3)
    first.report(0, 5)
    first.report(1, 4)
    assert first.first_page(0) == 1
    assert first.first_page(1) == 7  # after 5 pages and a blank one
    assert first.first_page(2) == 11


def test_a_failed_part_does_not_hold_the_others(tmp_path: Path) -> None:
    need_module("weasyprint")
    good = tmp_path / "good.html"
    good.write_text('<html lang="en"><body><p id="x">Some text.</p></body></html>', "utf8")
    jobs = [(tmp_path / "missing.html", tmp_path / "1.pdf"), (good, tmp_path / "2.pdf")]
    # one worker: it goes on after the failed part
    workers = Workers(tmp_path, 1, LAYOUT_MODULE)
    try:
        layouts = lay_out_body(dict(enumerate(jobs)), 2, workers)
        failed, done = layouts[0], layouts[1]
    finally:
        workers.close()
    assert failed.returncode != 0 and "missing.html" in failed.tail
    assert done.returncode == 0 and done.pages == 1 and done.anchors == {"x": 0}
    assert done.first_page == 1  # the failed part counts no pages
    assert len(workers.idle) == 1


def test_a_worker_that_dies_is_replaced(tmp_path: Path) -> None:
    need_module("weasyprint")
    page = tmp_path / "page.html"
    page.write_text('<html lang="en"><body><p id="y">Text.</p></body></html>', "utf8")
    workers = Workers(tmp_path, 1, LAYOUT_MODULE)
    try:
        first = workers.run(page, tmp_path / "1.pdf")
        [worker] = workers.idle
        assert worker.child is not None
        worker.child.kill()  # as a crash inside WeasyPrint would
        worker.child.wait()
        second = workers.run(page, tmp_path / "2.pdf")
    finally:
        workers.close()
    assert first.returncode == second.returncode == 0
    assert (tmp_path / "2.pdf").read_bytes().startswith(b"%PDF")


def test_a_worker_grown_too_big_is_ended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint keeps memory from document to document: a worker above the limit
    after a part is ended, and the next part gets a new process."""
    need_module("weasyprint")
    monkeypatch.setattr(pdf_workers, "RECYCLE_MB", 0)
    page = tmp_path / "page.html"
    page.write_text('<html lang="en"><body><p id="z">Text.</p></body></html>', "utf8")
    workers = Workers(tmp_path, 1, LAYOUT_MODULE)
    try:
        first = workers.run(page, tmp_path / "1.pdf")
        [worker] = workers.idle
        assert worker.child is None  # ended after its part
        second = workers.run(page, tmp_path / "2.pdf")
    finally:
        workers.close()
    assert first.returncode == second.returncode == 0 and second.anchors == {"z": 0}


def test_resident_memory_is_read_from_proc() -> None:
    import os

    size = pdf_workers.resident_mb(os.getpid())
    if Path("/proc/self/status").exists():
        assert size is not None and size > 10
    assert pdf_workers.resident_mb(2**22 + 7) is None  # no such process


def test_a_link_no_chapter_holds_warns_where_it_is(tmp_path: Path) -> None:
    """A link into another chapter whose target is printed nowhere (its id on a
    raw HTML block): plain text, and the warning names the link's document and line."""
    need_module("weasyprint")
    source = tmp_path / "src"
    write_unprinted_link_book(source, "raw-part", "the raw part", "Raw HTML.")
    built = sphinx_build(source, "faqpdf", **WEASYPRINT, faq_pdf_by_chapter=True)
    said = [line for line in built.warnings.splitlines() if "no chapter holds" in line]
    assert len(said) == 1, built.warnings
    assert re.match(r".*[/\\]a\.md:6: WARNING: faqpdf: a link to #raw-part", said[0]), said
