"""The reference library server (`mutolaa-server`): accounts, the sync API, KOReader progress sync.

`app.create_app` builds the Flask application; `storage` holds every database access (SQLite in
WAL mode); `accounts` the passwords, tokens and login limits; `api` and `koreader` the HTTP
endpoints; `cli` the command. docs/server.md says how to run it, docs/sync-protocol.md is the
contract it answers.
"""
