"""``faq.json``: every question as machine-readable data, written by HTML builders.

Written once per build on ``build-finished`` from the domain's global table,
so it is exact after incremental and parallel builds alike.  ePub packages
are not websites: their builders (``format == "html"`` too) are skipped.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from sphinx.errors import NoUri

from sphinx_faq_ext import __version__
from sphinx_faq_ext.domain import faq_domain
from sphinx_faq_ext.util.builder import is_website

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bump when the shape of the file changes incompatibly.
FORMAT_VERSION = 1
FILENAME = "faq.json"
#: The ``generator`` of the files we write (before the version).
GENERATOR = "sphinx-faq-ext"


def wants_faq_json(app: Sphinx) -> bool:
    """HTML-format builders that publish a website (not ePub, not the PDF)."""
    # ePub and the WeasyPrint PDF render HTML too, but publish a single file.
    return is_website(app.builder)


def question_url(app: Sphinx, docname: str, anchor: str) -> str:
    """The question's URL relative to the site root, absolute with ``html_baseurl``."""
    builder = app.builder
    if builder.name == "singlehtml":  # one page; its target URIs are in-page fragments
        uri = app.config.root_doc + getattr(builder, "out_suffix", ".html")
    else:
        try:
            uri = builder.get_target_uri(docname)
        except NoUri:
            uri = ""
    url = f"{uri}#{anchor}"
    base = app.config.html_baseurl
    return urljoin(base if base.endswith("/") else f"{base}/", url) if base else url


def faq_data(app: Sphinx) -> dict[str, Any]:
    """The contents of ``faq.json``."""
    domain = faq_domain(app.env)
    return {
        "format": FORMAT_VERSION,
        "generator": f"{GENERATOR} {__version__}",
        "project": app.config.project,
        "language": app.config.language or "en",
        "questions": [
            {
                "number": record.number,
                "title": record.title,
                "parent": record.parent if domain.question(record.parent or "") else None,
                "url": question_url(app, record.docname, record.anchor),
                "notes": record.note_count,
                "label": record.label or None,
            }
            for record in domain.sorted_questions()
        ],
    }


def write_faq_json(app: Sphinx, exception: Exception | None) -> None:
    """Write ``faq.json`` into the output folder after a successful HTML build.

    A project without questions (API documentation using the theme) gets
    none; one whose last question was removed loses the file it had.
    """
    if exception is not None or not wants_faq_json(app):
        return
    path = app.outdir / FILENAME
    if not faq_domain(app.env).data["by_number"]:
        if path.is_file() and f'"generator": "{GENERATOR}' in path.read_text("utf8"):
            path.unlink()  # ours, from a build that had questions
        return
    text = json.dumps(faq_data(app), ensure_ascii=False, indent=1) + "\n"
    if not path.exists() or path.read_text("utf8") != text:
        path.write_text(text, encoding="utf8")


def setup_faq_json(app: Sphinx) -> None:
    """Write ``faq.json`` on ``build-finished``."""
    app.connect("build-finished", write_faq_json)
