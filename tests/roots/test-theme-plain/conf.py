"""Ordinary documentation (no FAQ content) on the theme alone."""

project = "Plain docs"
extensions = ["sphinx_design"]
exclude_patterns = ["_build"]
html_theme = "sphinx_faq_ext"
html_theme_options = {"header_note": "Second edition"}
author = "Plain docs authors"
copyright = "2026, Plain docs authors"
epub_identifier = "urn:uuid:5d0f3c2e-8f53-4c8e-9a57-1b9f3f1e2c77"
epub_uid = "BookId"
