project = "Escapes & Co."
copyright = "2026, the tests"
version = release = "1.0"
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
latex_documents = [("index", "escapes.tex", "Escapes", "Tests", "manual")]
