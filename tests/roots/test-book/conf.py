extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
show_warning_types = True
bibtex_bibfiles = ["refs.bib"]
project = "Book test"
latex_engine = "xelatex"
