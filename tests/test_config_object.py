"""One configuration object: declared on FaqConfig, validated per application."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from conftest import warnings_of

from sphinx_faq_ext.config import FaqConfig, faq_config

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import MakeProject


def test_every_faq_value_is_declared_once_on_the_dataclass(make_project: MakeProject) -> None:
    app = make_project({"index.rst": "Title\n=====\n"})
    declared = {field.metadata["name"] for field in fields(FaqConfig)}
    registered = {name for name in app.config.values if name.startswith("faq_")}
    assert declared == registered
    assert {"faq_pdf_css", "faq_pdf_toc_depth", "faq_notes_style"} <= declared


def test_validated_per_application_and_never_written_back(
    make_project: MakeProject, tmp_path: Path
) -> None:
    conf = 'extensions = ["sphinx_faq_ext"]\nfaq_pdf_css = "print.css"\nfaq_pdf_toc_depth = 3\n'
    first = make_project({"conf.py": conf, "index.rst": "Title\n=====\n"})
    assert "faq_pdf_css must be a list of stylesheet paths; ignored" in warnings_of(first)
    assert first.config.faq_pdf_css == "print.css"  # the user's value is untouched
    assert faq_config(first.config).pdf_css == ()
    assert faq_config(first.config).pdf_toc_depth == 3
    second = make_project({"conf.py": 'extensions = ["sphinx_faq_ext"]\n',
                           "index.rst": "Title\n=====\n"}, srcdir=tmp_path / "other")
    assert faq_config(second.config).pdf_toc_depth == 2
    assert faq_config(first.config) is not faq_config(second.config)
    assert faq_config(first.config) is faq_config(first.config)  # validated once
