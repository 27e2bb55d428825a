"""The ``sphinx_faq_ext`` HTML theme."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_theme(app: Sphinx) -> None:
    """Register the HTML theme (to be written: issue 4)."""
