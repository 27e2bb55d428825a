"""A ``faqpdf`` book that could not be made fails the build, and leaves no PDF behind.

WeasyPrint 62.3 with a newer pydyf failed every chapter (``'super' object has
no attribute 'transform'``) while ``sphinx-build`` exited 0 without a PDF: a
CI or Read the Docs build then published no PDF and said nothing.  Here the
layout is made to fail the same way -- in the build's process (a book in one
piece) or in the worker processes (by chapter, by volume, under ``-j``) --
and the build must fail (one error, exit status 1) with that reason, remove this build's PDFs and
the last build's, and print no traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import WEASYPRINT
from external_tools import need_module, sphinx_process
from test_pdf_volumes import small_book

from sphinx_faq_ext.builders.pdf.weasyprint import layout as pdf_layout

REASON = "'super' object has no attribute 'transform'"

#: A layout worker whose WeasyPrint fails on the parts whose HTML name holds
#: FAQ_FAIL_PART (every part when it is empty), as an incompatible release does.
FAILING_WORKER = f'''\
import os
import sys

from sphinx_faq_ext.builders.pdf.weasyprint import layout as pdf_layout

real = pdf_layout.lay_out_with_anchors


def failing(html, pdf, base):
    if os.environ.get("FAQ_FAIL_PART", "") in html.name:
        raise AttributeError("{REASON}")
    return real(html, pdf, base)


pdf_layout.lay_out_with_anchors = failing
sys.exit(pdf_layout.main())
'''


@pytest.fixture
def failing_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Workers run :data:`FAILING_WORKER` (found on ``PYTHONPATH``); its folder."""
    need_module("weasyprint")
    need_module("pikepdf")
    folder = tmp_path / "worker"
    folder.mkdir()
    (folder / "failing_layout.py").write_text(FAILING_WORKER, "utf8")
    paths = [str(folder), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    return folder


def pdfs(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.pdf"))


def test_a_chapter_that_fails_fails_the_build_under_j(
    tmp_path: Path, failing_workers: Path
) -> None:
    """``sphinx-build -j 2``: exit status 1, the reason once, no traceback, no PDF."""
    source = small_book(tmp_path, '\nfrom sphinx_faq_ext.builders.pdf.weasyprint import layout\n'
                        'layout.LAYOUT_MODULE = "failing_layout"\n')
    out = tmp_path / "out"
    out.mkdir()
    (out / "small.pdf").write_bytes(b"%PDF-1.7 the last build's book")
    env = dict(os.environ, FAQ_FAIL_PART="002")  # chapter b
    done = sphinx_process(source, out, "faqpdf", jobs=2, overrides=WEASYPRINT, options=(),
                          env=env, check=False)
    said = done.output + done.warnings
    assert done.status == 1, said
    assert said.count(REASON) == 1, said
    assert "ERROR: WeasyPrint could not lay out" in done.warnings
    assert "build finished with problems" in done.output
    assert "could not lay out 1 of" in done.warnings and "small-002.html" in done.warnings
    assert "Traceback" not in said
    assert pdfs(out) == []  # neither this build's parts nor the last build's book
    log = done.warnings.split("The errors in full are in ")[1].split()[0].rstrip(".")
    assert "Traceback" in Path(log).read_text("utf8")
    Path(log).unlink()


def test_every_chapter_failing_says_the_reason_once(
    tmp_path: Path, failing_workers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import sphinx_build

    monkeypatch.setattr(pdf_layout, "LAYOUT_MODULE", "failing_layout")
    monkeypatch.setenv("FAQ_FAIL_PART", "")
    built = sphinx_build(small_book(tmp_path), "faqpdf", **WEASYPRINT, parallel=2)
    assert built.status == 1
    message = built.warnings
    assert message.count(REASON) == 1
    assert "could not lay out 3 of 4 part(s); no small.pdf was written" in message
    assert all(f"small-00{n}.html" in message for n in (1, 2, 3))
    assert pdfs(tmp_path) == []


def test_a_volume_that_fails_leaves_no_volume(
    tmp_path: Path, failing_workers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import sphinx_build

    monkeypatch.setattr(pdf_layout, "LAYOUT_MODULE", "failing_layout")
    monkeypatch.setenv("FAQ_FAIL_PART", "small-2")
    built = sphinx_build(small_book(tmp_path), "faqpdf", **WEASYPRINT, faq_pdf_volumes=2)
    assert built.status == 1
    message = built.warnings
    assert "could not lay out 1 of 2 part(s); no small-1.pdf, small-2.pdf was written" in message
    assert message.count(REASON) == 1
    assert pdfs(tmp_path) == []  # volume 1 was laid out, but is no book alone


def test_a_book_in_one_piece_that_fails_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Laid out in the build's own process: WeasyPrint's exception becomes the error."""
    need_module("weasyprint")
    import weasyprint
    from conftest import sphinx_build

    def fail(*_args: object, **_kwargs: object) -> None:
        raise AttributeError(REASON)

    monkeypatch.setattr(weasyprint.HTML, "render", fail)
    source = small_book(tmp_path)
    out = source / "_build" / "faqpdf"
    out.mkdir(parents=True)
    (out / "small.pdf").write_bytes(b"%PDF-1.7 the last build's book")
    built = sphinx_build(source, "faqpdf", **WEASYPRINT, faq_pdf_by_chapter=False)
    assert built.status == 1
    message = built.warnings
    assert message.count(REASON) == 1 and "no small.pdf was written" in message
    assert pdfs(tmp_path) == []


@pytest.mark.parametrize("volumes", [0, 2])
def test_a_typst_book_that_does_not_compile_fails_the_build(tmp_path: Path, volumes: int) -> None:
    """Typst's own error, once; exit status 1; neither this build's PDFs nor the last one's."""
    need_module("typst")
    conf = f'\nfaq_pdf_typst = ["broken.typ"]\nfaq_pdf_volumes = {volumes}\n'
    source = small_book(tmp_path, conf)
    (source / "broken.typ").write_text("#let faq-broken = (\n", "utf8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "small.pdf").write_bytes(b"%PDF-1.7 the last build's book")
    done = sphinx_process(source, out, "faqpdf", options=(), check=False)
    said = done.output + done.warnings
    assert done.status == 1, said
    errors = [line for line in done.warnings.splitlines() if "ERROR" in line]
    assert len(errors) == 1 and "Typst could not compile" in errors[0], said
    assert "no PDF was written" in said
    assert "Traceback" not in said
    assert pdfs(out) == []


#: A Typst worker that dies (as a crash inside the compiler would) on the PDFs
#: or parts whose name holds FAQ_CRASH_PART.
CRASHING_TYPST = '''\
import os
import sys

from sphinx_faq_ext.builders.pdf.typst import compile as typst_compile


def crashing(real):
    def lay_out(source, *args):
        if os.environ["FAQ_CRASH_PART"] in source.name:
            sys.stderr.write("the compiler crashed here\\\\n")
            os._exit(3)
        return real(source, *args)
    return lay_out


typst_compile.lay_out_part = crashing(typst_compile.lay_out_part)
typst_compile.compile_pdf = crashing(typst_compile.compile_pdf)
sys.exit(typst_compile.main())
'''


@pytest.mark.parametrize(("by_chapter", "crash"), [
    (True, "small-002"), (False, "small"),
    (True, "afaq-001"),  # a book with an index of names, which waits for the chapters
])
def test_a_typst_worker_that_dies_fails_the_build_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by_chapter: bool, crash: str,
) -> None:
    """A crash of a Typst worker, by chapter or in one piece: one error with its
    exit status and stderr, exit status 1, no PDF (nor the last build's)."""
    need_module("typst")
    import shutil

    from conftest import ROOTS, sphinx_build

    from sphinx_faq_ext.builders.pdf.typst import compile as typst_compile

    folder = tmp_path / "worker"
    folder.mkdir()
    (folder / "crashing_typst.py").write_text(CRASHING_TYPST, "utf8")
    paths = [str(folder), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    monkeypatch.setenv("FAQ_CRASH_PART", crash)
    monkeypatch.setattr(typst_compile, "WORKER_MODULE", "crashing_typst")
    if crash.startswith("afaq"):
        source = tmp_path / "print"
        shutil.copytree(ROOTS / "test-print", source)
    else:
        source = small_book(tmp_path)
    out = source / "_build" / "faqpdf"
    out.mkdir(parents=True)
    (out / f"{crash.split('-')[0]}.pdf").write_bytes(b"%PDF-1.7 the last build's book")
    built = sphinx_build(source, "faqpdf", parallel=2, faq_pdf_by_chapter=by_chapter)
    assert built.status == 1
    errors = [line for line in built.warnings.splitlines() if "ERROR" in line]
    assert len(errors) == 1, built.warnings
    assert f"Typst worker for {crash}.typ exited 3" in built.warnings
    assert "the compiler crashed here" in built.warnings
    assert "no PDF was written" in built.warnings
    assert [pdf.name for pdf in out.glob("*.pdf")] == []


def test_workers_import_the_builds_package_not_the_current_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build run from a folder holding another sphinx_faq_ext (a checkout): the
    workers import the build's, as the build does."""
    need_module("typst")
    from sphinx_faq_ext.builders.pdf.typst.compile import compile_in_children

    other = tmp_path / "checkout" / "sphinx_faq_ext"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text('raise ImportError("the other checkout")\n', "utf8")
    monkeypatch.chdir(other.parent)
    source = tmp_path / "book.typ"
    source.write_text('#set document(title: "T")\n#set text(lang: "en")\nText.\n', "utf8")
    [compiled] = compile_in_children([(source, tmp_path / "book.pdf")], [], 1)
    assert compiled.pdf.read_bytes().startswith(b"%PDF")
