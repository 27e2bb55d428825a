"""Read the Docs' own build commands on docs/ (what ``nox -s rtd`` runs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DOCS, REPO
from external_tools import need_tool, python
from pypdf import PdfReader


@pytest.mark.tool
def test_read_the_docs_commands_give_html_epub_and_pdf(tmp_path: Path, artifacts: Path) -> None:
    need_tool("latexmk")
    need_tool("xelatex")  # docs/conf.py: latex_engine = "xelatex"
    docs = tmp_path / "docs"  # RTD writes _build/doctrees into the docs folder
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build"))
    out = tmp_path / "output"
    result = python(str(REPO / "tools" / "rtd_build.py"), "--docs", str(docs),
                    "--output", str(out), "--project", "sphinx-faq-ext")
    # latexmk itself exits 0 (it exited 12 when xindy ran without its options)
    assert "latexmk exited" not in result.stdout, result.stdout[-3000:]
    assert (out / "html" / "index.html").is_file()
    assert (out / "epub" / "sphinx-faq-ext.epub").is_file()
    pdf = out / "pdf" / "sphinx-faq-ext.pdf"
    shutil.copy(pdf, artifacts / "rtd-latex.pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Why is solidarity important to anarchists?" in text


def test_documented_weasyprint_pdf_job(tmp_path: Path) -> None:
    """publishing.md's build.jobs.build.pdf override gives the WeasyPrint PDF."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build"))
    out = tmp_path / "output"
    python(str(REPO / "tools" / "rtd_build.py"), "--docs", str(docs), "--output", str(out),
           "--pdf", "weasyprint")
    pdfs = list((out / "pdf").glob("*.pdf"))
    assert [p.name for p in pdfs] == ["sphinx-faq-ext.pdf"]
    reader = PdfReader(pdfs[0])
    assert reader.pages[1].extract_text().lstrip().startswith("Contents")  # ours, not LaTeX
    # the same commands as the YAML shown in the docs page
    page = (DOCS / "output" / "publishing.md").read_text("utf8")
    assert ("-b faqpdf -j auto -d docs/_build/doctrees -D language=en docs docs/_build/faqpdf"
            in page)
    assert "mv docs/_build/faqpdf/*.pdf $READTHEDOCS_OUTPUT/pdf/" in page
