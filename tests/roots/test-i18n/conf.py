extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
show_warning_types = True
project = "i18n test"
locale_dirs = ["locales"]
gettext_compact = False
