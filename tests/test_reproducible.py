"""With ``SOURCE_DATE_EPOCH`` set, two clean builds give byte-identical books.

Each build is a separate ``sphinx-build`` process (a different
``PYTHONHASHSEED``, so set order cannot leak into the output) of the same
project copied into two folders at different depths (so absolute paths
cannot either).  Compared: every HTML output file, the ``.epub``, the LaTeX
sources and the PDF from latexmk (pdflatex and xelatex), and the WeasyPrint
PDF with its intermediate HTML.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOTS
from external_tools import epubcheck, latexmk, need_module, need_tool, pdfinfo, python

EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC


def sphinx_build(src: Path, builder: str, out: Path, hashseed: str, **conf: str) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED=hashseed)
    overrides = [f"-D{key}={value}" for key, value in conf.items()]
    python("-m", "sphinx", "-q", "-E", "-b", builder, *overrides,
           str(src), str(out), "-d", str(out.parent / f"doctrees-{builder}"), env=env)


def two_sources(tmp_path: Path) -> tuple[Path, Path]:
    """test-book (MyST, rST, BibTeX) in two folders at different depths."""
    first = tmp_path / "a" / "src"
    second = tmp_path / "elsewhere" / "deeper" / "book" / "src"
    for src in (first, second):
        shutil.copytree(ROOTS / "test-book", src)
    return first, second


def files_of(folder: Path, suffixes: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (not suffixes or path.suffix in suffixes)
    }


def assert_same(first: dict[str, bytes], second: dict[str, bytes]) -> None:
    assert first, "nothing built"
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, f"differ between the two builds: {differ}"


def test_html_is_reproducible(tmp_path: Path) -> None:
    first, second = two_sources(tmp_path)
    sphinx_build(first, "html", first.parent / "html", "1")
    sphinx_build(second, "html", second.parent / "html", "2")
    assert_same(files_of(first.parent / "html"), files_of(second.parent / "html"))


def test_epub_is_reproducible(tmp_path: Path) -> None:
    first, second = two_sources(tmp_path)
    sphinx_build(first, "epub", first.parent / "epub", "1")
    sphinx_build(second, "epub", second.parent / "epub", "2")
    [one] = (first.parent / "epub").glob("*.epub")
    [two] = (second.parent / "epub").glob("*.epub")
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as epub:
        infos = epub.infolist()
        # every member carries SOURCE_DATE_EPOCH, not the file's modification time
        assert {info.date_time for info in infos} == {(2023, 11, 14, 22, 13, 20)}
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED
        opf = epub.read("content.opf").decode()
    assert "2023-11-14T22:13:20Z" in opf
    # the rewritten zip is still a valid ePub
    assert epubcheck(one) == []


@pytest.mark.tool
@pytest.mark.parametrize("engine", ["pdflatex", "xelatex"])
def test_latex_pdf_is_reproducible(tmp_path: Path, engine: str) -> None:
    need_tool("latexmk")
    need_tool("pdfinfo")
    first, second = two_sources(tmp_path)
    pdfs = []
    for src, seed in ((first, "1"), (second, "2")):
        out = src.parent / "latex"
        sphinx_build(src, "latex", out, seed, latex_engine=engine)
        [tex] = out.glob("*.tex")
        latexmk(out, tex.name, env={"SOURCE_DATE_EPOCH": EPOCH, "FORCE_SOURCE_DATE": "1"})
        pdfs.append(tex.with_suffix(".pdf"))
    assert_same(files_of(first.parent / "latex", (".tex", ".sty")),
                files_of(second.parent / "latex", (".tex", ".sty")))
    assert pdfs[0].read_bytes() == pdfs[1].read_bytes()
    assert "2023" in pdfinfo(pdfs[0])  # the PDF's dates are SOURCE_DATE_EPOCH's


@pytest.mark.tool
def test_weasyprint_pdf_is_reproducible(tmp_path: Path) -> None:
    need_module("weasyprint")
    first, second = two_sources(tmp_path)
    sphinx_build(first, "faqpdf", first.parent / "pdf", "1", faq_pdf_engine="weasyprint")
    sphinx_build(second, "faqpdf", second.parent / "pdf", "2", faq_pdf_engine="weasyprint")
    one = files_of(first.parent / "pdf", (".pdf", ".html"))
    assert_same(one, files_of(second.parent / "pdf", (".pdf", ".html")))
    # the one HTML, or by chapter the front matter's: the one with the title page
    [html] = [name for name in one
              if name.endswith(".html") and b'class="faq-title-page"' in one[name]]
    # the title page shows SOURCE_DATE_EPOCH's date, not today's
    assert "Nov 14, 2023" in one[html].decode()
