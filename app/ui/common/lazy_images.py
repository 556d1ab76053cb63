"""Images asked for by a view as it paints, made in the background in batches, a few kept.

The library's cover grid (covers read from the store) and the catalogue browser (covers fetched
from a library server) both need the same thing: ``pixmap(key)`` answers from memory at once;
an image it does not hold is noted, and the images noted during one repaint are made together
in one background task (at most ``batch`` of them, the latest asked first). A view asks again
for what it still shows when it repaints, so images of rows scrolled past are never made. The
task makes a `QImage` (decoding and scaling off the UI thread); the UI thread only turns it into
a `QPixmap`. A failed task counts its images as missing: no retry loop.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap

from app.ui.common.tasks import TaskRunner

log = logging.getLogger(__name__)

#: Makes the images of some keys, in a worker thread; None for a key without an image.
ImageWork = Callable[[], dict[str, QImage | None]]


class LazyImages(QObject):
    """A bounded cache of images by key, filled in the background on demand.

    Subclasses say how a batch is made (`work`), capturing what they need at that moment.

    Args:
        runner: the task runner the images are made on.
        limit: the most images kept in memory.
        batch: the most images made in one task.
        what: what the images are, for the log ("covers").
        parent: the owner.
    """

    covers_loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        *,
        limit: int,
        batch: int,
        what: str = "images",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._limit = limit
        self._batch = batch
        self._what = what
        self._pixmaps: OrderedDict[str, QPixmap | None] = OrderedDict()  # None: no image
        self._wanted: OrderedDict[str, None] = OrderedDict()
        self._in_flight: set[str] = set()
        self._generation = 0
        self.pixel_ratio = 1.0
        self._timer = QTimer(self)  # gathers the requests of one repaint into one task
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._load)

    def work(self, keys: list[str]) -> ImageWork:
        """The task that makes the images of `keys` (called on the UI thread)."""
        raise NotImplementedError

    def pixmap(self, key: str) -> QPixmap | None:
        """The image of `key`; None while it is being made or when there is none."""
        if not key:
            return None
        if key in self._pixmaps:
            self._pixmaps.move_to_end(key)
            return self._pixmaps[key]
        if key not in self._in_flight:
            self._wanted[key] = None
            self._wanted.move_to_end(key)
            if not self._in_flight and not self._timer.isActive():
                self._timer.start()
        return None

    def forget(self, keys: Iterable[str] | None = None) -> None:
        """Drop images (of these keys, or all) so that they are made again."""
        if keys is None:
            self._pixmaps.clear()
            self._generation += 1  # a batch on its way is for the old images
            return
        for key in keys:
            self._pixmaps.pop(key, None)

    def forget_missing(self) -> None:
        """Forget the keys that had no image (e.g. after coming back online)."""
        self.forget([key for key, pixmap in self._pixmaps.items() if pixmap is None])

    def __contains__(self, key: object) -> bool:
        """True when the image (or the fact that there is none) is in memory."""
        return key in self._pixmaps

    @property
    def busy(self) -> bool:
        """True while images are asked for or being made."""
        return bool(self._in_flight or self._wanted)

    def _load(self) -> None:
        if self._in_flight or not self._wanted:
            return
        keys = list(reversed(self._wanted))[: self._batch]  # the latest asked first
        self._wanted.clear()
        self._in_flight = set(keys)
        generation = self._generation
        self._runner.submit(
            self.work(keys),
            lambda images: self._on_loaded(generation, images),
            lambda error: self._on_failed(generation, keys, error),
        )

    def _on_loaded(self, generation: int, images: dict[str, QImage | None]) -> None:
        self._in_flight.clear()
        if generation == self._generation:
            for key, image in images.items():
                self._pixmaps[key] = None if image is None else QPixmap.fromImage(image)
                self._pixmaps.move_to_end(key)
            while len(self._pixmaps) > self._limit:
                self._pixmaps.popitem(last=False)
        self.covers_loaded.emit()  # also after a forget(): the view asks again
        if self._wanted:
            self._timer.start()

    def _on_failed(self, generation: int, keys: list[str], error: BaseException) -> None:
        log.warning("%s could not be made: %s", self._what, error)
        self._on_loaded(generation, dict.fromkeys(keys))  # shown as none: no retry loop
