"""Library use cases: import, index, search, list, check and repair the shared books."""
