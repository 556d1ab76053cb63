"""Catalogue use cases: the OPDS client, library servers, the download queue and its runs."""
