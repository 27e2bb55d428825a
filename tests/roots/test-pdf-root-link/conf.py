# A book whose chapter links to the root document itself (An Anarchist FAQ's
# web front page, index/index.md, links "two volumes" to the book's root).
project = "Root Link"
author = "Editors"
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
show_warning_types = True
