"""Typed errors that say whose fault they are."""

from __future__ import annotations


class MutolaaError(Exception):
    """Base of every error Mutolaa raises on purpose; ``str()`` is one sentence for the user."""


class UserError(MutolaaError):
    """The user asked for something that cannot be done (bad ID, bad query, wrong password)."""


class BadDocumentError(MutolaaError):
    """A document cannot be used: broken, unsupported, hostile or empty."""


class StoreError(MutolaaError):
    """The library store cannot be used (disk full, locked, corrupt, too new)."""


class NewerStoreError(StoreError):
    """The database was written by a newer version of Mutolaa and is left untouched."""


class SearchIndexError(MutolaaError):
    """The full-text index cannot be used; it is a cache and can be rebuilt."""
