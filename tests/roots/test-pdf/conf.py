# The showcase (docs/book/a-2-6.md, copied in by tests/test_weasyprint.py)
# plus a second chapter, built with the faqpdf builder.
project = "Solidarity FAQ"
author = "Test Author & Co. <x>"
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
language = "en"
today = "27 November 2026"
