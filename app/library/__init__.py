"""The library store: SQLite database, migrations and content-addressed book files (no Qt)."""
