"""faqpdf with its Typst engine (the default): the showcase, read back page by page.

The book is checked as a reader and a screen reader meet it: the text of
every sentence and note of the seed question (``pdftotext``), notes at the
foot of their marker's page and numbered per question, the contents' page
numbers against the outline, page labels, running heads, and the PDF/UA-1
structure (``pdfua``, an independent checker, and the structure tree read
back with pikepdf).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf
import pytest
import sphinx
from conftest import (
    DOCS,
    ROOTS,
    STRANGE_NODE_EXT,
    Built,
    pdf_outline,
    sphinx_build,
    warnings_of,
)
from external_tools import pdf_page_texts, pdftotext, sphinx_process
from pypdf import PdfReader
from seed import load_seed, squash, words

from sphinx_faq_ext.testing import copy_root, write_project

if TYPE_CHECKING:
    from conftest import MakeApp, MakeProject

MM = 72 / 25.4
#: The template's top and bottom margins are 17/18 mm; running head and page
#: number sit in them, so cropping 13 mm keeps the page area and the notes.
MARGIN_CROP = 13 * MM
SOLIDARITY = "A.2.6 Why is solidarity important to anarchists?"
#: A one-pixel PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def typed(kind: str) -> str:
    """The ``[type.subtype]`` Sphinx 8+ prints after a warning (7.4 prints none)."""
    return rf" \[{re.escape(kind)}\]" if sphinx.version_info >= (8,) else ""


def build(tmp: Path, root: str = "pdf", **overrides: Any) -> Built:
    """Build test root *root* with the Typst faqpdf in a fresh copy under *tmp*."""
    srcdir = tmp / root
    copy_root(ROOTS / f"test-{root}", srcdir)
    if root == "pdf":
        shutil.copy(DOCS / "book" / "a-2-6.md", srcdir / "a-2-6.md")
    return sphinx_build(srcdir, "faqpdf", **overrides)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("typst"))


@pytest.fixture(scope="module")
def endnotes_book(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("typst-endnotes"),
                 faq_notes_style={"faqpdf": "endnotes"})


def pdf_of(built: Built) -> Path:
    return built.outdir / "solidarityfaq.pdf"


def page_texts(pdf: Path, *, crop: bool) -> list[str]:
    return pdf_page_texts(pdf, crop=MARGIN_CROP if crop else 0)


def running_heads(pdf: Path) -> list[str]:
    """The text in each page's top margin."""
    reader = PdfReader(pdf)
    return [
        words(pdftotext(pdf, page=number, box=(0, 0, float(page.mediabox.width), MARGIN_CROP)))
        for number, page in enumerate(reader.pages, start=1)
    ]


def test_builds_a_typst_pdf_without_warnings(book: Built, artifacts: Path) -> None:
    assert book.warnings == ""
    pdf = pdf_of(book)
    shutil.copy(pdf, artifacts / "faqpdf-typst-showcase.pdf")
    assert PdfReader(pdf).metadata["/Creator"].startswith("Typst")
    # the markup it was compiled from stays beside it, with the template: the
    # book has three chapters, laid out apart (a .typ each) and joined
    parts = sorted(path.name for path in (book.outdir / "_parts").glob("*.typ"))
    assert parts == [f"solidarityfaq-{name}.typ"
                     for name in ("001", "002", "003", "front", "index")]
    assert (book.outdir / "faq-book.typ").is_file()
    for part in (book.outdir / "_parts").glob("*.typ"):
        assert "@preview" not in part.read_text("utf8")


def test_pdfua_finds_nothing(book: Built) -> None:
    from pdfua import validate

    report = validate(str(pdf_of(book)))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    assert report.exit_code == 0


@pytest.mark.parametrize("by_chapter", [True, False])
def test_pdfinfo_reads_the_book_silently(tmp_path: Path, book: Built, by_chapter: bool) -> None:
    """Typst writes ``/MarkInfo << /Marked true /Suspects false >>``: valid PDF, but
    poppler before 25.12 calls a false ``/Suspects`` "wrong type (boolean)" on
    every ``pdfinfo``/``pdftotext`` of the book.  The key is left out (false is
    its default), in a joined book and in one laid out in one piece."""
    from external_tools import need_tool, run

    need_tool("pdfinfo")
    built = book if by_chapter else build(tmp_path, faq_pdf_by_chapter=False)
    done = run(["pdfinfo", str(pdf_of(built))])
    assert done.stderr == "", done.stderr
    assert "Tagged:          yes" in done.stdout
    with pikepdf.open(pdf_of(built)) as pdf:
        assert "/Suspects" not in pdf.Root.MarkInfo
        assert pdf.Root.MarkInfo.Marked is True


def link_pages(pdf: Path) -> list[tuple[int, str, int]]:
    """(page, text under it, page it goes to) of each link inside *pdf* (from 0)."""
    with pikepdf.open(pdf) as book:
        pages = {page.obj.objgen: number for number, page in enumerate(book.pages)}
        names: dict[str, pikepdf.Object] = {}
        if "/Names" in book.Root and "/Dests" in book.Root.Names:
            tree = book.Root.Names.Dests
            items = list(tree.get("/Names", []))
            for kid in tree.get("/Kids", []):
                items += list(kid.get("/Names", []))
            names = {str(items[i]): items[i + 1] for i in range(0, len(items), 2)}
        found = []
        for number, page in enumerate(book.pages):
            for annot in page.obj.get("/Annots", []):
                dest = annot.get("/Dest")
                if dest is None and "/A" in annot:
                    dest = annot.A.get("/D")
                if dest is None:
                    continue
                if not isinstance(dest, pikepdf.Array):
                    dest = names[str(dest)]
                x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                height = float(page.obj.MediaBox[3])
                text = pdftotext(pdf, page=number + 1,
                                 box=(x0, height - y1, x1 - x0, y1 - y0))
                found.append((number, " ".join(text.split()), pages[dest[0].objgen]))
        return found


@pytest.mark.parametrize("by_chapter", [True, False])
def test_link_to_the_root_lands_on_the_title_page(tmp_path: Path, by_chapter: bool) -> None:
    """A chapter's link to the root document (An Anarchist FAQ's web front page
    links "two volumes" to it) lands where the root is printed: the title page
    (its title; its introduction there or after the contents).  Before, the
    root's ``#document-index`` had no label: a warning, and the link went to
    the end of the book."""
    built = build(tmp_path, "pdf-root-link", faq_pdf_by_chapter=by_chapter)
    assert built.warnings == "", built.warnings
    pdf = built.outdir / "rootlink.pdf"
    links = link_pages(pdf)
    back = [(page, target) for page, text, target in links
            if text == "has been published in two volumes"]
    assert back and all(target == 0 for _page, target in back), links
    texts = pdf_page_texts(pdf)
    assert texts[0].startswith("Root Link"), texts[0]
    # the link inside the chapters still lands on its chapter
    second = next(n for n, text in enumerate(texts) if text.startswith("The second chapter"))
    assert any("second chapter" in text and target == second
               for page, text, target in links if page > 0), links


def struct_elements(pdf: Path) -> list[tuple[str, str]]:
    """(role, alternate text) of each element of the structure tree, in reading order."""
    found: list[tuple[str, str]] = []

    def walk(node: pikepdf.Object) -> None:
        if isinstance(node, pikepdf.Array):
            for item in node:
                walk(item)
            return
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            return
        found.append((str(node["/S"]), str(node.get("/Alt", ""))))
        if "/K" in node:
            walk(node["/K"])

    with pikepdf.open(pdf) as document:
        walk(document.Root.StructTreeRoot.K)
    return found


def test_tagged_with_title_language_headings_quotes_and_notes(book: Built) -> None:
    pdf = pdf_of(book)
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "en"
        assert document.Root.MarkInfo.Marked
        assert document.Root.ViewerPreferences.DisplayDocTitle
        assert str(document.open_metadata().get("dc:title")) == "Solidarity FAQ"
        roles = Counter(role for role, _ in struct_elements(pdf))
    assert roles["/BlockQuote"] == 4  # three quotes in the showcase, one in "More questions"
    assert roles["/Note"] == 12  # nine notes in the showcase, three in "More questions"
    # the contents of a book laid out in parts: a list of links (TOC and TOCI
    # are what Typst's own outline() is tagged, in a book in one piece)
    assert roles["/L"] >= 1 and roles["/LI"] >= 8 and roles["/Link"] >= 8
    assert roles["/Title"] == 1
    assert roles["/H1"] >= 3 and roles["/H2"] >= 2


def test_outline_lists_the_questions_nested(book: Built) -> None:
    outline = pdf_outline(PdfReader(pdf_of(book)))
    depth = {title: level for level, title, _ in outline}
    assert depth[SOLIDARITY] == depth["A.2 What does anarchism stand for?"] + 1 == depth[
        "A What is Anarchism?"] + 2
    assert depth["B.1 Is it natural?"] == depth["B What about mutual aid?"] + 1
    assert depth["More questions"] == 0


def test_title_page_contents_and_page_labels(book: Built) -> None:
    pdf = pdf_of(book)
    reader = PdfReader(pdf)
    texts = page_texts(pdf, crop=False)
    title_page = words(texts[0])
    assert "Solidarity FAQ" in title_page
    assert "Test Author & Co. <x>" in title_page  # every character escaped, none lost
    assert "27 November 2026" in title_page
    assert texts[1].lstrip().startswith("Contents")
    labels = reader.page_labels
    assert labels[:3] == ["i", "ii", "1"]  # front matter in roman numbers, then 1
    # each chapter opens on a right-hand page: an odd page number
    pages = {title: page for _, title, page in pdf_outline(reader)}
    for chapter in ("More questions", "A third chapter"):
        assert int(labels[pages[chapter]]) % 2 == 1, chapter
    # the contents go down to the questions, each with its printed page
    lines = [words(line) for line in texts[1].splitlines() if line.strip()]
    for title in (SOLIDARITY, "B.1 Is it natural?", "More questions"):
        line = next(line for line in lines if line.startswith(title))
        printed = re.search(r"(\d+)$", line)
        assert printed and printed.group(1) == labels[pages[title]], line


def test_running_heads_and_blank_pages(book: Built) -> None:
    pdf = pdf_of(book)
    full = page_texts(pdf, crop=False)
    body = page_texts(pdf, crop=True)
    heads = running_heads(pdf)
    stirner = next(i for i, text in enumerate(body) if "Max Stirner saw" in text)
    assert heads[stirner].startswith(SOLIDARITY), heads[stirner]
    # a chapter's first page and the title page carry no running head
    reader = PdfReader(pdf)
    pages = {title: page for _, title, page in pdf_outline(reader)}
    assert heads[pages["More questions"]] == ""
    assert heads[0] == ""
    # a page left blank before a chapter carries nothing at all
    blank = pages["More questions"] - 1
    if not body[blank].strip():
        assert not full[blank].strip()


def test_notes_per_question_at_the_foot_of_their_page(book: Built) -> None:
    pages = [squash(text) for text in page_texts(pdf_of(book), crop=True)]
    seed_notes = load_seed().notes
    assert len(seed_notes) == 9
    found = []
    for number, note in enumerate(seed_notes, start=1):
        entry = squash(f"[{number}]{note}")
        on = [i for i, text in enumerate(pages) if entry in text]
        assert len(on) == 1, f"note {number} printed on pages {on}"
        # its marker is in the text of the same page, before the notes
        before = pages[on[0]][: pages[on[0]].index(entry)]
        assert f"[{number}]" in before, f"marker {number} not on the note's page"
        found.append(on[0])
    assert found == sorted(found)
    # notes are numbered from 1 in each question: B and B.1 both have a note 1
    more = next(text for text in pages if "Mutualaidisafactorofevolution" in text)
    assert more.count(squash("[1]Mutual Aid, p. 6")) == 1
    assert squash("[1]Peter Kropotkin, Mutual Aid, p. 5") in more
    # and the end-of-question lists are not printed in footnotes style
    assert not any("Notes[1]" in text or "Notes1." in text for text in pages)


def test_every_seed_sentence_is_printed(book: Built) -> None:
    text = "".join(squash(page) for page in page_texts(pdf_of(book), crop=True))
    for number, note in enumerate(load_seed().notes, start=1):
        assert squash(f"[{number}]{note}") in text
        text = text.replace(squash(f"[{number}]{note}"), "", 1)
    text = re.sub(r"\[\d+\]", "", text)
    sentences = load_seed().sentences
    assert len(sentences) > 40
    assert [s for s in sentences if squash(s) not in text] == []


def test_endnotes_mode(endnotes_book: Built) -> None:
    assert endnotes_book.warnings == ""
    whole = "".join(squash(text) for text in page_texts(pdf_of(endnotes_book), crop=True))
    last = whole.index(squash("conditioned to blindly obey leaders."))
    position = whole.index("Notes", last)
    for number, note in enumerate(load_seed().notes, start=1):
        found = whole.find(squash(f"{number}.{note}"), position)
        assert found > 0, f"endnote {number} missing or out of order"
        position = found
    assert squash("human behaviour.\u201d\u00a0[1]") in whole


def test_unknown_engine_is_one_error_at_conf_py(tmp_path: Path) -> None:
    srcdir = write_project(tmp_path / "src", {"index.rst": "Book\n====\n"},
                           conf='extensions = ["sphinx_faq_ext"]\nfaq_pdf_engine = "prince"\n')
    done = sphinx_process(srcdir, tmp_path / "out", "faqpdf", check=False)
    assert done.status != 0
    message = done.warnings + done.output
    assert f"{srcdir / 'conf.py'}:2: faq_pdf_engine = 'prince' is not an engine" in message
    assert "'typst', 'weasyprint'" in message
    assert "Configuration error" in message
    # other builders are not concerned
    html = sphinx_process(srcdir, tmp_path / "html", "html")
    assert html.status == 0


@pytest.mark.parametrize(("engine", "builder"), [
    ("typst", "FaqTypstBuilder"), ("weasyprint", "FaqPdfBuilder")])
def test_the_engine_setting_chooses_the_builder(make_app: MakeApp, tmp_path: Path, engine: str,
                                                builder: str) -> None:
    write_project(tmp_path, {"index.rst": "Book\n====\n"},
                  conf='extensions = ["sphinx_faq_ext"]\n')
    if engine == "weasyprint":
        pytest.importorskip("weasyprint")
    app = make_app("faqpdf", srcdir=tmp_path, confoverrides={"faq_pdf_engine": engine})
    assert type(app.builder).__name__ == builder


HOSTILE = r"""# Book \#x *y* <z> @w

:::{faq:question} Why $1 [a] `b` _c_ ~d ="e" -f +g /h 'i' 1. j; (k) {l} // m /* n?
:number: 1

- leading dash
+ plus = equals
1. one. 2) two... and --- dashes -- too -? ~ nbsp

Text with \\backslash, #hash, $dollar$, \*stars\*, \<angle>, @at, \`tick\`, [brackets],
// slashes, /* comment, https://example.org/x?y=1&z=2#frag, @label and 3. dot.

:::{faq:quote}
:author: O'Brien "Ó" <b>
:source: Work (1) [vol. 2] $x_y
:page: 3 *
The #quoted text $ with [brackets].{faq:note}`A note with #hash and ] bracket`
:::
:::
"""


def test_every_character_is_escaped_and_kept(make_project: MakeProject) -> None:
    app = make_project({"index.md": HOSTILE}, "faqpdf")
    app.build()
    assert "faq.typst" not in warnings_of(app)
    [pdf] = Path(app.outdir).glob("*.pdf")
    text = squash(pdftotext(pdf))
    for piece in (
        "Why $1 [a] b c ~d", "'i' 1. j; (k) {l} // m /* n?", "leading dash",
        "plus = equals", "Text with \\backslash, #hash, $dollar$, *stars*, <angle>, @at, `tick`",
        "[brackets], // slashes, /* comment, https://example.org/x?y=1&z=2#frag",
        "@label and 3. dot", "The #quoted text $ with [brackets].", "Work (1) [vol. 2] $x_y",
        "A note with #hash and ] bracket",
    ):
        assert squash(piece) in text, piece


def test_a_footnote_cited_twice_is_printed_once(make_project: MakeProject) -> None:
    app = make_project({"index.rst": (
        "Book\n====\n\nFirst [#same]_ and again [#same]_ and another [#other]_.\n\n"
        ".. [#same] The shared footnote.\n.. [#other] The other footnote.\n"
        ".. [#lonely] Cited by nobody.\n"
    )}, "faqpdf")
    app.build()
    [pdf] = Path(app.outdir).glob("*.pdf")
    text = words(pdftotext(pdf))
    assert text.count("The shared footnote.") == 1
    assert text.count("The other footnote.") == 1
    assert "Cited by nobody." in text
    typ = next(Path(app.outdir).glob("*.typ")).read_text("utf8")
    assert typ.count("#footnote(<") == 1  # the second citation refers to the first


def test_images_alt_texts_and_reproducible_bytes(tmp_path: Path) -> None:
    """Two builds in different folders with SOURCE_DATE_EPOCH: the same PDF, image and all."""
    pdfs = []
    for folder in (tmp_path / "a", tmp_path / "elsewhere" / "deeper"):
        src = write_project(folder / "src", {
            "index.md": "# Pictures\n\n![A red dot](pics/dot.png)\n\n"
                        ":::{figure} pics/dot.png\n\nThe dot, captioned.\n:::\n\n"
                        "| Name | Value |\n|---|---|\n| a | 1 |\n",
        }, conf='extensions = ["myst_parser", "sphinx_faq_ext"]\nproject = "Pictures"\n'
                'myst_enable_extensions = ["colon_fence"]\n')
        (src / "pics").mkdir()
        (src / "pics" / "dot.png").write_bytes(PNG)
        done = sphinx_process(src, folder / "out", "faqpdf",
                              env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))
        # the figure's image has no alt text: its caption stands in, with a warning
        assert re.search(r"index\.md:\d+: WARNING: faqpdf: image pics/dot\.png has no alt "
                         r"text; its caption stands in" + typed("faq.image-alt"), done.warnings)
        pdfs.append(folder / "out" / "pictures.pdf")
        # one copy, named by its content (a hash), not by its path
        [image] = (folder / "out" / "_images").iterdir()
        assert image.read_bytes() == PNG and "dot" not in image.name
    assert pdfs[0].read_bytes() == pdfs[1].read_bytes()
    with pikepdf.open(pdfs[0]) as document:
        assert "2023" in str(document.docinfo.get("/CreationDate"))
    roles = struct_elements(pdfs[0])
    figures = [alt for role, alt in roles if role == "/Figure"]
    assert figures == ["A red dot", "The dot, captioned."]
    assert any(role == "/TH" for role, _ in roles)  # the table's header row


def test_unknown_nodes_warn_with_location_and_keep_their_text(tmp_path: Path) -> None:
    src = write_project(tmp_path / "src", {
        "ext.py": STRANGE_NODE_EXT,
        "index.rst": "Book\n====\n\n.. strange::\n\n   Strange words kept.\n",
    }, conf='extensions = ["sphinx_faq_ext", "ext"]\nimport sys, os\n'
            "sys.path.insert(0, os.path.dirname(__file__))\n")
    built = sphinx_build(src, "faqpdf")
    assert re.search(r"index\.rst:4: WARNING: faqpdf \(Typst\): no visitor for strange nodes; "
                     r"their text is printed plain" + typed("faq.typst"), built.warnings)
    assert "Strange words kept." in words(pdftotext(built.outdir / "projectnamenotset.pdf"))


def test_a_typst_file_of_the_book_restyles_it(make_project: MakeProject) -> None:
    app = make_project({
        "index.md": "# Book\n\n:::{faq:quote}\n:author: Someone\nQuoted.\n:::\n",
        "custom.typ": "#let faq-quote(attribution: none, body) = [QUOTE: #body]\n",
    }, "faqpdf", confoverrides={"faq_pdf_typst": ["custom.typ", "missing.typ"]})
    app.build()
    assert "faq_pdf_typst: no Typst file" in warnings_of(app)
    [pdf] = Path(app.outdir).glob("*.pdf")
    assert "QUOTE: Quoted." in words(pdftotext(pdf))


def test_volumes(make_project: MakeProject) -> None:
    files = {"index.md": "# Book\n\n```{toctree}\na\nb\nc\n```\n"}
    for name in "abc":
        files[f"{name}.md"] = (f"# Chapter {name}\n\n:::{{faq:question}} Question {name}?\n"
                               f":number: {name.upper()}\n\nText {name}.{{faq:note}}`Note {name}`"
                               "\n:::\n")
    app = make_project(files, "faqpdf", confoverrides={"faq_pdf_volumes": [["a", "b"], ["c"]]})
    app.build()
    out = Path(app.outdir)
    first, second = (words(pdftotext(out / f"projectnamenotset-{n}.pdf")) for n in (1, 2))
    assert "Volume 1 of 2" in first and "Volume 2 of 2" in second
    assert "Text a." in first and "Text b." in first and "Text c." not in first
    assert "Text c." in second and "Text a." not in second


def test_entry_point_builds_a_project_without_the_extension(tmp_path: Path) -> None:
    """``-b faqpdf`` loads sphinx_faq_ext through its entry point; Typst is the engine."""
    built = build(tmp_path, "pdf-plain")
    assert built.warnings == ""
    assert "sphinx_faq_ext" in built.extensions
    pdf = built.outdir / "plain.pdf"
    assert PdfReader(pdf).metadata["/Creator"].startswith("Typst")


def test_a_translated_book_declares_its_language(tmp_path: Path) -> None:
    built = build(tmp_path, "i18n", language="de")
    pdf = built.outdir / "i18ntest.pdf"
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "de"
    assert page_texts(pdf, crop=False)[1].lstrip().startswith("Inhalt")  # our catalog
    assert 'lang: "de"' in next(built.outdir.glob("i18ntest.typ")).read_text("utf8")


def test_the_docs_pdf_is_tagged_without_findings(tmp_path: Path) -> None:
    """This documentation as a Typst book: no warning, and pdfua finds nothing."""
    from pdfua import validate

    built = sphinx_build(DOCS, "faqpdf", builddir=tmp_path)
    assert built.warnings == ""
    [pdf] = built.outdir.glob("*.pdf")
    assert len(PdfReader(pdf).pages) > 50
    report = validate(str(pdf))
    assert [(f.rule_id, f.message) for f in report.findings] == []


def test_real_pages_lose_no_text(tmp_path: Path) -> None:
    """The importer's text check on the Typst PDF of three real pages; it can fail."""
    from conftest import REPO, load_script
    from external_tools import need_tool

    from sphinx_faq_ext.importer import ImportOptions, import_book

    pages = Path("/usr/share/doc/anarchism/html")
    need_tool("anarchism (Debian package)", (pages / "secA2.html").exists())
    project = tmp_path / "project"
    import_book([pages / name for name in ("secA2.html", "secH3.html", "append1311.html")],
                project, ImportOptions(title="An Anarchist FAQ"))
    check = load_script(REPO / "tools" / "check_pdf_text.py", "faq_check_pdf_text")
    pdfs = check.build(project, tmp_path / "check", volumes=0, jobs=1)
    result = check.check(project, pdfs)
    assert result.compared > 30
    assert (result.missing, result.mismatches) == ([], [])
    # a word taken out of the book is found
    source = project / "seca2" / "a-2-6.md"
    source.write_text(source.read_text("utf8").replace("herdism", "", 1), "utf8")
    result = check.check(project, check.build(project, tmp_path / "broken", 0, 1))
    assert [m.number for m in result.mismatches] == ["A.2.6"]
    assert "herdism" in result.mismatches[0].detail


def test_back_matter_pages_are_the_pages_of_the_questions(tmp_path: Path) -> None:
    """Question index, works quoted and index of names: each page number printed is right."""
    built = build(tmp_path, "print")
    assert built.warnings == ""
    pdf = built.outdir / "afaq.pdf"
    reader = PdfReader(pdf)
    labels = reader.page_labels
    pages = {title: labels[page] for _, title, page in pdf_outline(reader)}
    texts = page_texts(pdf, crop=True)
    index_page = next(i for i, text in enumerate(texts) if text.lstrip().startswith(
        "Index of questions"))
    lines = [words(line) for line in texts[index_page].splitlines()[1:] if line.strip()]
    checked = 0
    for line in lines:
        match = re.fullmatch(r"(.+?)[ .]*\s(\d+)", line.replace("\u2060", ""))
        if match and match.group(1).rstrip(". ") in pages:
            assert match.group(2) == pages[match.group(1).rstrip(". ")], line
            checked += 1
    assert checked >= 15
    works = words(next(text for text in texts if text.lstrip().startswith("Works quoted")))
    assert f"A.2.6 (p. {pages[SOLIDARITY]})" in works
    # every name of the index is on the page it says: the quote's page
    names = words(texts[-1])
    assert names.startswith("Index")
    entry = r"([A-Z][\w\u2019'.-]+, [\w .\u2019'-]+?), ((?:\d+, )*\d+)"
    found = re.findall(entry, names)
    assert len(found) >= 3, names
    for name, page in found:
        for number in page.split(", "):
            text = texts[labels.index(number)]
            assert name.split(",")[0] in text, (name, number)


def test_inline_code_breaks_in_a_narrow_table_cell(make_project: MakeProject) -> None:
    """A long name in inline code ran out of its narrow table cell (Typst breaks
    raw text only at spaces).  It breaks after its punctuation now, and the text a
    reader copies has no character added."""
    name = "faq_pdf_engine_and_more.some_value.other_name_here_too"
    app = make_project({"index.rst": (
        "Book\n====\n\n.. list-table::\n   :widths: 12 88\n   :header-rows: 1\n\n"
        "   * - Name\n     - Meaning\n"
        f"   * - ``{name}``\n     - A long cell of words that wraps normally here.\n")},
        "faqpdf")
    app.build()
    assert "faq.typst" not in app._warning.getvalue()
    [pdf] = Path(app.outdir).glob("*.pdf")
    text = pdftotext(pdf)
    assert name in "".join(text.split())
    lines = [line for line in text.splitlines() if line.strip() and line.strip() in name]
    assert len(lines) >= 3, text  # the name fills several lines of its cell
    assert "\u200b" not in text
