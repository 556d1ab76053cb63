"""Annotation use cases: exports and imports, a PDF's own annotations, notes in search."""
