"""`mutolaa catalog …`: the library servers (OPDS catalogues) of the profile."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeAlias
from urllib.parse import urljoin

from app.cli.base import EXIT_OK, Cli, Commands, Handler, add_command, read_password
from app.core.errors import UserError, reason
from app.library.catalogs import Catalog, CatalogStore, split_credentials
from app.services.catalogs.client import catalog_client
from app.services.catalogs.servers import (
    Outcome,
    ServerCheck,
    check_server,
    default_name,
    save_server,
)
from app.services.session import Session
from sync.auth import AuthenticationRequired
from sync.catalog import CatalogClient, CatalogUnavailable, FeedResult
from sync.errors import SyncError
from sync.http import redact_url
from sync.opds.model import Entry


def add_catalog_commands(commands: Commands) -> None:
    """`catalog add|list|remove|browse|search`: the library servers (OPDS)."""
    catalog = commands.add_parser(
        "catalog",
        help="library servers (OPDS catalogues): add, list, browse, search",
        description="Library servers (OPDS catalogues): add, list, remove, browse, search.",
    )
    actions = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    sub = add_command(
        actions,
        "add",
        "save a catalogue (credentials in the URL are moved out of it)",
        _action(catalog_add),
    )
    sub.add_argument("url", metavar="URL")
    sub.add_argument("--name", metavar="NAME", help="its name (default: the feed's title)")
    sub.add_argument(
        "--user", metavar="USER", help="user name; the password is read from a prompt or stdin"
    )
    add_command(actions, "list", "list the saved catalogues", _action(catalog_list))
    sub = add_command(
        actions,
        "remove",
        "forget a saved catalogue and its credentials",
        _action(catalog_remove),
    )
    sub.add_argument("name", metavar="NAME")
    sub = add_command(
        actions,
        "browse",
        "show a feed of a catalogue (from the offline copy when offline)",
        _action(catalog_browse),
    )
    sub.add_argument("name", metavar="NAME")
    sub.add_argument(
        "where", nargs="?", metavar="PATH-OR-URL", help="a feed, relative to the catalogue's URL"
    )
    sub = add_command(
        actions,
        "search",
        "search a catalogue (its cached feeds when offline)",
        _action(catalog_search),
    )
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("query", metavar="QUERY")


#: A `catalog` action: it runs with the profile's saved catalogues.
CatalogAction: TypeAlias = Callable[[Cli, Session, CatalogStore], int]


def _action(action: CatalogAction) -> Handler:
    """The handler of a `catalog` action: a server's refusal or silence said as one line."""

    def handler(cli: Cli, session: Session) -> int:
        catalogs = CatalogStore(session.library.store, session.profile_id)
        try:
            return action(cli, session, catalogs)
        except AuthenticationRequired as exc:
            raise UserError(_auth_message(_label(cli), exc)) from None
        except CatalogUnavailable as exc:
            raise UserError(reason(exc)) from None
        except SyncError as exc:
            raise UserError(f"{_label(cli)}: {reason(exc)}") from None

    return handler


def _label(cli: Cli) -> str:
    """The catalogue an action is about: its name, or its URL without credentials."""
    name = getattr(cli.args, "name", None)
    return str(name) if name else redact_url(str(getattr(cli.args, "url", "")))


def catalog_add(cli: Cli, session: Session, catalogs: CatalogStore) -> int:
    """`mutolaa catalog add URL [--name NAME] [--user USER]`: checked, then saved."""
    args = cli.args
    url, username, password = split_credentials(args.url)
    if args.name and catalogs.find(args.name) is not None:
        raise UserError(f"a catalogue named {args.name!r} already exists")
    if args.user:
        username = args.user
        password = read_password(f"Password for {username} at {url}: ")
    check = check_server(session, url, username, password)
    if not check.savable:
        raise UserError(_check_message(_label(cli), check))
    name = args.name or default_name(check.title, url)
    catalog = save_server(catalogs, name=name, url=url, username=username, password=password)
    note = "" if check.ok else check.detail
    if cli.json:
        cli.emit(_catalog_dict(catalog) | {"reachable": not note, "note": note})
        return EXIT_OK
    cli.say(f"added      {catalog.name}  {catalog.url}")
    if note:
        cli.say(f"the server did not answer now; saved anyway ({note})")
    return EXIT_OK


def catalog_list(cli: Cli, session: Session, catalogs: CatalogStore) -> int:
    """`mutolaa catalog list`: the saved catalogues."""
    saved = catalogs.list()
    if cli.json:
        cli.emit([_catalog_dict(c) for c in saved])
        return EXIT_OK
    if not saved:
        cli.say("No catalogues yet. Add one with `mutolaa catalog add URL`.")
    for catalog in saved:
        user = f"  (user {catalog.username})" if catalog.username else ""
        cli.say(f"{catalog.name}  {catalog.url}{user}")
    return EXIT_OK


def catalog_remove(cli: Cli, session: Session, catalogs: CatalogStore) -> int:
    """`mutolaa catalog remove NAME`: the catalogue and its credentials forgotten."""
    removed = catalogs.remove(cli.args.name)
    if cli.json:
        cli.emit({"removed": _catalog_dict(removed)})
    cli.say(f"removed    {removed.name}  {removed.url}")
    return EXIT_OK


def catalog_browse(cli: Cli, session: Session, catalogs: CatalogStore) -> int:
    """`mutolaa catalog browse NAME [PATH-OR-URL]`: one feed (the offline copy when offline)."""
    catalog = catalogs.get(cli.args.name)
    url = urljoin(catalog.url, cli.args.where) if cli.args.where else catalog.url
    with catalog_client(session) as client:
        result = client.feed(url)
    _show_feed(cli, result)
    return EXIT_OK


def catalog_search(cli: Cli, session: Session, catalogs: CatalogStore) -> int:
    """`mutolaa catalog search NAME QUERY`: the catalogue's search (its cached feeds offline)."""
    catalog = catalogs.get(cli.args.name)
    with catalog_client(session) as client:
        result = _search(client, catalog, cli.args.query)
    _show_feed(cli, result, empty="  nothing found")
    return EXIT_OK


def _show_feed(cli: Cli, result: FeedResult, *, empty: str = "  (nothing here)") -> None:
    feed = result.feed
    if cli.json:
        cli.emit(_feed_dict(result))
        return
    for note in result.notes:
        cli.warn(note)
    stale = "  [offline copy]" if result.stale else ""
    cli.say(f"{feed.title or '(untitled)'}  {feed.url}{stale}")
    for item in feed.navigation:
        cli.say(f"  > {item.title}  {item.href}")
    for group in feed.groups:
        cli.say(f"== {group.title}" + (f"  {group.href}" if group.href else ""))
        for item in group.navigation:
            cli.say(f"  > {item.title}  {item.href}")
        _show_entries(cli, group.entries)
    _show_entries(cli, feed.entries)
    if not feed.navigation and not feed.entries and not feed.groups:
        cli.say(empty)
    if feed.next_url:
        cli.say(f"next page: {feed.next_url}")
    for note in feed.notes:
        cli.warn(note)


def _show_entries(cli: Cli, entries: Iterable[Entry]) -> None:
    for entry in entries:
        authors = ", ".join(entry.authors) or "unknown author"
        cli.say(f"  * {entry.title} — {authors}")
        if entry.id:
            cli.say(f"      id {entry.id}  (mutolaa download ID)")
        for acquisition in entry.acquisitions:
            cli.say(f"      {acquisition.rel} {acquisition.type or '?'}  {acquisition.href}")


def _auth_message(name: str, exc: AuthenticationRequired) -> str:
    """One line for a server that wants credentials (the password never appears)."""
    if exc.refused:
        return f"{name}: the server refused the user name and password (catalog add … --user USER)"
    if exc.scheme and exc.scheme not in ("basic", "digest"):
        return f"{name}: the server asks for a sign-in this program cannot do ({exc.scheme})"
    return f"{name}: the server asks for a user name and password (catalog add … --user USER)"


def _check_message(name: str, check: ServerCheck) -> str:
    """One line for a server that cannot be saved (the password never appears)."""
    hint = " (catalog add … --user USER)"
    if check.outcome is Outcome.REFUSED:
        return f"{name}: the server refused the user name and password{hint}"
    if check.outcome is Outcome.SIGN_IN:
        return f"{name}: the server asks for a user name and password{hint}"
    return check.message


def _search(client: CatalogClient, catalog: Catalog, terms: str) -> FeedResult:
    if not terms.strip():
        raise UserError("catalog search: no words to search for")
    return client.search(catalog.url, terms)


def _catalog_dict(catalog: Catalog) -> dict[str, Any]:
    """A catalogue as JSON-ready data, without its password."""
    return {
        "name": catalog.name,
        "url": catalog.url,
        "username": catalog.username,
        "added_at": catalog.added_at,
    }


def _entry_dict(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title,
        "authors": list(entry.authors),
        "language": entry.language,
        "summary": entry.summary,
        "cover": entry.cover,
        "thumbnail": entry.thumbnail,
        "acquisitions": [
            {"rel": a.rel, "href": a.href, "type": a.type, "length": a.length}
            for a in entry.acquisitions
        ],
    }


def _feed_dict(result: FeedResult) -> dict[str, Any]:
    """A feed as JSON-ready data, with where it came from."""
    feed = result.feed
    return {
        "url": feed.url,
        "title": feed.title,
        "kind": feed.kind,
        "stale": result.stale,
        "from_cache": result.from_cache,
        "fetched_at": result.fetched_at,
        "notes": [*result.notes, *feed.notes],
        "navigation": [
            {"title": n.title, "href": n.href, "type": n.type, "rel": n.rel}
            for n in feed.navigation
        ],
        "groups": [
            {
                "title": g.title,
                "href": g.href,
                "navigation": [{"title": n.title, "href": n.href} for n in g.navigation],
                "entries": [_entry_dict(e) for e in g.entries],
            }
            for g in feed.groups
        ],
        "entries": [_entry_dict(e) for e in feed.entries],
        "next": feed.next_url,
    }
