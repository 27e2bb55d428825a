"""Helpers any layer may use: name parsing, builder lookup, upstream glue."""
