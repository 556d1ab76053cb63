"""The details of one catalogue entry, with the Download and Read buttons.

Shown: its cover, title, authors, facts, summary and the formats offered.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.catalogs.entry_downloads import choose_acquisition
from app.ui.common.i18n import ui_text
from sync.opds.model import Acquisition, Entry

COVER = QSize(160, 230)  # the cover in the details
#: Short names of the media types catalogues offer (the rest are shown as given).
FORMAT_NAMES = {
    "application/epub+zip": "EPUB",
    "application/pdf": "PDF",
    "application/fb2+zip": "FB2 (zip)",
    "application/x-fictionbook+xml": "FB2",
    "application/fb2": "FB2",
    "application/x-fb2+xml": "FB2",
    "application/x-mobipocket-ebook": "MOBI",
    "application/vnd.amazon.ebook": "AZW",
    "application/vnd.comicbook+zip": "CBZ",
    "application/x-cbz": "CBZ",
    "application/oxps": "XPS",
    "application/vnd.ms-xpsdocument": "XPS",
    "text/plain": "TXT",
    "text/html": "HTML",
    "application/vnd.adobe.adept+xml": "ACSM (DRM)",
    "application/vnd.readium.lcp.license.v1.0+json": "LCP (DRM)",
    "application/atom+xml": "OPDS",
}


def format_name(media_type: str) -> str:
    """ "EPUB", "PDF", "FB2 (zip)"… for a media type; the type itself when it is not known."""
    bare = media_type.split(";", 1)[0].strip().lower()
    return FORMAT_NAMES.get(bare, bare or "?")


def _size(length: int | None) -> str:
    if not length or length <= 0:
        return ""
    if length >= 1024 * 1024:
        return f"{length / (1024 * 1024):.1f} MB"
    return f"{max(1, round(length / 1024))} KB"


def _relation(rel: str) -> str:
    """What an acquisition relation means, in the interface language ("" for a plain one)."""
    if rel == "open-access":
        return ui_text("free")
    if rel == "sample":
        return ui_text("sample")
    if rel == "preview":
        return ui_text("preview")
    if rel == "borrow":
        return ui_text("to borrow")
    if rel == "buy":
        return ui_text("to buy")
    if rel == "subscribe":
        return ui_text("by subscription")
    return ""


def describe_acquisition(link: Acquisition) -> str:
    """One line for a way to get the book: format, through what, how it is offered, its size."""
    name = format_name(link.type)
    finals = [format_name(t) for t in link.final_types if t != link.type]
    if finals:
        name = f"{name} → {', '.join(finals)}"
    parts = [part for part in (_relation(link.rel), _size(link.length)) if part]
    return f"{name} ({', '.join(parts)})" if parts else name


def unusable_reason(entry: Entry) -> str:
    """Why Mutolaa cannot download `entry`, in the interface language ("" when it can)."""
    if choose_acquisition(entry).acquisition is not None:
        return ""
    if not entry.acquisitions:
        return ui_text("The catalogue offers no download of this book.")
    rels = {link.rel for link in entry.acquisitions}
    if rels & {"borrow", "buy", "subscribe"} and not rels & {
        "open-access",
        "acquisition",
        "sample",
        "preview",
    }:
        return ui_text("This book must be borrowed or bought on the library's website.")
    offered = ", ".join(sorted({format_name(link.type) for link in entry.acquisitions}))
    return ui_text(
        "This book is offered only as {formats}, which Mutolaa cannot read "
        "or which needs a DRM licence."
    ).format(formats=offered)


def _plain_label(parent: QWidget) -> QLabel:
    """A label for text from the catalogue: shown as plain text, selectable, wrapped."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CatalogEntryView(QScrollArea):
    """The chosen entry of a catalogue, with Download and Read.

    Download is enabled when the entry has a link Mutolaa can use (else the reason is shown
    and is the button's tooltip) and it is neither queued nor held already; Read is enabled
    when the library holds the book.
    """

    download_clicked = Signal(object)  # Entry
    read_clicked = Signal(str)  # id of the book in the library

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.entry: Entry | None = None
        self.book_id: str | None = None
        self.queued = False
        self.busy = False
        self._reason = ""

        page = QWidget(self)
        self._build_fields(page)
        self._lay_out(page)
        self.setWidget(page)
        self.retranslate()
        self.show_entry(None)

    def _build_fields(self, page: QWidget) -> None:
        """The cover, title, facts, summary, buttons, state line, and the note for no entry."""
        self.cover = QLabel(page)
        self.cover.setFixedSize(COVER)
        self.cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = _plain_label(page)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)
        self.authors = _plain_label(page)
        self.language = _plain_label(page)
        self.issued = _plain_label(page)
        self.subjects = _plain_label(page)
        self.formats = _plain_label(page)
        self.summary = _plain_label(page)
        self.download_button = QPushButton(page)
        self.download_button.clicked.connect(self._on_download_button_clicked)
        self.read_button = QPushButton(page)
        self.read_button.clicked.connect(self._on_read_button_clicked)
        self.state = _plain_label(page)  # why Download is off, "queued", "in your library"
        self.empty = QLabel(page)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def _lay_out(self, page: QWidget) -> None:
        """The cover beside the title and the facts (each with its label), then the buttons,
        the state line and the summary; the note shown when no entry is chosen above them."""
        self.facts = QFormLayout()
        self.facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._fact_labels: dict[str, QLabel] = {}
        for key, field in (
            ("authors", self.authors),
            ("language", self.language),
            ("issued", self.issued),
            ("subjects", self.subjects),
            ("formats", self.formats),
        ):
            label = QLabel(page)
            label.setBuddy(field)
            self._fact_labels[key] = label
            self.facts.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.read_button)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.cover, 0, Qt.AlignmentFlag.AlignTop)
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addLayout(self.facts)
        heading.addStretch(1)
        top.addLayout(heading, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.empty)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.state)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.setAccessibleName(ui_text("Details of the chosen book"))
        self._fact_labels["authors"].setText(ui_text("Authors:"))
        self._fact_labels["language"].setText(ui_text("Language:"))
        self._fact_labels["issued"].setText(ui_text("Published:"))
        self._fact_labels["subjects"].setText(ui_text("Subjects:"))
        self._fact_labels["formats"].setText(ui_text("Formats:"))
        self.cover.setAccessibleName(ui_text("Cover"))
        self.title.setAccessibleName(ui_text("Title"))
        self.authors.setAccessibleName(ui_text("Authors"))
        self.language.setAccessibleName(ui_text("Language"))
        self.issued.setAccessibleName(ui_text("Published"))
        self.subjects.setAccessibleName(ui_text("Subjects"))
        self.formats.setAccessibleName(ui_text("Formats offered"))
        self.summary.setAccessibleName(ui_text("Summary"))
        self.state.setAccessibleName(ui_text("Whether the book can be downloaded"))
        self.download_button.setAccessibleName(ui_text("Download the book into the library"))
        self.read_button.setText(ui_text("&Read"))
        self.read_button.setAccessibleName(ui_text("Read the book from your library"))
        self.empty.setText(ui_text("Choose a book to see its details."))
        self._update_actions()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- what is shown ---------------------------------------------------------------------

    def show_entry(
        self, entry: Entry | None, book_id: str | None = None, queued: bool = False
    ) -> None:
        """Show `entry` (None: nothing chosen), held by the library as `book_id` or queued."""
        self.entry = entry
        self.book_id = book_id
        self.queued = queued
        self.busy = False
        shown = entry is not None
        self.empty.setVisible(not shown)
        for widget in (
            self.cover,
            self.title,
            self.download_button,
            self.read_button,
            self.state,
            self.summary,
        ):
            widget.setVisible(shown)
        for label in self._fact_labels.values():
            self.facts.setRowVisible(label.buddy(), shown)
        self.set_cover(None)
        if entry is None:
            self._reason = ""
            self._update_actions()
            return
        self.title.setText(entry.title or ui_text("(untitled)"))
        self._fact("authors", ", ".join(entry.authors))
        self._fact("language", entry.language)
        self._fact("issued", entry.issued)
        self._fact("subjects", ", ".join(entry.categories))
        self._fact("formats", "\n".join(describe_acquisition(a) for a in entry.acquisitions))
        self.summary.setText(entry.summary)
        self.summary.setVisible(bool(entry.summary))
        self._reason = unusable_reason(entry)
        self._update_actions()

    def set_holding(self, book_id: str | None, queued: bool) -> None:
        """The library now holds the entry's book as `book_id`, or has its download queued."""
        self.book_id = book_id
        self.queued = queued
        self.busy = False
        self._update_actions()

    def set_busy(self, busy: bool) -> None:
        """Download is being queued (the button waits for it)."""
        self.busy = busy
        self._update_actions()

    def set_cover(self, pixmap: QPixmap | None) -> None:
        """Show the entry's cover (None: no picture, or not yet)."""
        if pixmap is None:
            self.cover.clear()
            self.cover.setFrameShape(QFrame.Shape.StyledPanel)
        else:
            self.cover.setFrameShape(QFrame.Shape.NoFrame)
            self.cover.setPixmap(pixmap)

    def _fact(self, key: str, text: str) -> None:
        field = self._fact_labels[key].buddy()
        assert isinstance(field, QLabel)
        field.setText(text)
        self.facts.setRowVisible(field, bool(text))

    def _update_actions(self) -> None:
        entry = self.entry
        held = self.book_id is not None
        if self.queued and not held:  # once the book arrived, the queue is history
            self.download_button.setText(ui_text("Queued"))
        elif self.busy:
            self.download_button.setText(ui_text("Queuing…"))
        else:
            self.download_button.setText(ui_text("&Download"))
        usable = entry is not None and not self._reason
        self.download_button.setEnabled(usable and not self.queued and not self.busy and not held)
        self.download_button.setToolTip(self._reason)
        self.read_button.setEnabled(held)
        if entry is None:
            state = ""
        elif held:
            state = ui_text("This book is in your library.")
        elif self.queued:
            state = ui_text("Queued: it downloads in the background, then appears in your library.")
        else:
            state = self._reason
        self.state.setText(state)
        self.state.setVisible(bool(state))

    def _on_download_button_clicked(self) -> None:
        if self.entry is not None and self.download_button.isEnabled():
            self.download_clicked.emit(self.entry)

    def _on_read_button_clicked(self) -> None:
        if self.book_id is not None:
            self.read_clicked.emit(self.book_id)
