"""The `feeds` table: the list of feeds a user follows, and how each one's polls went.

A feed's outlet and province come from its domain (`corpus.metadata.outlet_of_domain`,
the data in corpus/data/outlets.json), so the list shows whose paper each feed is.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from corpus.metadata import outlet_of_domain
from corpus.subscriptions import Subscription
from pipeline.store.database import FEEDS, Store


@dataclass(frozen=True, slots=True)
class FollowedFeed:
    url: str
    title: str | None
    failures: int


@dataclass(frozen=True, slots=True)
class Poll:
    """One feed's poll: its own failure (None when it was read or unchanged) and the new articles stored from it."""

    url: str
    error: str | None
    new_articles: int


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class FeedList:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, feeds: Iterable[Subscription]) -> tuple[list[str], list[str]]:
        """Add feeds not yet followed; returns (added, already followed) URLs. A known feed without a title takes the one given."""
        added, known = [], []
        with self.store.session():  # the file opened once for the whole list
            followed = {feed.url for feed in self.feeds()}
            for feed in dict((feed.url, feed) for feed in feeds).values():
                if feed.url in followed:
                    known.append(feed.url)
                    self.store.query("UPDATE feeds SET title = coalesce(title, ?) WHERE url = ?", [feed.title, feed.url])
                    continue
                outlet = outlet_of_domain(feed.url)
                self.store.query("INSERT INTO feeds (url, title, outlet, province, added_at) VALUES (?, ?, ?, ?, ?)",
                                 [feed.url, feed.title, outlet.name if outlet else None, outlet.province if outlet else None, _now()])
                added.append(feed.url)
        return added, known

    def remove(self, urls: Iterable[str]) -> tuple[list[str], list[str]]:
        """Stop following feeds; returns (removed, not followed) URLs. What they stored stays."""
        followed = {feed.url for feed in self.feeds()}
        removed = [url for url in dict.fromkeys(urls) if url in followed]
        if removed:
            self.store.query("DELETE FROM feeds WHERE url IN (SELECT unnest(?))", [removed])
        return removed, [url for url in dict.fromkeys(urls) if url not in followed]

    def feeds(self) -> list[FollowedFeed]:
        """Every followed feed, in the order added."""
        _, rows = self.store.query("SELECT url, title, failures FROM feeds ORDER BY added_at, url")
        return [FollowedFeed(*row) for row in rows]

    def table(self) -> tuple[list[str], list[tuple]]:
        """The whole list as a table, for `thongke feeds list`."""
        return self.store.query(f"SELECT {', '.join(FEEDS.names)} FROM feeds ORDER BY added_at, url")

    def record(self, polls: Iterable[Poll]) -> None:
        """What this round's polls found: status, error, failures in a row, articles added."""
        at = _now()
        with self.store.session():
            for poll in polls:
                self.store.query(
                    "UPDATE feeds SET last_polled_at = ?, last_status = ?, last_error = ?, "
                    "failures = CASE WHEN ? THEN failures + 1 ELSE 0 END, articles_found = articles_found + ? WHERE url = ?",
                    [at, "failed" if poll.error else "ok", poll.error, poll.error is not None, poll.new_articles, poll.url])
