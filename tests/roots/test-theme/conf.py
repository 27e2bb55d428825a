"""A small FAQ book on the theme: questions on their own pages, sidenotes."""

project = "Theme test book"
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
html_theme = "sphinx_faq_ext"
# Footnotes style in HTML: markers carry sidenotes for wide screens.
faq_notes_style = {"html": "footnotes"}
html_theme_options = {
    "download_epub": "https://example.org/book.epub",
    "download_pdf": "https://example.org/book.pdf",
    "repository_url": "https://github.com/example/book",
    "repository_branch": "stable",
    "repository_path": "src",
}
epub_identifier = "urn:uuid:3a1c1b8e-2a4f-4b39-9e1e-0c7a0f2d3b41"
epub_uid = "BookId"
