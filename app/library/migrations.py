"""Schema migrations of the library database, one function per version."""

from __future__ import annotations

import getpass
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from app.core.errors import UserError
from app.core.profiles import person_name, same_name
from app.library import secrets


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run statements one by one (executescript would commit the migration half-way)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _v1(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE profiles(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at REAL NOT NULL
        );
        CREATE TABLE books(
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            authors TEXT NOT NULL DEFAULT '[]',
            languages TEXT NOT NULL DEFAULT '[]',
            format TEXT NOT NULL,
            page_count INTEGER NOT NULL DEFAULT 0,
            size INTEGER NOT NULL,
            file_name TEXT NOT NULL,
            original_name TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            source_entry TEXT,
            toc TEXT NOT NULL DEFAULT '[]',
            cover BLOB,
            encrypted INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL,
            extracted_pages INTEGER NOT NULL DEFAULT 0,
            ocr_pages INTEGER NOT NULL DEFAULT 0,
            added_at REAL NOT NULL
        );
        CREATE INDEX books_added ON books(added_at);
        CREATE TABLE pages(
            book_id TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            lang TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            needs_ocr INTEGER NOT NULL DEFAULT 0,
            repaired INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY(book_id, page)
        ) WITHOUT ROWID;
        CREATE TABLE index_state(
            book_id TEXT PRIMARY KEY REFERENCES books(id) ON DELETE CASCADE,
            indexed_pages INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE progress(
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            book_id TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE,
            position TEXT NOT NULL,
            fraction REAL NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL,
            PRIMARY KEY(profile_id, book_id)
        );
        """,
    )
    db.execute(
        "INSERT INTO profiles(id, name, created_at) VALUES (1, 'default', ?)", (time.time(),)
    )


def _v2(db: sqlite3.Connection) -> None:
    """Annotations of each profile, and the change log the sync ships to the server.

    Annotations keep no foreign key to ``books``: removing a book from the library must not
    take its reader's notes with it (they come back with the book, identified by its hash).
    """
    _run_script(
        db,
        """
        CREATE TABLE annotations(
            id TEXT PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            book_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('bookmark', 'highlight', 'note')),
            anchor TEXT NOT NULL,
            quote TEXT NOT NULL DEFAULT '',
            color TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            parent_id TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            deleted_at REAL,
            detached INTEGER NOT NULL DEFAULT 0,
            origin TEXT NOT NULL DEFAULT 'mutolaa'
        );
        CREATE INDEX annotations_book ON annotations(profile_id, book_id);
        CREATE TABLE change_log(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            op_id TEXT NOT NULL UNIQUE,
            object_kind TEXT NOT NULL,
            object_id TEXT NOT NULL,
            action TEXT NOT NULL,
            profile_id INTEGER NOT NULL,
            at REAL NOT NULL,
            data TEXT NOT NULL
        );
        """,
    )


def _v3(db: sqlite3.Connection) -> None:
    """Library servers (OPDS catalogues) of each profile, and the persistent download queue.

    A catalogue's URL is kept without credentials; its user name and password belong to the
    profile and are never logged. A download remembers the catalogue entry it came from
    (``entry_id``) and, once imported, its book.
    """
    _run_script(
        db,
        """
        CREATE TABLE catalogs(
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            url TEXT NOT NULL,
            username TEXT NOT NULL DEFAULT '',
            password TEXT NOT NULL DEFAULT '',
            added_at REAL NOT NULL,
            UNIQUE(profile_id, name)
        );
        CREATE TABLE downloads(
            id TEXT PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            catalog_id INTEGER REFERENCES catalogs(id) ON DELETE SET NULL,
            entry_id TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            media_type TEXT NOT NULL DEFAULT '',
            expected_size INTEGER,
            checksums TEXT NOT NULL DEFAULT '{}',
            priority INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL CHECK (
                state IN ('queued', 'running', 'paused', 'done', 'failed', 'cancelled')
            ),
            received INTEGER NOT NULL DEFAULT 0,
            total INTEGER,
            error TEXT NOT NULL DEFAULT '',
            book_id TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX downloads_state ON downloads(profile_id, state, priority);
        """,
    )


def _v4(db: sqlite3.Connection) -> None:
    """The sync with the library server (docs/sync-protocol.md).

    ``change_log.remote`` marks the entries written when a change pulled from the server was
    applied: they are logged (the doctor checks every annotation against its log) but never
    pushed back. ``sync_accounts`` holds each profile's account on its library server: the
    token (never logged), this device's id, and the two positions — the last change-log entry
    the server acknowledged and the last server version applied. ``sync_versions`` remembers
    the server version each object was last seen at (the ``base_version`` of the next push);
    ``sync_questions`` what a sync would not decide alone (a position behind this one, a mass
    deletion); ``sync_holdings`` what this device has told the server it keeps, and what the
    other devices keep.
    """
    _run_script(
        db,
        """
        ALTER TABLE change_log ADD COLUMN remote INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE sync_accounts(
            profile_id INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
            server_url TEXT NOT NULL,
            username TEXT NOT NULL,
            token TEXT NOT NULL DEFAULT '',
            device_id TEXT NOT NULL,
            pushed_seq INTEGER NOT NULL DEFAULT 0,
            pulled_version INTEGER NOT NULL DEFAULT 0,
            last_sync_at REAL,
            last_error TEXT NOT NULL DEFAULT '',
            added_at REAL NOT NULL
        );
        CREATE TABLE sync_versions(
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            object_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY(profile_id, kind, object_id)
        ) WITHOUT ROWID;
        CREATE TABLE sync_questions(
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            object_id TEXT NOT NULL,
            data TEXT NOT NULL,
            asked_at REAL NOT NULL,
            UNIQUE(profile_id, kind, object_id)
        );
        CREATE TABLE sync_holdings(
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            object_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            data TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY(profile_id, object_id)
        ) WITHOUT ROWID;
        """,
    )


def _v5(db: sqlite3.Connection) -> None:
    """KOReader's progress sync (docs/sync-protocol.md, "KOReader progress sync").

    ``koreader_accounts`` holds each profile's KOReader sync server: the user name and the key
    KOReader's protocol sends (the MD5 of the password; never the password, never logged),
    whether the sync is on, and this device's id there. ``koreader_books`` remembers per book
    its KOReader document id (the partial MD5 of the file), the position last exchanged with
    the server (sent, or applied from it: a local position that differs was changed here
    since) and the last remote progress seen (so a remote position is decided on once).
    """
    _run_script(
        db,
        """
        CREATE TABLE koreader_accounts(
            profile_id INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
            server_url TEXT NOT NULL,
            username TEXT NOT NULL,
            userkey TEXT NOT NULL DEFAULT '',
            device_id TEXT NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            last_sync_at REAL,
            last_error TEXT NOT NULL DEFAULT '',
            added_at REAL NOT NULL
        );
        CREATE TABLE koreader_books(
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            book_id TEXT NOT NULL,
            document TEXT NOT NULL,
            position TEXT,
            fraction REAL,
            seen TEXT NOT NULL DEFAULT '',
            PRIMARY KEY(profile_id, book_id)
        ) WITHOUT ROWID;
        """,
    )


def _v6(db: sqlite3.Connection) -> None:
    """What a sync pulled for a book this device does not hold yet (docs/sync-protocol.md).

    ``sync_waiting`` keeps a person's reading position of such a book under the book's content
    hash (or ``entry:<catalogue entry id>``), the newest pulled; the store applies it when the
    book arrives (imported or downloaded), in the same transaction, and forgets it.
    """
    _run_script(
        db,
        """
        CREATE TABLE sync_waiting(
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            book_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY(profile_id, book_key, kind)
        ) WITHOUT ROWID;
        """,
    )


def _v7(db: sqlite3.Connection) -> None:
    """What a catalogue entry says of its book, kept with its download (``downloads.metadata``:
    JSON title, subtitle, authors, language), to fill what the downloaded file lacks."""
    _run_script(db, "ALTER TABLE downloads ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';")


def _v8(db: sqlite3.Connection) -> None:
    """Secrets out of plain text (docs/storage.md, "Secrets").

    ``secret_keys`` holds each person's data keys and how each is kept (``wrap``: in the
    system's credential store, or encrypted with the file key in ``wrapped``; later a PIN, its
    salt and cost in ``params``); ``secrets`` each secret encrypted with one of them. The
    catalogue passwords, sync tokens and KOReader keys move there and their old columns are
    left empty (``DROP COLUMN`` needs SQLite 3.35, which not every Python links). After this
    migration the file is rewritten (`REWRITTEN_AFTER`), so that no old byte of them remains.
    """
    _run_script(
        db,
        """
        CREATE TABLE secret_keys(
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            wrap TEXT NOT NULL,
            wrapped BLOB NOT NULL DEFAULT x'',
            params TEXT NOT NULL DEFAULT '{}',
            created_at REAL NOT NULL
        );
        CREATE TABLE secrets(
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            key_id INTEGER NOT NULL REFERENCES secret_keys(id),
            value BLOB NOT NULL,
            PRIMARY KEY(profile_id, kind, name)
        ) WITHOUT ROWID;
        """,
    )
    plain = [
        (int(p), secrets.CATALOG_PASSWORD, str(i), str(v))
        for i, p, v in db.execute(
            "SELECT id, profile_id, password FROM catalogs WHERE password != ''"
        )
    ]
    plain += [
        (int(p), secrets.SYNC_TOKEN, "", str(v))
        for p, v in db.execute("SELECT profile_id, token FROM sync_accounts WHERE token != ''")
    ]
    plain += [
        (int(p), secrets.KOREADER_KEY, "", str(v))
        for p, v in db.execute(
            "SELECT profile_id, userkey FROM koreader_accounts WHERE userkey != ''"
        )
    ]
    if plain:
        store = secrets.SecretStore(_folder_of(db))
        for profile_id, kind, name, value in plain:
            store.set(db, profile_id, kind, name, value)
    db.execute("UPDATE catalogs SET password = '' WHERE password != ''")
    db.execute("UPDATE sync_accounts SET token = '' WHERE token != ''")
    db.execute("UPDATE koreader_accounts SET userkey = '' WHERE userkey != ''")


def _v9(db: sqlite3.Connection) -> None:
    """People sharing one PC (docs/profiles.md): what a person needs beyond a name.

    ``pin_hash`` is the PIN's scrypt hash with its salt and cost (NULL: no PIN);
    ``is_admin`` marks the centre's administrator (one at most); ``pin_failures`` and
    ``pin_wait_until`` the wrong PINs in a row and the time before which no PIN of the person
    is checked (kept here, so another process cannot skip the wait); ``settings`` the person's
    own settings (JSON). The first profile, ``default`` until now, is named after the OS user.
    """
    _run_script(
        db,
        """
        ALTER TABLE profiles ADD COLUMN pin_hash TEXT;
        ALTER TABLE profiles ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE profiles ADD COLUMN pin_failures INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE profiles ADD COLUMN pin_wait_until REAL NOT NULL DEFAULT 0;
        ALTER TABLE profiles ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
        CREATE UNIQUE INDEX profiles_one_admin ON profiles(is_admin) WHERE is_admin = 1;
        """,
    )
    names = {int(i): str(n) for i, n in db.execute("SELECT id, name FROM profiles")}
    if names.get(1) != "default":
        return
    others = [name for i, name in names.items() if i != 1]
    base = _os_user_name()
    name, count = base, 1
    while any(same_name(name, other) for other in others):
        count += 1
        name = f"{base} {count}"
    db.execute("UPDATE profiles SET name = ? WHERE id = 1", (name,))


def _os_user_name() -> str:
    """The OS user's name as a person's name; "Reader" when there is none usable."""
    try:
        return person_name(getpass.getuser())
    except (OSError, KeyError, ImportError, UserError):  # no user name, or an unusable one
        return "Reader"


def _shelves(db: sqlite3.Connection) -> None:
    """Shelves, per person and synced, and the books a person hid (docs/shelves.md).

    ``shelves`` holds each person's shelves: the two built-in ones (``kind`` ``reading`` and
    ``finished``, ids ``reading`` and ``finished``, made when first needed) and those they name
    (``named``, a UUID made where it was created); ``deleted_at`` marks a removed shelf's
    tombstone (the sync ships it). ``shelf_books`` says which books are on which shelf (no
    foreign key to ``books``: a shelf pulled from another device may name a book not held
    here). ``hidden_books`` are the shared books a person left out of their own view.
    """
    _run_script(
        db,
        """
        CREATE TABLE shelves(
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            deleted_at REAL,
            PRIMARY KEY(profile_id, id)
        ) WITHOUT ROWID;
        CREATE TABLE shelf_books(
            profile_id INTEGER NOT NULL,
            shelf_id TEXT NOT NULL,
            book_id TEXT NOT NULL,
            added_at REAL NOT NULL,
            PRIMARY KEY(profile_id, shelf_id, book_id),
            FOREIGN KEY(profile_id, shelf_id) REFERENCES shelves(profile_id, id) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE INDEX shelf_books_book ON shelf_books(profile_id, book_id);
        CREATE TABLE hidden_books(
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            book_id TEXT NOT NULL,
            hidden_at REAL NOT NULL,
            PRIMARY KEY(profile_id, book_id)
        ) WITHOUT ROWID;
        """,
    )


def _folder_of(db: sqlite3.Connection) -> Path:
    """The folder of the database's file (where its ``secret.key`` goes)."""
    for _seq, name, file in db.execute("PRAGMA database_list"):
        if name == "main" and file:
            return Path(file).parent
    return Path.cwd()  # an in-memory database (tests): nothing is kept beyond the process


#: MIGRATIONS[n] brings a database from version n to n + 1.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1,
    _v2,
    _v3,
    _v4,
    _v5,
    _v6,
    _v7,
    _v8,
    _v9,
    _shelves,
]
SCHEMA_VERSION = len(MIGRATIONS)
#: Versions whose migration took secrets out of the file: when one of them ran on an existing
#: database, the file is rewritten after the commit (VACUUM), so that no old page or freed
#: space keeps them.
REWRITTEN_AFTER = frozenset({8})
