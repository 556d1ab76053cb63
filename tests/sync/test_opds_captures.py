"""Every real OPDS capture of ../shared/fixtures/opds parses, or fails with a one-line error."""

from __future__ import annotations

from pathlib import Path

from sync.errors import CatalogError
from sync.opds import parse_feed

BASE = "https://catalog.example.org/opds/"
FEED_SUFFIXES = {".xml", ".atom", ".json", ".opds", ".unknown"}
# Documents that are not feeds: schemas, OpenSearch descriptions, authentication, reading
# progression, user profiles. They are checked to fail cleanly, not counted.
NOT_FEEDS = (
    "schemas/",
    "opensearch",
    "openlibrary-search",
    "authentication",
    "progression",
    "user-profile",
)


def feed_files(root: Path) -> list[Path]:
    """The feed-like files under ``root``, sorted."""
    return sorted(
        path for path in root.rglob("*") if path.is_file() and path.suffix in FEED_SUFFIXES
    )


def test_every_capture_parses_or_fails_in_one_line(opds: Path) -> None:
    parsed: list[str] = []
    failed: list[str] = []
    for path in feed_files(opds):
        relative = path.relative_to(opds).as_posix()
        url = BASE + relative
        try:
            feed = parse_feed(path.read_bytes(), url, "")
        except CatalogError as error:
            message = str(error)
            assert "\n" not in message, relative
            assert message.startswith(url + ": "), message
            failed.append(relative)
            continue
        if any(marker in relative for marker in NOT_FEEDS):
            continue
        assert feed.url == url
        # An ODL feed whose publications carry only licenses keeps its notes and nothing else.
        assert feed.entries or feed.navigation or feed.groups or feed.notes, relative
        for note in feed.notes:
            assert "\n" not in note
        parsed.append(relative)
    real_failures = [name for name in failed if not any(m in name for m in NOT_FEEDS)]
    # The real captures (Feedbooks, NYPL, Palace, Readium, Thorium) all parse; only spec
    # fragments (snippets with unbound prefixes, ODL status documents) may fail.
    assert len(parsed) >= 45, parsed
    assert all(name.startswith("opds-spec-drafts-examples/") for name in real_failures), (
        real_failures
    )
    assert len(parsed) > 2 * len(real_failures)


def test_captures_of_real_servers_all_parse(opds: Path) -> None:
    for folder in (
        "feedbooks-opds-test-catalog",
        "nypl-opds-feed-parser",
        "palace-circulation-tests",
        "readium-kotlin-toolkit",
        "readium-swift-toolkit",
        "thorium-reader-epub-tests",
    ):
        for path in feed_files(opds / folder):
            relative = path.relative_to(opds).as_posix()
            if any(marker in relative for marker in NOT_FEEDS):
                continue
            parse_feed(path.read_bytes(), BASE + relative, "application/xml")
