"""Where an open book's pages, words and layouts come from: the drawing runner and MuPDF worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from app.documents.worker import DocumentWorker
from app.ui.common.tasks import TaskRunner


class BookSource(NamedTuple):
    """The window's drawing runner, its MuPDF worker process, the book's file and its password
    (kept in memory while the tab is open, never stored)."""

    runner: TaskRunner
    worker: DocumentWorker
    path: Path
    password: str | None

    def ask(
        self,
        call: Callable[[DocumentWorker, Path, str | None], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``call(worker, path, password)`` in the drawing thread, then ``done(result)``.

        Args:
            call: the work, given the worker, the book's file and its password.
            done: called on the UI thread with what ``call`` returned.
            failed: called on the UI thread with the error (none: the failure is ignored).
        """
        worker, path, password = self.worker, self.path, self.password
        self.runner.submit(lambda: call(worker, path, password), done, failed or _ignore)


def _ignore(_error: BaseException) -> None:
    """A failure nobody needs to hear of (the page simply shows no marks)."""
