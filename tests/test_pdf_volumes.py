"""``faq_pdf_volumes``: a long ``faqpdf`` book as several PDFs, laid out in child processes.

The book is the synthetic one (:func:`sphinx_faq_ext.testing.synthetic_book`): chapters
A (25 questions), B (25) and C (5), each question referring to another one,
then a question index and the works quoted; the bad settings use a book of
three one-question chapters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import WEASYPRINT, Built, pdf_outline, read_page, sphinx_build
from external_tools import need_module, pdf_page_texts
from pypdf import PdfReader
from seed import squash

from sphinx_faq_ext.builders.pdf import workers
from sphinx_faq_ext.builders.pdf.parts import balanced, plan
from sphinx_faq_ext.builders.pdf.weasyprint import layout as pdf_layout
from sphinx_faq_ext.testing import synthetic_book
from sphinx_faq_ext.testing.book import make_questions

#: 55 questions give chapters A, B (25 each) and C (5); two notes keep it short.
QUESTIONS, NOTES = 55, 2
STEM = "benchmarkbookours"
CHAPTERS = ["a", "b", "c", "qi", "works"]
BASEURL = "https://example.org/book/"


def indexed_book(tmp: Path) -> Path:
    """The synthetic book with references, a question index and the works quoted."""
    source = synthetic_book(tmp, QUESTIONS, NOTES, refs=1)["ours"]
    (source / "qi.md").write_text("# Question index\n\n```{faq:index}\n```\n", "utf8")
    (source / "works.md").write_text("# Works quoted\n\n```{faq:sources}\n```\n", "utf8")
    index = source / "index.md"
    index.write_text(index.read_text("utf8").replace("\nc\n", "\nc\nqi\nworks\n"), "utf8")
    return source


def question_openings() -> dict[str, str]:
    """Each question's number -> the first words of its answer, squashed."""
    openings = {}
    for question in make_questions(QUESTIONS, NOTES, refs=1):
        first = question.blocks[0][1][0]  # the first sentence of the first paragraph
        assert isinstance(first, str)
        openings[question.number] = squash(" ".join(first.split()[:6]))
    return openings


@dataclass
class Volume:
    """One volume's PDF and intermediate HTML, read back."""

    pdf: Path
    html: Path
    pages: list[str]  # each page's text
    outline: list[tuple[int, str, int]]

    @classmethod
    def read(cls, outdir: Path, number: int) -> Volume:
        pdf = outdir / f"{STEM}-{number}.pdf"
        return cls(pdf, pdf.with_suffix(".html"), pdf_page_texts(pdf),
                   pdf_outline(PdfReader(pdf)))

    @property
    def first_body_page(self) -> int:
        """0-based page of the first bookmark after the contents (the first chapter)."""
        return next(page for depth, title, page in self.outline if title != "Contents")

    @property
    def questions(self) -> list[str]:
        """Question numbers of the bookmarks, in order."""
        found = (re.match(r"([A-Z](?:\.\d+)*) ", title) for _d, title, _p in self.outline)
        return [match.group(1) for match in found if match]

    @property
    def contents_numbers(self) -> list[str]:
        """Question numbers the printed contents lists."""
        text = "\n".join(self.pages[1:self.first_body_page])
        return re.findall(r"^([A-Z](?:\.\d+)*) ", text, re.MULTILINE)

    def body(self) -> str:
        return "".join(squash(page) for page in self.pages[self.first_body_page:])


def volumes_of(built: Built) -> list[Volume]:
    found = sorted(built.outdir.glob(f"{STEM}-*.pdf"))
    return [Volume.read(built.outdir, number) for number in range(1, len(found) + 1)]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_module("weasyprint")
    return indexed_book(tmp_path_factory.mktemp("volumes-book"))


@pytest.fixture(scope="module")
def two(book: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Two volumes of about equal length, one layout at a time (-j 1)."""
    return sphinx_build(book, "faqpdf", **WEASYPRINT, builddir=tmp_path_factory.mktemp("two-j1"),
                        faq_pdf_volumes=2)


@pytest.fixture(scope="module")
def explicit(book: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Volumes named in conf.py, with html_baseurl: A and B, then C and the back matter."""
    return sphinx_build(book, "faqpdf", **WEASYPRINT, builddir=tmp_path_factory.mktemp("explicit"),
                        faq_pdf_volumes=[["a", "b"], ["c", "qi", "works"]],
                        html_baseurl=BASEURL)


def test_two_volumes_split_the_book_by_length(two: Built) -> None:
    assert two.warnings == ""
    assert not (two.outdir / f"{STEM}.pdf").exists()
    assert not (two.outdir / f"{STEM}-3.pdf").exists()
    volumes = volumes_of(two)
    assert len(volumes) == 2
    # whole chapters, in order: A alone is as long as B, C and the back matter
    assert {q[0] for q in volumes[0].questions} == {"A"}
    assert {q[0] for q in volumes[1].questions} == {"B", "C"}
    titles = [[t for _d, t, _p in v.outline] for v in volumes]
    assert "Question index" in titles[1] and "Question index" not in titles[0]


def check_volumes(volumes: list[Volume]) -> None:
    """Title page, contents, page numbers and questions of each volume."""
    openings = question_openings()
    for number, volume in enumerate(volumes, start=1):
        title_page = " ".join(volume.pages[0].split())
        assert "Benchmark book (ours)" in title_page
        assert f"Volume {number} of {len(volumes)}" in title_page
        # the root document's introduction: volume 1 only
        assert ("55 questions." in title_page) == (number == 1)
        assert volume.pages[1].lstrip().startswith("Contents")
        # its own contents: exactly its own questions
        assert volume.contents_numbers == volume.questions
        # its own page numbers: the first chapter's page carries its own number
        first = volume.first_body_page
        assert first < 6
        assert volume.pages[first].split()[-1] == str(first + 1)
        assert f"Volume {number} of" in PdfReader(volume.pdf).metadata.title
    # every question in exactly one volume, its text with it
    held = [number for volume in volumes for number in volume.questions]
    assert sorted(held) == sorted(openings)
    bodies = [volume.body() for volume in volumes]
    for number, opening in openings.items():
        holders = [i for i, body in enumerate(bodies) if opening in body]
        owner = next(i for i, v in enumerate(volumes) if number in v.questions)
        assert holders == [owner], (number, holders)


def test_each_volume_is_a_book_of_its_own(two: Built) -> None:
    check_volumes(volumes_of(two))


def test_explicit_volumes(explicit: Built) -> None:
    assert explicit.warnings == ""
    volumes = volumes_of(explicit)
    assert len(volumes) == 2
    assert {q[0] for q in volumes[0].questions} == {"A", "B"}
    assert {q[0] for q in volumes[1].questions} == {"C"}
    check_volumes(volumes)


def internal_links(pdf: Path) -> tuple[list[str], set[str]]:
    """The named destinations the PDF's links go to, and those it defines."""
    reader = PdfReader(pdf)
    dests = [
        str(annot.get_object()["/Dest"])
        for page in reader.pages for annot in page.get("/Annots") or []
        if "/Dest" in annot.get_object()
    ]
    return dests, set(reader.named_destinations)


def uris(pdf: Path) -> set[str]:
    return {
        str(annot.get_object()["/A"]["/URI"])
        for page in PdfReader(pdf).pages for annot in page.get("/Annots") or []
        if "/URI" in annot.get_object().get("/A", {})
    }


def test_links_into_another_volume_are_text_marked_with_it(two: Built) -> None:
    for volume in volumes_of(two):
        page = read_page(volume.html)
        ids = {tag["id"] for tag in page.find_all(id=True)}
        hrefs = [a["href"] for a in page.find_all("a", href=True)]
        assert [h for h in hrefs if h.startswith("#") and h[1:] not in ids] == []
        dests, defined = internal_links(volume.pdf)
        assert dests and set(dests) <= defined
        assert uris(volume.pdf) == set()  # no html_baseurl: no website links
    first, second = volumes_of(two)
    # A.1's reference goes to C.1.3, in volume 2: its text, then the volume
    text = " ".join("\n".join(first.pages).split())
    assert "See C.1.3 Why is history important to theory? (vol. 2)." in text
    marked = read_page(first.html).select("span.faq-other-volume.faq-volume-2")
    assert marked and all(span.find_parent("a") is None for span in marked)
    # the index (volume 2) prints "vol. 1" for the questions of volume 1
    index = [p for p in second.pages if p.lstrip().startswith("Question index")]
    lines = [" ".join(line.split()) for p in index for line in p.splitlines()[1:]]
    entries = [line for line in lines if re.match(r"[A-Z](\.\d+)* Why", line)]
    assert len(entries) == QUESTIONS
    a = [e for e in entries if e.startswith("A")]
    assert a and all(e.endswith("vol. 1") for e in a), a
    others = [e for e in entries if not e.startswith("A")]
    assert others and all(re.search(r"\.\s?\d+$", e) for e in others), others
    # and the works quoted, "(vol. 1)" instead of "(p. 7)"
    works = " ".join(" ".join(p.split()) for p in second.pages if "Works quoted" in p)
    assert re.search(r"— A(\.\d)* \(vol\. 1\)", works)
    assert re.search(r"— [BC](\.\d)* \(p\. \d+\)", works)
    assert "()" not in works and "(p. )" not in works


def test_links_into_another_volume_go_to_the_website(explicit: Built) -> None:
    first, second = volumes_of(explicit)
    for volume in (first, second):
        dests, defined = internal_links(volume.pdf)
        assert set(dests) <= defined
    # C's references to A and B go to their pages of the website
    found = uris(second.pdf)
    assert found and all(re.fullmatch(BASEURL + r"[ab]\.html#[ab](-\d)*", u) for u in found)
    links = read_page(second.html).select("a.faq-other-volume.faq-volume-1")
    assert links and all(a["href"].startswith(BASEURL) for a in links)
    assert "(vol. 1)" in " ".join("\n".join(second.pages).split())


def test_parallel_layout_gives_the_same_volumes(
    book: Path, two: Built, tmp_path: Path
) -> None:
    parallel = sphinx_build(book, "faqpdf", **WEASYPRINT,
                            builddir=tmp_path, parallel=2, faq_pdf_volumes=2)
    assert parallel.warnings == ""
    one_at_a_time = [v.pages for v in volumes_of(two)]
    together = [v.pages for v in volumes_of(parallel)]
    assert len(together) == 2
    assert together == one_at_a_time


# -- settings, a small book ---------------------------------------------------------------

SMALL = {
    "index.md": "# Small book\n\nThree chapters.\n\n```{toctree}\na\nb\nc\n```\n",
    **{
        f"{name}.md": (f":::{{faq:question}} Why {name}?\n:number: {name.upper()}\n\n"
                       f"Answer {name}. See {{faq:ref-full}}`{other}`.\n:::\n")
        for name, other in (("a", "C"), ("b", "A"), ("c", "B"))
    },
}


SMALL_CONF = """\
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
project = "Small"
show_warning_types = True
"""


def small_book(tmp: Path, conf: str = "") -> Path:
    """The small book; *conf* is added to its conf.py (from line 5)."""
    source = tmp / "small"
    source.mkdir()
    files = {"conf.py": SMALL_CONF + conf, **SMALL}
    for name, text in files.items():
        (source / name).write_text(text, "utf8")
    return source


@pytest.mark.parametrize(("value", "says"), [
    ([["a"], ["b"]], "no volume holds 'c'"),
    ([["a", "x"], ["b", "c"]], "'x' is not a chapter"),
    ([["a", "b"], ["b", "c"]], "'b' is in more than one volume"),
    ([["b"], ["a", "c"]], "in the order of the root toctree"),
    ([["a", "b", "c"]], "must be 0"),
    ([["a"], "bc"], "must be 0"),
    (1, "must be 0"),
    (-2, "must be 0"),
])
def test_bad_volumes_warn_and_make_one_pdf(tmp_path: Path, value: object, says: str) -> None:
    need_module("weasyprint")
    source = small_book(tmp_path, f"\nfaq_pdf_volumes = {value!r}\n")
    built = sphinx_build(source, "faqpdf", **WEASYPRINT)
    ours = [line for line in built.warnings.splitlines() if "faq_pdf_volumes" in line]
    assert len(ours) == 1, built.warnings
    assert says in ours[0]
    assert ours[0].startswith(f"{source / 'conf.py'}:6: WARNING")
    assert ours[0].endswith("one PDF is written [faq.config]")
    assert (built.outdir / "small.pdf").is_file()
    assert list(built.outdir.glob("small-*")) == []


def test_a_book_of_one_chapter_is_one_pdf(tmp_path: Path) -> None:
    need_module("weasyprint")
    source = small_book(tmp_path)
    (source / "index.md").write_text("# Small book\n\n```{toctree}\na\n```\n", "utf8")
    for name in ("b", "c"):
        (source / f"{name}.md").unlink()
    (source / "a.md").write_text(":::{faq:question} Why a?\n:number: A\n\nAnswer a.\n:::\n")
    built = sphinx_build(source, "faqpdf", **WEASYPRINT, faq_pdf_volumes=3)  # as with -D: no line
    assert built.warnings.startswith(f"{source / 'conf.py'}:: WARNING: faq_pdf_volumes = 3,")
    assert "has 1 chapter(s); one PDF is written [faq.config]" in built.warnings
    assert (built.outdir / "small.pdf").is_file()


def test_zero_is_the_one_pdf_of_before(tmp_path: Path) -> None:
    need_module("weasyprint")
    built = sphinx_build(small_book(tmp_path), "faqpdf", **WEASYPRINT, faq_pdf_volumes=0,
                         faq_pdf_by_chapter=False)
    assert built.warnings == ""
    assert sorted(p.name for p in built.outdir.glob("small*")) == ["small.html", "small.pdf"]
    page = read_page(built.outdir / "small.html")
    assert page.select(".faq-book-volume, .faq-other-volume") == []
    assert [a["href"] for a in page.select("a.reference")] == ["#c", "#a", "#b"]


def test_more_volumes_than_chapters_gives_a_volume_a_chapter(tmp_path: Path) -> None:
    need_module("weasyprint")
    built = sphinx_build(small_book(tmp_path), "faqpdf", **WEASYPRINT,
                         faq_pdf_volumes=5, parallel=2)
    assert built.warnings == ""
    names = sorted(p.name for p in built.outdir.glob("*.pdf"))
    assert names == ["small-1.pdf", "small-2.pdf", "small-3.pdf"]
    title = " ".join(pdf_page_texts(built.outdir / "small-3.pdf")[0].split())
    assert "Volume 3 of 3" in title


def test_back_matter_of_the_root_document_goes_with_the_last_chapter(tmp_path: Path) -> None:
    need_module("weasyprint")
    source = small_book(tmp_path)
    index = source / "index.md"
    index.write_text(index.read_text("utf8") + "\n```{faq:index}\n:caption: Questions\n```\n")
    built = sphinx_build(source, "faqpdf", **WEASYPRINT, faq_pdf_volumes=[["a", "b"], ["c"]])
    assert built.warnings == ""
    first, second = (read_page(built.outdir / f"small-{n}.html") for n in (1, 2))
    assert first.select("ul.faq-index") == []
    (table,) = second.select("div.faq-back-matter ul.faq-index")
    assert [a["href"] for a in table.select("a")] == ["#c"]
    marked = table.select(".faq-other-volume.faq-volume-1")
    assert [span.get_text(" ", strip=True) for span in marked] == ["A Why a?", "B Why b?"]
    text = " ".join("\n".join(pdf_page_texts(built.outdir / "small-2.pdf")).split())
    assert re.search(r"A Why a\?[ .]*vol\. 1 B Why b\?[ .]*vol\. 1 C Why c\?[ .]*\d", text), text


def test_child_warnings_become_sphinx_warnings(tmp_path: Path) -> None:
    need_module("weasyprint")
    source = small_book(tmp_path)
    (source / "odd.css").write_text("p { frobnicate: 1; }\n", "utf8")
    built = sphinx_build(source, "faqpdf", **WEASYPRINT,
                         faq_pdf_volumes=3, faq_pdf_css=["odd.css"])
    lines = [line for line in built.warnings.splitlines() if "frobnicate" in line]
    assert len(lines) == 3, built.warnings
    for number, line in enumerate(lines, start=1):
        assert line.startswith(f"{built.outdir / f'small-{number}.html'}:")
        assert line.endswith("[faq.weasyprint]")


def test_a_crashed_child_fails_the_build_with_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need_module("weasyprint")
    monkeypatch.setattr(pdf_layout, "LAYOUT_MODULE", "sphinx_faq_ext.no_such_module")
    built = sphinx_build(small_book(tmp_path), "faqpdf", **WEASYPRINT, faq_pdf_volumes=2)
    assert built.status == 1
    assert "could not lay out 2 of 2 part(s)" in built.warnings
    assert built.warnings.count("No module named sphinx_faq_ext.no_such_module") == 1
    assert list(tmp_path.rglob("*.pdf")) == []


def test_the_child_imports_this_package_and_not_site_packages_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import site

    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    monkeypatch.setattr(workers, "PACKAGE_PARENT", Path("/checkout"))
    assert workers.child_environment()["PYTHONPATH"].split(":") == ["/checkout", "/somewhere"]
    installed = Path(site.getsitepackages()[0]).resolve()
    monkeypatch.setattr(workers, "PACKAGE_PARENT", installed)
    assert workers.child_environment()["PYTHONPATH"] == "/somewhere"


# -- the plan -------------------------------------------------------------------------------


def test_balanced_volumes_keep_the_largest_small() -> None:
    assert balanced([10, 10, 1, 1], 2) == [0, 1]
    assert balanced([1, 1, 10, 10], 2) == [0, 3]
    assert balanced([3, 3, 3, 3, 3, 3], 3) == [0, 2, 4]
    assert balanced([5, 5], 4) == [0, 1]
    volumes, problem = plan(2, CHAPTERS, [50, 50, 10, 5, 5])
    assert (volumes, problem) == ([["a"], ["b", "c", "qi", "works"]], "")
