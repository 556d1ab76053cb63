"""Documents: the only package that imports PyMuPDF (open, metadata, text, covers)."""
