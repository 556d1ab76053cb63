"""The sync in the window: its runner, the status line, conflicts, books on other devices."""
