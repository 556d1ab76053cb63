"""Annotation exports and imports: Markdown, W3C Web Annotation JSON-LD, annotated PDF copies."""
