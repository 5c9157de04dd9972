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
    at: float = 0.0  # when it arrived (time.monotonic)

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
            self.arrived = time.monotonic()
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
                web.requests.append(Request(self.path, headers, status, self.arrived))
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


# ---- a provincial paper's site as users follow it: section feeds, an OPML list, robots.txt, sitemaps ----

#: Invented articles: (path, title, commune, figure). Every page carries an ETag, so re-runs are conditional.
SITE_ARTICLES = [
    ("/bai/tan-lap-ket-nap.html", "Xã Tân Lập kết nạp 14 đảng viên mới", "Tân Lập", 14),
    ("/bai/hoa-binh-ket-nap.html", "Xã Hòa Bình kết nạp 9 đảng viên mới", "Hòa Bình", 9),
    ("/bai/quynh-luu-cong-doan.html", "Xã Quỳnh Lưu thành lập 6 công đoàn cơ sở", "Quỳnh Lưu", 6),
    ("/bai/dien-chau-doan-vien.html", "Xã Diễn Châu giới thiệu 23 đoàn viên ưu tú", "Diễn Châu", 23),
    ("/bai/nghi-loc-chap-chon.html", "Xã Nghi Lộc kết nạp 11 đảng viên mới", "Nghi Lộc", 11),
    ("/noi-bo/bao-cao-mat.html", "Báo cáo nội bộ: xã Yên Thành kết nạp 8 đảng viên", "Yên Thành", 8),
]
#: Section feeds and the articles (indexes of SITE_ARTICLES) each lists.
SITE_FEEDS = {
    "/rss/xay-dung-dang.rss": ("Xây dựng Đảng", [0, 1]),
    "/rss/cong-doan.rss": ("Công đoàn", [2]),
    "/rss/doan-thanh-nien.rss": ("Đoàn thanh niên", [3]),
    "/rss/chap-chon.rss": ("Tin nhanh", [4]),
}
FLAKY_FEED = "/rss/chap-chon.rss"


def site_page(title: str, commune: str, figure: int) -> bytes:
    body = (f"Năm 2024, Đảng bộ xã {commune}, huyện Yên Thành đã kết nạp {figure} đảng viên mới, "
            f"nâng tổng số đảng viên của xã lên {figure * 20} đồng chí. Công tác phát triển đảng viên "
            f"được các chi bộ quan tâm, chất lượng sinh hoạt chi bộ được nâng lên.")
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body}</p><p>{body}</p></article></body></html>").encode("utf-8")


def site_feed(web: LocalWeb, title: str, articles: list[int]) -> bytes:
    items = "".join(f"<item><title>{SITE_ARTICLES[i][1]}</title><link>{web.url(SITE_ARTICLES[i][0])}</link>"
                    f"<pubDate>Fri, 12 Jul 2024 01:30:00 GMT</pubDate></item>" for i in articles)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{web.url('/')}</link>{items}</channel></rss>").encode("utf-8")


def sitemap(web: LocalWeb, kind: str, entries: list[tuple[str, str]]) -> bytes:
    """A sitemap index (kind 'sitemap') or a urlset (kind 'url') of (path, lastmod) entries."""
    root = "sitemapindex" if kind == "sitemap" else "urlset"
    body = "".join(f"<{kind}><loc>{web.url(path)}</loc><lastmod>{lastmod}</lastmod></{kind}>" for path, lastmod in entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{body}</{root}>").encode("utf-8")


def opml(web: LocalWeb, paths: list[str]) -> bytes:
    outlines = "".join(f'<outline type="rss" text="{SITE_FEEDS[path][0]}" title="{SITE_FEEDS[path][0]}" xmlUrl="{web.url(path)}"/>'
                       for path in paths)
    return (f'<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>Báo tỉnh</title></head>'
            f'<body><outline text="Báo tỉnh">{outlines}</outline></body></opml>').encode("utf-8")


def followed_site(web: LocalWeb) -> LocalWeb:
    """The site: a home page linking one feed, four section feeds (one failing twice then recovering),
    robots.txt disallowing /noi-bo/ and naming a sitemap index of two sitemaps."""
    xml = "application/xml"
    web.pages.update({path: Page(site_page(title, commune, figure), etag=f'"{number}"')
                      for number, (path, title, commune, figure) in enumerate(SITE_ARTICLES)})
    web.pages.update({path: Page(site_feed(web, title, articles), "application/rss+xml; charset=utf-8", etag=f'"feed-{path}"')
                      for path, (title, articles) in SITE_FEEDS.items()})
    web.pages[FLAKY_FEED].failures, web.pages[FLAKY_FEED].failure_status = 2, 403
    web.pages["/"] = Page((f'<html><head><title>Báo tỉnh</title><link rel="alternate" type="application/rss+xml" '
                           f'title="Xây dựng Đảng" href="/rss/xay-dung-dang.rss"></head><body><h1>Báo tỉnh</h1></body></html>').encode())
    web.pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /noi-bo/\n\nSitemap: " + web.url("/sitemap_index.xml").encode() + b"\n",
                                    "text/plain")
    web.pages["/sitemap_index.xml"] = Page(sitemap(web, "sitemap", [("/sitemaps/2024-05.xml", "2024-05-31"), ("/sitemaps/2024-06.xml", "2024-06-30")]),
                                           xml, etag='"index"')
    web.pages["/sitemaps/2024-05.xml"] = Page(sitemap(web, "url", [(SITE_ARTICLES[i][0], "2024-05-20") for i in (0, 2, 5)]), xml, etag='"may"')
    web.pages["/sitemaps/2024-06.xml"] = Page(sitemap(web, "url", [(SITE_ARTICLES[i][0], "2024-06-12") for i in (1, 3)]), xml, etag='"june"')
    web.pages["/danh-sach.opml"] = Page(opml(web, list(SITE_FEEDS)[:3]), "text/x-opml")
    return web


@pytest.fixture
def site() -> Iterator[LocalWeb]:
    """The followed site, fresh for each test."""
    with Server() as served:
        yield followed_site(served)
