"""The `fetch_log` table: ETag / Last-Modified per URL, so a re-poll next run is conditional.

It implements `corpus.fetching.ValidatorCache` on a thongke store (the table
and its column comments are `database.FETCH_LOG`). A validator is only as good
as the data it vouches for: what the fetcher learns is held back (`pending`)
until the page's article is stored, and is written in the same transaction as
that article (`commit`), so a crash, a kill or a failed extraction leaves the
page to be fetched again in full next run. Validators of URLs that stored no
article of their own (feeds, pages found unchanged) are written by
`commit_all` once the whole run has succeeded.

The fetcher calls it from its worker threads while the main thread may be
writing articles; each read is one short store operation (`session`), so the
file stays free for readers in between.
"""

import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime, timezone

import duckdb

Session = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]
UPSERT = """
INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
    status = excluded.status, fetched_at = excluded.fetched_at
"""

Row = tuple[str, str | None, str | None, int, datetime]


class FetchLog:
    """A ValidatorCache kept in DuckDB, written only alongside the data it validates; `fetched_at` is UTC.

    `session` gives the connection for one operation (`Store.session`).
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._lock = threading.Lock()
        self._pending: dict[str, Row] = {}
        self.not_modified = 0  # responses 304 this run: pages and feeds unchanged since they were stored

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        with self._session() as con:
            row = con.cursor().execute("SELECT etag, last_modified FROM fetch_log WHERE url = ?", [url]).fetchone()
        return (row[0], row[1]) if row and (row[0] or row[1]) else None

    def put(self, url: str, etag: str | None, last_modified: str | None, status: int) -> None:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._lock:
            self._pending[url] = (url, etag, last_modified, status, now)
            self.not_modified += status == 304

    def forget(self, url: str) -> None:
        """A URL whose content could not be stored: its validators must not make the next run skip it."""
        with self._lock:
            self._pending.pop(url, None)

    def commit(self, con: duckdb.DuckDBPyConnection, urls: Iterable[str]) -> None:
        """Write the held-back validators of `urls` on `con`, inside the caller's transaction."""
        with self._lock:
            rows = [self._pending.pop(url) for url in set(urls) if url in self._pending]
        for row in rows:
            con.execute(UPSERT, list(row))

    def commit_all(self) -> None:
        """Write every validator still held back: the run finished and stored all it read."""
        with self._lock:
            rows, self._pending = list(self._pending.values()), {}
        with self._session() as con:
            for row in rows:
                con.cursor().execute(UPSERT, list(row))
