"""Read the Docs' own build commands on docs/ (what ``nox -s rtd`` runs).

``.readthedocs.yaml`` publishes the Typst PDF through ``build.jobs.build.pdf``;
tools/rtd_build.py runs that job, and the WeasyPrint job and LaTeX default the
docs show.  The first tests check that the YAML, the docs page and the script
say the same commands; the others run each PDF path and look at its files.
"""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from conftest import DOCS, REPO, load_script
from external_tools import need_module, need_tool, python
from pypdf import PdfReader

from sphinx_faq_ext.testing import copy_root

rtd_build = load_script(REPO / "tools" / "rtd_build.py", "rtd_build")
SOLIDARITY = "Why is solidarity important to anarchists?"


def readthedocs_yaml() -> dict[str, Any]:
    """This repository's ``.readthedocs.yaml``."""
    config: dict[str, Any] = yaml.safe_load((REPO / ".readthedocs.yaml").read_text("utf8"))
    return config


def publishing_yaml_blocks() -> list[dict[str, Any]]:
    """Every ```yaml block of docs/output/publishing.md, parsed."""
    page = (DOCS / "output" / "publishing.md").read_text("utf8")
    return [yaml.safe_load(block) for block in re.findall(r"^```yaml\n(.*?)^```", page,
                                                          re.MULTILINE | re.DOTALL)]


def test_readthedocs_yaml_runs_the_scripts_typst_job() -> None:
    config = readthedocs_yaml()
    jobs = config["build"]["jobs"]
    # only the PDF step is ours: HTML and ePub keep Read the Docs' commands
    assert list(jobs) == ["build"]
    assert list(jobs["build"]) == ["pdf"]
    assert jobs["build"]["pdf"] == rtd_build.PDF_JOBS["typst"]
    assert "-j auto" in jobs["build"]["pdf"][0]
    assert "faq_pdf_engine" not in jobs["build"]["pdf"][0]  # Typst, the default engine
    # an overridden step runs only for a format listed (Read the Docs' config reference)
    assert sorted(config["formats"]) == ["epub", "pdf"]
    assert "apt_packages" not in config["build"]  # Typst needs no system package
    # the docs extra installs the Typst compiler
    [install] = config["python"]["install"]
    assert install == {"method": "pip", "path": ".", "extra_requirements": ["docs"]}
    extras = tomllib.loads((REPO / "pyproject.toml").read_text("utf8"))["project"][
        "optional-dependencies"]
    assert any(re.match(r"typst\b", requirement) for requirement in extras["docs"])


def test_publishing_page_shows_the_scripts_jobs() -> None:
    blocks = publishing_yaml_blocks()
    # the page's first configuration is this repository's own
    assert blocks[0] == readthedocs_yaml()
    jobs = [block["build"]["jobs"]["build"]["pdf"] for block in blocks
            if "jobs" in block.get("build", {})]
    assert rtd_build.PDF_JOBS["typst"] in jobs
    assert rtd_build.PDF_JOBS["weasyprint"] in jobs
    [weasyprint] = [block for block in blocks if "jobs" in block.get("build", {})
                    and block["build"]["jobs"]["build"]["pdf"] == rtd_build.PDF_JOBS["weasyprint"]]
    assert weasyprint["build"]["apt_packages"] == ["libpango-1.0-0", "libpangoft2-1.0-0"]


def test_pdf_job_follows_the_docs_folder() -> None:
    assert rtd_build.pdf_job("typst") == rtd_build.PDF_JOBS["typst"]
    moved = rtd_build.pdf_job("typst", "book src")
    assert moved[0].endswith("-D language=en 'book src' 'book src'/_build/faqpdf")
    assert moved[2] == "mv 'book src'/_build/faqpdf/*.pdf $READTHEDOCS_OUTPUT/pdf/"


def test_jobs_run_as_on_read_the_docs(tmp_path: Path) -> None:
    """Each command in a shell, from the given folder, ``python`` this interpreter."""
    env = rtd_build.rtd_env(tmp_path / "out", "slug")
    rtd_build.run_job([
        "mkdir --parents $READTHEDOCS_OUTPUT/pdf/",
        "python -c 'import sys; print(sys.executable)' > $READTHEDOCS_OUTPUT/pdf/python.txt",
        "pwd > $READTHEDOCS_OUTPUT/pdf/cwd.txt",
    ], tmp_path, env)
    out = tmp_path / "out" / "pdf"
    assert Path((out / "python.txt").read_text().strip()).resolve() == Path(
        sys.executable).resolve()
    assert Path((out / "cwd.txt").read_text().strip()) == tmp_path
    with pytest.raises(SystemExit, match="exit 3"):
        rtd_build.run_job(["exit 3"], tmp_path, env)


def test_upload_checks_refuse_what_read_the_docs_refuses(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    with pytest.raises(SystemExit, match=r"index\.html"):
        rtd_build.check_upload(tmp_path)
    (tmp_path / "html" / "index.html").write_text("<html></html>")
    (tmp_path / "pdf").mkdir()
    with pytest.raises(SystemExit, match="one file"):
        rtd_build.check_upload(tmp_path)  # an empty PDF folder
    (tmp_path / "pdf" / "book.pdf").write_bytes(b"")
    rtd_build.check_upload(tmp_path)
    (tmp_path / "pdf" / "book.typ").write_bytes(b"")
    with pytest.raises(SystemExit, match="one file"):
        rtd_build.check_upload(tmp_path)
    (tmp_path / "pdf" / "book.typ").unlink()
    (tmp_path / "pdf" / "book.pdf").rename(tmp_path / "pdf" / "book.v1.pdf")
    with pytest.raises(SystemExit, match="one dot"):
        rtd_build.check_upload(tmp_path)


def test_pdf_check_refuses_an_untitled_or_other_engines_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "blank.pdf"
    with pikepdf.new() as document:
        document.add_blank_page()
        document.save(pdf)
    with pytest.raises(SystemExit, match="no title"):
        rtd_build.check_pdf(pdf)
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        document.docinfo["/Title"] = "A book"
        document.docinfo["/Producer"] = "WeasyPrint 70.0"
        document.save(pdf)
    assert rtd_build.check_pdf(pdf, "weasyprint").pages == 1
    with pytest.raises(SystemExit, match=r"not made by Typst.*not tagged"):
        rtd_build.check_pdf(pdf, "typst")


def build(tmp_path: Path, pdf: str) -> tuple[Path, str]:
    """Run tools/rtd_build.py with *pdf* on a copy of docs/; the output folder and stdout."""
    docs = tmp_path / "docs"  # RTD writes _build/ into the docs folder
    copy_root(DOCS, docs)
    out = tmp_path / "output"
    result = python(str(REPO / "tools" / "rtd_build.py"), "--docs", str(docs),
                    "--output", str(out), "--project", "sphinx-faq-ext", "--pdf", pdf)
    # Read the Docs uploads one file a download format
    assert [p.name for p in (out / "pdf").iterdir()] == ["sphinx-faq-ext.pdf"]
    assert [p.name for p in (out / "epub").iterdir()] == ["sphinx-faq-ext.epub"]
    assert (out / "html" / "index.html").is_file()
    return out, result.stdout


def test_read_the_docs_typst_pdf(tmp_path: Path, artifacts: Path) -> None:
    """.readthedocs.yaml's own job: the tagged Typst book, pdfua finds nothing."""
    pytest.importorskip("pdfua")
    out, stdout = build(tmp_path, "typst")
    pdf = out / "pdf" / "sphinx-faq-ext.pdf"
    shutil.copy(pdf, artifacts / "rtd-typst.pdf")
    facts = rtd_build.check_pdf(pdf, "typst")
    assert facts.tagged and facts.pdfua == []
    assert facts.title == "sphinx-faq-ext"
    assert facts.producer.startswith("Typst")
    assert facts.pages > 50
    assert f"pdf   {facts.summary()}" in stdout
    reader = PdfReader(pdf)
    assert reader.pages[1].extract_text().lstrip().startswith("Contents")
    assert SOLIDARITY in "".join(page.extract_text() for page in reader.pages)


def test_documented_weasyprint_pdf_job(tmp_path: Path) -> None:
    """publishing.md's WeasyPrint job gives the WeasyPrint book, not Typst's."""
    need_module("weasyprint", "WeasyPrint (Pango)")
    out, _ = build(tmp_path, "weasyprint")
    facts = rtd_build.check_pdf(out / "pdf" / "sphinx-faq-ext.pdf", "weasyprint")
    assert "WeasyPrint" in facts.producer and "Typst" not in facts.producer
    assert facts.tagged
    assert facts.title == "sphinx-faq-ext"
    reader = PdfReader(facts.path)
    assert reader.pages[1].extract_text().lstrip().startswith("Contents")  # ours, not LaTeX


@pytest.mark.tool
def test_read_the_docs_latex_pdf(tmp_path: Path, artifacts: Path) -> None:
    """Read the Docs' default PDF step (what deleting the job of .readthedocs.yaml gives)."""
    need_tool("latexmk")
    need_tool("xelatex")  # docs/conf.py: latex_engine = "xelatex"
    out, stdout = build(tmp_path, "latex")
    # latexmk itself exits 0 (it exited 12 when xindy ran without its options)
    assert "latexmk exited" not in stdout, stdout[-3000:]
    pdf = out / "pdf" / "sphinx-faq-ext.pdf"
    shutil.copy(pdf, artifacts / "rtd-latex.pdf")
    facts = rtd_build.check_pdf(pdf, "latex")
    assert not facts.tagged
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert SOLIDARITY in text
