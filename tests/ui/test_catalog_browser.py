"""The catalogue browser against a real OPDS catalogue served on 127.0.0.1.

The catalogue is written here: a navigation root with an OpenSearch description, an
acquisition feed of two pages with covers (real PNGs) and facets, an entry offered only through
a DRM licence, an entry the library already holds (an EPUB imported first), a long feed for the
lazy covers, a search result, and a section the browser never opens before the server stops.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.library.catalogs import CatalogStore
from app.library.downloads import DownloadQueue
from app.services.catalogs.holdings import books_by_entry, holdings
from app.services.library.importer import Importer
from app.services.session import Library
from app.ui.catalogs.browser import CatalogBrowser
from app.ui.catalogs.model import CatalogModel, cover_url
from app.ui.common.tasks import TaskRunner
from sync.opds.model import Acquisition, Checksum, Entry
from tests.support.catalog_server import CatalogServer
from tests.support.docgen import make_epub
from tests.support.sessions import PROFILE, session_of

ATOM = 'xmlns="http://www.w3.org/2005/Atom" xmlns:opds="http://opds-spec.org/2010/catalog"'
NAV = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQ = "application/atom+xml;profile=opds-catalog;kind=acquisition"
LONG_FEED = 60


def _png(color: str, width: int = 60, height: int = 90) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(data.data())


def _feed(feed_id: str, title: str, body: str, links: str = "") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed {ATOM}>
  <id>{feed_id}</id>
  <title>{title}</title>
  <updated>2026-11-01T00:00:00Z</updated>
  {links}
  {body}
</feed>
"""


def _nav(title: str, href: str, summary: str = "") -> str:
    return f"""<entry>
    <id>nav:{href}</id><title>{title}</title><updated>2026-11-01T00:00:00Z</updated>
    <content type="text">{summary}</content>
    <link rel="subsection" href="{href}" type="{ACQ}"/>
  </entry>"""


def _book(
    entry_id: str, title: str, author: str, links: str, *, summary: str = "", extra: str = ""
) -> str:
    return f"""<entry>
    <id>{entry_id}</id><title>{title}</title><author><name>{author}</name></author>
    <updated>2026-11-01T00:00:00Z</updated>
    <summary>{summary}</summary>
    {extra}
    {links}
  </entry>"""


def _epub_link(href: str) -> str:
    return (
        f'<link rel="http://opds-spec.org/acquisition/open-access" '
        f'type="application/epub+zip" href="{href}"/>'
    )


def _covers(name: str) -> str:
    return (
        '<link rel="http://opds-spec.org/image/thumbnail" type="image/png" '
        f'href="covers/{name}-t.png"/>'
        f'<link rel="http://opds-spec.org/image" type="image/png" href="covers/{name}.png"/>'
    )


OQ_KEMA = _book(
    "urn:uuid:oq-kema",
    "Oq kema",
    "Chingiz Aytmatov",
    _covers("oq-kema") + _epub_link("files/oq-kema.epub"),
    summary="Suvsar va bola daryo bo‘yida.",
    extra='<dc:language xmlns:dc="http://purl.org/dc/terms/">uz</dc:language>'
    '<category term="novel" label="Roman"/>',
)
DRM_ONLY = _book(
    "urn:uuid:drm-only",
    "Qulflangan kitob",
    "Nomaʼlum",
    '<link rel="http://opds-spec.org/acquisition" type="application/vnd.adobe.adept+xml" '
    'href="files/locked.acsm"><opds:indirectAcquisition type="application/epub+zip"/></link>',
)
HELD = _book(
    "urn:uuid:held",
    "Kecha va kunduz",
    "Choʻlpon",
    _covers("held") + _epub_link("files/held.epub"),
)
PAGE_TWO = _book(
    "urn:uuid:page-two",
    "Ikkinchi sahifa kitobi",
    "Abdulla Qodiriy",
    _epub_link("files/page-two.epub"),
)


@pytest.fixture
def site(tmp_path: Path, qapp: QApplication) -> Path:
    root = tmp_path / "site"
    for folder in ("files", "covers", "search"):
        (root / folder).mkdir(parents=True)
    for name, color in (("oq-kema", "#c03030"), ("held", "#3030c0")):
        (root / "covers" / f"{name}-t.png").write_bytes(_png(color))
        (root / "covers" / f"{name}.png").write_bytes(_png(color, 200, 300))
    make_epub(
        root / "files" / "oq-kema.epub",
        [("Birinchi bob", "Oq kema haqida ertak.")],
        title="Oq kema",
        author="Chingiz Aytmatov",
        lang="uz",
    )
    search = (
        '<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"/>'
    )
    (root / "opensearch.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">'
        "<ShortName>Kutubxona</ShortName><Description>Qidiruv</Description>"
        f'<Url type="{ACQ}" template="/search/{{searchTerms}}.xml"/>'
        "</OpenSearchDescription>",
        encoding="utf-8",
    )
    (root / "root.xml").write_text(
        _feed(
            "urn:root",
            "Talabalar kutubxonasi",
            _nav("Yangi kitoblar", "new.xml", "Eng soʻnggi kitoblar")
            + _nav("Boʻlimlar", "sections.xml")
            + _nav("Koʻp kitoblar", "many.xml"),
            f'<link rel="self" href="/root.xml" type="{NAV}"/>' + search,
        ),
        encoding="utf-8",
    )
    facets = (
        '<link rel="http://opds-spec.org/facet" href="new.xml" title="Yangilari" '
        'opds:facetGroup="Tartib" opds:activeFacet="true"/>'
        '<link rel="http://opds-spec.org/facet" href="new-by-title.xml" title="Nomi boʻyicha" '
        'opds:facetGroup="Tartib"/>'
    )
    (root / "new.xml").write_text(
        _feed(
            "urn:new",
            "Yangi kitoblar",
            OQ_KEMA + DRM_ONLY + HELD,
            f'<link rel="next" href="new-2.xml" type="{ACQ}"/>' + facets + search,
        ),
        encoding="utf-8",
    )
    (root / "new-2.xml").write_text(
        _feed("urn:new", "Yangi kitoblar", PAGE_TWO, search), encoding="utf-8"
    )
    (root / "new-by-title.xml").write_text(
        _feed("urn:new:title", "Yangi kitoblar (nomi)", HELD + OQ_KEMA, facets), encoding="utf-8"
    )
    group = '<link rel="collection" href="new.xml" title="Tanlanganlar"/>'
    (root / "featured.xml").write_text(
        _feed(
            "urn:featured",
            "Tavsiya",
            _book("urn:uuid:f1", "Birinchi", "A", _epub_link("files/f1.epub"), extra=group)
            + _book("urn:uuid:f2", "Ikkinchi", "B", _epub_link("files/f2.epub"), extra=group),
        ),
        encoding="utf-8",
    )
    (root / "sections.xml").write_text(
        _feed("urn:sections", "Boʻlimlar", _nav("Tarix", "history.xml")), encoding="utf-8"
    )
    many = "".join(
        _book(
            f"urn:many:{n}",
            f"Kitob {n}",
            "Muallif",
            f'<link rel="http://opds-spec.org/image/thumbnail" type="image/png" '
            f'href="covers/many-{n}.png"/>' + _epub_link(f"files/many-{n}.epub"),
        )
        for n in range(LONG_FEED)
    )
    thumb = _png("#30a030")
    for n in range(LONG_FEED):
        (root / "covers" / f"many-{n}.png").write_bytes(thumb)
    (root / "many.xml").write_text(_feed("urn:many", "Koʻp kitoblar", many), encoding="utf-8")
    (root / "search" / "kema.xml").write_text(
        _feed("urn:search", "Qidiruv natijalari", OQ_KEMA), encoding="utf-8"
    )
    return root


@pytest.fixture
def server(site: Path) -> Iterator[CatalogServer]:
    running = CatalogServer(site).start()
    yield running
    running.stop()


@pytest.fixture
def make_browser(
    qtbot: QtBot, library: Library, runner: TaskRunner, server: CatalogServer
) -> Iterator[object]:
    made: list[CatalogBrowser] = []

    def make() -> CatalogBrowser:
        CatalogStore(library.store, profile_id=PROFILE).add("Talabalar", f"{server.base}/root.xml")
        browser = CatalogBrowser(session_of(library), runner)
        qtbot.addWidget(browser)
        browser.resize(1000, 600)
        browser.show()
        browser.activateWindow()
        qtbot.waitUntil(browser.isActiveWindow)
        with qtbot.waitSignal(browser.feed_shown, timeout=10_000):
            browser.reload_catalogs()
        made.append(browser)
        return browser

    yield make
    for browser in made:
        browser.shutdown()
    runner.wait()


def _row_of(browser: CatalogBrowser, title: str) -> int:
    for number, row in enumerate(browser.model.rows()):
        if row.title == title:
            return number
    raise AssertionError(f"{title!r} not in {[r.title for r in browser.model.rows()]}")


def _open(qtbot: QtBot, browser: CatalogBrowser, title: str) -> None:
    """Choose the row titled `title` and press Enter on it; wait for the feed it leads to."""
    index = browser.model.index(_row_of(browser, title))
    browser.list.setFocus()
    browser.list.setCurrentIndex(index)
    with qtbot.waitSignal(browser.feed_shown, timeout=10_000):
        qtbot.keyClick(browser.list, Qt.Key.Key_Return)


def _choose(browser: CatalogBrowser, title: str) -> None:
    browser.list.setCurrentIndex(browser.model.index(_row_of(browser, title)))


def _decoration_loaded(browser: CatalogBrowser, title: str) -> bool:
    """True when the list holds the thumbnail of the entry titled `title`."""
    entry = next(r.entry for r in browser.model.rows() if r.title == title)
    assert entry is not None
    url = cover_url(entry)
    return url in browser.thumbs and browser.thumbs.pixmap(url) is not None


def test_root_navigation_then_an_acquisition_feed_with_covers(
    qtbot: QtBot, make_browser: object, server: CatalogServer
) -> None:
    browser = make_browser()  # type: ignore[operator]
    assert browser.catalog_box.currentText() == "Talabalar"
    assert browser.crumb_titles() == ["Talabalar kutubxonasi"]
    kinds = [(row.kind, row.title) for row in browser.model.rows()]
    assert kinds == [
        ("navigation", "Yangi kitoblar"),
        ("navigation", "Boʻlimlar"),
        ("navigation", "Koʻp kitoblar"),
    ]
    first = browser.model.index(0)
    assert browser.model.data(first) == "Yangi kitoblar\nEng soʻnggi kitoblar"
    assert not browser.banner.isVisible()
    assert not browser.back_action.isEnabled()

    _open(qtbot, browser, "Yangi kitoblar")
    assert browser.crumb_titles() == ["Talabalar kutubxonasi", "Yangi kitoblar"]
    titles = [row.title for row in browser.model.rows()]
    assert titles == ["Oq kema", "Qulflangan kitob", "Kecha va kunduz"]
    assert browser.model.data(browser.model.index(_row_of(browser, "Oq kema"))) == (
        "Oq kema\nChingiz Aytmatov"
    )
    # the thumbnails of the rows on screen arrive from the server and are shown
    qtbot.waitUntil(lambda: _decoration_loaded(browser, "Oq kema"), timeout=10_000)
    qtbot.waitUntil(lambda: _decoration_loaded(browser, "Kecha va kunduz"), timeout=10_000)
    decoration = browser.model.data(
        browser.model.index(_row_of(browser, "Oq kema")), Qt.ItemDataRole.DecorationRole
    )
    assert decoration.width() <= 48
    assert decoration.height() > 40
    assert decoration.toImage().pixelColor(20, 30) == QColor("#c03030")
    assert server.statuses("/covers/oq-kema-t.png") == [200]

    # the details of an entry: facts, the large cover, Download on, Read off
    _choose(browser, "Oq kema")
    details = browser.details
    assert details.title.text() == "Oq kema"
    assert details.authors.text() == "Chingiz Aytmatov"
    assert details.language.text() == "uz"
    assert details.subjects.text() == "Roman"
    assert details.summary.text() == "Suvsar va bola daryo bo‘yida."
    assert details.formats.text() == "EPUB (free)"
    assert details.download_button.isEnabled()
    assert not details.read_button.isEnabled()
    qtbot.waitUntil(lambda: not details.cover.pixmap().isNull(), timeout=10_000)
    assert details.cover.pixmap().height() > 150


def test_back_breadcrumbs_search_and_the_next_page(qtbot: QtBot, make_browser: object) -> None:
    browser = make_browser()  # type: ignore[operator]
    _open(qtbot, browser, "Yangi kitoblar")
    assert browser.more_button.isVisible()
    rows = browser.model.rowCount()
    with qtbot.waitSignal(browser.feed_shown, timeout=10_000):
        qtbot.mouseClick(browser.more_button, Qt.MouseButton.LeftButton)
    assert browser.model.rowCount() == rows + 1
    assert browser.model.rows()[-1].title == "Ikkinchi sahifa kitobi"
    assert not browser.more_button.isVisible()  # the last page
    assert browser.crumb_titles() == ["Talabalar kutubxonasi", "Yangi kitoblar"]

    # the catalogue's own search: a feed like any other in the trail
    browser.search_box.setFocus()
    qtbot.keyClicks(browser.search_box, "kema")
    with qtbot.waitSignal(browser.feed_shown, timeout=10_000) as shown:
        qtbot.keyClick(browser.search_box, Qt.Key.Key_Return)
    assert not shown.args[0].stale
    assert browser.crumb_titles() == [
        "Talabalar kutubxonasi",
        "Yangi kitoblar",
        "Search: kema",
    ]
    assert [row.title for row in browser.model.rows()] == ["Oq kema"]

    # Back (Alt+Left) shows the feed again from memory, its second page included
    browser.list.setFocus()
    qtbot.keyClick(browser.list, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert browser.crumb_titles() == ["Talabalar kutubxonasi", "Yangi kitoblar"]
    assert browser.model.rows()[-1].title == "Ikkinchi sahifa kitobi"
    # a breadcrumb goes back to its feed; Backspace in the list goes back too
    _choose(browser, "Oq kema")  # Enter on an entry: focus goes to its buttons
    qtbot.keyClick(browser.list, Qt.Key.Key_Return)
    assert browser.details.download_button.hasFocus()
    qtbot.mouseClick(browser.crumb_buttons[0], Qt.MouseButton.LeftButton)
    assert browser.crumb_titles() == ["Talabalar kutubxonasi"]
    assert browser.model.rows()[0].title == "Yangi kitoblar"
    _open(qtbot, browser, "Boʻlimlar")
    browser.list.setFocus()
    qtbot.keyClick(browser.list, Qt.Key.Key_Backspace)
    assert browser.crumb_titles() == ["Talabalar kutubxonasi"]


def test_facets_show_another_view_in_place(qtbot: QtBot, make_browser: object) -> None:
    browser = make_browser()  # type: ignore[operator]
    assert not browser.facets_button.isVisible()
    _open(qtbot, browser, "Yangi kitoblar")
    assert browser.facets_button.isVisible()
    actions = [a for a in browser.facets_menu.actions() if not a.isSeparator()]
    assert [(a.text(), a.isChecked()) for a in actions] == [
        ("Yangilari", True),
        ("Nomi boʻyicha", False),
    ]
    with qtbot.waitSignal(browser.feed_shown, timeout=10_000):
        actions[1].trigger()
    assert browser.crumb_titles() == ["Talabalar kutubxonasi", "Yangi kitoblar (nomi)"]
    assert [row.title for row in browser.model.rows()] == ["Kecha va kunduz", "Oq kema"]


def test_a_group_header_opens_the_whole_group(
    qtbot: QtBot, make_browser: object, server: CatalogServer
) -> None:
    browser = make_browser()  # type: ignore[operator]
    with qtbot.waitSignal(browser.feed_shown, timeout=10_000):
        browser.open_url(f"{server.base}/featured.xml", "Tavsiya")
    rows = browser.model.rows()
    assert [(row.kind, row.title) for row in rows] == [
        ("group", "Tanlanganlar"),
        ("entry", "Birinchi"),
        ("entry", "Ikkinchi"),
    ]
    header = browser.model.index(0)
    assert browser.model.data(header, Qt.ItemDataRole.FontRole).bold()
    assert browser.model.data(header, Qt.ItemDataRole.DecorationRole) is None
    _open(qtbot, browser, "Tanlanganlar")
    assert browser.crumb_titles() == ["Talabalar kutubxonasi", "Tavsiya", "Yangi kitoblar"]


def test_download_queues_the_entry_and_drm_only_is_refused_with_the_reason(
    qtbot: QtBot, make_browser: object, library: Library, server: CatalogServer
) -> None:
    browser = make_browser()  # type: ignore[operator]
    _open(qtbot, browser, "Yangi kitoblar")
    _choose(browser, "Qulflangan kitob")
    button = browser.details.download_button
    assert not button.isEnabled()
    assert "ACSM (DRM)" in button.toolTip()
    assert "DRM licence" in button.toolTip()
    assert browser.details.state.text() == button.toolTip()

    _choose(browser, "Oq kema")
    assert button.isEnabled()
    with qtbot.waitSignal(browser.download_queued, timeout=10_000) as queued:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    [item] = DownloadQueue(library.store).list(profile_id=PROFILE)
    assert queued.args == [item.id]
    assert item.entry_id == "urn:uuid:oq-kema"
    assert item.url == f"{server.base}/files/oq-kema.epub"
    assert item.catalog_id == browser.catalog.id
    assert item.state == "queued"
    assert button.text() == "Queued"
    assert not button.isEnabled()
    row = browser.model.index(_row_of(browser, "Oq kema"))
    assert browser.model.data(row).endswith("Queued for download")
    # the queue is remembered: a fresh browser shows the entry queued
    assert holdings(session_of(library), [_entry("urn:uuid:oq-kema")]).queued == {
        "urn:uuid:oq-kema": item.id
    }


def test_an_entry_the_library_holds_can_be_read(
    qtbot: QtBot, make_browser: object, library: Library, site: Path, tmp_path: Path
) -> None:
    epub = make_epub(
        tmp_path / "held.epub",
        [("Bir", "Kecha va kunduz romanining boshlanishi.")],
        title="Kecha va kunduz",
        author="Choʻlpon",
        lang="uz",
    )
    with Importer(library) as importer:
        report = importer.run([epub])
    [book] = report.added
    library.store.set_origin(book.id, "catalog", "urn:uuid:held")
    assert books_by_entry(library, ["urn:uuid:held", "urn:uuid:oq-kema", ""]) == {
        "urn:uuid:held": book.id
    }

    browser = make_browser()  # type: ignore[operator]
    _open(qtbot, browser, "Yangi kitoblar")
    _choose(browser, "Kecha va kunduz")
    details = browser.details
    qtbot.waitUntil(details.read_button.isEnabled, timeout=10_000)
    assert not details.download_button.isEnabled()
    assert details.state.text() == "This book is in your library."
    row = browser.model.index(_row_of(browser, "Kecha va kunduz"))
    assert browser.model.data(row) == "Kecha va kunduz\nChoʻlpon · ✓ In your library"
    with qtbot.waitSignal(browser.read_requested) as asked:
        qtbot.mouseClick(details.read_button, Qt.MouseButton.LeftButton)
    assert asked.args == [book.id]
    _choose(browser, "Oq kema")
    assert not details.read_button.isEnabled()


def test_offline_the_visited_feeds_show_with_a_banner_and_an_unvisited_one_says_so(
    qtbot: QtBot, make_browser: object, server: CatalogServer
) -> None:
    browser = make_browser()  # type: ignore[operator]
    _open(qtbot, browser, "Yangi kitoblar")
    qtbot.waitUntil(lambda: _decoration_loaded(browser, "Oq kema"), timeout=10_000)
    qtbot.waitUntil(lambda: not browser.busy, timeout=10_000)
    server.stop()

    with qtbot.waitSignal(browser.feed_shown, timeout=20_000) as shown:
        browser.open_catalog(browser.catalog)  # the root again, from the offline copy
    assert shown.args[0].stale
    assert browser.banner.isVisible()
    assert browser.banner.text().startswith("Offline copy from 20")
    assert browser.crumb_titles() == ["Talabalar kutubxonasi"]
    _open(qtbot, browser, "Yangi kitoblar")
    assert browser.banner.isVisible()
    assert {row.title for row in browser.model.rows()} >= {"Oq kema", "Qulflangan kitob"}
    # the cover seen online comes from the cache
    browser.thumbs.forget()
    qtbot.waitUntil(lambda: _decoration_loaded(browser, "Oq kema"), timeout=10_000)
    # search offline: over the saved pages
    with qtbot.waitSignal(browser.feed_shown, timeout=20_000):
        browser.search("oq kema")
    assert [row.title for row in browser.model.rows()] == ["Oq kema"]
    assert browser.banner.text().startswith("Found among the catalogue pages saved")

    browser.go_to(0)
    index = browser.model.index(_row_of(browser, "Boʻlimlar"))
    browser.list.setCurrentIndex(index)
    with qtbot.waitSignal(browser.problem_shown, timeout=20_000) as problem:
        qtbot.keyClick(browser.list, Qt.Key.Key_Return)
    assert problem.args == [
        "“Talabalar” cannot be reached, and this page was not opened before, "
        "so there is no offline copy of it."
    ]
    assert browser.notice.isVisible()
    assert browser.notice.text() == problem.args[0]
    assert browser.crumb_titles() == ["Talabalar kutubxonasi"]  # still where it was
    assert QApplication.activeModalWidget() is None


def test_an_answer_for_a_feed_already_left_is_ignored(qtbot: QtBot, make_browser: object) -> None:
    browser = make_browser()  # type: ignore[operator]
    root = browser.trail[0].feed
    shown: list[str] = []
    browser.feed_shown.connect(lambda result: shown.append(result.feed.title))
    new, sections = (
        next(n.href for n in root.navigation if n.title == t)
        for t in (
            "Yangi kitoblar",
            "Boʻlimlar",
        )
    )
    browser.open_url(new, "Yangi kitoblar")
    browser.open_url(sections, "Boʻlimlar")  # before the first answer came back
    qtbot.waitUntil(lambda: shown == ["Boʻlimlar"], timeout=10_000)
    qtbot.waitUntil(lambda: not browser.busy, timeout=10_000)
    assert shown == ["Boʻlimlar"]
    assert browser.crumb_titles() == ["Talabalar kutubxonasi", "Boʻlimlar"]
    # Back while a feed is on its way: the answer comes for a page left
    browser.open_url(new, "Yangi kitoblar")
    browser.go_back()
    qtbot.waitUntil(lambda: not browser.busy, timeout=10_000)
    assert shown == ["Boʻlimlar"]
    assert browser.crumb_titles() == ["Talabalar kutubxonasi"]
    assert not browser.notice.isVisible()


def test_covers_are_fetched_only_for_the_rows_on_screen(
    qtbot: QtBot, make_browser: object, server: CatalogServer
) -> None:
    browser = make_browser()  # type: ignore[operator]
    _open(qtbot, browser, "Koʻp kitoblar")
    assert browser.model.rowCount() == LONG_FEED
    qtbot.waitUntil(lambda: _decoration_loaded(browser, "Kitob 0"), timeout=10_000)
    qtbot.waitUntil(lambda: not browser.busy and not browser.thumbs.busy, timeout=10_000)

    def fetched() -> set[str]:
        return {s.path for s in server.seen if s.path.startswith("/covers/many-")}

    early = fetched()
    assert "/covers/many-0.png" in early
    assert 0 < len(early) < LONG_FEED / 2
    browser.list.scrollToBottom()
    qtbot.waitUntil(lambda: f"/covers/many-{LONG_FEED - 1}.png" in fetched(), timeout=10_000)
    assert len(fetched()) < LONG_FEED


def test_choosing_another_catalogue_leaves_the_pages_of_the_first(
    qtbot: QtBot, make_browser: object, library: Library, server: CatalogServer
) -> None:
    browser = make_browser()  # type: ignore[operator]
    _open(qtbot, browser, "Yangi kitoblar")
    CatalogStore(library.store, profile_id=PROFILE).add("Boshqa", f"{server.base}/nothere.xml")
    browser.reload_catalogs()
    qtbot.waitUntil(lambda: browser.catalog_box.count() == 2)
    assert browser.crumb_titles() == ["Talabalar kutubxonasi", "Yangi kitoblar"]  # kept
    assert browser.catalog_box.currentText() == "Talabalar"
    browser.catalog_box.setFocus()
    with qtbot.waitSignal(browser.problem_shown, timeout=10_000) as problem:
        qtbot.keyClick(browser.catalog_box, Qt.Key.Key_Up)  # "Boshqa", first by name
    assert problem.args == ["“Boshqa” has no such page (it may have been moved or removed)."]
    assert browser.catalog_box.currentText() == "Boshqa"
    assert browser.model.rowCount() == 0
    assert browser.crumb_titles() == []
    with qtbot.waitSignal(browser.feed_shown, timeout=10_000):
        qtbot.keyClick(browser.catalog_box, Qt.Key.Key_Down)
    assert browser.crumb_titles() == ["Talabalar kutubxonasi"]
    assert not browser.notice.isVisible()


def test_no_catalogue_and_a_server_that_asks_for_a_password(
    qtbot: QtBot, library: Library, runner: TaskRunner, site: Path
) -> None:
    browser = CatalogBrowser(session_of(library), runner)
    qtbot.addWidget(browser)
    browser.show()
    browser.reload_catalogs()
    qtbot.waitUntil(browser.notice.isVisible)
    assert browser.notice.text() == (
        "No library servers yet: add one in Settings → Library servers."
    )
    assert not browser.catalog_box.isEnabled()

    locked = CatalogServer(site, auth="basic", password="maxfiy").start()
    try:
        CatalogStore(library.store, profile_id=PROFILE).add("Yopiq", f"{locked.base}/root.xml")
        with qtbot.waitSignal(browser.problem_shown, timeout=10_000) as problem:
            browser.reload_catalogs()
        assert problem.args == [
            "“Yopiq” asks for a user name and password: add them in Settings → Library servers."
        ]
        catalogs = CatalogStore(library.store, profile_id=PROFILE)
        catalogs.update(
            catalogs.get("Yopiq").id,
            name="Yopiq",
            url=f"{locked.base}/root.xml",
            username="reader",
            password="notogri",
        )
        with qtbot.waitSignal(browser.problem_shown, timeout=10_000) as problem:
            browser.reload_catalogs()  # new credentials: the catalogue is tried again
        assert "refused the user name and password" in problem.args[0]
    finally:
        browser.shutdown()
        runner.wait()
        locked.stop()


def test_the_model_keeps_qt_rules(qtmodeltester: object, make_browser: object) -> None:
    browser = make_browser()  # type: ignore[operator]
    model: CatalogModel = browser.model
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_every_control_has_a_name_and_texts_survive_a_language_change(
    qtbot: QtBot, make_browser: object
) -> None:
    browser = make_browser()  # type: ignore[operator]
    _open(qtbot, browser, "Yangi kitoblar")
    _choose(browser, "Oq kema")
    focusable = [
        widget
        for widget in browser.findChildren(QWidget)
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    assert browser.list in focusable
    assert browser.details.download_button in focusable

    def name(widget: QWidget) -> str:
        if widget.accessibleName():
            return widget.accessibleName()
        if isinstance(widget, QAbstractButton):
            return widget.text().replace("&", "")
        return ""

    assert [type(w).__name__ for w in focusable if not name(w)] == []
    QCoreApplication.sendEvent(browser, QEvent(QEvent.Type.LanguageChange))
    assert browser.search_box.accessibleName() == "Search the catalogue"
    assert browser.crumb_titles() == ["Talabalar kutubxonasi", "Yangi kitoblar"]
    assert browser.details.download_button.text() == "&Download"


def _entry(ident: str, sha256: str = "") -> Entry:
    """A catalogue entry with one EPUB link (and the SHA-256 the feed gives, if any)."""
    checksums = (Checksum("sha256", sha256),) if sha256 else ()
    return Entry(
        id=ident,
        title=ident,
        acquisitions=(
            Acquisition(
                "open-access",
                "http://127.0.0.1:9/b.epub",
                "application/epub+zip",
                checksums=checksums,
            ),
        ),
    )


def test_an_entry_whose_file_the_library_holds_is_in_the_library_whatever_way_it_came(
    library: Library, tmp_path: Path
) -> None:
    # downloaded by its address, or imported from a file: no entry id, the same content
    epub = make_epub(
        tmp_path / "by-url.epub",
        [("Bir", "Boshqa yoʻl bilan kelgan kitob.")],
        title="Manzil",
        author="Muallif",
        lang="uz",
    )
    with Importer(library) as importer:
        [book] = importer.run([epub]).added
    found = holdings(
        session_of(library),
        [_entry("urn:uuid:same-file", book.id), _entry("urn:uuid:other", "f" * 64)],
    )
    assert found.books == {"urn:uuid:same-file": book.id}
