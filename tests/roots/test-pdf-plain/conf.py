# No sphinx_faq_ext here: `-b faqpdf` must load it through the entry point.
project = "Plain"
extensions = ["myst_parser"]
exclude_patterns = ["_build"]
show_warning_types = True  # default from Sphinx 8; the tests read the [faq.*] suffix
