project = "ePub with a bibliography"
author = "The tests"
copyright = "2026, the tests"
version = release = "1.0"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
bibtex_bibfiles = ["refs.bib"]
# Different on purpose: Sphinx would put epub_uid in toc.ncx (NCX-001).
epub_uid = "BookId"
epub_identifier = "urn:uuid:0b5b1f7e-3f0e-4d4e-9a39-5d0c6f1b7a11"
