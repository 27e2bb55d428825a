"""What DAISY Ace asks of an ePub that Sphinx's ``epub`` builder does not give.

Ace by DAISY (the accessibility checker publishers use) runs axe-core on every
XHTML page and reads the package metadata.  On a plain Sphinx ePub it reports:

* no EPUB Accessibility 1.1 metadata in ``content.opf`` (``accessMode``,
  ``accessModeSufficient``, ``accessibilityFeature``, ``accessibilityHazard``,
  ``accessibilitySummary``): :func:`accessibility_metadata` gives them, from
  defaults that describe an FAQ book (:data:`~sphinx_faq_ext.config.
  EPUB_ACCESSIBILITY_DEFAULTS`) under ``faq_epub_accessibility``;
* ``html-has-lang`` on every page: Sphinx's ePub ``<html>`` tag carries no
  language (:func:`html_tag` adds ``lang`` and ``xml:lang``);
* ``epub-type-has-matching-role`` on the navigation document's ``<nav
  epub:type="toc">`` (``role="doc-toc"`` in our ``nav.xhtml.jinja``);
* ``aria-required-attr`` on toctree captions (``role="heading"`` without
  ``aria-level``): see :mod:`sphinx_faq_ext.writers.epub`.

``content.opf`` and ``nav.xhtml`` come from our own copies of Sphinx's
templates in ``templates/`` (Sphinx's have no place for extra metadata
or attributes); they take the same context as Sphinx's, plus
``accessibility``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.locale import get_translation

from sphinx_faq_ext.config import EPUB_ACCESSIBILITY_DEFAULTS, faq_config

if TYPE_CHECKING:
    from sphinx.builders import Builder

_ = get_translation("sphinx_faq_ext")

#: Our forks of Sphinx's epub3 templates (same names, same context).
TEMPLATE_DIR = Path(__file__).parent / "templates"

#: ``content.opf`` meta property of each ``faq_epub_accessibility`` key.
PROPERTIES = {
    "conformsTo": "dcterms:conformsTo",
    "certifiedBy": "a11y:certifiedBy",
}


def default_summary() -> str:
    """The accessibility summary of an FAQ book, in the book's language."""
    return _(
        "The text follows the reading order and is structured by headings; every "
        "question is a numbered heading listed in the table of contents. Notes are "
        "numbered in each question and linked to and from their markers."
    )


def accessibility_metadata(builder: Builder) -> list[tuple[str, str]]:
    """(meta property, escaped value) pairs for ``content.opf``, one per value.

    ``faq_epub_accessibility`` replaces a default property by property; an
    empty list leaves a property out.
    """
    values = dict(EPUB_ACCESSIBILITY_DEFAULTS)
    if builder.env.images:  # images are part of the content: a reader needs sight or alt text
        values["accessMode"] = (*values["accessMode"], "visual")
    values["accessibilitySummary"] = (default_summary(),)
    values.update(faq_config(builder.config).epub_accessibility)
    return [
        (PROPERTIES.get(key, f"schema:{key}"), html.escape(value))
        for key, terms in values.items()
        for value in terms
    ]


def html_tag(language: str) -> str:
    """The ``<html>`` start tag of an ePub page, with its language for readers.

    Sphinx spells regional languages ``pt_BR``; HTML wants BCP 47 (``pt-BR``).
    """
    lang = html.escape(language.replace("_", "-"))
    return (
        '<html xmlns="http://www.w3.org/1999/xhtml" '
        f'xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">'
    )
