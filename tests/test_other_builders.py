"""Text, man, Texinfo and the other Sphinx builders degrade gracefully."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import warnings_of

if TYPE_CHECKING:
    from conftest import MakeApp
    from sphinx.testing.util import SphinxTestApp


@pytest.mark.parametrize(
    ("builder", "output"),
    [
        ("text", "index.txt"),
        ("man", "*.1"),
        ("texinfo", "*.texi"),
        ("singlehtml", "index.html"),
        ("dirhtml", "index.html"),
        ("xml", "index.xml"),
        ("pseudoxml", "index.pseudoxml"),
    ],
)
@pytest.mark.sphinx(testroot="basic")
def test_builder_keeps_all_text(
    app_params: Any, make_app: MakeApp, builder: str, output: str
) -> None:
    args, kwargs = app_params
    app = make_app(builder, *args[1:], **kwargs)
    app.build()
    problems = [w for w in warnings_of(app).splitlines() if "WARNING" in w or "ERROR" in w]
    assert problems == []
    [path] = list(Path(app.outdir).glob(output))
    text = path.read_text("utf8")
    marker = 'number="2"' if "xml" in builder else "[2]"
    for expected in ("A.1", "Why?", "Quoted text.", "Errico Malatesta", "Anarchy", "p. 33",
                     "Note one of A", marker):
        assert expected in text, f"{expected!r} missing from {builder} output"


@pytest.mark.sphinx(
    "text", testroot="basic", freshenv=True, confoverrides={"faq_notes_style": "inline"}
)
def test_inline_style_in_text(app: SphinxTestApp) -> None:
    app.build()
    text = (Path(app.outdir) / "index.txt").read_text("utf8")
    assert "Because.[*First*, p. 1]" in text
    assert "Notes" not in text


@pytest.mark.sphinx(
    "html", testroot="basic", freshenv=True, confoverrides={"faq_notes_style": "inline"}
)
def test_inline_style_in_html(app: SphinxTestApp) -> None:
    app.build()
    html = (Path(app.outdir) / "index.html").read_text("utf8")
    assert '[<em>First</em>, p. 1]</span>' in html
    assert "doc-endnotes" not in html and "doc-noteref" not in html


@pytest.mark.sphinx(
    "text", testroot="basic", freshenv=True, confoverrides={"faq_notes_style": "footnotes"}
)
def test_footnote_style_in_text(app: SphinxTestApp) -> None:
    app.build()
    text = (Path(app.outdir) / "index.txt").read_text("utf8")
    assert "Because.[*First*, p. 1]" in text


@pytest.mark.sphinx("html", testroot="basic", freshenv=True,
                    confoverrides={"faq_notes_style": "bogus", "faq_ref_style": "nope",
                                   "faq_note_marker": "{missing}"})
def test_invalid_config_warns_and_falls_back(app: SphinxTestApp) -> None:
    app.build()
    warnings = warnings_of(app)
    assert "faq_notes_style" in warnings and "[faq.config]" in warnings
    assert "faq_ref_style = 'nope'" in warnings
    assert "faq_note_marker = '{missing}'" in warnings
    html = (Path(app.outdir) / "index.html").read_text("utf8")
    assert "doc-endnotes" in html and ">[1]</a>" in html


@pytest.mark.sphinx("html", testroot="basic", freshenv=True,
                    confoverrides={"faq_note_marker": "{number}", "faq_ref_style": "number-title"})
def test_marker_and_ref_style(app: SphinxTestApp) -> None:
    app.build()
    html = (Path(app.outdir) / "index.html").read_text("utf8")
    assert 'role="doc-noteref">1</a>' in html
    assert '<span class="faq-ref">A.2 How?</span>' in html
