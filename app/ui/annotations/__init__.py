"""Bookmarks, highlights and notes in the window: the editor, its model, panels, export."""
