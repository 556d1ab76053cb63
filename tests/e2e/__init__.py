"""End-to-end tests: the real program in a real X server, driven like a person drives it."""
