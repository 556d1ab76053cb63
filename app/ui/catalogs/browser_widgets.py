"""The catalogue browser's widgets, laid out, with their fixed texts.

`CatalogBrowser` (browser.py) is built on them and connects them to what it does. Above:
the catalogue, Work offline and the search box; then Back, the breadcrumbs, Show (the facets) and
Reload; the offline banner and the notice; the list with Load more beside the entry's details.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.catalogs.entry_view import CatalogEntryView
from app.ui.catalogs.model import THUMB, CatalogModel
from app.ui.catalogs.trail import Breadcrumbs, OfflineBanner
from app.ui.common.i18n import ui_text
from sync.opds.model import Feed


class CatalogBrowserWidgets(QWidget):
    """The widgets of the catalogue browser, without what they do (that is `CatalogBrowser`)."""

    def _build(self, model: CatalogModel) -> None:
        """Make the widgets, the list showing `model`, and lay them out."""
        # Tab follows the order the widgets are made in (no setTabOrder): keep it
        self._build_bar()
        self.crumbs = Breadcrumbs(self)
        self._build_notices()
        self._build_list(model)
        self._lay_out()

    def _build_bar(self) -> None:
        """The catalogue choice, Back, Reload, Work offline, the search box and Show."""
        self.catalog_box = QComboBox(self)
        self.catalog_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.back_action = QAction(self)
        # the platform's Back without Backspace, which edits in the search box; the list has it
        backspace = QKeySequence(Qt.Key.Key_Backspace)
        self.back_action.setShortcuts(
            [k for k in _keys(QKeySequence.StandardKey.Back, "Alt+Left") if k != backspace]
            or [QKeySequence("Alt+Left")]
        )
        self.back_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.back_action)
        self.back_button = QToolButton(self)
        self.back_button.setDefaultAction(self.back_action)
        self.back_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.reload_action = QAction(self)
        self.reload_action.setShortcuts(_keys(QKeySequence.StandardKey.Refresh, "F5"))
        self.reload_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.reload_action)
        self.reload_button = QToolButton(self)
        self.reload_button.setDefaultAction(self.reload_action)
        self.offline_action = QAction(self)
        self.offline_action.setCheckable(True)
        self.offline_button = QToolButton(self)
        self.offline_button.setDefaultAction(self.offline_action)
        self.search_box = QLineEdit(self)
        self.search_box.setClearButtonEnabled(True)
        self.facets_menu = QMenu(self)
        self.facets_button = QToolButton(self)
        self.facets_button.setMenu(self.facets_menu)
        self.facets_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    def _build_notices(self) -> None:
        """The offline banner and the notice line (both hidden until the layout is made)."""
        self.banner = OfflineBanner(self)  # which offline copy is shown
        self.notice = QLabel(self)  # loading…, or what went wrong
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _build_list(self, model: CatalogModel) -> None:
        """The list of entries showing `model`, Load more, and the entry's details."""
        self.list = QListView(self)
        self.list.setModel(model)
        self.list.setIconSize(THUMB)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setTabKeyNavigation(False)
        # Backspace goes back from the list (not from the search box, where it edits)
        self._backspace = QShortcut(QKeySequence(Qt.Key.Key_Backspace), self.list)
        self._backspace.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.more_button = QPushButton(self)

        self.details = CatalogEntryView(self)

    def _lay_out(self) -> None:
        """Two rows above, the banner and the notice (hidden), then the list beside the details."""
        top = QHBoxLayout()
        self.catalog_label = QLabel(self)
        self.catalog_label.setBuddy(self.catalog_box)
        top.addWidget(self.catalog_label)
        top.addWidget(self.catalog_box)
        top.addWidget(self.offline_button)
        top.addStretch(1)
        top.addWidget(self.search_box, 2)
        walk = QHBoxLayout()
        walk.addWidget(self.back_button)
        walk.addWidget(self.crumbs, 1)
        walk.addWidget(self.facets_button)
        walk.addWidget(self.reload_button)
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list, 1)
        column.addWidget(self.more_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(walk)
        layout.addWidget(self.banner)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)
        self.banner.hide()
        self.notice.hide()

    def retranslate(self) -> None:
        """Set the fixed texts in the current interface language."""
        self.setAccessibleName(ui_text("Library servers"))
        self.catalog_label.setText(ui_text("&Catalogue:"))
        self.catalog_box.setAccessibleName(ui_text("Library server to browse"))
        self.back_action.setText(ui_text("← &Back"))
        self.back_action.setToolTip(ui_text("Back to the previous page (Alt+Left)"))
        self.back_button.setAccessibleName(ui_text("Back to the previous page"))
        self.reload_action.setText(ui_text("Re&load"))
        self.reload_action.setToolTip(ui_text("Ask the server for this page again (F5)"))
        self.reload_button.setAccessibleName(ui_text("Ask the server for this page again"))
        self.offline_action.setText(ui_text("Work &offline"))
        self.offline_action.setToolTip(
            ui_text("Show only the pages saved on this computer; do not ask the server")
        )
        self.offline_button.setAccessibleName(ui_text("Work offline"))
        self.search_box.setPlaceholderText(ui_text("Search the catalogue"))
        self.search_box.setAccessibleName(ui_text("Search the catalogue"))
        self.facets_button.setText(ui_text("Show"))
        self.facets_button.setToolTip(ui_text("Other views of this page: order, subject, language"))
        self.facets_button.setAccessibleName(ui_text("Other views of this page"))
        self.crumbs.setAccessibleName(ui_text("Pages walked"))
        self.banner.setAccessibleName(ui_text("Which copy of the page is shown"))
        self.notice.setAccessibleName(ui_text("What the browser is doing or what went wrong"))
        self.list.setAccessibleName(ui_text("Contents of the catalogue page"))
        self.more_button.setAccessibleName(ui_text("Load the next page of this list"))

    def _rebuild_facets(self, feed: Feed) -> None:
        """Fill the Show menu with the facets of `feed`, by group, the active ones checked."""
        self.facets_menu.clear()
        group = None
        for facet in feed.facets:
            if facet.group != group:
                group = facet.group
                if group:
                    self.facets_menu.addSection(group)
            text = facet.title if facet.count is None else f"{facet.title} ({facet.count})"
            action = self.facets_menu.addAction(text.replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(facet.active)
            action.setData(facet.href)


def _keys(standard: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    """The platform's keys for `standard`, else `fallback`."""
    keys = QKeySequence.keyBindings(standard)
    return keys or [QKeySequence(fallback)]
