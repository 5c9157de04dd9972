"""Feeds and sites as users keep them: OPML and URL lists, the `feeds` table, discovery, sitemap backfill, `watch`."""

import gzip
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
import trafilatura.downloads
import trafilatura.feeds
import trafilatura.sitemaps
from typer.testing import CliRunner

from pipeline.cli import app, backoff_rounds, seconds
from tests.local_web import FLAKY_FEED, SITE_ARTICLES, SITE_FEEDS, LocalWeb, Page, site, site_page, sitemap  # noqa: F401 (pytest fixture)

runner = CliRunner()
THONGKE = Path(sys.executable).parent / "thongke"


@pytest.fixture(autouse=True)
def no_trafilatura_fetching(monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura only reads what our Fetcher fetched: its own downloader must never be called."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("trafilatura fetched a URL itself")

    for module in (trafilatura.downloads, trafilatura.feeds, trafilatura.sitemaps):
        monkeypatch.setattr(module, "fetch_url", refuse)
    monkeypatch.setattr(trafilatura.sitemaps, "is_live_page", refuse)


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def stored_urls(db: Path) -> list[str]:
    return [url for (url,) in rows(db, "SELECT url FROM articles ORDER BY url")]


def urls(site: LocalWeb, indexes: list[int]) -> list[str]:
    return sorted(site.url(SITE_ARTICLES[i][0]) for i in indexes)


def test_an_opml_of_three_feeds_ingests_all_three(site: LocalWeb, tmp_path: Path) -> None:
    listing = tmp_path / "bao-tinh.opml"
    listing.write_bytes(site.pages["/danh-sach.opml"].body)
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", "--allow-private", str(listing), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "an OPML list of 3 feed(s)" in result.stderr
    assert {r.path for r in site.requests} >= set(list(SITE_FEEDS)[:3])
    assert stored_urls(db) == urls(site, [0, 1, 2, 3])


def test_a_text_file_of_urls_is_read_as_a_list_and_says_so(site: LocalWeb, tmp_path: Path) -> None:
    listing = tmp_path / "theo-doi.txt"
    listing.write_text(f"# báo tỉnh\n{site.url('/rss/cong-doan.rss')}\n\n{site.url(SITE_ARTICLES[3][0])}\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", "--allow-private", str(listing), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"{listing}: every line is a URL, so it is read as a list of 2 URL(s)" in result.stderr
    assert stored_urls(db) == urls(site, [2, 3])


def test_a_text_that_is_not_only_urls_stays_an_article(tmp_path: Path) -> None:
    article = tmp_path / "bai.txt"
    article.write_text("Xã Tân Lập kết nạp 14 đảng viên mới\n\nNăm 2024, Đảng bộ xã Tân Lập kết nạp 14 đảng viên mới.\n"
                       "Xem thêm: https://baonghean.vn/xay-dung-dang\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", "--allow-private", str(article), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "list of" not in result.stderr
    assert rows(db, "SELECT doc, source FROM articles") == [("bai", str(article.resolve()))]
    assert rows(db, "SELECT DISTINCT value FROM statistics WHERE measure = 'admitted'") == [(14.0,)]


def test_feeds_add_list_remove_keep_the_list_with_outlet_and_province_by_domain(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    paper = "https://baonghean.vn/rss/xay-dung-dang.rss"
    unknown = "https://tin-tuc.example.org/feed"
    assert runner.invoke(app, ["feeds", "add", paper, unknown, "--db", str(db)]).exit_code == 0
    again = runner.invoke(app, ["feeds", "add", paper, "--db", str(db)])
    assert again.exit_code == 0 and "0 feed(s) added" in again.stdout and "1 already followed" in again.stdout
    before = db.read_bytes()
    listed = runner.invoke(app, ["feeds", "list", "--format", "csv", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    assert db.read_bytes() == before  # a read
    assert rows(db, "SELECT url, outlet, province, last_status, failures, articles_found FROM feeds ORDER BY url") == [
        (paper, "Báo Nghệ An", "Nghệ An", None, 0, 0), (unknown, None, None, None, 0, 0)]
    assert paper in listed.stdout and "Nghệ An" in listed.stdout
    assert rows(db, "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'feeds' AND coalesce(comment, '') = ''") == [(0,)]
    removed = runner.invoke(app, ["feeds", "remove", unknown, "https://khong-co.vn/rss", "--db", str(db)])
    assert removed.exit_code == 0 and "1 feed(s) removed" in removed.stdout and "https://khong-co.vn/rss: not followed" in removed.stderr
    assert rows(db, "SELECT url FROM feeds") == [(paper,)]


def test_feeds_add_takes_an_opml_file_and_ingest_feeds_polls_them_all(site: LocalWeb, tmp_path: Path) -> None:
    listing = tmp_path / "bao-tinh.opml"
    listing.write_bytes(site.pages["/danh-sach.opml"].body)
    db = tmp_path / "t.duckdb"
    assert runner.invoke(app, ["feeds", "add", str(listing), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["ingest", "--allow-private", "--feeds", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert stored_urls(db) == urls(site, [0, 1, 2, 3])
    assert rows(db, "SELECT title, last_status, articles_found FROM feeds ORDER BY added_at, url") == [
        ("Xây dựng Đảng", "ok", 2), ("Công đoàn", "ok", 1), ("Đoàn thanh niên", "ok", 1)]


def test_feeds_discover_finds_the_feed_a_page_links_to(site: LocalWeb, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    shown = runner.invoke(app, ["feeds", "discover", "--allow-private", site.url("/"), "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert site.url("/rss/xay-dung-dang.rss") in shown.stdout and "Xây dựng Đảng" in shown.stdout
    assert "--add" in shown.stderr and not db.exists()  # no terminal: nothing added without --add
    added = runner.invoke(app, ["feeds", "discover", "--allow-private", site.url("/"), "--add", "--db", str(db)])
    assert added.exit_code == 0, added.output
    assert rows(db, "SELECT url, title FROM feeds") == [(site.url("/rss/xay-dung-dang.rss"), "Xây dựng Đảng")]


def test_feeds_discover_reads_the_rss_page_that_lists_a_papers_section_feeds(site: LocalWeb, tmp_path: Path) -> None:
    site.pages["/rss"] = Page('<html><body><h1>RSS</h1><ul><li><a href="/rss/cong-doan.rss">Công đoàn</a></li>'
                              '<li><a href="/rss/doan-thanh-nien.rss">Đoàn thanh niên</a></li></ul></body></html>'.encode())
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["feeds", "discover", "--allow-private", site.url("/"), "--add", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT url FROM feeds ORDER BY url") == [
        (site.url(path),) for path in ("/rss/cong-doan.rss", "/rss/doan-thanh-nien.rss", "/rss/xay-dung-dang.rss")]


def test_sitemap_takes_in_the_pages_but_the_disallowed_and_a_rerun_fetches_nothing_unchanged(site: LocalWeb, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    first = runner.invoke(app, ["ingest", "--allow-private", "--sitemap", site.url("/"), "--delay", "0", "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert stored_urls(db) == urls(site, [0, 1, 2, 3])
    assert "1 left out because robots.txt disallows them" in first.stderr
    assert site.hits("/noi-bo/bao-cao-mat.html") == []
    assert {r.path for r in site.requests} >= {"/robots.txt", "/sitemap_index.xml", "/sitemaps/2024-05.xml", "/sitemaps/2024-06.xml"}

    site.requests.clear()
    second = runner.invoke(app, ["ingest", "--allow-private", "--sitemap", site.url("/"), "--delay", "0", "--db", str(db)])
    assert second.exit_code == 0, second.output
    assert "0 new article(s)" in second.stdout
    # robots.txt is read afresh each run (RFC 9309); everything else is asked conditionally and is unchanged.
    assert [(r.path, r.conditional, r.status) for r in site.requests] == [("/robots.txt", False, 200), ("/sitemap_index.xml", True, 304)]

    site.pages["/sitemaps/2024-06.xml"].etag = '"june-2"'
    site.pages["/sitemap_index.xml"].etag = '"index-2"'
    site.requests.clear()
    third = runner.invoke(app, ["ingest", "--allow-private", "--sitemap", site.url("/"), "--delay", "0", "--db", str(db)])
    assert third.exit_code == 0, third.output
    fetched_in_full = {r.path for r in site.requests if r.status == 200}
    assert fetched_in_full == {"/robots.txt", "/sitemap_index.xml", "/sitemaps/2024-06.xml"}
    assert all(r.conditional for r in site.requests if r.path.startswith("/bai/"))


def test_sitemap_since_leaves_out_what_the_sitemaps_date_earlier(site: LocalWeb, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", "--allow-private", "--sitemap", site.url("/"), "--since", "2024-06-01", "--delay", "0", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert stored_urls(db) == urls(site, [1, 3])
    assert site.hits("/sitemaps/2024-05.xml") == []


def test_requests_to_one_host_are_spaced_by_the_delay(site: LocalWeb, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", "--allow-private", "--sitemap", site.url("/"), "--delay", "0.3", "--db", str(tmp_path / "t.duckdb")])
    assert result.exit_code == 0, result.output
    arrivals = sorted(r.at for r in site.requests)
    assert len(arrivals) >= 8
    assert arrivals[-1] - arrivals[0] >= 0.3 * (len(arrivals) - 1) - 0.05
    assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 0.2  # a loaded machine may delay one arrival a little


def test_watch_two_rounds_stores_each_article_once_and_backs_off_the_failing_feed(site: LocalWeb, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    assert runner.invoke(app, ["feeds", "add", *(site.url(path) for path in SITE_FEEDS), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["watch", "--allow-private", "--every", "1s", "--rounds", "2", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("round ")]
    assert len(lines) == 2
    assert "4 new, 0 unchanged, 1 failed" in lines[0]
    assert "0 new" in lines[1] and "0 failed; 1 feed(s) backing off" in lines[1]
    assert stored_urls(db) == urls(site, [0, 1, 2, 3])
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(4, 4)]
    assert len(site.hits(FLAKY_FEED)) == 1  # polled in round 1 only
    # The others were not held up: polled both rounds, the second time conditionally and unchanged.
    assert [(r.conditional, r.status) for r in site.hits("/rss/cong-doan.rss")] == [(False, 200), (True, 304)]
    assert rows(db, f"SELECT last_status, failures, last_error FROM feeds WHERE url = '{site.url(FLAKY_FEED)}'") == [
        ("failed", 1, "HTTP 403 Forbidden")]
    assert rows(db, f"SELECT reason FROM ingest_errors WHERE source = '{site.url(FLAKY_FEED)}'") == [("HTTP 403 Forbidden",)]


def test_watch_polls_a_failing_feed_after_2_then_4_rounds_and_takes_it_back_when_it_recovers(site: LocalWeb, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    assert runner.invoke(app, ["feeds", "add", site.url(FLAKY_FEED), site.url("/rss/cong-doan.rss"), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["watch", "--allow-private", "--every", "0.1s", "--rounds", "8", "--db", str(db)])
    assert result.exit_code == 0, result.output
    backing_off = [("backing off" in line) for line in result.stderr.splitlines() if line.startswith("round ")]
    assert backing_off == [False, True, False, True, True, True, False, False]  # polled in rounds 1, 3 and 7
    assert [r.status for r in site.hits(FLAKY_FEED)] == [403, 403, 200, 304]  # and in round 8, back to every round
    assert site.url(SITE_ARTICLES[4][0]) in stored_urls(db)
    assert rows(db, f"SELECT last_status, failures, articles_found FROM feeds WHERE url = '{site.url(FLAKY_FEED)}'") == [("ok", 0, 1)]


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_rounds(failures, 1800) for failures in range(1, 7)] == [2, 4, 8, 12, 12, 12]  # 6 hours of 30-minute rounds
    assert seconds("30m") == 1800 and seconds("2h") == 7200 and seconds("1s") == 1


def test_watch_with_a_bad_duration_says_so_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["watch", "--allow-private", "--every", "soon", "--db", str(tmp_path / "t.duckdb")])
    assert result.exit_code == 1 and result.stderr.strip() == "error: --every soon: not a duration (write e.g. 30m, 2h, 45s)"


def test_a_folder_saved_by_a_browser_ingests_its_page_and_ignores_its_assets(tmp_path: Path) -> None:
    saved = tmp_path / "luu"
    (saved / "Ket nap dang vien_files").mkdir(parents=True)
    (saved / "Ket nap dang vien.html").write_bytes(
        b"<!-- saved from url=(0040)https://baonghean.vn/ket-nap-dang-vien -->\n" + site_page(*SITE_ARTICLES[0][1:]))
    assets = saved / "Ket nap dang vien_files"
    (assets / "quang-cao.html").write_text("<html><body>Quảng cáo</body></html>", encoding="utf-8")
    (assets / "widget.json").write_text("{}", encoding="utf-8")
    (assets / "style.css").write_text("body {}", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", "--allow-private", str(saved), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert " ".join(result.stdout.split()).startswith("1 new article(s) stored")
    assert rows(db, "SELECT count(*) FROM ingest_errors") == [(0,)]
    assert "saved pages' assets left out (Ket nap dang vien_files)" in result.stderr
    assert rows(db, "SELECT doc FROM articles") == [("Ket nap dang vien",)]



def test_ctrl_c_stops_watch_cleanly_and_keeps_what_it_stored(site: LocalWeb, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    assert runner.invoke(app, ["feeds", "add", site.url("/rss/xay-dung-dang.rss"), "--db", str(db)]).exit_code == 0
    for index in (0, 1):
        site.pages[SITE_ARTICLES[index][0]].delay = 1.0
    watch = subprocess.Popen([str(THONGKE), "watch", "--allow-private", "--every", "1s", "--db", str(db)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not site.hits("/rss/xay-dung-dang.rss") and time.monotonic() < deadline and watch.poll() is None:
        time.sleep(0.05)
    time.sleep(0.3)  # the pages are being fetched
    watch.send_signal(signal.SIGINT)
    _, stderr = watch.communicate(timeout=60)
    assert watch.returncode == 0, stderr
    assert "stopping: finishing the article under way" in stderr and "stopped after round 1" in stderr
    assert "Traceback" not in stderr
    # Stopped mid-round: the feed's validators were not written, so the next run reads it in full.
    assert rows(db, f"SELECT count(*) FROM fetch_log WHERE url = '{site.url('/rss/xay-dung-dang.rss')}'") == [(0,)]
    assert rows(db, "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM statistics s WHERE s.article_id = a.id)") == [(0,)]


def test_without_a_sitemap_line_the_usual_places_are_tried_and_a_gzip_sitemap_is_read(site: LocalWeb, tmp_path: Path) -> None:
    site.pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /noi-bo/\n", "text/plain")
    listing = sitemap(site, "url", [(SITE_ARTICLES[i][0], "2024-06-01") for i in (2, 3, 5)])
    site.pages["/sitemap.xml.gz"] = Page(gzip.compress(listing), "application/gzip", etag='"gz"')
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", "--allow-private", "--sitemap", site.url("/"), "--delay", "0", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert stored_urls(db) == urls(site, [2, 3])
    assert [r.path for r in site.requests][:3] == ["/robots.txt", "/sitemap.xml", "/sitemap.xml.gz"]  # 404, then found
    assert site.hits("/sitemap_index.xml") == []  # one sitemap found, the other guesses are not tried
