"""Third-party documentation on the theme: autodoc API pages (classes, exceptions),
a glossary, wide tables and code, sphinx-design and sphinx-tabs components.

The documented module lives beside this file (``bookshelf_api.py``).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "Bookshelf API"
# Long enough to take three lines in a phone's header.
html_title = "Bookshelf API 2.4 documentation"
extensions = ["sphinx.ext.autodoc", "sphinx_design", "sphinx_tabs.tabs", "sphinx_faq_ext"]
exclude_patterns = ["_build"]
html_theme = "sphinx_faq_ext"
html_logo = "_static/logo.svg"
html_static_path = ["_static"]
html_theme_options = {"logo_dark": "logo-dark.svg"}
autodoc_member_order = "bysource"
epub_identifier = "urn:uuid:9b7e3f0a-61c4-4f0e-8d52-2a5e4c7b9d10"
epub_uid = "BookId"
