"""Catalogue client, downloads and sync engine (no Qt, no app imports); filled by later issues."""
