"""Sync use cases: the library server, KOReader progress, books on other devices."""
