"""Polite, bounded HTTP fetching of article pages and feeds.

Provincial papers run on small servers, so every request says who we are,
each host gets at most a few requests at a time, transient failures (connect
errors, 5xx, 429) are retried a bounded number of times with exponential
backoff, and re-polls are conditional (ETag / Last-Modified kept in a
`ValidatorCache` that outlives the run), so an unchanged page costs a 304.

Only the public web is fetched: every request and every redirect hop
resolves its host first and is refused when any address is loopback,
private, link-local, multicast or reserved (a redirect to a cloud metadata
service or to a database on the machine), unless `allow_private` is set for
a user's own intranet. Each URL has an overall `deadline` besides the
per-read `timeout`, so a server trickling bytes cannot hold it for long.
A crawl also spaces its requests to one host by `delay` seconds (more when
the site's robots.txt asks for a Crawl-delay: `slow_down`).
"""

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

import httpcore
import httpx

from corpus.reading import MAX_PAGE_BYTES
from schemas.errors import InputError

USER_AGENT = "thongke/0.1 (+https://github.com/thongke; statistics from Vietnamese provincial news)"

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_REDIRECTS = 10

#: Host name → the addresses it resolves to; tests give a stub instead of DNS.
Resolver = Callable[[str], list[str]]


def system_resolver(host: str) -> list[str]:
    """The addresses the system resolver gives for `host` (an IP literal resolves to itself)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


def non_public_kind(address: str) -> str | None:
    """Why an address is not on the public internet ('loopback', 'private', …), or None when it is."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (("loopback", ip.is_loopback), ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
              ("unspecified", ip.is_unspecified), ("private", ip.is_private), ("reserved", not ip.is_global))
    return next((kind for kind, found in checks if found), None)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def without_credentials(url: str) -> str:
    """The URL without a `user:password@` part, which must never be stored or shown."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


# The deadline of the fetch running on this thread, read by the network streams below.
_deadline = threading.local()


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose reads and writes never wait past the current fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    @staticmethod
    def _bounded(timeout: float | None) -> float | None:
        at: float | None = getattr(_deadline, "at", None)
        if at is None:
            return timeout
        left = at - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._bounded(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, self._bounded(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(host, port, _DeadlineStream._bounded(timeout), local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _deadline_transport(limits: httpx.Limits) -> httpx.HTTPTransport:
    """httpx's transport with its network backend wrapped (httpx has no overall timeout of its own)."""
    transport = httpx.HTTPTransport(limits=limits)
    pool = transport._pool  # noqa: SLF001 (httpx exposes no network_backend option)
    pool._network_backend = _DeadlineBackend(pool._network_backend)  # noqa: SLF001
    return transport


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
    """A response worth reading: 2xx with its body, or 304 (`unchanged`, no body).

    `url` is where the body came from after redirects; `requested` is the URL asked for.
    """

    url: str
    requested: str
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
        max_bytes: int = MAX_PAGE_BYTES,
        deadline: float = 30.0,
        allow_private: bool = False,
        resolver: Resolver = system_resolver,
    ) -> None:
        self.cache: ValidatorCache = cache if cache is not None else MemoryValidatorCache()
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.max_delay = max_delay
        self.per_host = max(1, per_host)
        self.workers = max(1, workers)
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.delay = max(0.0, delay)
        self.allow_private = allow_private
        self.resolver = resolver
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            transport=_deadline_transport(httpx.Limits(max_connections=self.workers)),
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
        headers = self._conditional_headers(url) if conditional else {}
        _deadline.at = time.monotonic() + self.deadline
        try:
            return self._fetch(url, headers)
        except InputError as error:
            if error.source != without_credentials(url):
                raise InputError(without_credentials(url), error.problem) from None
            raise
        finally:
            _deadline.at = None

    def _fetch(self, url: str, headers: dict[str, str]) -> Fetched:
        attempt = 1
        while True:  # bounded: every pass either returns, raises or counts an attempt
            retry_after = None
            try:
                final, response, body = self._follow(url, headers)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                if attempt >= self.attempts:
                    raise InputError(url, f"cannot connect after {attempt} attempts: {_reason(error)}") from error
            except httpx.TimeoutException as error:
                if time.monotonic() >= _deadline.at:
                    raise InputError(url, f"not fetched within the {self.deadline:g} s deadline") from error
                raise InputError(url, f"timed out after {self.timeout:g} s") from error
            except httpx.HTTPError as error:
                raise InputError(url, f"request failed: {_reason(error)}") from error
            else:
                if response.status_code not in _RETRY_STATUSES or attempt >= self.attempts:
                    return self._result(url, final, response, body, attempt)
                retry_after = response.headers.get("Retry-After")
            delay = self.retry_delay(attempt, retry_after)
            if time.monotonic() + delay >= _deadline.at:
                raise InputError(url, f"not fetched within the {self.deadline:g} s deadline (after {attempt} attempts)")
            time.sleep(delay)
            attempt += 1

    def _follow(self, url: str, headers: dict[str, str]) -> tuple[str, httpx.Response, bytes]:
        """GET `url`, following redirects by hand so that every hop is checked before it is requested."""
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._check(url, current)
            response, body = self._get(url, current, headers)
            target = response.headers.get("Location") if response.is_redirect else None
            if target is None:
                return current, response, body
            current = str(httpx.URL(current).join(target))
        raise InputError(url, f"more than {MAX_REDIRECTS} redirects")

    def _check(self, url: str, hop: str) -> None:
        """Refuse a hop that is not http(s) or whose host resolves to an address off the public internet."""
        via = "" if hop == url else f"redirected to {without_credentials(hop)}: "
        parts = urlsplit(hop)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise InputError(url, f"{via}not an http(s) URL")
        if self.allow_private:
            return
        try:
            addresses = [str(ipaddress.ip_address(parts.hostname))] if _is_ip(parts.hostname) else self.resolver(parts.hostname)
        except (OSError, UnicodeError) as error:
            raise InputError(url, f"{via}cannot resolve the host {parts.hostname} ({error})") from None
        for address in addresses:
            kind = non_public_kind(address)
            if kind is not None:
                raise InputError(url, f"{via}refused: {parts.hostname} is a {kind} address ({address}); "
                                      "pass --allow-private to fetch from a private network")

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

    def _get(self, url: str, hop: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        with self._host_slot(hop), self._client.stream("GET", hop, headers=headers) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise InputError(url, f"response larger than {self.max_bytes} bytes")
            return response, bytes(body)

    def retry_delay(self, attempt: int, retry_after: str | None) -> float:
        wanted = float(retry_after) if retry_after and retry_after.strip().isdigit() else 0.0
        return min(max(self.backoff * 2 ** (attempt - 1), wanted), self.max_delay)

    def _result(self, url: str, final: str, response: httpx.Response, body: bytes, attempts: int) -> Fetched:
        status = response.status_code
        if status == 304:
            etag, last_modified = self.cache.get(url) or (None, None)
            self.cache.put(
                url,
                response.headers.get("ETag", etag),
                response.headers.get("Last-Modified", last_modified),
                status,
            )
            return Fetched(url=final, requested=url, status=status, content=b"", content_type=None, charset=None)
        if not response.is_success:
            self.cache.put(url, None, None, status)
            tried = f" (after {attempts} attempts)" if attempts > 1 else ""
            raise InputError(url, f"HTTP {status} {response.reason_phrase}{tried}")
        self.cache.put(url, response.headers.get("ETag"), response.headers.get("Last-Modified"), status)
        return Fetched(
            url=final,
            requested=url,
            status=status,
            content=body,
            content_type=response.headers.get("Content-Type"),
            charset=response.charset_encoding,
        )


def _reason(error: httpx.HTTPError) -> str:
    return str(error) or type(error).__name__
