"""The ``faqpdf`` builder: a book PDF through WeasyPrint, no TeX needed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_weasyprint(app: Sphinx) -> None:
    """Register the ``faqpdf`` builder (to be written: issue 3)."""
