"""HTML-only additions that are not part of the theme's look."""
