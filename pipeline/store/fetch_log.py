"""The `fetch_log` table: ETag / Last-Modified per URL, so a re-poll next run is conditional.

It implements `corpus.fetching.ValidatorCache` on a thongke store (the table
and its column comments are `store.FETCH_LOG`). The fetcher calls it from its
worker threads while the main thread may be writing articles; each call is one
short store operation, so the file stays free for readers in between.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timezone

import duckdb

Session = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


class FetchLog:
    """A ValidatorCache kept in DuckDB's `fetch_log` table; `fetched_at` is UTC.

    `session` gives the connection for one operation (`Store.session`).
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        with self._session() as con:
            row = con.cursor().execute("SELECT etag, last_modified FROM fetch_log WHERE url = ?", [url]).fetchone()
        return (row[0], row[1]) if row and (row[0] or row[1]) else None

    def put(self, url: str, etag: str | None, last_modified: str | None, status: int) -> None:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._session() as con:
            con.cursor().execute(
                """
                INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                    status = excluded.status, fetched_at = excluded.fetched_at
                """,
                [url, etag, last_modified, status, now],
            )
