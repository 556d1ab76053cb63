"""Pages drawn in the MuPDF worker reach the caller whole, through shared memory or the pipe."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pymupdf
import pytest

from app.core.errors import BadDocumentError
from app.documents import worker as worker_module
from app.documents.worker import DocumentWorker
from tests.support.samples import Samples


def _in_process(path: Path, page: int, zoom: float) -> bytes:
    with pymupdf.open(path) as doc:
        pix = doc[page].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        return bytes(pix.samples)


def test_drawn_pixels_are_those_of_mupdf_and_shared_memory_is_removed(samples: Samples) -> None:
    with DocumentWorker() as worker:
        first = worker.render(samples.multilingual, 0, 1.0)
        second = worker.render(samples.multilingual, 2, 1.5)  # the same buffer, reused
        shared = worker._shared
        assert shared is not None
        name = shared.name
        assert Path("/dev/shm", name.lstrip("/")).exists()
    assert first.samples == _in_process(samples.multilingual, 0, 1.0)
    assert second.samples == _in_process(samples.multilingual, 2, 1.5)
    assert len(second.samples) == second.stride * second.height
    assert not Path("/dev/shm", name.lstrip("/")).exists()


def test_a_page_larger_than_the_shared_buffer_comes_through_the_pipe(
    samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker_module, "SHARED_BYTES", 4096)
    with DocumentWorker() as worker:
        drawn = worker.render(samples.multilingual, 1, 2.0)
    assert drawn.samples == _in_process(samples.multilingual, 1, 2.0)


def test_drawing_goes_on_after_the_worker_crashes(samples: Samples) -> None:
    with DocumentWorker() as worker:
        worker.render(samples.multilingual, 0, 1.0)
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        try:
            again = worker.render(samples.multilingual, 1, 1.0)
        except BadDocumentError as error:  # the request met the dying worker
            assert "crashed" in str(error)  # noqa: PT017
            again = worker.render(samples.multilingual, 1, 1.0)  # a new worker, the same buffer
    assert again.samples == _in_process(samples.multilingual, 1, 1.0)
