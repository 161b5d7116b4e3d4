"""Markdown generators, one module per page type."""
