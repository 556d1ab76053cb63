"""Mutolaa's network side (no Qt, no app imports): OPDS client, downloads, sync, library server."""
