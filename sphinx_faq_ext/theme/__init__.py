"""The ``sphinx_faq_ext`` HTML theme.

Two ways in, both ending in :func:`setup_theme`:

* ``extensions = ["sphinx_faq_ext"]`` — the extension's ``setup()`` calls it;
* ``html_theme = "sphinx_faq_ext"`` alone — Sphinx finds the
  ``sphinx.html_themes`` entry point and loads this module as an extension,
  which calls :func:`setup`.

The theme's look lives in the ``sphinx_faq_ext/`` folder beside this file
(``theme.toml``, templates, CSS, JS); this module only registers it, its
labels' message catalog, and fills in the page context its templates use
(:mod:`sphinx_faq_ext.theme.context`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_faq_ext.theme.context import (
    THEME_DIR,
    THEME_NAME,
    add_theme_context,
    note_removed_documents,
    pages_with_changed_crumbs,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["THEME_DIR", "THEME_NAME", "setup", "setup_theme"]

#: The package's message catalogs (the theme's labels are in them too).
LOCALE_DIR = Path(__file__).parent.parent / "locale"


def setup_theme(app: Sphinx) -> None:
    """Register the theme and the page-context handler (idempotent)."""
    # Loaded both as part of the extension and through the entry point: the
    # registry tells whether this already ran, so handlers are connected once.
    if THEME_NAME in app.registry.html_themes:
        return
    app.add_html_theme(THEME_NAME, str(THEME_DIR))
    app.connect("html-page-context", add_theme_context)
    # After the faq domain's handler (500) has compared the question tables.
    app.connect("env-get-outdated", note_removed_documents)
    app.connect("env-updated", pages_with_changed_crumbs, priority=600)
    # The templates' labels come from our catalog, also when the theme is used
    # without the extension (which registers the same catalog for its labels;
    # a second registration only adds a fallback, it changes no translation).
    app.add_message_catalog("sphinx_faq_ext", str(LOCALE_DIR))


def setup(app: Sphinx) -> dict[str, Any]:
    """Entry point used when only ``html_theme = "sphinx_faq_ext"`` is set."""
    from sphinx_faq_ext import __version__

    setup_theme(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
