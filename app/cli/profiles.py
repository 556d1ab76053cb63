"""`mutolaa profiles …`: the people sharing a library, their disk use, the administrator's locks.

The actions: list, add, rename, remove, pin, reset-pin, usage, lock, quota.

These commands act on the library's people, not for one of them: they need no ``--profile``.
PINs are read from a prompt on a terminal, else one line of standard input each, in the order
asked (the administrator's first, then a new one).
"""

from __future__ import annotations

import sys
from typing import Any

from app.cli.base import (
    EXIT_OK,
    Cli,
    Commands,
    add_library_command,
    counted,
    read_new_pin,
    read_password,
)
from app.core.errors import UserError
from app.library.locks import LibraryLocks
from app.library.profiles import Profile, ProfileStore
from app.services.disk_use import DiskUse, PersonUse, disk_use
from app.services.library_locks import allow_downloads, set_download_quota
from app.services.profiles import (
    Prompts,
    Removal,
    add_person,
    change_pin,
    prepare_removal,
    remove_person,
    rename_person,
    reset_pin,
)
from app.services.session import Library

PROMPTS = Prompts(pin=read_password, new_pin=read_new_pin)


def add_profile_commands(commands: Commands) -> None:
    """`profiles list|add|rename|remove|pin|reset-pin|usage|lock|quota`."""
    group = commands.add_parser(
        "profiles",
        help="the people sharing this library: list, add, rename, remove, pin, reset-pin, usage, "
        "lock, quota",
        description="The people sharing this library. Each has their own notes, positions, "
        "accounts and downloads; the books are everyone's.",
    )
    actions = group.add_subparsers(dest="profiles_command", metavar="ACTION", required=True)
    add_library_command(actions, "list", "everyone, with the administrator and PIN marks", _list)
    sub = add_library_command(actions, "add", "add a person", _add)
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("--pin", action="store_true", help="protect them with a PIN (asked)")
    sub.add_argument(
        "--admin",
        action="store_true",
        help="make them the administrator (when there is none; a PIN is asked)",
    )
    sub = add_library_command(actions, "rename", "give a person another name", _rename)
    sub.add_argument("old", metavar="OLD")
    sub.add_argument("new", metavar="NEW")
    sub = add_library_command(
        actions,
        "remove",
        "remove a person with their notes, positions, accounts and downloads (never a book)",
        _remove,
    )
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    sub = add_library_command(
        actions, "pin", "set or change your PIN (the current one is asked first)", _pin
    )
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("--clear", action="store_true", help="remove the PIN instead")
    sub = add_library_command(
        actions,
        "reset-pin",
        "the administrator removes a forgotten PIN; the person's stored passwords and tokens "
        "are erased (they sign in again), their notes stay",
        _reset_pin,
    )
    sub.add_argument("name", metavar="NAME")
    add_library_command(
        actions,
        "usage",
        "the disk each person uses (notes and positions, partial downloads, the books they "
        "downloaded) and the library's total; the administrator's, while there is one",
        _usage,
    )
    sub = add_library_command(
        actions, "lock", "the administrator allows or forbids downloads for everyone", _lock
    )
    sub.add_argument("setting", choices=["downloads"], metavar="downloads")
    sub.add_argument("state", choices=["on", "off"], metavar="on|off")
    sub = add_library_command(
        actions,
        "quota",
        "the administrator sets the disk each person's downloads may take, in MB (0: no quota)",
        _quota,
    )
    sub.add_argument("megabytes", type=int, metavar="MB")


def _record(profile: Profile) -> dict[str, Any]:
    return {
        "id": profile.id,
        "name": profile.name,
        "admin": profile.is_admin,
        "pin": profile.has_pin,
    }


def _list(cli: Cli, library: Library) -> int:
    people = ProfileStore(library.store).list()
    if cli.json:
        cli.emit([_record(p) for p in people])
        return EXIT_OK
    width = max(len(p.name) for p in people)
    for person in people:
        marks = [m for m, on in (("administrator", person.is_admin), ("PIN", person.has_pin)) if on]
        cli.say(f"{person.name:<{width}}  {', '.join(marks)}".rstrip())
    return EXIT_OK


def _add(cli: Cli, library: Library) -> int:
    args = cli.args
    person = add_person(
        ProfileStore(library.store), args.name, PROMPTS, with_pin=args.pin, admin=args.admin
    )
    _done(cli, person, f"added {person.name}" + (" (administrator)" if person.is_admin else ""))
    return EXIT_OK


def _rename(cli: Cli, library: Library) -> int:
    person = rename_person(ProfileStore(library.store), cli.args.old, cli.args.new, read_password)
    _done(cli, person, f"renamed {cli.args.old} to {person.name}")
    return EXIT_OK


def _remove(cli: Cli, library: Library) -> int:
    profiles = ProfileStore(library.store)
    removal = prepare_removal(profiles, cli.args.name, read_password)
    name = removal.profile.name
    if not cli.args.yes:
        cli.say(
            f"Removing {name} deletes their {_what_goes(removal)}; the books stay in the "
            "library for everyone."
        )
        if not sys.stdin.isatty():
            raise UserError(f"{name} was not removed: confirm on a terminal, or add --yes")
        if input(f"Remove {name}? [y/N] ").strip().lower() not in ("y", "yes"):
            raise UserError(f"{name} was not removed")
    remove_person(profiles, removal)
    if cli.json:
        cli.emit({"removed": _record(removal.profile), "deleted": removal.held})
    cli.say(f"removed {name} and their {_what_goes(removal)}; the books stay")
    return EXIT_OK


def _what_goes(removal: Removal) -> str:
    """What removing a person deletes: ``1 note, …, and 0 downloads waiting in the queue``."""
    held = removal.held
    gone = [
        counted(
            held["annotations"], "note, highlight or bookmark", "notes, highlights and bookmarks"
        ),
        counted(held["positions"], "reading position"),
        counted(held["catalogs"], "library server"),
        counted(held["sync_accounts"] + held["koreader_accounts"], "sync account"),
        counted(
            held["secrets"], "stored password, token or key", "stored passwords, tokens and keys"
        ),
        counted(
            held["downloads"], "download waiting in the queue", "downloads waiting in the queue"
        ),
    ]
    return f"{', '.join(gone[:-1])} and {gone[-1]}"


def _pin(cli: Cli, library: Library) -> int:
    person = change_pin(ProfileStore(library.store), cli.args.name, PROMPTS, clear=cli.args.clear)
    _done(cli, person, f"{person.name} has {'a new PIN' if person.has_pin else 'no PIN now'}")
    return EXIT_OK


def _reset_pin(cli: Cli, library: Library) -> int:
    person = reset_pin(ProfileStore(library.store), cli.args.name, read_password)
    _done(
        cli,
        person,
        f"{person.name} has no PIN now; their stored passwords and tokens were erased (they "
        "sign in again), their notes and positions stay",
    )
    return EXIT_OK


def _done(cli: Cli, person: Profile, line: str) -> None:
    if cli.json:
        cli.emit(_record(person))
    cli.say(line)


def _usage(cli: Cli, library: Library) -> int:
    use = disk_use(library, read_password)
    if cli.json:
        cli.emit(_use_record(use, library))
        return EXIT_OK
    width = max(len(p.profile.name) for p in use.people)
    for person in use.people:
        rows = person.rows
        parts = [
            f"{counted(rows.notes, 'note')} ({_bytes(rows.notes_bytes)})",
            f"{counted(rows.positions, 'position')} ({_bytes(rows.positions_bytes)})",
            f"{counted(person.waiting, 'download')} waiting ({_bytes(person.partial_bytes)})",
            f"{counted(rows.brought, 'book')} downloaded ({_bytes(rows.brought_bytes)})",
        ]
        name = person.profile.name
        cli.say(f"{name:<{width}}  {_bytes(person.total_bytes):>9}  {', '.join(parts)}")
    cli.say(
        f"the library: {counted(use.books, 'book')} ({_bytes(use.book_bytes)}), its folder "
        f"{_bytes(use.folder_bytes)} in all"
    )
    locks = LibraryLocks(library.store)
    quota = locks.download_quota_mb()
    cli.say(
        f"downloads: {'allowed' if locks.downloads_allowed() else 'off'}, "
        + (f"{quota} MB for each person" if quota else "no quota")
    )
    return EXIT_OK


def _lock(cli: Cli, library: Library) -> int:
    allowed = cli.args.state == "on"
    allow_downloads(library, allowed, read_password)
    if cli.json:
        cli.emit({"downloads": allowed})
    cli.say(f"downloads are {'allowed' if allowed else 'off'} for everyone")
    return EXIT_OK


def _quota(cli: Cli, library: Library) -> int:
    megabytes = cli.args.megabytes
    set_download_quota(library, megabytes, read_password)
    if cli.json:
        cli.emit({"download_quota_mb": megabytes or None})
    cli.say(
        f"each person's downloads may take {megabytes} MB"
        if megabytes
        else "downloads have no quota"
    )
    return EXIT_OK


def _use_record(use: DiskUse, library: Library) -> dict[str, Any]:
    def person(p: PersonUse) -> dict[str, Any]:
        rows = p.rows
        return {
            "name": p.profile.name,
            "notes": rows.notes,
            "notes_bytes": rows.notes_bytes,
            "positions": rows.positions,
            "positions_bytes": rows.positions_bytes,
            "downloads_waiting": p.waiting,
            "partial_bytes": p.partial_bytes,
            "books_downloaded": rows.brought,
            "books_downloaded_bytes": rows.brought_bytes,
            "total_bytes": p.total_bytes,
        }

    locks = LibraryLocks(library.store)
    return {
        "downloads": locks.downloads_allowed(),
        "download_quota_mb": locks.download_quota_mb(),
        "people": [person(p) for p in use.people],
        "library": {
            "books": use.books,
            "book_bytes": use.book_bytes,
            "folder_bytes": use.folder_bytes,
        },
    }


def _bytes(size: int) -> str:
    """``512 B``, ``1.5 KB``, ``12.3 MB``, ``2.1 GB`` (1 KB = 1024 bytes)."""
    value, unit = float(size), "B"
    for bigger in ("KB", "MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
