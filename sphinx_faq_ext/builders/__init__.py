"""Builders and builder-specific post-processing (ePub fixes, WeasyPrint PDF)."""
