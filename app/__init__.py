"""Mutolaa: an offline-first desktop e-library reader."""

__version__ = "0.1.0"
