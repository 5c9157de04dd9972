"""A small web of provincial-news pages and feeds on 127.0.0.1, for fetching tests.

Pages come from tests/fixtures/web (UTF-8 sources; `{base}` becomes the
server's address, windows-1258 pages are encoded when served). The server
logs every request, answers conditional requests with 304, and can delay,
redirect, trickle (one byte at a time) or fail a page a set number of times.
It never leaves the loopback address.
"""

import threading
from collections.abc import Iterator
import time
import unicodedata
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "web"

# Tone marks stay combining in windows-1258; other marks (ê, ă, ơ, …) have code points there.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")

LAST_MODIFIED = formatdate(1_720_000_000, usegmt=True)


def to_windows_1258(text: str) -> bytes:
    """Encode as a Vietnamese windows-1258 page really is: base letter, then a combining tone."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in decomposed if mark in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        out += (base + tones).encode("cp1258")
    return bytes(out)


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    failures: int = 0
    failure_status: int = 503
    retry_after: str | None = None
    location: str | None = None
    trickle: float = 0.0


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    status: int

    @property
    def conditional(self) -> bool:
        return "if-none-match" in self.headers or "if-modified-since" in self.headers


@dataclass
class LocalWeb:
    base: str = ""
    pages: dict[str, Page] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def fixture(self, name: str) -> str:
        return (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", self.base)

    def hits(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]


def _not_modified(page: Page, headers: dict[str, str]) -> bool:
    if "if-none-match" in headers:
        return page.etag is not None and headers["if-none-match"] == page.etag
    if "if-modified-since" in headers and page.last_modified:
        return parsedate_to_datetime(headers["if-modified-since"]) >= parsedate_to_datetime(page.last_modified)
    return False


def _handler(web: LocalWeb) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test reads `web.requests` instead."""

        def do_GET(self) -> None:
            with web.lock:
                web.in_flight += 1
                web.max_in_flight = max(web.max_in_flight, web.in_flight)
            self.answered = False
            try:
                self._answer()
            finally:
                self._done()

        def _done(self) -> None:
            """A request stops counting as in flight before its answer is sent: the client may start the next one as soon as it has it."""
            with web.lock:
                web.in_flight -= not self.answered
                self.answered = True

        def _answer(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            page = web.pages.get(self.path)
            if page is None:
                return self._send(404, b"<h1>Not found</h1>", {"Content-Type": "text/html"}, headers)
            time.sleep(page.delay)
            with web.lock:
                failing = page.failures > 0
                page.failures -= failing
            if failing:
                extra = {"Retry-After": page.retry_after} if page.retry_after else {}
                return self._send(page.failure_status, b"busy", extra, headers)
            if page.location:
                return self._send(302, b"", {"Location": page.location}, headers)
            validators = {k: v for k, v in (("ETag", page.etag), ("Last-Modified", page.last_modified)) if v}
            if _not_modified(page, headers):
                return self._send(304, b"", validators, headers)
            self._send(200, page.body, {"Content-Type": page.content_type} | validators, headers, page.trickle)

        def _send(self, status: int, body: bytes, extra: dict[str, str], headers: dict[str, str], trickle: float = 0.0) -> None:
            with web.lock:
                web.requests.append(Request(self.path, headers, status))
            self._done()
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status == 304:
                return
            if not trickle:
                self.wfile.write(body)
                return
            try:
                for byte in body:  # bounded by the body's length
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(trickle)
            except OSError:
                pass  # the client gave up, as it should

    return Handler


class Server:
    """Context manager: a LocalWeb served on 127.0.0.1 on a free port."""

    def __init__(self) -> None:
        self.web = LocalWeb()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.web))
        self._httpd.daemon_threads = True
        self.web.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> LocalWeb:
        self._thread.start()
        return self.web

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def provincial_web(web: LocalWeb) -> LocalWeb:
    """The standard site: feeds, article pages in UTF-8 and windows-1258, and misbehaving URLs."""

    def utf8(name: str) -> bytes:
        return web.fixture(name).encode("utf-8")

    web.pages.update(
        {
            "/feeds/xay-dung-dang.rss": Page(utf8("xay-dung-dang.rss"), "application/rss+xml; charset=utf-8", etag='"rss-1"', last_modified=LAST_MODIFIED),
            # Served with a wrong media type, as some provincial sites do: found by its root element.
            "/feeds/doan-the.atom": Page(utf8("doan-the.atom"), "text/plain; charset=utf-8", last_modified=LAST_MODIFIED),
            "/feeds/hong.rss": Page(utf8("hong.rss"), "application/rss+xml"),
            "/articles/ket-nap-dang-vien.html": Page(utf8("ket-nap-dang-vien.html"), etag='"a1"'),
            "/articles/thanh-lap-cong-doan.html": Page(
                to_windows_1258(web.fixture("thanh-lap-cong-doan.html")), "text/html; charset=windows-1258", last_modified=LAST_MODIFIED
            ),
            "/articles/doan-vien-uu-tu.html": Page(
                to_windows_1258(web.fixture("doan-vien-uu-tu.html")), "text/html", etag='"a3"', last_modified=LAST_MODIFIED
            ),
            "/articles/hoi-vien-phu-nu.html": Page(utf8("hoi-vien-phu-nu.html"), etag='"a4"'),
            "/files/bao-cao.pdf": Page(b"%PDF-1.4 not really", "application/pdf"),
        }
    )
    return web


@pytest.fixture
def web() -> Iterator[LocalWeb]:
    """The provincial web, fresh (empty request log) for each test."""
    with Server() as served:
        yield provincial_web(served)
