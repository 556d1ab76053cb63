"""Typed errors of the sync package: each says what failed and where, in one line."""

from __future__ import annotations


class MutolaaError(Exception):
    """The root of every error Mutolaa raises on purpose; ``str()`` is one sentence for people.

    It lives here because the sync package stands alone (it imports nothing from the app);
    `app.core.errors` gives it to the rest of the application.
    """


class SyncError(MutolaaError):
    """Base of every error raised by the sync package."""


class FetchError(SyncError):
    """An HTTP fetch failed: refused URL, too many redirects, too large, bad status, no connection.

    Attributes:
        url: the URL (credentials stripped) that failed.
        status: the HTTP status when the server answered, else None.
        headers: the answer's headers when the server answered with an error status.
        content: the start of that answer's body (a 401's authentication document).
    """

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        status: int | None = None,
        headers: dict[str, str] | None = None,
        content: bytes = b"",
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.headers = headers or {}
        self.content = content

    #: False for the failures that have no status yet are not silence (a refused URL…).
    _silent = True

    @property
    def no_answer(self) -> bool:
        """No answer came: no connection, a timeout, or the connection cut before the status —
        the server cannot be reached now. Not a refused URL, a redirect loop or an untrusted
        certificate: trying again later cannot mend those."""
        return self.status is None and self._silent


class UnsafeURLError(FetchError):
    """A URL or redirect that is not http or https (file:, ftp:, data: ...)."""

    _silent = False


class TooManyRedirectsError(FetchError):
    """A chain of redirects longer than the client allows."""

    _silent = False


class UntrustedCertificateError(FetchError):
    """The server's TLS certificate was not trusted (self-signed, expired, another name): never
    retried, and not "offline" — the connection works, the server cannot be believed."""

    _silent = False


class TooLargeError(FetchError):
    """A feed or cover larger than its size limit."""

    _silent = False


class DownloadError(SyncError):
    """A download failed; the message says why. No file is left under the final name."""


class VerificationError(DownloadError):
    """A downloaded file whose size or checksum is wrong; it is kept aside, never delivered."""


class DownloadCancelled(DownloadError):
    """The caller cancelled the download; the partial file is kept for a later resume."""


class DownloadTooLargeError(DownloadError):
    """A body longer than its declared length (plus slack) or than the most a download may be:
    stopped there, and nothing of it kept (trying again would not help)."""


class LowDiskSpaceError(DownloadError):
    """The disk of the download's folder would have less free space than downloads leave:
    not started, or stopped with the partial file kept to resume once space is freed."""


class CatalogError(SyncError):
    """A catalogue document (OPDS feed, OpenSearch description) that cannot be read.

    The message is one line naming the URL and what is wrong with the document.

    Attributes:
        url: the URL the document came from.
        problem: what is wrong, without the URL.
    """

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.problem = problem
