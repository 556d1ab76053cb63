"""Typed errors of the sync package: each says what failed and where, in one line."""

from __future__ import annotations


class SyncError(Exception):
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


class UnsafeURLError(FetchError):
    """A URL or redirect that is not http or https (file:, ftp:, data: ...)."""


class TooManyRedirectsError(FetchError):
    """A chain of redirects longer than the client allows."""


class UntrustedCertificateError(FetchError):
    """The server's TLS certificate was not trusted (self-signed, expired, another name): never
    retried, and not "offline" — the connection works, the server cannot be believed."""


class TooLargeError(FetchError):
    """A feed or cover larger than its size limit."""


class DownloadError(SyncError):
    """A download failed; the message says why. No file is left under the final name."""


class VerificationError(DownloadError):
    """A downloaded file whose size or checksum is wrong; it is kept aside, never delivered."""


class DownloadCancelled(DownloadError):
    """The caller cancelled the download; the partial file is kept for a later resume."""


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
