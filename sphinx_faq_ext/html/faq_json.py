"""``faq.json``: every question as machine-readable data, written by HTML builders."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_faq_json(app: Sphinx) -> None:
    """Write ``faq.json`` (to be written: issue 5)."""
