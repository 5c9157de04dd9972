"""The fetcher against a local server: politeness, retries, timeouts, conditional re-polls."""

import socket
import time
from pathlib import Path

import pytest

from corpus.fetching import USER_AGENT, Fetched, Fetcher, MemoryValidatorCache
from pipeline.store.database import Store
from pipeline.store.fetch_log import FetchLog
from schemas.errors import InputError
from tests.local_web import LocalWeb, Page, web  # noqa: F401 (pytest fixture)

ARTICLE = "/articles/ket-nap-dang-vien.html"


def quick(**options: object) -> Fetcher:
    """A fetcher with test-sized timeouts and backoff, allowed to reach the loopback test server."""
    return Fetcher(**{"timeout": 0.5, "backoff": 0.01, "attempts": 3, "allow_private": True} | options)  # type: ignore[arg-type]


def test_sends_an_honest_user_agent(web: LocalWeb) -> None:
    with quick() as fetcher:
        fetched = fetcher.fetch(web.url(ARTICLE))
    assert fetched.status == 200
    assert "Đà Bắc".encode() in fetched.content
    assert fetched.charset == "utf-8"
    assert web.hits(ARTICLE)[0].headers["user-agent"] == USER_AGENT


@pytest.mark.parametrize(
    ("path", "page", "problem", "requests"),
    [
        ("/articles/da-go.html", None, "HTTP 404 Not Found", 1),
        ("/down", Page(b"", failures=9, failure_status=500), "HTTP 500 Internal Server Error (after 3 attempts)", 3),
        ("/bao-tri", Page(b"", failures=9, failure_status=503), "HTTP 503 Service Unavailable (after 3 attempts)", 3),
        ("/slow", Page(b"<p>cham</p>", delay=1.0), "timed out after 0.5 s", 1),
    ],
)
def test_failures_name_the_url_and_the_problem(web: LocalWeb, path: str, page: Page | None, problem: str, requests: int) -> None:
    if page is not None:
        web.pages[path] = page
    started = time.monotonic()
    with quick() as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(web.url(path))
    assert caught.value.source == web.url(path)
    assert caught.value.problem == problem
    assert time.monotonic() - started < 1.5
    time.sleep(0.6 if page and page.delay else 0)  # let the slow handler log its answer
    assert len(web.hits(path)) == requests


@pytest.mark.parametrize(
    ("page", "requests"),
    [
        (Page(b"<p>ok</p>", failures=2, failure_status=503), 3),
        (Page(b"<p>ok</p>", failures=1, failure_status=429, retry_after="0"), 2),
        (Page(b"<p>ok</p>", failures=1, failure_status=502), 2),
    ],
)
def test_transient_failures_are_retried_with_bounded_attempts(web: LocalWeb, page: Page, requests: int) -> None:
    web.pages["/flaky"] = page
    with quick() as fetcher:
        assert fetcher.fetch(web.url("/flaky")).content == b"<p>ok</p>"
    assert [r.status for r in web.hits("/flaky")][-1] == 200
    assert len(web.hits("/flaky")) == requests


def test_backoff_grows_exponentially_and_honours_retry_after_within_bounds() -> None:
    fetcher = Fetcher(backoff=0.5, max_delay=3.0)
    assert [fetcher.retry_delay(attempt, None) for attempt in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert fetcher.retry_delay(1, "2") == 2.0
    assert fetcher.retry_delay(1, "3600") == 3.0
    assert fetcher.retry_delay(1, "Wed, 21 Oct 2015 07:28:00 GMT") == 0.5
    fetcher.close()


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as probe:  # a loopback port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/bai-viet.html"
    with quick(attempts=2) as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(url)
    assert caught.value.source == url
    assert caught.value.problem.startswith("cannot connect after 2 attempts: ")


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/a.html", "file:///etc/hosts", "127.0.0.1/a.html"])
def test_only_http_urls_are_fetched(url: str) -> None:
    with quick() as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(url)
    assert caught.value.problem == "not an http(s) URL"


def test_oversized_response_is_refused(web: LocalWeb) -> None:
    web.pages["/lon"] = Page(b"x" * 5000)
    with quick(max_bytes=1000) as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(web.url("/lon"))
    assert caught.value.problem == "response larger than 1000 bytes"


@pytest.mark.parametrize(
    ("path", "validator_header"),
    [
        ("/articles/ket-nap-dang-vien.html", "if-none-match"),  # ETag only
        ("/articles/thanh-lap-cong-doan.html", "if-modified-since"),  # Last-Modified only
        ("/articles/doan-vien-uu-tu.html", "if-none-match"),  # both: ETag wins
    ],
)
def test_repoll_is_conditional_and_unchanged(web: LocalWeb, path: str, validator_header: str) -> None:
    cache = MemoryValidatorCache()
    with quick(cache=cache) as fetcher:
        first = fetcher.fetch(web.url(path))
    with quick(cache=cache) as next_run:  # a new run, same validators
        second = next_run.fetch(web.url(path))
    assert first.status == 200 and not first.unchanged
    assert second.unchanged and second.content == b""
    first_request, second_request = web.hits(path)
    assert not first_request.conditional
    assert validator_header in second_request.headers
    assert second_request.status == 304


def test_changed_page_is_fetched_again(web: LocalWeb) -> None:
    cache = MemoryValidatorCache()
    with quick(cache=cache) as fetcher:
        fetcher.fetch(web.url(ARTICLE))
        web.pages[ARTICLE].etag = '"a1-sua"'
        web.pages[ARTICLE].body = b"<p>ban sua</p>"
        again = fetcher.fetch(web.url(ARTICLE))
    assert again.status == 200 and again.content == b"<p>ban sua</p>"
    assert cache.get(web.url(ARTICLE)) == ('"a1-sua"', None)


def test_fetch_all_keeps_order_and_limits_each_host(web: LocalWeb) -> None:
    paths = [f"/cham-{n}" for n in range(6)]
    for path in paths:
        web.pages[path] = Page(f"<p>{path}</p>".encode(), delay=0.15)
    urls = [web.url(p) for p in paths] + [web.url("/articles/da-go.html")]
    with quick(per_host=2, workers=6, timeout=10.0) as fetcher:  # no timeout-and-retry on a loaded machine: that is a new request
        results = list(fetcher.fetch_all(urls))
    assert [r.content for r in results[:-1] if isinstance(r, Fetched)] == [f"<p>{p}</p>".encode() for p in paths]
    assert isinstance(results[-1], InputError) and results[-1].problem == "HTTP 404 Not Found"
    assert web.max_in_flight == 2


def test_fetch_log_persists_validators_in_duckdb(tmp_path: Path) -> None:
    db = tmp_path / "thongke.duckdb"
    with Store(db) as store:
        log = FetchLog(store.session)
        assert log.get("https://baomau.vn/a.html") is None
        log.put("https://baomau.vn/a.html", '"v1"', "Wed, 03 Jul 2024 09:46:40 GMT", 200)
        log.put("https://baomau.vn/a.html", '"v2"', None, 200)
        log.put("https://baomau.vn/mat.html", None, None, 404)
        log.put("https://baomau.vn/hong.html", '"h"', None, 200)
        log.forget("https://baomau.vn/hong.html")  # its article could not be stored
        log.commit_all()
        log.put("https://baomau.vn/chet.html", '"c"', None, 200)  # the run died before storing it
    with Store(db) as store:  # the next run
        log = FetchLog(store.session)
        assert log.get("https://baomau.vn/a.html") == ('"v2"', None)
        assert log.get("https://baomau.vn/mat.html") is None
        _, rows = store.query("SELECT url, status, fetched_at IS NOT NULL FROM fetch_log ORDER BY url")
    assert rows == [("https://baomau.vn/a.html", 200, True), ("https://baomau.vn/mat.html", 404, True)]


def test_fetch_log_drives_a_conditional_repoll(web: LocalWeb, tmp_path: Path) -> None:
    db = str(tmp_path / "thongke.duckdb")
    for _ in range(2):
        with Store(db) as store, quick(cache=(log := FetchLog(store.session))) as fetcher:
            fetcher.fetch(web.url(ARTICLE))
            log.commit_all()
    assert [(r.conditional, r.status) for r in web.hits(ARTICLE)] == [(False, 200), (True, 304)]
