# Long URLs, paths and identifiers in every place a book prints them (text,
# link texts, source notes, quotes' :url:), questions nested four deep under
# a root toctree of :maxdepth: 1, and an author too long for one line of the
# title page: tests/test_latex_book.py compiles it on an A5 page.
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
show_warning_types = True
project = "Long Lines"
author = "The Editorial Collective of a Book with a Rather Long Name"
release = "2.1"
language = "en"
latex_documents = [("index", "lines.tex", "Long Lines", author, "manual")]
