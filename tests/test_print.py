"""The printed book, on 22 real questions of An Anarchist FAQ (tests/roots/test-print).

LaTeX: the FAQ's numbers are the only numbers, running heads name the
chapter and the question, an A5 page with a ~65-character measure, front,
main and back matter, page numbers in the printed question index and works
quoted; compiled with pdflatex and xelatex under Read the Docs' exact
latexmk command, which must exit 0.  WeasyPrint: back matter on a right-hand
page under its own head, the root document's introduction on the title
page, page numbers in the index, and a tagged PDF/UA-1 file whose structure
tree is read back with pypdf.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import (
    REPO,
    ROOTS,
    WEASYPRINT,
    Built,
    build_once,
    build_root,
    load_script,
    sphinx_build,
    xdist_shared_dir,
)
from external_tools import latexmk, need_tool, pdf_page_texts, pdfinfo, pdftotext
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject
from seed import words

from sphinx_faq_ext.testing import copy_root

if TYPE_CHECKING:
    from pypdf import PageObject

#: The 22 questions of the test root, in reading order.
QUESTIONS = ["A", "A.2", *[f"A.2.{n}" for n in range(1, 21)]]
A5 = (419.5, 595.3)  # points


class Book(Built):
    """test-print built to ``afaq.pdf`` (and ``afaq.tex``, compiled, for LaTeX)."""

    @property
    def pdf(self) -> Path:
        return self.outdir / "afaq.pdf"

    @property
    def tex(self) -> str:
        return self.text("afaq.tex")

    @property
    def latexmk_exit(self) -> int:
        """How Read the Docs' latexmk command exited."""
        return int(self.text("latexmk-exit.txt"))

    @property
    def latexmk_output(self) -> str:
        """The end of what it printed."""
        return self.text("latexmk.txt")


def running_head(pdf: Path, page: int, height: float) -> str:
    """The words in the top *height* points of 1-based *page*: its running head."""
    return words(pdftotext(pdf, page=page, box=(0, 0, 1000, height)))


def latex_book(shared: Path, engine: str) -> Book:
    """test-print built with *engine*, compiled with Read the Docs' command (once)."""
    need_tool("latexmk")
    need_tool(engine)

    def compile_as_read_the_docs(outdir: Path) -> None:
        command = load_script(REPO / "tools" / "rtd_build.py", "rtd_build").latexmk_command("afaq")
        done = latexmk(outdir, "afaq.tex", command=command, check=False)
        (outdir / "latexmk-exit.txt").write_text(str(done.returncode))
        (outdir / "latexmk.txt").write_text(done.stdout[-5000:] + done.stderr[-3000:])

    built = build_once(shared, engine, "print", "latex", {"latex_engine": engine},
                       after=compile_as_read_the_docs)
    return Book(built.outdir, built.warnings)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return xdist_shared_dir(tmp_path_factory, "print-books")


@pytest.fixture(scope="module", params=["pdflatex", "xelatex"])
def book(request: pytest.FixtureRequest, shared: Path) -> Book:
    return latex_book(shared, request.param)


# -- LaTeX ------------------------------------------------------------------------


@pytest.mark.tool
def test_latexmk_exits_0_under_read_the_docs_command(book: Book) -> None:
    """xelatex sorts the index with xindy: without the Makefile's XINDYOPTS it exited 12."""
    assert book.warnings.strip() == ""
    assert book.latexmk_exit == 0, book.latexmk_output
    assert book.pdf.is_file()


@pytest.mark.tool
def test_latex_pdf_has_language_and_title_but_no_tags(book: Book) -> None:
    """What Sphinx's LaTeX can give (docs/output/epub-latex.md): /Lang, the title shown."""
    reader = PdfReader(book.pdf)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "An Anarchist FAQ"
    assert "/StructTreeRoot" not in catalog  # untagged, as documented


@pytest.mark.tool
def test_faq_numbers_are_the_only_numbers(book: Book) -> None:
    texts = pdf_page_texts(book.pdf)
    whole = "\n".join(texts)
    assert "Chapter" not in whole and "CHAPTER" not in whole
    assert "WHAT IS ANARCHISM" not in whole  # no upper-cased heads: "A" is no article
    opening = next(n for n, text in enumerate(texts, 1) if text.lstrip().startswith("A What"))
    assert texts[opening - 1].lstrip().startswith("A What is Anarchism?\n")
    outline = [item.title for item in _flat(PdfReader(book.pdf).outline)]
    assert "A.2.6 Why is solidarity important to anarchists?" in outline


def _flat(items: list[Any]) -> list[Any]:
    flat = []
    for item in items:
        flat.extend(_flat(item) if isinstance(item, list) else [item])
    return flat


@pytest.mark.tool
def test_running_heads_name_chapter_and_question(book: Book) -> None:
    texts = pdf_page_texts(book.pdf)
    heads = [running_head(book.pdf, n, 50) for n in range(1, len(texts) + 1)]
    a26 = next(n for n, text in enumerate(texts, 1) if "\nA.2.6 Why is solidarity" in text)
    # a left-hand (even) page names the chapter, a right-hand one the question
    # the page starts in; the folio stands outside
    verso = next(h for n, h in enumerate(heads, 1) if n > a26 and n % 2 == 0 and h)
    assert re.fullmatch(r"\d+ A\.2 What does anarchism stand for\?", verso), verso
    recto = [h for n, h in enumerate(heads, 1) if n % 2 == 1 and re.match(r"A\.2\.\d+ ", h)]
    assert recto, heads
    # a title too long for the head is shortened at a word, with an ellipsis
    assert all(re.fullmatch(r"A\.2\.\d+ .+(\?|…|\. \. \.) \d+", h) for h in recto), recto
    assert any(h.endswith(("… 15", ". . . 15")) for h in recto) or all(
        len(h) < 70 for h in recto), recto


@pytest.mark.tool
def test_a5_page_and_a_65_character_measure(book: Book) -> None:
    info = pdfinfo(book.pdf)
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(width - A5[0]) < 2 and abs(height - A5[1]) < 2, info
    texts = pdf_page_texts(book.pdf)
    body = [line for text in texts[8:20] for line in text.splitlines() if len(line) > 45]
    assert 58 <= statistics.median(len(line) for line in body) <= 72


@pytest.mark.tool
def test_front_main_and_back_matter(book: Book) -> None:
    texts = pdf_page_texts(book.pdf)
    # front matter in roman numbers (the contents), the root document's
    # introduction a page of its own there; the first chapter is page 1, on a
    # right-hand page
    contents = next(n for n, text in enumerate(texts, 1) if text.lstrip().startswith("Contents"))
    assert re.search(r"^\s*i\s*$", texts[contents - 1], re.MULTILINE), texts[contents - 1]
    intro = next(n for n, text in enumerate(texts, 1) if "Twenty-two questions" in text)
    assert words(texts[intro - 1]).startswith("Twenty-two questions")  # alone, no head
    assert r"\begin{faqintro}" in book.tex
    opening = next(n for n, text in enumerate(texts, 1) if text.lstrip().startswith("A What"))
    assert contents < intro < opening
    assert opening % 2 == 1 and re.search(r"^\s*1\s*$", texts[opening - 1], re.MULTILINE)
    assert book.tex.index(r"\faqbackmatter") < book.tex.index(r"\chapter{Index of questions}")
    # the back matter: question index, works quoted, index of names, each
    # opening a right-hand page
    for head in ("Index of questions", "Works quoted", "Index"):
        page = next(n for n, text in enumerate(texts, 1)
                    if n > opening and text.lstrip().startswith(head + "\n"))
        assert page % 2 == 1, (head, page)
        assert page > opening


@pytest.mark.tool
def test_printed_index_gives_resolved_page_numbers(book: Book) -> None:
    assert r"\faqpageref{\pageref{\detokenize{secA2:a-2-6}}}" in book.tex
    assert r"\faqnumberpageref{\pageref{\detokenize{secA2:a-2-6}}}" in book.tex
    texts = pdf_page_texts(book.pdf)
    opening = next(n for n, text in enumerate(texts, 1) if text.lstrip().startswith("A What"))
    first = next(n for n, t in enumerate(texts, 1)
                 if n > opening and t.lstrip().startswith("Index of questions\n"))
    last = next(n for n, t in enumerate(texts, 1)
                if n > first and t.lstrip().startswith("Works quoted\n"))
    index_page = "\n".join(texts[first - 1:last - 1])  # may run over two pages
    assert "??" not in index_page
    index_lines = [line.strip() for n in range(first, last)
                   for line in pdftotext(book.pdf, page=n, layout=True).splitlines()]
    heads = [running_head(book.pdf, n, 50) for n in range(1, len(texts) + 1)]
    for number in ("A.2.1", "A.2.6", "A.2.20"):
        page = next(n for n, text in enumerate(texts, 1)
                    if n > opening and f"\n{number} " in "\n" + text)
        # the folio of that page, as printed in its head (or foot)
        head = heads[page - 1] or texts[page - 1].strip().split()[-1]
        folio = re.fullmatch(r"(\d+)(?: .*)?|.* (\d+)", head)
        assert folio, head
        at = next(i for i, line in enumerate(index_lines) if line.startswith(f"{number} "))
        # the entry's last line ends with a dotted leader and the page
        entry = next(m for line in index_lines[at:at + 3]
                     if (m := re.search(r"[ .](\d+)$", line)))
        assert entry.group(1) == (folio.group(1) or folio.group(2)), (number, entry, head)
    works = next(t for n, t in enumerate(texts, 1)
                 if n > opening and t.lstrip().startswith("Works quoted\n"))
    assert re.search(r"A\.2\.6 \(p\. \d+\)", words(works)), works


def test_page_size_setting_and_the_users_latex_elements(tmp_path: Path) -> None:
    """faq_latex_page_size chooses the page; the user's own papersize wins; bad input warns."""
    cases = {
        "six": ({"faq_latex_page_size": "6x9in", "faq_latex_measure": 60},
                "paperwidth=6in,paperheight=9in,measure=60"),
        "user": ({"latex_elements": {"papersize": "a4paper", "fncychap": ""}},
                 None),
        "none": ({"faq_latex_page_size": None}, None),
        "bad": ({"faq_latex_page_size": "huge"}, "paperwidth=148mm,paperheight=210mm"),
    }
    for name, (overrides, options) in cases.items():
        src = tmp_path / name
        copy_root(ROOTS / "test-print", src)
        built = sphinx_build(src, "latex", **overrides)
        tex, warnings = built.text("afaq.tex"), built.warnings
        line = next(line for line in tex.splitlines() if "{sphinxfaqext}" in line)
        if options is None:
            assert "paperwidth" not in line, (name, line)
        else:
            assert options in line, (name, line)
        if name == "user":
            assert "bookheads=false" in line and "a4paper" in tex
        if name == "bad":
            assert "faq_latex_page_size = 'huge'" in warnings and "[faq.config]" in warnings
        else:
            assert "[faq" not in warnings, warnings


def root_tables_project(tmp_path: Path) -> Path:
    """test-print with the question index and works quoted after the root toctree."""
    src = tmp_path / "root"
    copy_root(ROOTS / "test-print", src)
    (src / "questions.md").unlink()
    (src / "works.md").unlink()
    index = src / "index.md"
    index.write_text(
        index.read_text().replace("questions\nworks\n", "")
        + "\n```{faq:index}\n:caption: All the questions\n```\n"
        "\n```{faq:sources}\n:caption:\n```\n"
    )
    return src


def test_weasyprint_tables_in_the_root_document_start_the_back_matter(tmp_path: Path) -> None:
    """Written after the root toctree they ran on under the last question's head."""
    built = sphinx_build(root_tables_project(tmp_path), "faqpdf", **WEASYPRINT)
    assert built.warnings.strip() == ""
    pdf = built.outdir / "afaq.pdf"
    texts = pdf_page_texts(pdf)
    last_question = max(n for n, text in enumerate(texts, 1) if "A.2.20 Why" in text
                        and "All the questions" not in text and n > 2)
    page = next(n for n, text in enumerate(texts, 1)
                if n > last_question and "All the questions" in text)
    assert page % 2 == 1 and page > last_question
    assert running_head(pdf, page, 40) == "All the questions"
    works = next(n for n, text in enumerate(texts, 1) if n >= page and "Works quoted" in text)
    assert works % 2 == 1
    assert running_head(pdf, works, 40) == "Works quoted"


def test_tables_in_the_root_document_become_back_matter_chapters(tmp_path: Path) -> None:
    built = sphinx_build(root_tables_project(tmp_path), "latex")
    assert "[faq" not in built.warnings, built.warnings
    tex = built.text("afaq.tex")
    back = tex.index(r"\faqbackmatter")
    assert back > tex.index("A.2.20")
    assert back < tex.index(r"\chapter{All the questions}") < tex.index(r"\chapter{Works quoted}")


# -- WeasyPrint ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def weasy(tmp_path_factory: pytest.TempPathFactory) -> Book:
    built = build_root(tmp_path_factory.mktemp("weasy"), "print", "faqpdf", **WEASYPRINT)
    return Book(built.outdir, built.warnings)


def test_weasyprint_builds_cleanly(weasy: Book) -> None:
    assert weasy.warnings.strip() == ""


def test_weasyprint_intro_on_the_title_page(weasy: Book) -> None:
    texts = pdf_page_texts(weasy.pdf)
    assert "Twenty-two questions of section A" in texts[0]
    assert sum("Twenty-two questions" in text for text in texts) == 1


def test_weasyprint_back_matter_on_a_right_hand_page_with_its_head(weasy: Book) -> None:
    texts = pdf_page_texts(weasy.pdf)
    last_question = max(n for n, text in enumerate(texts, 1) if "A.2.20" in text
                        and "Index of questions" not in text and n > 2)
    for title in ("Index of questions", "Works quoted"):
        page = next(n for n, text in enumerate(texts, 1)
                    if n > last_question and title in text)
        assert page % 2 == 1, (title, page)  # a right-hand page
        heads = [running_head(weasy.pdf, n, 40) for n in range(page, len(texts) + 1)]
        assert heads[0] == title, heads  # its own running head
    # a continued back-matter page is headed by its own title, never by the
    # last question; a blank page carries nothing
    heads = {n: running_head(weasy.pdf, n, 40) for n in range(last_question + 1,
                                                                      len(texts) + 1)}
    assert not [h for h in heads.values() if h.startswith("A.2")], heads


def test_weasyprint_index_has_page_numbers(weasy: Book) -> None:
    texts = pdf_page_texts(weasy.pdf)
    index_page = words(next(t for t in texts if "Index of questions" in t
                             and "A.2.20" in t and "Contents" not in t))
    for number, title in (("A.2.6", "Why is solidarity important to anarchists?"),
                          ("A.2.20", "Why are most anarchists atheists?")):
        page = next(n for n, text in enumerate(texts, 1) if n > 2 and title in words(text)
                    and "Index of questions" not in text)
        printed = PdfReader(weasy.pdf).page_labels[page - 1]  # by chapter: from chapter 1
        assert re.search(re.escape(f"{number} {title}") + r"[ .]+" + printed + r"\b",
                         index_page), (number, printed, index_page)
    works = words(next(t for t in texts if "Works quoted" in t and "Kohn" in t))
    assert re.search(r"A\.2\.6 \(p\. \d+\)", works), works


def _mcid_texts(page: PageObject) -> dict[int, str]:
    stack: list[int | None] = []
    texts: dict[int, str] = {}

    def before(op: bytes, args: list[Any], _cm: list[float], _tm: list[float]) -> None:
        if op == b"BDC":
            props = args[1] if len(args) > 1 else None
            stack.append(props.get("/MCID") if isinstance(props, DictionaryObject) else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(
        value: str,
        _cm: list[float],
        _tm: list[float],
        _font: DictionaryObject | None,
        _size: float,
    ) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None:
            texts[mcid] = texts.get(mcid, "") + value

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def structure(pdf: Path) -> list[tuple[str, str]]:
    """(structure type, text) of every element of the structure tree, in order."""
    reader = PdfReader(pdf)
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    cache: dict[int, dict[int, str]] = {}

    def text_of(node: Any, page_ref: Any) -> str:
        node = node.get_object()
        if isinstance(node, int):
            index = pages[page_ref.idnum]
            if index not in cache:
                cache[index] = _mcid_texts(reader.pages[index])
            return cache[index].get(node, "")
        if isinstance(node, DictionaryObject):
            if "/MCID" in node:
                return text_of(node["/MCID"], node.get("/Pg", page_ref))
            kids = node.get("/K")
            page_ref = node.get("/Pg", page_ref)
            if kids is None:
                return ""
            kids = kids if isinstance(kids, ArrayObject) else [kids]
            return "".join(text_of(kid, page_ref) for kid in kids)
        return ""

    found: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            return
        if "/S" in node:
            found.append((str(node["/S"]), words(text_of(node, node.get("/Pg")))))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, ArrayObject) else [kids]:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_weasyprint_pdf_is_tagged_pdf_ua(weasy: Book) -> None:
    reader = PdfReader(weasy.pdf)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "An Anarchist FAQ"
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf8")
    assert 'pdfuaid:part="1"' in xmp or "<pdfuaid:part>1<" in xmp
    elements = structure(weasy.pdf)
    headings = [text for kind, text in elements if re.fullmatch(r"/H[1-6]", kind)]
    assert headings[0] == "An Anarchist FAQ" and headings.count("An Anarchist FAQ") == 1
    numbers = [text.split()[0] for text in headings if re.match(r"A(\.\d+)* ", text)]
    assert numbers == QUESTIONS
    kinds = [kind for kind, _text in elements]
    assert [kind for kind, text in elements
            if kind.startswith("/H") and text.startswith("A.2.6 ")] == ["/H3"]
    quotes = [text for kind, text in elements if kind == "/BlockQuote"]
    assert len(quotes) == 3 and quotes[1].startswith("when we think about the way")
    notes = [text for kind, text in elements if kind == "/Note"]
    assert notes and any("The Modern Crisis" in text for text in notes), notes
    assert "/Note" in kinds and "/Caption" in kinds
