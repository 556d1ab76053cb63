"""`mutolaa catalog …`: the library servers (OPDS catalogues) of the profile."""

from __future__ import annotations

import argparse
from typing import Any
from urllib.parse import urljoin

from app.cli.base import EXIT_OK, CommandBase, read_password
from app.core.errors import UserError
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


class CatalogCommands(CommandBase):
    """The `catalog` command and its actions."""

    def cmd_catalog(self, session: Session) -> int:
        action = getattr(self.args, "catalog_command", None)
        handler = getattr(self, f"_catalog_{action}")
        catalogs = CatalogStore(session.library.store, session.profile_id)
        try:
            status: int = handler(session, catalogs)
        except AuthenticationRequired as exc:
            raise UserError(_auth_message(self._catalog_label(), exc)) from None
        except CatalogUnavailable as exc:
            raise UserError(str(exc)) from None
        except SyncError as exc:
            raise UserError(f"{self._catalog_label()}: {exc}") from None
        return status

    def _catalog_label(self) -> str:
        name = getattr(self.args, "name", None)
        return str(name) if name else redact_url(str(getattr(self.args, "url", "")))

    def _catalog_add(self, session: Session, catalogs: CatalogStore) -> int:
        url, username, password = split_credentials(self.args.url)
        if self.args.name and catalogs.find(self.args.name) is not None:
            raise UserError(f"a catalogue named {self.args.name!r} already exists")
        if self.args.user:
            username = self.args.user
            password = read_password(f"Password for {username} at {url}: ")
        check = check_server(session, url, username, password)
        if not check.savable:
            raise UserError(_check_message(self._catalog_label(), check))
        name = self.args.name or default_name(check.title, url)
        catalog = save_server(catalogs, name=name, url=url, username=username, password=password)
        note = "" if check.ok else check.detail
        if self.json:
            self.emit(_catalog_dict(catalog) | {"reachable": not note, "note": note})
            return EXIT_OK
        self.say(f"added      {catalog.name}  {catalog.url}")
        if note:
            self.say(f"the server did not answer now; saved anyway ({note})")
        return EXIT_OK

    def _catalog_list(self, session: Session, catalogs: CatalogStore) -> int:
        saved = catalogs.list()
        if self.json:
            self.emit([_catalog_dict(c) for c in saved])
            return EXIT_OK
        if not saved:
            self.say("No catalogues yet. Add one with `mutolaa catalog add URL`.")
        for catalog in saved:
            user = f"  (user {catalog.username})" if catalog.username else ""
            self.say(f"{catalog.name}  {catalog.url}{user}")
        return EXIT_OK

    def _catalog_remove(self, session: Session, catalogs: CatalogStore) -> int:
        removed = catalogs.remove(self.args.name)
        if self.json:
            self.emit({"removed": _catalog_dict(removed)})
        self.say(f"removed    {removed.name}  {removed.url}")
        return EXIT_OK

    def _catalog_browse(self, session: Session, catalogs: CatalogStore) -> int:
        catalog = catalogs.get(self.args.name)
        url = urljoin(catalog.url, self.args.where) if self.args.where else catalog.url
        with catalog_client(session) as client:
            result = client.feed(url)
        self._show_feed(result)
        return EXIT_OK

    def _catalog_search(self, session: Session, catalogs: CatalogStore) -> int:
        catalog = catalogs.get(self.args.name)
        with catalog_client(session) as client:
            result = _search(client, catalog, self.args.query)
        self._show_feed(result)
        return EXIT_OK

    def _show_feed(self, result: FeedResult) -> None:
        feed = result.feed
        if self.json:
            self.emit(_feed_dict(result))
            return
        for note in result.notes:
            print(f"mutolaa: {note}", file=self.err)
        stale = "  [offline copy]" if result.stale else ""
        self.say(f"{feed.title or '(untitled)'}  {feed.url}{stale}")
        for item in feed.navigation:
            self.say(f"  > {item.title}  {item.href}")
        for group in feed.groups:
            self.say(f"== {group.title}" + (f"  {group.href}" if group.href else ""))
            for item in group.navigation:
                self.say(f"  > {item.title}  {item.href}")
            for entry in group.entries:
                self._show_entry(entry)
        for entry in feed.entries:
            self._show_entry(entry)
        if not feed.navigation and not feed.entries and not feed.groups:
            self.say("  (nothing here)")
        if feed.next_url:
            self.say(f"next page: {feed.next_url}")
        for note in feed.notes:
            print(f"mutolaa: {note}", file=self.err)

    def _show_entry(self, entry: Entry) -> None:
        authors = ", ".join(entry.authors) or "unknown author"
        self.say(f"  * {entry.title} — {authors}")
        if entry.id:
            self.say(f"      id {entry.id}  (mutolaa download ID)")
        for acquisition in entry.acquisitions:
            self.say(f"      {acquisition.rel} {acquisition.type or '?'}  {acquisition.href}")

    # --- downloads -------------------------------------------------------------------------


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


def add_catalog_commands(commands: Any) -> None:
    """`mutolaa catalog add|list|remove|browse|search`: the library servers (OPDS)."""
    catalog = commands.add_parser(
        "catalog",
        help="library servers (OPDS catalogues): add, list, browse, search",
        description="Library servers (OPDS catalogues): add, list, remove, browse, search.",
    )
    actions = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = actions.add_parser(
            name, help=help_text, description=help_text
        )
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        return sub

    sub = action("add", "save a catalogue (credentials in the URL are moved out of it)")
    sub.add_argument("url", metavar="URL")
    sub.add_argument("--name", metavar="NAME", help="its name (default: the feed's title)")
    sub.add_argument(
        "--user", metavar="USER", help="user name; the password is read from a prompt or stdin"
    )
    action("list", "list the saved catalogues")
    sub = action("remove", "forget a saved catalogue and its credentials")
    sub.add_argument("name", metavar="NAME")
    sub = action("browse", "show a feed of a catalogue (from the offline copy when offline)")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument(
        "where", nargs="?", metavar="PATH-OR-URL", help="a feed, relative to the catalogue's URL"
    )
    sub = action("search", "search a catalogue (its cached feeds when offline)")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("query", metavar="QUERY")
