"""The `fetch_log` table: ETag / Last-Modified per URL, so a re-poll next run is conditional.

It implements `corpus.fetching.ValidatorCache` on a DuckDB database. The
fetcher calls it from its worker threads while the main thread may be writing
articles, so it works on its own cursor (DuckDB's per-thread connection)
behind a lock.
"""

import threading
from datetime import datetime, timezone

import duckdb

SCHEMA = """
CREATE TABLE IF NOT EXISTS fetch_log (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    status INTEGER,
    fetched_at TIMESTAMP
)
"""


class FetchLog:
    """A ValidatorCache kept in DuckDB; `fetched_at` is UTC."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._cursor = con.cursor()
        self._lock = threading.Lock()
        with self._lock:
            self._cursor.execute(SCHEMA)

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        with self._lock:
            row = self._cursor.execute("SELECT etag, last_modified FROM fetch_log WHERE url = ?", [url]).fetchone()
        return (row[0], row[1]) if row and (row[0] or row[1]) else None

    def put(self, url: str, etag: str | None, last_modified: str | None, status: int) -> None:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._lock:
            self._cursor.execute(
                """
                INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                    status = excluded.status, fetched_at = excluded.fetched_at
                """,
                [url, etag, last_modified, status, now],
            )

    def close(self) -> None:
        with self._lock:
            self._cursor.close()
