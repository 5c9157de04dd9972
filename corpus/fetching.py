"""Polite, bounded HTTP fetching of article pages and feeds.

Provincial papers run on small servers, so every request says who we are,
each host gets at most a few requests at a time, transient failures (connect
errors, 5xx, 429) are retried a bounded number of times with exponential
backoff, and re-polls are conditional (ETag / Last-Modified kept in a
`ValidatorCache` that outlives the run), so an unchanged page costs a 304.
A crawl also spaces its requests to one host by `delay` seconds (more when
the site's robots.txt asks for a Crawl-delay: `slow_down`).
"""

import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from types import TracebackType
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from schemas.errors import InputError

USER_AGENT = "thongke/0.1 (+https://github.com/thongke; statistics from Vietnamese provincial news)"

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ValidatorCache(Protocol):
    """Where a URL's last ETag / Last-Modified live between runs (the store's `fetch_log`)."""

    def get(self, url: str) -> tuple[str | None, str | None] | None: ...

    def put(self, url: str, etag: str | None, last_modified: str | None, status: int) -> None: ...


class MemoryValidatorCache:
    """A ValidatorCache for one process, and for tests."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str | None, str | None, int]] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        with self._lock:
            entry = self._entries.get(url)
        return (entry[0], entry[1]) if entry and (entry[0] or entry[1]) else None

    def put(self, url: str, etag: str | None, last_modified: str | None, status: int) -> None:
        with self._lock:
            self._entries[url] = (etag, last_modified, status)


@dataclass(frozen=True)
class Fetched:
    """A response worth reading: 2xx with its body, or 304 (`unchanged`, no body)."""

    url: str
    status: int
    content: bytes
    content_type: str | None
    charset: str | None

    @property
    def unchanged(self) -> bool:
        return self.status == 304


class Fetcher:
    """Fetches URLs; failures come back as InputError naming the URL and the problem."""

    def __init__(
        self,
        *,
        cache: ValidatorCache | None = None,
        timeout: float = 10.0,
        attempts: int = 3,
        backoff: float = 0.5,
        max_delay: float = 30.0,
        per_host: int = 2,
        workers: int = 8,
        delay: float = 0.0,
        max_bytes: int = 10_000_000,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.cache: ValidatorCache = cache if cache is not None else MemoryValidatorCache()
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.max_delay = max_delay
        self.per_host = max(1, per_host)
        self.workers = max(1, workers)
        self.max_bytes = max_bytes
        self.delay = max(0.0, delay)
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            limits=httpx.Limits(max_connections=self.workers),
            transport=transport,
        )
        self._slots: dict[str, threading.Semaphore] = {}
        self._slots_lock = threading.Lock()
        self._delays: dict[str, float] = {}
        self._next_start: dict[str, float] = {}

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def slow_down(self, host: str, delay: float) -> None:
        """Space this host's requests by at least `delay` seconds (a robots.txt Crawl-delay)."""
        with self._slots_lock:
            self._delays[host.lower()] = max(delay, self._delays.get(host.lower(), 0.0))

    def fetch(self, url: str, *, conditional: bool = True) -> Fetched:
        """One URL, conditionally when the cache knows it (unless `conditional` is False); raises InputError."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise InputError(url, "not an http(s) URL")
        headers = self._conditional_headers(url) if conditional else {}
        attempt = 1
        while True:  # bounded: every pass either returns, raises or counts an attempt
            retry_after = None
            try:
                response, body = self._get(url, headers)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                if attempt >= self.attempts:
                    raise InputError(url, f"cannot connect after {attempt} attempts: {_reason(error)}") from error
            except httpx.TimeoutException as error:
                raise InputError(url, f"timed out after {self.timeout:g} s") from error
            except httpx.HTTPError as error:
                raise InputError(url, f"request failed: {_reason(error)}") from error
            else:
                if response.status_code not in _RETRY_STATUSES or attempt >= self.attempts:
                    return self._result(url, response, body, attempt)
                retry_after = response.headers.get("Retry-After")
            time.sleep(self.retry_delay(attempt, retry_after))
            attempt += 1

    def fetch_all(self, urls: Iterable[str], *, conditional: bool = True) -> Iterator[Fetched | InputError]:
        """Many URLs on a bounded thread pool, per-host limited; results in input order."""
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="thongke-fetch") as pool:
            yield from pool.map(partial(self._fetch_or_error, conditional=conditional), urls)

    def _fetch_or_error(self, url: str, *, conditional: bool = True) -> Fetched | InputError:
        try:
            return self.fetch(url, conditional=conditional)
        except InputError as error:
            return error

    def _conditional_headers(self, url: str) -> dict[str, str]:
        known = self.cache.get(url)
        if known is None:
            return {}
        etag, last_modified = known
        headers = {"If-None-Match": etag} if etag else {}
        return headers | ({"If-Modified-Since": last_modified} if last_modified else {})

    @contextmanager
    def _host_slot(self, url: str) -> Iterator[None]:
        host = urlsplit(url).netloc.lower()
        with self._slots_lock:
            slot = self._slots.setdefault(host, threading.Semaphore(self.per_host))
        with slot:
            self._wait_turn(host)
            yield

    def _wait_turn(self, host: str) -> None:
        """Sleep until this host's next request may start: each start books the next one `delay` later."""
        with self._slots_lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + max(self.delay, self._delays.get(host, 0.0))
        if start > now:
            time.sleep(start - now)

    def _get(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        with self._host_slot(url), self._client.stream("GET", url, headers=headers) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise InputError(url, f"response larger than {self.max_bytes} bytes")
            return response, bytes(body)

    def retry_delay(self, attempt: int, retry_after: str | None) -> float:
        wanted = float(retry_after) if retry_after and retry_after.strip().isdigit() else 0.0
        return min(max(self.backoff * 2 ** (attempt - 1), wanted), self.max_delay)

    def _result(self, url: str, response: httpx.Response, body: bytes, attempts: int) -> Fetched:
        status = response.status_code
        if status == 304:
            etag, last_modified = self.cache.get(url) or (None, None)
            self.cache.put(
                url,
                response.headers.get("ETag", etag),
                response.headers.get("Last-Modified", last_modified),
                status,
            )
            return Fetched(url=url, status=status, content=b"", content_type=None, charset=None)
        if not response.is_success:
            self.cache.put(url, None, None, status)
            tried = f" (after {attempts} attempts)" if attempts > 1 else ""
            raise InputError(url, f"HTTP {status} {response.reason_phrase}{tried}")
        self.cache.put(url, response.headers.get("ETag"), response.headers.get("Last-Modified"), status)
        return Fetched(
            url=url,
            status=status,
            content=body,
            content_type=response.headers.get("Content-Type"),
            charset=response.charset_encoding,
        )


def _reason(error: httpx.HTTPError) -> str:
    return str(error) or type(error).__name__
