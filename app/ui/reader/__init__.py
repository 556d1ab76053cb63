"""A book in a tab: drawing pages, layouts, zoom, find in the book, the side panel."""
