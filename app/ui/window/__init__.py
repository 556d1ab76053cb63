"""The main window and what joins its parts: menus, imports, reader tabs, the sync wiring."""
