# Twenty-two real questions of An Anarchist FAQ (section A, A.2, A.2.1-A.2.20;
# Debian package "anarchism", GPL), two paragraphs each, as a printed book.
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
show_warning_types = True
project = "An Anarchist FAQ"
author = "The Anarchist FAQ Editorial Collective"
release = "15.4"
language = "en"
latex_documents = [("index", "afaq.tex", "An Anarchist FAQ", author, "manual")]
faq_pdf_filename = "afaq.pdf"
