"""The quick profile of the fuzz harness (``tools/fuzz/``; ``nox -s fuzz`` runs 1,000+).

A fixed (derandomized) set of generated documents, plus one hand-written
document per bug reported in issue 13 (``generator.REGRESSION_DOCS``), is built
with html, epub, latex, text, man and texinfo, and a few of them with latexmk
and faqpdf.  ``test_no_new_failures`` fails on any failure that is not a known
bug (``checks.KNOWN_BUGS``).  Each known bug also has an xfail test, strict for the
bugs the quick profile always meets: when a fix lands, that test passes
unexpectedly and fails the suite; then delete the bug's entry from
``KNOWN_BUGS`` (and its xfail goes with it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, load_script, once, xdist_shared_dir
from external_tools import REQUIRE_TOOLS, available, need_tool

fuzz = load_script(REPO / "tools" / "fuzz" / "__init__.py", "faq_fuzz")
generator, runner, checks = fuzz.generator, fuzz.runner, fuzz.checks

#: Generated documents in the quick profile, and how many of them go to PDF too.
QUICK_COUNT = 30
QUICK_PDF = 3


def _pdf_tools() -> bool:
    return available("latexmk", "pdftotext")


@pytest.fixture(scope="session")
def quick_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the quick profile once per test session (shared by xdist workers)."""

    def make(target: Path) -> None:
        docs = list(generator.REGRESSION_DOCS) + generator.generate(QUICK_COUNT, derandomize=True)
        # PDF: the deep-index regression document and the first generated ones
        deep = next(i for i, doc in enumerate(docs) if doc[1][0][1] == "Deep index")
        pdf_first = [docs[deep], *docs[len(generator.REGRESSION_DOCS):][:QUICK_PDF]]
        rest = [doc for i, doc in enumerate(docs) if i != deep]
        ordered = pdf_first + [doc for doc in rest if doc not in pdf_first]
        report = runner.run(ordered, pdf_docs=len(pdf_first) if _pdf_tools() else 0,
                          batch_size=len(ordered), workdir=target / "work")
        (target / "report.json").write_text(json.dumps({
            "summary": report.summary(),
            "builds": dict(report.builds),
            "failures": [f.as_dict() for f in report.failures],
        }), "utf8")

    target = once(xdist_shared_dir(tmp_path_factory, "fuzz"), "quick", make)
    return json.loads((target / "report.json").read_text("utf8"))


def _describe(failures: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{f['builder']:<8} {f['docname']} {f['signature']}: {f['detail'][:160]}"
        for f in failures
    )


def test_every_builder_ran(quick_report: dict[str, Any]) -> None:
    builders = set(quick_report["builds"])
    assert set(checks.BUILDERS) <= builders, quick_report["summary"]
    if _pdf_tools():
        assert set(checks.PDF_BUILDERS) <= builders, quick_report["summary"]
    elif REQUIRE_TOOLS:
        need_tool("latexmk", available=False)


def test_no_new_failures(quick_report: dict[str, Any]) -> None:
    """No crash, lost token, unlocated warning or wrong output beyond the known bugs."""
    new = [f for f in quick_report["failures"] if f["known"] is None]
    assert not new, f"{quick_report['summary']}\n\nnew failures:\n{_describe(new)}"


@pytest.mark.parametrize(
    "bug",
    [pytest.param(bug, id=bug.id, marks=pytest.mark.xfail(
        strict=bug.strict, reason=f"known bug: {bug.description}"))
     for bug in checks.KNOWN_BUGS],
)
def test_known_bug_is_gone(quick_report: dict[str, Any], bug: Any) -> None:
    """Fails while the bug is there; XPASS (strict: a failure) once it is fixed."""
    if bug.id == "latex-deep-index" and not _pdf_tools():
        pytest.fail("latexmk not available: cannot tell (needs the PDF part)")
    hits = [f for f in quick_report["failures"] if f["known"] == bug.id]
    assert not hits, _describe(hits)


# -- the checks themselves can fail ------------------------------------------

def test_generator_is_deterministic_and_covers_every_feature() -> None:
    first = generator.generate(40, derandomize=True)
    assert first == generator.generate(40, derandomize=True)
    rendered = [generator.render(doc, i) for i, doc in enumerate(first)]
    tokens = [slot.token for doc in rendered for slot in doc.slots]
    assert len(tokens) == len(set(tokens))
    for doc in rendered:
        for slot in doc.slots:
            assert slot.token in doc.text
    text = "\n".join(doc.text for doc in rendered)
    both = [doc.suffix for doc in rendered]
    assert ".md" in both and ".rst" in both
    for name in ("question", "quote", "notes", "index", "sources", "note", "cite", "ref",
                 "ref-number", "ref-full", "ref-title"):
        assert f"{{faq:{name}}}" in text or f"faq:{name}:" in text, name
    for option in ("number", "label", "class", "author", "source", "page", "cite", "note",
                   "url", "branch", "depth", "caption"):
        assert f":{option}:" in text, option


def test_checker_reports_lost_tokens_unlocated_warnings_and_wrong_html(
        tmp_path: Path) -> None:
    doc = generator.render(("doc", [("text", "Title")], [("para", [("text", "x")])], "md"), 0)
    out = tmp_path / "html"
    out.mkdir()
    kept = doc.slots[0].token
    (out / "d0000.html").write_text(
        f'<html><head></head><body><p id="x">{kept}</p><a href="#"><span>'
        f'<a href="javascript:alert(1)" id="x">n</a></span></a></body></html>', "utf8")
    lost = doc.slots[1].token
    build = checks.Build("html", out, "WARNING: somewhere, no location\n"
                                    f"{tmp_path}/d0000.md:9: WARNING: unrelated [faq.x]\n")
    signatures = sorted(f.signature for f in checks.check_build(build, [doc]))
    assert signatures == ["lost:para", "unlocated:?", "wrong:duplicate-id",
                          "wrong:javascript-url", "wrong:nested-a"], signatures
    # a warning at the token's own line excuses it; one naming the token too
    line = doc.slots[1].lines[0]
    for warning in (f"{tmp_path}/d0000.md:{line}: WARNING: bad [faq.x]\n",
                    f"{tmp_path}/index.md:1: WARNING: about {lost} [faq.x]\n"):
        build = checks.Build("html", out, warning)
        found = [f.signature for f in checks.check_build(build, [doc])]
        assert "lost:para" not in found
