"""An FAQ book that uses every sphinx-design component, for the ePub builder.

sphinx-design writes HTML (radio ``<input>`` tabs, ``<details>``, inline
``<svg>``) that EPUBCheck rejects or e-readers cannot show; the ePub builder
must turn them into plain XHTML that keeps every word.
"""

project = "Design components in an ePub"
author = "The tests"
copyright = "2026, the tests"
version = release = "1.0"
extensions = ["myst_parser", "sphinx_design", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
show_warning_types = True
epub_uid = "BookId"
epub_identifier = "urn:uuid:9c1e4a3b-6d2f-4f0a-8b7e-3e5d1c2a4f60"
