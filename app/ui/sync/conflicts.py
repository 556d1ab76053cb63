"""What a sync left for the person to decide: notes edited on two devices, and reading positions.

The positions are those another device had behind this one (docs/sync-protocol.md, conflict
rules 1 and 3).

A note edited on two devices is kept twice: the note and its conflict copy (an annotation
whose ``origin`` is ``conflict:<id of the note>``). The dialog shows both texts side by side;
"Keep this one" deletes the other (the deletion is synced like any other), "Keep both" deletes
nothing: the copy becomes an ordinary note (its origin edited, synced like any edit, so the
other devices stop listing the pair too). A position question is answered with
"Go there" (the book's progress moves to the other device's position) or "Stay here"; both
forget the question.

What is read and done is `app.services.sync.pending`'s; every store read and write goes through
the store runner the window gives.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.models import Annotation
from app.library.sync_state import Question
from app.services.session import Session
from app.services.sync.pending import (
    NoteConflict,
    Pending,
    PositionQuestion,
    answer_question,
    keep_both,
    keep_one,
    read_pending,
)
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason

log = logging.getLogger(__name__)


def position_text(question: Question) -> str:
    """ "On another device you were at page=12 (34 %)", or for a position KOReader's sync
    server gave (``source`` "koreader"), "On KOReader (Kobo Clara) you were at …"."""
    data = question.data
    try:
        percent = round(float(data.get("fraction", 0.0)) * 100)
    except (TypeError, ValueError):
        percent = 0
    position = str(data.get("position", ""))
    if data.get("source") == "koreader":
        device = " ".join(str(data.get("device") or "").split())[:60]  # another device's words
        if device:
            return ui_text("On KOReader ({device}) you were at {position} ({percent} %).").format(
                device=device, position=position, percent=percent
            )
        return ui_text("On KOReader you were at {position} ({percent} %).").format(
            position=position, percent=percent
        )
    return ui_text("On another device you were at {position} ({percent} %).").format(
        position=position, percent=percent
    )


class SyncConflictsDialog(QDialog):
    """The notes edited on two devices and the reading-position questions, to resolve.

    Args:
        session: the open library and whose notes and questions.
        runner: the runner for store work (the window's queries runner).
        parent: the parent widget.

    Signals:
        loaded(object): a `Pending` was read and shown.
        resolved(): something was deleted or a position moved (the store announces it, so
            the sync sends it and the open books show it).
    """

    loaded = Signal(object)
    resolved = Signal()

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, on=False)
        self.session = session
        self._store = runner
        self._pending = Pending()
        self._working = False

        self._build_notes()
        self._build_positions()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self._status: Callable[[], str] = str
        self._loaded = False  # "Nothing to resolve" only once the lists were read
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        for button in (
            self.keep_this_button,
            self.keep_other_button,
            self.keep_both_button,
            self.go_button,
            self.stay_button,
        ):
            button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notes_box, 3)
        layout.addWidget(self.positions_box, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(720, 560)
        self.retranslate()
        self._update_buttons()
        self.reload()

    def _build_notes(self) -> None:
        """The notes edited on two devices: the list, the two texts side by side, and the
        buttons that keep one or both."""
        self.notes_box = QGroupBox(self)
        self.notes = QListWidget(self.notes_box)
        self.notes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.notes.currentRowChanged.connect(self._on_notes_current_row_changed)
        self.this_label = QLabel(self.notes_box)
        self.other_label = QLabel(self.notes_box)
        self.this_text = QPlainTextEdit(self.notes_box)
        self.other_text = QPlainTextEdit(self.notes_box)
        for view in (self.this_text, self.other_text):
            view.setReadOnly(True)
        self.this_label.setBuddy(self.this_text)
        self.other_label.setBuddy(self.other_text)
        self.keep_this_button = QPushButton(self.notes_box)
        self.keep_this_button.clicked.connect(self._on_keep_this_button_clicked)
        self.keep_other_button = QPushButton(self.notes_box)
        self.keep_other_button.clicked.connect(self._on_keep_other_button_clicked)
        self.keep_both_button = QPushButton(self.notes_box)
        self.keep_both_button.clicked.connect(self._on_keep_both_button_clicked)
        pair = QGridLayout()
        pair.addWidget(self.this_label, 0, 0)
        pair.addWidget(self.other_label, 0, 1)
        pair.addWidget(self.this_text, 1, 0)
        pair.addWidget(self.other_text, 1, 1)
        pair.addWidget(self.keep_this_button, 2, 0)
        pair.addWidget(self.keep_other_button, 2, 1)
        notes_layout = QVBoxLayout(self.notes_box)
        notes_layout.addWidget(self.notes)
        notes_layout.addLayout(pair)
        both_row = QHBoxLayout()
        both_row.addStretch(1)
        both_row.addWidget(self.keep_both_button)
        notes_layout.addLayout(both_row)

    def _build_positions(self) -> None:
        """The reading positions from other devices, with Go there and Stay here."""
        self.positions_box = QGroupBox(self)
        self.positions = QListWidget(self.positions_box)
        self.positions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.positions.currentRowChanged.connect(self._on_positions_current_row_changed)
        self.go_button = QPushButton(self.positions_box)
        self.go_button.clicked.connect(self._on_go_button_clicked)
        self.stay_button = QPushButton(self.positions_box)
        self.stay_button.clicked.connect(self._on_stay_button_clicked)
        positions_layout = QVBoxLayout(self.positions_box)
        positions_layout.addWidget(self.positions)
        answer_row = QHBoxLayout()
        answer_row.addStretch(1)
        answer_row.addWidget(self.go_button)
        answer_row.addWidget(self.stay_button)
        positions_layout.addLayout(answer_row)

    # --- language --------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.setWindowTitle(ui_text("Sync: to resolve"))
        self.notes_box.setTitle(ui_text("Notes edited on two devices"))
        self.notes.setAccessibleName(ui_text("Notes edited on two devices"))
        self.this_label.setText(ui_text("This text"))
        self.other_label.setText(ui_text("The other text"))
        self.this_text.setAccessibleName(ui_text("The note's text as the server kept it"))
        self.other_text.setAccessibleName(ui_text("The note's other text"))
        self.keep_this_button.setText(ui_text("Keep this one"))
        self.keep_this_button.setAccessibleName(ui_text("Keep this text and delete the other one"))
        self.keep_other_button.setText(ui_text("Keep this one"))
        self.keep_other_button.setAccessibleName(ui_text("Keep the other text and delete this one"))
        self.keep_both_button.setText(ui_text("Keep both"))
        self.keep_both_button.setAccessibleName(ui_text("Keep both texts as notes"))
        self.positions_box.setTitle(ui_text("Reading positions from other devices"))
        self.positions.setAccessibleName(ui_text("Reading positions from other devices"))
        self.go_button.setText(ui_text("Go there"))
        self.go_button.setAccessibleName(ui_text("Move to the other device's reading position"))
        self.stay_button.setText(ui_text("Stay here"))
        self.stay_button.setAccessibleName(ui_text("Keep this device's reading position"))
        self.status.setAccessibleName(ui_text("What resolving did"))
        self.status.setText(self._status())
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- reading ---------------------------------------------------------------------------

    @property
    def pending(self) -> Pending:
        """What was read last."""
        return self._pending

    def reload(self) -> None:
        """Read the conflicts and the questions again (in the background)."""
        session = self.session
        self._store.submit(lambda: read_pending(session), self._show, self._on_failed)

    def _show(self, pending: Pending) -> None:
        self._pending = pending
        self._working = False
        self._loaded = True
        self._fill()
        self.loaded.emit(pending)

    def _fill(self) -> None:
        note_row = max(0, self.notes.currentRow())
        self.notes.blockSignals(True)
        self.notes.clear()
        for conflict in self._pending.conflicts:
            text = " ".join(conflict.original.body.split())[:60]
            item = QListWidgetItem(
                ui_text("{book}, page {page}: {text}").format(
                    book=conflict.book_title, page=conflict.original.anchor.page + 1, text=text
                )
            )
            self.notes.addItem(item)
        self.notes.blockSignals(False)
        if self._pending.conflicts:
            self.notes.setCurrentRow(min(note_row, len(self._pending.conflicts) - 1))
        position_row = max(0, self.positions.currentRow())
        self.positions.blockSignals(True)
        self.positions.clear()
        for asked in self._pending.questions:
            self.positions.addItem(
                ui_text("{book}: {where}").format(
                    book=asked.book_title, where=position_text(asked.question)
                )
            )
        self.positions.blockSignals(False)
        if self._pending.questions:
            self.positions.setCurrentRow(min(position_row, len(self._pending.questions) - 1))
        empty = not self._pending.conflicts and not self._pending.questions
        if empty and self._loaded and not self._working and not self._status():
            self._show_status(_nothing_to_resolve)  # read, and nothing was said yet
        self._show_pair()
        self._update_buttons()

    def _show_pair(self) -> None:
        conflict = self.chosen_conflict()
        self.this_text.setPlainText(conflict.original.body if conflict else "")
        self.other_text.setPlainText(conflict.copy.body if conflict else "")

    def _on_failed(self, error: BaseException) -> None:
        log.warning("sync conflicts could not be read or resolved: %s", error)
        self._working = False
        self._update_buttons()
        self._show_status(
            lambda: ui_text("This could not be done: {reason}").format(reason=reason(error))
        )

    def _show_status(self, text: Callable[[], str]) -> None:
        self._status = text
        self.status.setText(text())

    def _update_buttons(self) -> None:
        note = self.chosen_conflict() is not None and not self._working
        for button in (self.keep_this_button, self.keep_other_button, self.keep_both_button):
            button.setEnabled(note)
        position = self.chosen_question() is not None and not self._working
        self.go_button.setEnabled(position)
        self.stay_button.setEnabled(position)

    def chosen_conflict(self) -> NoteConflict | None:
        """The note pair chosen in the list."""
        row = self.notes.currentRow()
        conflicts = self._pending.conflicts
        return conflicts[row] if 0 <= row < len(conflicts) else None

    def chosen_question(self) -> PositionQuestion | None:
        """The position question chosen in the list."""
        row = self.positions.currentRow()
        questions = self._pending.questions
        return questions[row] if 0 <= row < len(questions) else None

    def _on_notes_current_row_changed(self, _row: int) -> None:
        self._show_pair()
        self._update_buttons()

    def _on_positions_current_row_changed(self, _row: int) -> None:
        self._update_buttons()

    # --- answers ---------------------------------------------------------------------------

    def _change(self, work: Callable[[], object], said: Callable[[], str]) -> None:
        """Run a store change in the background, then say so, read again and announce it."""
        self._working = True
        self._update_buttons()
        session = self.session

        def run() -> Pending:
            work()
            return read_pending(session)

        def done(pending: Pending) -> None:
            self._status = said
            self._show(pending)
            self.status.setText(said())
            self.resolved.emit()

        self._store.submit(run, done, self._on_failed)

    def _on_keep_this_button_clicked(self) -> None:
        conflict = self.chosen_conflict()
        if conflict is not None:
            self.keep(conflict, conflict.original)

    def _on_keep_other_button_clicked(self) -> None:
        conflict = self.chosen_conflict()
        if conflict is not None:
            self.keep(conflict, conflict.copy)

    def keep(self, conflict: NoteConflict, kept: Annotation) -> None:
        """Keep ``kept`` (the note or its copy) and delete the other one."""
        session = self.session
        self._change(
            lambda: keep_one(session, conflict, kept),
            lambda: ui_text("The other text was deleted."),
        )

    def _on_keep_both_button_clicked(self) -> None:
        conflict = self.chosen_conflict()
        if conflict is not None:
            self.keep_both(conflict)

    def keep_both(self, conflict: NoteConflict) -> None:
        """Keep both texts: the copy becomes an ordinary note (synced like any edit)."""
        session = self.session
        self._change(
            lambda: keep_both(session, conflict),
            lambda: ui_text("Both texts stay as notes."),
        )

    def _on_go_button_clicked(self) -> None:
        asked = self.chosen_question()
        if asked is not None:
            self.answer(asked, go=True)

    def _on_stay_button_clicked(self) -> None:
        asked = self.chosen_question()
        if asked is not None:
            self.answer(asked, go=False)

    def answer(self, asked: PositionQuestion, *, go: bool) -> None:
        """Answer a position question: go to the other device's position, or stay."""
        question, session = asked.question, self.session

        def work() -> None:
            answer_question(session, question, go=go)

        title = asked.book_title
        if go:
            self._change(
                work,
                lambda: ui_text("“{book}” opens at the other device's position now.").format(
                    book=title
                ),
            )
        else:
            self._change(
                work,
                lambda: ui_text("“{book}” stays at this device's position.").format(book=title),
            )


def _nothing_to_resolve() -> str:
    return ui_text("Nothing to resolve.")
