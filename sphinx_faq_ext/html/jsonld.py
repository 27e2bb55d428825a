"""schema.org ``FAQPage`` JSON-LD for the questions of each HTML page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_jsonld(app: Sphinx) -> None:
    """Add JSON-LD to HTML pages (to be written: issue 4)."""
