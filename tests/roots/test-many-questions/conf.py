"""Twenty questions on one page, each with its own notes (one landmark each)."""

project = "Many questions"
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
html_theme = "sphinx_faq_ext"
epub_identifier = "urn:uuid:5d2f0a3c-1b7e-4c62-8f0d-9a4e3b6c2d17"
epub_uid = "BookId"
copyright = "2026, tests"
version = "1"
