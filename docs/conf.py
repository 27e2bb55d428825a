"""Configuration of the sphinx-faq-ext documentation, itself an FAQ book."""

from __future__ import annotations

import sphinx_faq_ext

project = "sphinx-faq-ext"
author = "sphinx-faq-ext developers"
copyright = "2026, sphinx-faq-ext developers"  # noqa: A001
version = release = sphinx_faq_ext.__version__

extensions = ["myst_parser", "sphinx_design", "sphinxcontrib.bibtex", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
language = "en"

# faq:cite formats source notes from these BibTeX entries (reference/book.md).
bibtex_bibfiles = ["refs.bib"]

html_title = "sphinx-faq-ext"
html_theme = "sphinx_faq_ext"
# On Read the Docs the theme fills in the ePub/PDF downloads and the "edit this
# page" repository from the build environment; set them here to override.
html_theme_options = {"repository_path": "docs"}

epub_identifier = "urn:uuid:7f1b1c52-7a43-4a36-9d5e-2f3f3f0c6a26"
epub_uid = "BookId"
epub_show_urls = "no"

latex_engine = "xelatex"
