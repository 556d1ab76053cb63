"""The catalogue browser: a profile's library servers (OPDS), their feeds, search and entries.

Feeds show as lists with covers, with breadcrumbs and Back; the catalogue's search; entry
details with Download and Read.

Feeds and searches run on the browser's own task runner, covers on another (so a page of
covers never holds up the next feed), each with its own `CatalogClient` (fetcher.py);
store work (the saved catalogues, which entries the library holds, queuing a download) runs on
the store runner the window hands in. Every request carries a generation number: a result that
arrives after the person has gone elsewhere (another feed, Back, another catalogue) is dropped.
When the server cannot be reached the client answers from the offline cache, and a banner says
which copy it is; a feed that was never opened gives one line in the browser, never a dialog.

The widgets and their fixed texts are made in browser_widgets.py; the feeds walked (the
trail), its breadcrumbs and the offline banner are in trail.py.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QToolButton, QWidget

from app.core.errors import MutolaaError
from app.library.catalogs import Catalog, CatalogStore
from app.library.downloads import DownloadQueue
from app.services.catalogs.entry_downloads import queue_entry
from app.services.catalogs.holdings import Holdings, holdings
from app.services.session import Session
from app.ui.catalogs.browser_widgets import CatalogBrowserWidgets
from app.ui.catalogs.entry_view import COVER
from app.ui.catalogs.fetcher import CatalogFetcher, problem_text
from app.ui.catalogs.model import CatalogModel, CoverCache
from app.ui.catalogs.trail import Mode, Request, Stop, stop_title
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from sync.catalog import FeedResult
from sync.opds.model import Entry, Feed

log = logging.getLogger(__name__)

DETAIL_COVERS = 20  # large covers kept for the details pane


class CatalogBrowser(CatalogBrowserWidgets):
    """Browse the profile's saved catalogues, online or from the pages saved for offline use.

    Args:
        library: the library (its store, its cache folder for the feeds).
        store_runner: the window's runner for store work (reads and writes, in order).
        parent: the parent widget.

    Call `shutdown()` before the library closes: it waits for the network work and closes
    the HTTP sessions.
    """

    read_requested = Signal(str)  # id of a book of the library to open
    download_queued = Signal(str)  # id of the download just queued
    feed_shown = Signal(object)  # FeedResult of the feed (or the page of it) just shown
    problem_shown = Signal(str)  # the one line shown for a failed request

    def __init__(
        self, session: Session, store_runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.library = session.library
        self._store = store_runner
        self.fetcher = CatalogFetcher(session, self)
        self._catalogs: list[Catalog] = []
        self._catalogs_loaded = False
        self.catalog: Catalog | None = None
        self.trail: list[Stop] = []
        self._generation = 0
        self._open_when_shown = False
        self._loading_more = False
        self._trail_catalog: int | None = None  # the catalogue whose pages the trail holds

        fetch_cover, cover_runner = self.fetcher.cover_fetch(), self.fetcher.cover_runner
        self.thumbs = CoverCache(fetch_cover, cover_runner, parent=self)
        self.covers = CoverCache(
            fetch_cover, cover_runner, size=COVER, limit=DETAIL_COVERS, parent=self
        )
        self.model = CatalogModel(self.thumbs, self)
        self._build(self.model)
        self._connect()
        self.retranslate()
        self._update_controls()

    # --- the widgets' connections and texts ------------------------------------------------

    def _connect(self) -> None:
        self.catalog_box.activated.connect(self._on_catalog_box_activated)
        self.back_action.triggered.connect(self.go_back)
        self.reload_action.triggered.connect(self.reload)
        self.offline_action.toggled.connect(self._on_offline_action_toggled)
        self.search_box.returnPressed.connect(self._on_search_box_return_pressed)
        self.facets_menu.triggered.connect(self._on_facets_menu_triggered)
        self.crumbs.crumb_clicked.connect(self.go_to)
        self.list.activated.connect(self._on_list_activated)
        self.list.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.thumbs.pixel_ratio = self.covers.pixel_ratio = self.devicePixelRatioF()
        self.thumbs.covers_loaded.connect(self.list.viewport().update)
        self.covers.covers_loaded.connect(self._show_detail_cover)
        self._backspace.activated.connect(self.go_back)
        self.more_button.clicked.connect(self.load_more)
        self.details.download_clicked.connect(self._on_details_download_clicked)
        self.details.read_clicked.connect(self.read_requested)

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        super().retranslate()
        self._set_more_text()
        self.model.retranslate()
        if self.trail:
            self.crumbs.rebuild(self.trail)
            self.banner.show_stop(self.trail[-1])
        elif self._catalogs_loaded and not self._catalogs:
            self._say_no_catalogues()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._open_when_shown and self.catalog is not None:
            self._open_when_shown = False
            self.open_catalog(self.catalog)

    # --- catalogues ------------------------------------------------------------------------

    def reload_catalogs(self) -> None:
        """Read the profile's saved catalogues again (after they were changed in the settings).

        The HTTP sessions are closed too, so changed credentials are used from now on.
        """
        store, profile = self.library.store, self.session.profile_id
        self.fetcher.close_sessions()
        self._store.submit(
            lambda: CatalogStore(store, profile).list(),
            self._on_catalogs_loaded,
            self._on_store_failed,
        )

    def _on_catalogs_loaded(self, catalogs: list[Catalog]) -> None:
        self._catalogs = catalogs
        self._catalogs_loaded = True
        current = self.catalog
        self.catalog_box.clear()
        for catalog in catalogs:
            self.catalog_box.addItem(catalog.name, catalog.id)
        self.catalog_box.setEnabled(bool(catalogs))
        if not catalogs:
            self._leave()
            self._say_no_catalogues()
            return
        kept = next((c for c in catalogs if current is not None and c.id == current.id), None)
        if kept is not None:
            self.catalog = kept  # its name, address or credentials may have changed
            self.catalog_box.setCurrentIndex(self.catalog_box.findData(kept.id))
            if not self.trail or (current is not None and kept.url != current.url):
                self._open_soon(kept)  # a new address, or new credentials to try
            return
        self._leave()
        self.catalog_box.setCurrentIndex(0)
        self._open_soon(catalogs[0])

    def _open_soon(self, catalog: Catalog) -> None:
        """Open `catalog` now if the browser is seen, else when it is first shown."""
        self.catalog = catalog
        if self.isVisible():
            self.open_catalog(catalog)
        else:
            self._open_when_shown = True  # no network work for a page nobody looks at

    def _on_catalog_box_activated(self, index: int) -> None:
        if 0 <= index < len(self._catalogs):
            self.open_catalog(self._catalogs[index])

    def _say_no_catalogues(self) -> None:
        self._show_notice(
            ui_text("No library servers yet: add one in Settings → Library servers."), problem=False
        )

    def _leave(self) -> None:
        """Show nothing: no catalogue, no trail; answers still on their way are dropped."""
        self._generation += 1
        self.catalog = None
        self.trail = []
        self.model.clear()
        self.details.show_entry(None)
        self._loading_more = False
        self.crumbs.rebuild(self.trail)
        self.banner.hide()
        self.notice.hide()
        self._update_controls()

    # --- walking ---------------------------------------------------------------------------

    def open_catalog(self, catalog: Catalog) -> None:
        """Open the root feed of `catalog` (a new trail)."""
        self._open_when_shown = False
        if self.trail and (self._trail_catalog != catalog.id):
            self._leave()  # another catalogue's pages must not stay under this one's name
        self.catalog = catalog
        index = self.catalog_box.findData(catalog.id)
        if index >= 0:
            self.catalog_box.setCurrentIndex(index)
        self._request("root", catalog.name, catalog.url)

    def open_url(self, url: str, title: str = "") -> None:
        """Open the feed at `url` after the one shown (it joins the trail)."""
        if self.catalog is not None:
            self._request("push", title, url)

    def go_back(self) -> None:
        """Show the previous feed of the trail again (from memory: no request)."""
        if len(self.trail) > 1:
            self.go_to(len(self.trail) - 2)

    def go_to(self, position: int) -> None:
        """Show the feed at `position` of the trail again; the feeds after it are left."""
        if not 0 <= position < len(self.trail):
            return
        self._generation += 1  # whatever was on its way is for a page left
        self._loading_more = False
        del self.trail[position + 1 :]
        self.notice.hide()
        self._show_stop(self.trail[-1])

    def search(self, terms: str) -> None:
        """Search the catalogue for `terms`; the result joins the trail like a feed."""
        terms = " ".join(terms.split())
        if not terms or self.catalog is None:
            return
        base: Feed | str = self.catalog.url
        for stop in reversed(self.trail):
            if stop.feed.search_link is not None:
                base = stop.feed
                break
        else:
            if self.trail:
                base = self.trail[0].feed  # no search link: the cached pages are searched
        self._request("push", "", base.url if isinstance(base, Feed) else base, terms, base)

    def reload(self) -> None:
        """Ask the server for the page shown again (its first page)."""
        if not self.trail or self.catalog is None:
            if self.catalog is not None:
                self.open_catalog(self.catalog)
            return
        stop = self.trail[-1]
        self.thumbs.forget_missing()
        self.covers.forget_missing()
        if stop.terms:
            base: Feed | str = self.trail[0].feed if len(self.trail) > 1 else self.catalog.url
            for earlier in reversed(self.trail[:-1]):
                if earlier.feed.search_link is not None:
                    base = earlier.feed
                    break
            self._request("replace", "", stop.url, stop.terms, base)
        else:
            self._request("replace", stop.title, stop.url)

    def load_more(self) -> None:
        """Add the next page of the feed shown to the list."""
        if not self.trail or not self.trail[-1].next_url or self._loading_more:
            return
        stop = self.trail[-1]
        self._loading_more = True
        self._request("more", stop.title, stop.next_url)
        self._set_more_text()

    def _request(
        self, mode: Mode, title: str, url: str, terms: str = "", base: Feed | str | None = None
    ) -> None:
        """Fetch a feed (or search) on the feeds' runner; the answer is used if still wanted."""
        self._generation += 1
        if mode != "more":
            self._loading_more = False
        request = Request(self._generation, mode, title, url, terms, self.catalog)
        offline = self.offline_action.isChecked()
        if terms:
            shown = ui_text("Searching for “{terms}”…").format(terms=terms)
        else:
            shown = (
                ui_text("Loading the next page…")
                if mode == "more"
                else ui_text("Opening “{title}”…").format(title=title or url)
            )
        self._show_notice(shown, problem=False)
        self.fetcher.fetch(
            url,
            terms,
            base,
            offline=offline,
            done=lambda result: self._on_feed_loaded(request, result),
            failed=lambda error: self._on_feed_failed(request, error),
        )

    def _wanted(self, request: Request) -> bool:
        """True when the answer to `request` is for the page the person is still waiting for."""
        if request.generation != self._generation:
            return False
        asked = request.catalog.id if request.catalog is not None else None
        return asked == (self.catalog.id if self.catalog is not None else None)

    def _on_feed_loaded(self, request: Request, result: FeedResult) -> None:
        if not self._wanted(request):
            log.debug("dropped the answer for %s: the browser has moved on", request.url)
            return
        self.notice.hide()
        feed = result.feed
        if request.mode == "more":
            self._loading_more = False
            stop = self.trail[-1]
            stop.pages.append(result)
            self.model.append_feed(feed)
            self.banner.show_stop(stop)
            self._update_controls()
            self._ask_holdings()
            self.feed_shown.emit(result)
            return
        url = feed.url if request.terms else request.url
        stop = Stop(feed.title or request.title, url, [result], request.terms)
        if request.mode == "root":
            self.trail = [stop]
            self._trail_catalog = request.catalog.id if request.catalog is not None else None
        elif request.mode == "replace" and self.trail:
            self.trail[-1] = stop
        else:
            if self.trail:
                current = self.list.currentIndex()
                self.trail[-1].row = current.row() if current.isValid() else -1
            self.trail.append(stop)
        self._show_stop(stop)
        self.feed_shown.emit(result)

    def _on_feed_failed(self, request: Request, error: BaseException) -> None:
        if not self._wanted(request):
            log.debug("dropped a failure for %s: the browser has moved on (%s)", request.url, error)
            return
        if request.mode == "more":
            self._loading_more = False
            self._update_controls()
        name = request.catalog.name if request.catalog is not None else request.url
        self._show_notice(problem_text(error, name), problem=True)

    def _show_stop(self, stop: Stop) -> None:
        """Show a feed of the trail: its rows, breadcrumbs, banner, facets, the row chosen."""
        self.model.set_feed(stop.feed)
        for page in stop.pages[1:]:
            self.model.append_feed(page.feed)
        offline = stop.stale or self.offline_action.isChecked()
        if self.thumbs.offline and not offline:  # back online: try the covers missed again
            self.thumbs.forget_missing()
            self.covers.forget_missing()
        self.thumbs.offline = self.covers.offline = offline
        self.crumbs.rebuild(self.trail)
        self._rebuild_facets(stop.feed)
        self.banner.show_stop(stop)
        self._update_controls()
        row = stop.row if 0 <= stop.row < self.model.rowCount() else -1
        if row >= 0:
            index = self.model.index(row)
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)
        else:
            self.list.scrollToTop()
            self.details.show_entry(None)
        self._ask_holdings()

    def _show_notice(self, text: str, *, problem: bool) -> None:
        self.notice.setText(text)
        self.notice.setProperty("problem", problem)
        self.notice.setStyleSheet("QLabel { color: #a00000; }" if problem else "")
        self.notice.show()
        if problem:
            self.problem_shown.emit(text)

    def _set_more_text(self) -> None:
        self.more_button.setText(
            ui_text("Loading…") if self._loading_more else ui_text("Load &more")
        )

    def _update_controls(self) -> None:
        self.back_action.setEnabled(len(self.trail) > 1)
        self.reload_action.setEnabled(self.catalog is not None)
        self.search_box.setEnabled(self.catalog is not None)
        stop = self.trail[-1] if self.trail else None
        self.more_button.setVisible(stop is not None and bool(stop.next_url))
        self.more_button.setEnabled(not self._loading_more)
        self._set_more_text()
        self.facets_button.setVisible(stop is not None and bool(stop.feed.facets))

    # --- breadcrumbs and facets ------------------------------------------------------------

    def crumb_titles(self) -> list[str]:
        """The titles of the feeds walked, from the catalogue's root to the feed shown."""
        return [stop_title(stop) for stop in self.trail]

    @property
    def crumb_buttons(self) -> list[QToolButton]:
        """The breadcrumbs of the feeds walked before the one shown."""
        return self.crumbs.buttons

    def _on_facets_menu_triggered(self, action: QAction) -> None:
        href = action.data()
        if isinstance(href, str) and href and self.trail:
            title = self.trail[-1].title
            self._request("replace", title, href)

    # --- the list and the details ----------------------------------------------------------

    def _on_list_activated(self, index: QModelIndex) -> None:
        row = self.model.row(index.row())
        if row is None:
            return
        if row.kind in ("navigation", "group"):
            if row.href:
                self.open_url(row.href, row.title)
            return
        self.details.show()
        for button in (self.details.read_button, self.details.download_button):
            if button.isEnabled():
                button.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.details.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row(current.row()) if current.isValid() else None
        entry = row.entry if row is not None else None
        if entry is None:
            self.details.show_entry(None)
            return
        self.details.show_entry(entry, self.model.book_of(entry.id), self.model.is_queued(entry.id))
        self._show_detail_cover()

    def _show_detail_cover(self) -> None:
        entry = self.details.entry
        if entry is not None:
            self.details.set_cover(self.covers.pixmap(entry.cover or entry.thumbnail))

    def _on_offline_action_toggled(self, offline: bool) -> None:
        stale = bool(self.trail) and self.trail[-1].stale
        self.thumbs.offline = self.covers.offline = offline or stale
        if not offline:
            self.thumbs.forget_missing()
            self.covers.forget_missing()
            self.list.viewport().update()

    def _on_search_box_return_pressed(self) -> None:
        self.search(self.search_box.text())

    # --- the store: holdings and downloads -------------------------------------------------

    def refresh_holdings(self) -> None:
        """Read again which entries shown the library holds (after a download was imported)."""
        self._ask_holdings()

    def _ask_holdings(self) -> None:
        entries = self.model.entries()
        if not entries:
            return
        session = self.session
        self._store.submit(
            lambda: holdings(session, entries), self._on_holdings_loaded, self._on_store_failed
        )

    def _on_holdings_loaded(self, found: Holdings) -> None:
        self.model.set_holdings(found.books, found.queued)
        entry = self.details.entry
        if entry is not None and not self.details.busy:
            self.details.set_holding(self.model.book_of(entry.id), self.model.is_queued(entry.id))

    def _on_details_download_clicked(self, entry: Entry) -> None:
        store, catalog, profile = self.library.store, self.catalog, self.session.profile_id
        self.details.set_busy(True)
        self._store.submit(
            lambda: queue_entry(DownloadQueue(store), catalog, entry, profile_id=profile),
            lambda download_id: self._on_download_queued(entry, download_id),
            lambda error: self._on_download_failed(entry, error),
        )

    def _on_download_queued(self, entry: Entry, download_id: str) -> None:
        self.model.mark_queued(entry.id, download_id)
        if self.details.entry is not None and self.details.entry.id == entry.id:
            self.details.set_holding(self.model.book_of(entry.id), True)
        self.download_queued.emit(download_id)

    def _on_download_failed(self, entry: Entry, error: BaseException) -> None:
        if self.details.entry is not None and self.details.entry.id == entry.id:
            self.details.set_busy(False)
        if isinstance(error, MutolaaError):
            text = ui_text("“{title}” was not queued: {reason}").format(
                title=entry.title, reason=error
            )
        else:
            text = problem_text(error, self.catalog.name if self.catalog else "")
        self._show_notice(text, problem=True)

    def _on_store_failed(self, error: BaseException) -> None:
        if isinstance(error, MutolaaError):
            text = ui_text("The library could not be read: {reason}").format(reason=error)
        else:
            text = problem_text(error, "")
        self._show_notice(text, problem=True)

    # --- shutting down ---------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while feeds or covers are being fetched."""
        return self.fetcher.busy

    def shutdown(self, msecs: int = 10_000) -> None:
        """Take no new network work, wait for what runs, and close the HTTP sessions."""
        self._generation += 1
        self.fetcher.shutdown(msecs)
