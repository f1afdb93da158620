"""Versioned prompt texts, one per file."""
