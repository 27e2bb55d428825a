"""Whole-book features: the question index, works quoted, BibTeX-backed notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_book(app: Sphinx) -> None:
    """Register ``faq:index``, ``faq:sources`` and ``faq:cite`` (to be written: issue 5)."""
