"""A hostile server or feed: SSRF through redirects and feed links, credentials in URLs, trickled bodies.

Host names are resolved by a stub: `localhost` is told to be a public
address, so the loopback test server plays a public site while every other
name maps to the private or reserved address the case needs. Connections
only ever go to 127.0.0.1; a refused address is never connected to.
"""

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus.fetching import Fetcher, non_public_kind, without_credentials
from corpus.sources import read_sources
from pipeline.cli import app
from schemas import Article, InputError
from tests.local_web import LocalWeb, Page, web  # noqa: F401 (pytest fixture)

ARTICLE = "/articles/ket-nap-dang-vien.html"
PUBLIC = "93.184.216.34"
STUB_DNS = {"localhost": [PUBLIC], "intranet.test": ["192.168.1.10"], "redis.test": ["127.0.0.1"],
            "metadata.test": ["169.254.169.254"], "mixed.test": [PUBLIC, "10.0.0.7"]}
runner = CliRunner()


def resolve(host: str) -> list[str]:
    return STUB_DNS[host]


def public(web: LocalWeb, path: str) -> str:
    """The test server's URL under the name the stub resolver calls public."""
    return web.url(path).replace("127.0.0.1", "localhost")


def guarded(**options: object) -> Fetcher:
    return Fetcher(**{"timeout": 2.0, "backoff": 0.01, "attempts": 1, "resolver": resolve} | options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254 is a link-local address (169.254.169.254)"),
        ("http://metadata.test/latest/meta-data/", "metadata.test is a link-local address (169.254.169.254)"),
        ("http://redis.test:6379/", "redis.test is a loopback address (127.0.0.1)"),
        ("http://127.0.0.1:6379/", "127.0.0.1 is a loopback address (127.0.0.1)"),
        ("http://[::1]:8080/", "::1 is a loopback address (::1)"),
        ("http://intranet.test/admin", "intranet.test is a private address (192.168.1.10)"),
        ("http://mixed.test/", "mixed.test is a private address (10.0.0.7)"),
        ("http://0.0.0.0:22/", "0.0.0.0 is a unspecified address (0.0.0.0)"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused_before_any_request(web: LocalWeb, target: str, problem: str) -> None:
    web.pages["/moved"] = Page(b"", location=target)
    with guarded() as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(public(web, "/moved"))
    assert caught.value.source == public(web, "/moved")
    assert caught.value.problem.startswith(f"redirected to {target}: refused: {problem}; pass --allow-private")
    assert [r.path for r in web.requests] == ["/moved"]


def test_a_redirect_to_another_scheme_is_refused(web: LocalWeb) -> None:
    web.pages["/moved"] = Page(b"", location="file:///etc/passwd")
    with guarded() as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(public(web, "/moved"))
    assert caught.value.problem.startswith("redirected to file:")
    assert caught.value.problem.endswith("/etc/passwd: not an http(s) URL")


def test_a_public_chain_of_redirects_is_followed_and_the_final_url_stored(web: LocalWeb) -> None:
    web.pages["/old"] = Page(b"", location="/older")
    web.pages["/older"] = Page(b"", location=public(web, ARTICLE))
    with guarded() as fetcher:
        (article,) = read_sources([public(web, "/old")], fetcher=fetcher)
    assert isinstance(article, Article)
    assert (article.url, article.requested_url, article.source) == (public(web, ARTICLE), public(web, "/old"), public(web, ARTICLE))
    assert [r.path for r in web.requests] == ["/old", "/older", ARTICLE]


def test_endless_redirects_stop(web: LocalWeb) -> None:
    web.pages["/loop"] = Page(b"", location="/loop")
    with guarded() as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(public(web, "/loop"))
    assert caught.value.problem == "more than 10 redirects"
    assert len(web.hits("/loop")) == 11


def test_feed_links_to_private_hosts_are_refused_and_the_rest_read(web: LocalWeb) -> None:
    links = [public(web, ARTICLE), "http://169.254.169.254/latest/meta-data/", "http://intranet.test/bai.html"]
    items = "".join(f"<item><title>Tin {n}</title><link>{link}</link></item>" for n, link in enumerate(links))
    web.pages["/feed.rss"] = Page(f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode(),
                                  "application/rss+xml")
    with guarded() as fetcher:
        read = list(read_sources([public(web, "/feed.rss")], fetcher=fetcher))
    assert isinstance(read[0], Article)
    assert [(e.source, e.problem.split(";")[0]) for e in read[1:] if isinstance(e, InputError)] == [
        ("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address (169.254.169.254)"),
        ("http://intranet.test/bai.html", "refused: intranet.test is a private address (192.168.1.10)"),
    ]
    assert [r.path for r in web.requests] == ["/feed.rss", ARTICLE]


def test_ingest_refuses_loopback_without_allow_private_and_fetches_with_it(web: LocalWeb, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    refused = runner.invoke(app, ["ingest", web.url(ARTICLE), "--db", str(db)])
    assert refused.exit_code == 1
    assert refused.stderr.strip() == f"error: {web.url(ARTICLE)}: refused: 127.0.0.1 is a loopback address (127.0.0.1); pass --allow-private to fetch from a private network"
    assert web.requests == []
    allowed = runner.invoke(app, ["ingest", web.url(ARTICLE), "--db", str(db), "--allow-private"])
    assert allowed.exit_code == 0, allowed.output
    assert "1 new article(s)" in allowed.stdout


def test_credentials_never_reach_the_article_or_the_error(web: LocalWeb) -> None:
    secret = web.url(ARTICLE).replace("http://", "http://editor:hunter2@")
    missing = web.url("/da-go.html").replace("http://", "http://editor:hunter2@")
    with guarded(allow_private=True) as fetcher:
        article, error = read_sources([secret, missing], fetcher=fetcher)
    assert isinstance(article, Article) and isinstance(error, InputError)
    assert (article.url, article.source, article.requested_url) == (web.url(ARTICLE), web.url(ARTICLE), None)
    assert "hunter2" not in article.model_dump_json() and "hunter2" not in str(error)
    assert web.hits(ARTICLE)[0].headers["authorization"].startswith("Basic ")


def test_a_trickling_server_cannot_hold_a_url_past_the_deadline(web: LocalWeb) -> None:
    web.pages["/nho-giot"] = Page(b"<html><body>" + b"x" * 40 + b"</body></html>", trickle=0.2)
    started = time.monotonic()
    with guarded(allow_private=True, timeout=1.0, deadline=1.5) as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(web.url("/nho-giot"))
    assert caught.value.problem == "not fetched within the 1.5 s deadline"
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize(
    ("address", "kind"),
    [("93.184.216.34", None), ("2606:4700::1111", None), ("::ffff:127.0.0.1", "loopback"), ("10.1.2.3", "private"),
     ("172.16.0.1", "private"), ("fd00::1", "private"), ("fe80::1", "link-local"), ("224.0.0.1", "multicast"),
     ("100.64.0.1", "reserved"), ("240.0.0.1", "private")],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    assert non_public_kind(address) == kind


def test_without_credentials() -> None:
    assert without_credentials("https://a:b@bao.vn:8080/x?y=1#z") == "https://bao.vn:8080/x?y=1#z"
    assert without_credentials("https://bao.vn/x@y") == "https://bao.vn/x@y"
