"""What a build costs before it reads a page: modules it does not need stay unimported.

A book's fixed cost per build (paid by every ``sphinx-autobuild`` rebuild) is
mostly imports.  Each build here runs in a fresh process, which then reports
which of the costly optional modules it imported: the WeasyPrint builder and
pikepdf only for ``-b faqpdf``, pybtex-docutils (pybtex's BibTeX parser) only
for a book that cites.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BASE_CONF
from external_tools import python, sphinx_process

from sphinx_faq_ext.testing import write_project

#: Imported only by the builds that need them.
COSTLY = (
    "sphinx_faq_ext.builders.pdf.weasyprint.builder", "sphinx_faq_ext.builders.pdf.typst.builder",
    "sphinx_faq_ext.writers.typst.translator", "pikepdf", "weasyprint", "typst",
    "pybtex_docutils",
)

#: Runs sphinx-build with its arguments, then prints the costly modules it imported.
PROBE = f"""
import json, sys
from sphinx.cmd.build import build_main
status = build_main(sys.argv[1:])
print(json.dumps([status, sorted(m for m in {COSTLY!r} if m in sys.modules)]))
"""

BOOK = """\
# Book

::::{faq:question} Why is solidarity important?
:number: A

Text with a note.{faq:note}`*Anarchy*, p. 29`

:::{faq:quote}
:author: Errico Malatesta
:note: *Anarchy*, p. 30

Quoted text.
:::
::::
"""


def imported(tmp_path: Path, builder: str, conf: str = BASE_CONF,
             files: dict[str, str] | None = None) -> list[str]:
    """The costly modules a clean *builder* build of a one-question book imports."""
    src = write_project(tmp_path / "src", {"index.md": BOOK, **(files or {})}, conf=conf)
    done = sphinx_process(src, tmp_path / builder, builder, options=("-q", "-W"), runner=PROBE)
    status, modules = json.loads(done.output.strip().splitlines()[-1])
    assert status == 0, done.warnings
    return list(modules)


@pytest.mark.parametrize("builder", ["html", "epub", "latex"])
def test_builds_import_no_pdf_or_bibtex_parser(tmp_path: Path, builder: str) -> None:
    assert imported(tmp_path, builder) == []


def test_citing_book_imports_pybtex_docutils(tmp_path: Path) -> None:
    """The laziness does not lose the citations: a book that cites loads the backend."""
    bib = "@book{malatesta1974, author = {Errico Malatesta}, title = {Anarchy}, year = 1974}\n"
    conf = BASE_CONF.replace('"myst_parser", ', '"myst_parser", "sphinxcontrib.bibtex", ')
    conf += 'bibtex_bibfiles = ["refs.bib"]\n'
    book = ("# Book\n\n:::{faq:question} Why?\n:number: A\n\n"
            "See.{faq:cite}`malatesta1974, p. 2`\n:::\n")
    modules = imported(tmp_path, "html", conf, {"refs.bib": bib, "index.md": book})
    assert "pybtex_docutils" in modules
    page = (tmp_path / "html" / "index.html").read_text("utf8")
    assert "Anarchy" in page


def test_faqpdf_registered_by_its_entry_point(tmp_path: Path) -> None:
    """``-b faqpdf`` still finds the builder, which the extension's setup() no
    longer imports: Sphinx loads it through the ``sphinx.builders`` entry point."""
    src = write_project(tmp_path / "src", {"index.md": "# Book\n"})
    probe = ("import sys\nfrom sphinx.application import Sphinx\n"
             "app = Sphinx(sys.argv[1], sys.argv[1], sys.argv[2], sys.argv[2] + '/.d', "
             "'faqpdf', status=None)\n"
             "print(app.builder.name, type(app.builder).__module__)\n")
    done = python("-c", probe, str(src), str(tmp_path / "out"))
    name, module = done.stdout.strip().splitlines()[-1].split()
    assert name == "faqpdf" and module.startswith("sphinx_faq_ext.builders.")
