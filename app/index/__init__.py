"""The full-text index: the only package that imports Whoosh (analysis, schema, indexing, search)."""
