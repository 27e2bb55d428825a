"""With ``SOURCE_DATE_EPOCH`` set, two clean builds give byte-identical books.

Each build is a separate ``sphinx-build`` process (a different
``PYTHONHASHSEED``, so set order cannot leak into the output) of the same
project copied into two folders at different depths (so absolute paths
cannot either).  Compared: every HTML output file, the ``.epub``, the LaTeX
sources and the PDF from latexmk (pdflatex and xelatex), and the ``faqpdf``
PDF (with images) with its intermediate HTML.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from conftest import ROOTS
from external_tools import epubcheck, latexmk, need_module, need_tool, pdfinfo, sphinx_process

from sphinx_faq_ext.testing import copy_root

EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC


def clean_build(src: Path, builder: str, out: Path, hashseed: str, **conf: str) -> None:
    """A ``sphinx-build -E`` of its own, at :data:`EPOCH` with the hash seed *hashseed*."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED=hashseed)
    sphinx_process(src, out, builder, doctrees=out.parent / f"doctrees-{builder}",
                   overrides=conf, options=("-q", "-E"), env=env)


def two_sources(tmp_path: Path) -> tuple[Path, Path]:
    """test-book (MyST, rST, BibTeX) in two folders at different depths."""
    first = tmp_path / "a" / "src"
    second = tmp_path / "elsewhere" / "deeper" / "book" / "src"
    for src in (first, second):
        copy_root(ROOTS / "test-book", src)
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
    clean_build(first, "html", first.parent / "html", "1")
    clean_build(second, "html", second.parent / "html", "2")
    assert_same(files_of(first.parent / "html"), files_of(second.parent / "html"))


def test_epub_is_reproducible(tmp_path: Path) -> None:
    first, second = two_sources(tmp_path)
    clean_build(first, "epub", first.parent / "epub", "1")
    clean_build(second, "epub", second.parent / "epub", "2")
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
        clean_build(src, "latex", out, seed, latex_engine=engine)
        [tex] = out.glob("*.tex")
        latexmk(out, tex.name, env={"SOURCE_DATE_EPOCH": EPOCH, "FORCE_SOURCE_DATE": "1"})
        pdfs.append(tex.with_suffix(".pdf"))
    assert_same(files_of(first.parent / "latex", (".tex", ".sty")),
                files_of(second.parent / "latex", (".tex", ".sty")))
    assert pdfs[0].read_bytes() == pdfs[1].read_bytes()
    assert "2023" in pdfinfo(pdfs[0])  # the PDF's dates are SOURCE_DATE_EPOCH's


def with_images(src: Path) -> None:
    """Add a PNG, a JPEG and an SVG to test-book's part A, two of them twice."""
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 40, 40))
    image.save(src / "red.png")
    image.convert("L").save(src / "grey.jpg", quality=80)
    (src / "mark.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
        '<circle cx="10" cy="10" r="8" fill="blue"/></svg>', "utf8")
    part = src / "part-a.md"
    figures = "".join(f"\n```{{image}} {name}\n:alt: {name}\n```\n"
                      for name in ("red.png", "grey.jpg", "mark.svg", "red.png"))
    part.write_text(part.read_text("utf8") + figures, "utf8")


def images_in(pdf: Path) -> int:
    """How many image objects *pdf* holds (Typst packs them in object streams)."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        return sum(1 for obj in document.objects
                   if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image")


#: The faqpdf engines: WeasyPrint, and Typst where this version has it.
PDF_ENGINES = ["weasyprint", "typst"]


def need_engine(engine: str) -> None:
    """Skip an engine this version of the package or this machine does not have."""
    from dataclasses import fields

    from sphinx_faq_ext.config import FaqConfig

    if engine != "weasyprint" and "pdf_engine" not in {f.name for f in fields(FaqConfig)}:
        pytest.skip(f"no faq_pdf_engine {engine!r} in this version")
    need_module(engine)


@pytest.mark.tool
@pytest.mark.parametrize("engine", PDF_ENGINES)
def test_faqpdf_is_reproducible_with_images(tmp_path: Path, engine: str) -> None:
    """Two build folders, the same bytes: images too (WeasyPrint named them by path)."""
    need_engine(engine)
    first, second = two_sources(tmp_path)
    for src in (first, second):
        with_images(src)
    conf = {"faq_pdf_engine": engine}
    clean_build(first, "faqpdf", first.parent / "pdf", "1", **conf)
    clean_build(second, "faqpdf", second.parent / "pdf", "2", **conf)
    one = files_of(first.parent / "pdf", (".pdf", ".html"))
    assert_same(one, files_of(second.parent / "pdf", (".pdf", ".html")))
    # the book (its chapters' PDFs, laid out apart, are in _parts/: the same bytes too)
    [pdf] = [name for name in one if name.endswith(".pdf") and "/" not in name]
    assert images_in(first.parent / "pdf" / pdf) >= 2  # the PNG and the JPEG, each once
    if engine == "weasyprint":
        # the one HTML, or by chapter the front matter's: the one with the title page
        [html] = [name for name in one
                  if name.endswith(".html") and b'class="faq-title-page"' in one[name]]
        # the title page shows SOURCE_DATE_EPOCH's date, not today's
        assert "Nov 14, 2023" in one[html].decode()
