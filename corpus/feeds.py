"""RSS and Atom feeds: the entries a provincial paper lists, read with feedparser.

A feed is only a list of pointers; sources.py decides per entry whether its
own content is the article or its link must be fetched.
"""

import io
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import feedparser

from corpus.html import html_fragment_text
from corpus.reading import read_file_bytes
from schemas.errors import InputError

# Below this many characters an entry's content is a teaser, not the article.
FULL_TEXT_MIN_CHARS = 300

_FEED_MEDIA_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")
_SNIFF_BYTES = 1024


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed; text fields are plain NFC text."""

    link: str | None
    id: str | None
    title: str | None
    published: date | None
    summary: str | None
    content: str | None

    @property
    def full_text(self) -> str | None:
        """The entry's own content when it is long enough to be the article."""
        return self.content if self.content and len(self.content) >= FULL_TEXT_MIN_CHARS else None


@dataclass(frozen=True)
class Feed:
    source: str
    title: str | None
    entries: list[FeedEntry]


def looks_like_feed(data: bytes, content_type: str | None) -> bool:
    """A response is a feed by its media type or, when servers mislabel it, by its root element."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    return media_type in _FEED_MEDIA_TYPES or bool(_FEED_ROOT.search(data[:_SNIFF_BYTES]))


def _plain(value: str | None) -> str | None:
    return unicodedata.normalize("NFC", value.strip()) if value and value.strip() else None


def _entry_date(entry: feedparser.FeedParserDict) -> date | None:
    parsed: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None


def _entry_content(entry: feedparser.FeedParserDict) -> str | None:
    parts = [html_fragment_text(part.get("value", "")) for part in entry.get("content", [])]
    return _plain("\n\n".join(part for part in parts if part))


def _entry(entry: feedparser.FeedParserDict) -> FeedEntry:
    summary = entry.get("summary")
    return FeedEntry(
        link=_plain(entry.get("link")),
        id=_plain(entry.get("id")),
        title=_plain(entry.get("title")),
        published=_entry_date(entry),
        summary=_plain(html_fragment_text(summary)) if summary else None,
        content=_entry_content(entry),
    )


def parse_feed(data: bytes, *, source: str) -> Feed:
    """Entries of an RSS/Atom document; relative links resolve against `source` when it is a URL.

    A feed the parser could not make sense of (malformed and without entries)
    raises InputError naming the feed and the parser's complaint.
    """
    headers = {"content-location": source} if source.startswith(("http://", "https://")) else None
    # A stream, never str/bytes: feedparser would fetch a str that looks like a URL or open it as a path.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.entries:
        if parsed.bozo:
            raise InputError(source, f"malformed feed: {parsed.bozo_exception}")
        if not parsed.get("version"):
            raise InputError(source, "not an RSS or Atom feed")
    return Feed(source=source, title=_plain(parsed.feed.get("title")), entries=[_entry(e) for e in parsed.entries])


def read_feed_file(path: Path, max_bytes: int) -> Feed:
    """A feed saved on disk (.xml, .rss, .atom), refused unread when over `max_bytes`."""
    return parse_feed(read_file_bytes(path, max_bytes), source=str(path))
