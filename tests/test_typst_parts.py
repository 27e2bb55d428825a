"""The Typst engine lays a book out chapter by chapter and joins the parts.

A small book of four chapters (``test-print``: two of questions, the
question index and the works quoted, which print page numbers of the
others, and an index of names) is built in parts and in one piece: the two
PDFs must agree page for page (the parts are numbered as the whole book
is), every page number printed in the contents and the back matter must be
the page where its question is, every link between parts must land inside
the PDF, and a rebuild after a one-question edit must lay out only the parts
that changed.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import (
    ROOTS,
    STRANGE_NODE_EXT,
    Built,
    MakeApp,
    pdf_outline,
    sphinx_build,
    write_unprinted_link_book,
)
from docutils import nodes
from external_tools import pdf_page_texts
from pypdf import PdfReader
from seed import words

MM = 72 / 25.4
CROP = 13 * MM


def build(srcdir: Path, **overrides: object) -> Built:
    built = sphinx_build(srcdir, "faqpdf", parallel=2, **overrides)
    assert built.warnings == ""
    return built


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The book in parts, the same in one piece, and the source folder."""
    tmp = tmp_path_factory.mktemp("typst-parts")
    srcdir = tmp / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    parts = build(srcdir, faq_pdf_by_chapter=True).outdir / "afaq.pdf"
    kept = tmp / "parts.pdf"
    shutil.copy(parts, kept)
    one = tmp / "one"
    whole = sphinx_build(srcdir, "faqpdf", builddir=one, faq_pdf_by_chapter=False)
    assert whole.warnings == ""
    return kept, whole.outdir / "afaq.pdf", srcdir


def test_the_book_is_laid_out_in_parts(books: tuple[Path, Path, Path]) -> None:
    srcdir = books[2]
    folder = srcdir / "_build" / "faqpdf" / "_parts"
    names = sorted(path.name for path in folder.glob("*.typ"))
    assert names == [f"afaq-{name}.typ" for name in ("001", "002", "003", "004", "front",
                                                     "index")]
    # a chapter's markup is its own: the links into other chapters are join links
    first = (folder / "afaq-001.typ").read_text("utf8")
    assert "faq-join:" in (folder / "afaq-003.typ").read_text("utf8")  # the question index
    assert "#faq-part-report(" in first
    assert not (srcdir / "_build" / "faqpdf" / "afaq.typ").exists()


def test_parts_and_one_piece_agree_page_for_page(books: tuple[Path, Path, Path]) -> None:
    """Same pages, same page labels, same bookmarks on the same pages."""
    parts, one, _srcdir = books
    a, b = PdfReader(parts), PdfReader(one)
    assert len(a.pages) == len(b.pages)
    assert a.page_labels == b.page_labels
    assert a.page_labels[0] == "i" and "1" in a.page_labels
    assert a.page_labels.index("1") == len(a.page_labels) - len(
        [label for label in a.page_labels if label.isdigit()])
    bookmarks_a = [(level, title, a.page_labels[page]) for level, title, page in pdf_outline(a)]
    bookmarks_b = [(level, title, b.page_labels[page]) for level, title, page in pdf_outline(b)]
    assert [entry for entry in bookmarks_a if entry[1] != "Contents"] == [
        entry for entry in bookmarks_b if entry[1] != "Contents"]
    assert len(bookmarks_a) >= 15
    # and the text of every body page is the same
    texts_a, texts_b = pdf_page_texts(parts), pdf_page_texts(one)
    first = a.page_labels.index("1")
    assert [words(t) for t in texts_a[first:]] == [words(t) for t in texts_b[first:]]
    # both contents end with the index of names, at the same page
    at = [re.findall(r"\bIndex[\s.\u2060]+(\d+)", " ".join(texts[:first]))
          for texts in (texts_a, texts_b)]
    assert at[0] and at[0] == at[1], (texts_a[:first], texts_b[:first])


def test_contents_page_numbers_are_the_pages_of_the_questions(
        books: tuple[Path, Path, Path]) -> None:
    parts, _one, _srcdir = books
    reader = PdfReader(parts)
    labels = reader.page_labels
    texts = pdf_page_texts(parts, crop=CROP)
    contents = [i for i, text in enumerate(texts) if labels[i].isalpha()
                and "Contents" in text]
    assert contents
    checked = 0
    for line in "\n".join(texts[i] for i in contents).splitlines():
        match = re.fullmatch(r"\s*(\S.*?)[ .]*\s(\d+)\s*", line)
        if not match:
            continue
        title, page = match.group(1).rstrip(". "), match.group(2)
        # the title is the first line of a heading on the page the contents give
        body = words(texts[labels.index(page)])
        assert words(title) in body, (title, page)
        checked += 1
    assert checked >= 15


def test_links_between_parts_land_in_the_book(books: tuple[Path, Path, Path]) -> None:
    parts, _one, _srcdir = books
    with pikepdf.open(parts) as pdf:
        pages = {page.objgen for page in pdf.pages}
        names = {}
        tree = pdf.Root.Names.Dests
        flat = tree.get("/Names", [])
        for index in range(0, len(flat), 2):
            names[bytes(flat[index])] = flat[index + 1]
        internal = 0
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                uri = str(annotation.get("/A", {}).get("/URI", ""))
                assert not uri.startswith("faq-join:"), uri
                dest = annotation.get("/Dest")
                if dest is None:
                    continue
                if not isinstance(dest, pikepdf.Array):
                    dest = names[bytes(dest)]
                assert dest[0].objgen in pages
                internal += 1
    assert internal >= 30


def test_pdfua_finds_nothing_in_the_joined_book(books: tuple[Path, Path, Path]) -> None:
    from pdfua import validate

    report = validate(str(books[0]))
    assert [f for outcome in report.outcomes for f in outcome.findings] == []


def test_a_rebuild_after_one_edit_lays_out_the_changed_parts_only(
        books: tuple[Path, Path, Path]) -> None:
    _parts, _one, srcdir = books
    folder = srcdir / "_build" / "faqpdf" / "_parts"
    before = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.pdf")}
    manifest = json.loads((folder / "afaq.parts.json").read_text("utf8"))
    # a word more in the last question of the first chapter: its page count may
    # change, the other chapters' text does not
    page = srcdir / "secA.md"
    text = page.read_text("utf8")
    page.write_text(text.rstrip("\n") + "\n\nOne more sentence, edited.\n", "utf8")
    rebuilt = build(srcdir, faq_pdf_by_chapter=True).outdir / "afaq.pdf"
    after = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.pdf")}
    changed = {name for name in after if after[name] != before.get(name)}
    assert "afaq-001.pdf" in changed
    now = json.loads((folder / "afaq.parts.json").read_text("utf8"))
    for name in ("afaq-002", "afaq-004"):
        # a chapter whose markup and first page stayed is not laid out again
        if now[name]["first"] == manifest[name]["first"] and now[name]["key"] == manifest[
                name]["key"]:
            assert f"{name}.pdf" not in changed
    assert len(changed) < len(after)
    assert "edited" in " ".join(pdf_page_texts(rebuilt))


def test_a_link_no_chapter_holds_warns_where_it_is(tmp_path: Path) -> None:
    """A link into another chapter whose target that chapter does not print (an
    HTML-only block): plain text, and the warning names the link's document and line."""
    source = tmp_path / "src"
    write_unprinted_link_book(source, "web-only", "the web part", "On the web only.")
    for build_number in (1, 2):  # the second build reuses the chapters' kept markup
        built = sphinx_build(source, "faqpdf", faq_pdf_by_chapter=True)
        if build_number == 2:
            assert "0 of 2 chapters converted to Typst" in built.output, built.output
        said = [line for line in built.warnings.splitlines() if "no chapter holds" in line]
        assert len(said) == 1, built.warnings
        assert re.match(r".*[/\\]a\.md:6: WARNING: faqpdf: a link to #web-only",
                        said[0]), said


MY_CONTENTS = """\
#import "faq-book.typ": faq-contents-entries
#let faq-contents(title: [Contents]) = {
  let entries = faq-contents-entries()
  [My own contents.]
  if entries != none [ #entries.len() entries, the first #entries.first().at(1).]
  pagebreak(weak: true)
}
"""


@pytest.mark.parametrize("by_chapter", [True, False])
def test_the_books_own_contents_apply_in_both_modes(tmp_path: Path, by_chapter: bool) -> None:
    """A faq_pdf_typst file redefining faq-contents: its contents, in one piece
    and by chapter (where faq-contents-entries gives the entries)."""
    source = tmp_path / "src"
    shutil.copytree(ROOTS / "test-print", source)
    (source / "my.typ").write_text(MY_CONTENTS, "utf8")
    with (source / "conf.py").open("a", encoding="utf8") as conf:
        conf.write('\nfaq_pdf_typst = ["my.typ"]\n')
    built = sphinx_build(source, "faqpdf", parallel=2, faq_pdf_by_chapter=by_chapter)
    assert built.status == 0, built.warnings
    texts = pdf_page_texts(built.outdir / "afaq.pdf")
    front = " ".join(texts[:3])
    assert "My own contents." in front
    assert "Contents" not in front.replace("My own contents", "")
    if by_chapter:
        assert re.search(r"\d+ entries, the first A What is Anarchism\?", " ".join(front.split()))


def test_a_rebuild_converts_the_edited_chapter_only_and_makes_the_same_book(
        tmp_path: Path) -> None:
    """Each chapter's Typst markup is kept (``_parts/*.translated.json``): a rebuild
    after an edit in one chapter converts that chapter only, and its book is the
    one a build from scratch of the edited sources makes, markup and text."""
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    first = build(srcdir, faq_pdf_by_chapter=True)
    assert "afaq.pdf: 4 of 4 chapters converted to Typst" in first.output
    folder = first.outdir / "_parts"
    kept = {path.name: path.read_bytes() for path in folder.glob("*.translated.json")}
    assert sorted(kept) == [f"afaq-00{n}.translated.json" for n in range(1, 5)]
    # nothing changed: nothing converted, the same markup
    typ = {path.name: path.read_bytes() for path in folder.glob("*.typ")}
    again = build(srcdir, faq_pdf_by_chapter=True)
    assert "afaq.pdf: 0 of 4 chapters converted to Typst" in again.output
    assert {path.name: path.read_bytes() for path in folder.glob("*.typ")} == typ
    # one word more in the second chapter
    page = srcdir / "secA2.md"
    text = page.read_text("utf8")
    assert " the " in text
    page.write_text(text.replace(" the ", " the unmistakably edited ", 1), "utf8")
    rebuilt = build(srcdir, faq_pdf_by_chapter=True)
    assert "afaq.pdf: 1 of 4 chapters converted to Typst" in rebuilt.output
    now = {path.name: path.read_bytes() for path in folder.glob("*.translated.json")}
    assert [name for name in sorted(now) if now[name] != kept[name]] == [
        "afaq-002.translated.json"]
    texts = pdf_page_texts(rebuilt.outdir / "afaq.pdf")
    assert "unmistakably edited" in " ".join(texts)
    # the same book as one built from scratch from the edited sources
    scratch = tmp_path / "scratch"
    shutil.copytree(srcdir, scratch, ignore=shutil.ignore_patterns("_build"))
    fresh = build(scratch, faq_pdf_by_chapter=True)
    assert "afaq.pdf: 4 of 4 chapters converted to Typst" in fresh.output
    for path in (fresh.outdir / "_parts").glob("*.typ"):
        assert (folder / path.name).read_text("utf8") == path.read_text("utf8"), path.name
    assert texts == pdf_page_texts(fresh.outdir / "afaq.pdf")
    # a configuration value is part of every chapter's key
    other = build(srcdir, faq_pdf_by_chapter=True, faq_pdf_measure=60)
    assert "afaq.pdf: 4 of 4 chapters converted to Typst" in other.output


def test_the_book_is_assembled_as_sphinx_assembles_it(make_app: MakeApp,
                                                      tmp_path: Path) -> None:
    """The book's doctree, inlined without Sphinx's deep copy of each included
    doctree, is Sphinx's own, node for node, after the post-transforms and the
    preparation for print (which look at documents and parents)."""
    from sphinx.util.console import darkgreen
    from sphinx.util.nodes import inline_all_toctrees as sphinx_inline

    from sphinx_faq_ext.builders.pdf.doctree import inline_all_toctrees, prepare_print_tree

    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    app = make_app("faqpdf", srcdir=srcdir)
    app.builder.read()
    root = app.config.root_doc
    made = []
    for inline in (sphinx_inline, inline_all_toctrees):
        docnames: set[str] = set()
        tree = inline(app.builder, docnames, root, app.env.get_doctree(root), darkgreen, [root])
        tree["docname"] = root
        app.env.resolve_references(tree, root, app.builder)
        renamed = prepare_print_tree(tree, app.config.html_baseurl).renamed
        made.append((tree.pformat(), sorted(docnames), renamed,
                     [(node.parent.tagname, node.document is not None)
                      for node in tree.findall(nodes.Element) if node.parent is not None]))
    assert made[0][1] == ["questions", "secA", "secA2", "works"]
    assert made[1] == made[0]


def test_a_chapter_whose_conversion_warned_is_converted_and_warns_again(
        tmp_path: Path) -> None:
    """A chapter is kept only if converting it said nothing: a rebuild says its
    warnings again (so that ``-W`` fails it again), the quiet chapter is reused."""
    from sphinx_faq_ext.testing import write_project

    src = write_project(tmp_path / "src", {
        "ext.py": STRANGE_NODE_EXT,
        "index.rst": "Book\n====\n\n.. toctree::\n\n   one\n   two\n",
        "one.rst": "One\n===\n\n.. strange::\n\n   Strange words kept.\n",
        "two.rst": "Two\n===\n\nPlain words.\n",
    }, conf='extensions = ["sphinx_faq_ext", "ext"]\nimport sys, os\n'
            "sys.path.insert(0, os.path.dirname(__file__))\n")
    for converted in (2, 1):
        built = sphinx_build(src, "faqpdf", faq_pdf_by_chapter=True)
        assert f": {converted} of 2 chapters converted to Typst" in built.output
        assert built.warnings.count("no visitor for strange nodes") == 1
        folder = built.outdir / "_parts"
        assert sorted(path.name for path in folder.glob("*.translated.json")) == [
            "projectnamenotset-002.translated.json"]
