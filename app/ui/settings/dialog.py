"""The settings dialog: its pages, one module each, and the settings as edited after OK.

The General page (`general_page`: library location, interface language, reading, page colours,
zoom) edits a copy of the settings; given the library, the library servers (OPDS catalogues,
`library_servers_page`) and the sync account (`account_page`) have pages of their own, which
save their changes at once.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from app.core.settings import Settings
from app.services.session import Session
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.settings.account_form import wait_all
from app.ui.settings.account_page import AccountPage
from app.ui.settings.general_page import GeneralPage
from app.ui.settings.library_servers_page import LibraryServersPage
from app.ui.sync.runner import SyncRunner


class SettingsDialog(QDialog):
    """Edits a copy of the settings on its first page (``general``); ``result_settings()``
    gives them after OK.

    Given a library, a second page (``library_servers``) lists its library servers, whose
    changes are saved at once; their store work goes through ``runner`` (the window's queries
    runner; one of the page's own when None). Given a library and ``sync_runner`` (the window's),
    a third page (``account``) signs in to the library server that syncs the runner's profile,
    and out, and tells the runner when the account changed. Without a library there are no such
    pages (``library_servers`` and ``account`` are None); without a sync runner no ``account``.
    """

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        session: Session | None = None,
        runner: TaskRunner | None = None,
        sync_runner: SyncRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        paths = session.library.paths if session is not None else None
        self.general = GeneralPage(settings, self, paths=paths)
        # the General page's fields, as the window's tests reach them on the dialog
        self.library_folder = self.general.library_folder
        self.language = self.general.language
        self.reading_mode = self.general.reading_mode
        self.font_size = self.general.font_size
        self.theme = self.general.theme
        self.zoom = self.general.zoom
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.library_servers: LibraryServersPage | None = None
        self.account: AccountPage | None = None
        self.pages: QTabWidget | None = None
        if session is None:
            self.general.form.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(self.general)
        else:
            self.library_servers = LibraryServersPage(session, runner, self)
            self.pages = QTabWidget(self)
            self.pages.addTab(self.general, "")
            self.pages.addTab(self.library_servers, "")
            if sync_runner is not None:
                self.account = AccountPage(session, runner, self, sync_runner=sync_runner)
                self.pages.addTab(self.account, "")
            layout.addWidget(self.pages)
            self.resize(max(self.sizeHint().width(), 640), self.sizeHint().height())
        layout.addWidget(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the dialog's own texts (its title, the pages' tabs) in the interface language;
        each page sets its own."""
        self.setWindowTitle(ui_text("Settings"))
        if self.pages is not None:
            self.pages.setTabText(0, ui_text("General"))
            self.pages.setTabText(1, ui_text("Library servers"))
            if self.account is not None:
                self.pages.setTabText(self.pages.indexOf(self.account), ui_text("Account"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def finish_work(self, msecs: int = 30_000) -> bool:
        """Wait at most ``msecs`` in all for the pages' background work (a server test, a
        sign-in) to end: before the library closes. True when nothing runs any more."""
        pages = (self.library_servers, self.account)
        return wait_all([page.finish_work for page in pages if page is not None], msecs)

    def result_settings(self) -> Settings:
        """The settings as edited (those the dialog does not show are kept)."""
        return self.general.edited(self._settings).cleaned()
