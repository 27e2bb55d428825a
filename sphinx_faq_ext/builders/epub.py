"""ePub 3 fixes so that EPUBCheck reports no errors and no warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_epub(app: Sphinx) -> None:
    """Register the ePub post-processing (to be written: issue 3)."""
