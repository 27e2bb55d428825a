"""``faq:ref`` text styles: ``faq_ref_style`` and the per-reference roles."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import BASE_CONF, html_page, warnings_of

if TYPE_CHECKING:
    from conftest import MakeProject
    from sphinx.testing.util import SphinxTestApp

DOCS = {
    "index.md": "# Refs\n\n```{toctree}\nother\n```\n\n"
                "See {faq:ref}`7`, {faq:ref-number}`7`, {faq:ref-full}`7`, "
                "{faq:ref-title}`7`, {faq:ref-title}`why-solidarity`, "
                "{faq:ref-full}`own text <7>`.\n",
    "other.rst": "Other\n=====\n\n.. faq:question:: Why is *solidarity* important?\n"
                 "   :number: 7\n   :label: why-solidarity\n\n"
                 "   See :faq:ref-title:`7` and :faq:ref-full:`7`.\n",
}
NUMBER, FULL, TITLE = "7", "7 Why is solidarity important?", "Why is solidarity important?"


def texts(app: SphinxTestApp, docname: str) -> list[str]:
    return [a.get_text() for a in html_page(app.outdir, docname).select("p a.reference.internal")
            if a.get("href", "").endswith("#q-7")]


@pytest.mark.parametrize(("config", "default"), [
    ("", NUMBER), ('faq_ref_style = "number-title"\n', FULL), ('faq_ref_style = "title"\n', TITLE),
])
def test_roles_override_the_configured_style(
    make_project: MakeProject, config: str, default: str
) -> None:
    app = make_project({"conf.py": BASE_CONF + config, **DOCS})
    app.build()
    assert warnings_of(app) == ""
    # faq:ref follows the config; the style roles and explicit texts do not
    assert texts(app, "index") == [default, NUMBER, FULL, TITLE, TITLE, "own text"]
    assert texts(app, "other") == [TITLE, FULL]


def test_styles_in_latex(make_project: MakeProject) -> None:
    app = make_project({"conf.py": BASE_CONF, **DOCS}, "latex")
    app.build()
    tex = next(Path(app.outdir).glob("*.tex")).read_text("utf8")
    link = r"{\hyperref[\detokenize{other:q-7}]{\sphinxcrossref{\DUrole{faq-ref}{"
    for text in (NUMBER, FULL, TITLE):
        assert link + text + "}}}}" in tex


def test_unknown_target_of_a_style_role_warns(make_project: MakeProject) -> None:
    app = make_project({"index.md": "# T\n\nSee {faq:ref-title}`Z.9`.\n"})
    app.build()
    assert "index.md:3: WARNING: unknown FAQ question 'Z.9' [faq.unknown-ref]" in warnings_of(app)
