"""Use cases over the store, documents and index, shared by the command line and the window."""
