"""Directives and roles authors write: questions, quotes and notes."""
