"""`thongke ingest` on URLs and feeds: articles stored, failures logged, re-polls conditional."""

from pathlib import Path

import duckdb
from typer.testing import CliRunner

from pipeline.cli import app
from tests.local_web import LocalWeb, Page, web  # noqa: F401 (pytest fixture)

runner = CliRunner()
RSS = "/feeds/xay-dung-dang.rss"


GONE = "/articles/da-go.html"
BACK = """<html><head><title>Xã Tân Hòa kết nạp 9 đảng viên</title></head><body><article><h1>Xã Tân Hòa kết nạp 9 đảng viên</h1>
<p>Năm 2024, Đảng bộ xã Tân Hòa, huyện Đà Bắc đã kết nạp 9 đảng viên mới, nâng tổng số đảng viên của Đảng bộ xã lên 212 đồng chí.</p>
</article></body></html>"""


def test_ingest_feed_url_stores_articles_logs_failures_and_repolls_conditionally(web: LocalWeb, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    first = runner.invoke(app, ["ingest", web.url(RSS), "--db", str(db), "--allow-private"])
    assert first.exit_code == 1  # one entry's page is gone
    assert "3 new article(s)" in first.stdout
    assert f"{web.url(GONE)}: HTTP 404 Not Found" in first.stderr
    assert "Traceback" not in first.output

    # The first run did not store everything, so the feed is read in full again and the gone page retried;
    # the pages stored are asked conditionally.
    web.requests.clear()
    second = runner.invoke(app, ["ingest", web.url(RSS), "--db", str(db), "--allow-private"])
    assert second.exit_code == 1
    assert "0 new article(s)" in second.stdout
    requests = {(r.path, r.conditional, r.status) for r in web.requests}
    assert (RSS, False, 200) in requests and (GONE, False, 404) in requests
    assert {(path, status) for path, conditional, status in requests if conditional} == {
        (f"/articles/{name}.html", 304) for name in ("doan-vien-uu-tu", "ket-nap-dang-vien", "thanh-lap-cong-doan")}

    web.pages[GONE] = Page(BACK.encode(), etag='"back"')
    third = runner.invoke(app, ["ingest", web.url(RSS), "--db", str(db), "--allow-private"])
    assert third.exit_code == 0, third.output
    assert "1 new article(s)" in third.stdout

    web.requests.clear()
    fourth = runner.invoke(app, ["ingest", web.url(RSS), "--db", str(db), "--allow-private"])
    assert fourth.exit_code == 0, fourth.output
    assert "0 new article(s)" in fourth.stdout
    assert [(r.path, r.conditional, r.status) for r in web.requests] == [(RSS, True, 304)]

    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT doc, title, published::VARCHAR, outlet FROM articles ORDER BY published").fetchall()
        errors = con.execute("SELECT source, reason FROM ingest_errors").fetchall()
        log = con.execute("SELECT url, status FROM fetch_log ORDER BY url").fetchall()
        admitted = con.execute("SELECT value FROM statistics WHERE subject = 'party_member' AND measure = 'admitted' AND value = 74").fetchall()
    assert stored == [
        ("127.0.0.1_articles_doan-vien-uu-tu.html", "Tỉnh đoàn giới thiệu 312 đoàn viên ưu tú cho Đảng", "2024-03-26", "Báo Điện Biên Phủ"),
        ("127.0.0.1_articles_da-go.html", "Bài đã gỡ", "2024-04-01", web.url("").removeprefix("http://")),  # the feed's title and date
        ("127.0.0.1_articles_thanh-lap-cong-doan.html", "Liên đoàn Lao động tỉnh thành lập mới 15 công đoàn cơ sở", "2024-05-03", "Báo Lạng Sơn điện tử"),
        ("127.0.0.1_articles_ket-nap-dang-vien.html", "Huyện Đà Bắc kết nạp 74 đảng viên mới trong 6 tháng đầu năm", "2024-07-12", "Báo Hòa Bình điện tử"),
    ]
    assert errors == [(web.url(GONE), "HTTP 404 Not Found")] * 2
    assert log == sorted(
        [(web.url(RSS), 304), (web.url(GONE), 200)]
        + [(web.url(f"/articles/{name}.html"), 304) for name in ("doan-vien-uu-tu", "ket-nap-dang-vien", "thanh-lap-cong-doan")]
    )
    assert admitted  # the figures of a fetched page reach the statistics table
