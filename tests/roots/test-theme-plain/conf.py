"""Ordinary documentation (no FAQ content) on the theme alone."""

project = "Plain docs"
extensions = ["sphinx_design"]
exclude_patterns = ["_build"]
html_theme = "sphinx_faq_ext"
