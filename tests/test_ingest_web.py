"""`thongke ingest` on URLs and feeds: articles stored, failures logged, re-polls conditional."""

from pathlib import Path

import duckdb
from typer.testing import CliRunner

from pipeline.cli import app
from tests.local_web import LocalWeb, web  # noqa: F401 (pytest fixture)

runner = CliRunner()
RSS = "/feeds/xay-dung-dang.rss"


def test_ingest_feed_url_stores_articles_logs_failures_and_repolls_conditionally(web: LocalWeb, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    first = runner.invoke(app, ["ingest", web.url(RSS), "--db", str(db), "--allow-private"])
    assert first.exit_code == 1  # one entry's page is gone
    assert "3 new article(s)" in first.stdout
    assert f"{web.url('/articles/da-go.html')}: HTTP 404 Not Found" in first.stderr
    assert "Traceback" not in first.output

    web.requests.clear()
    second = runner.invoke(app, ["ingest", web.url(RSS), "--db", str(db), "--allow-private"])
    assert second.exit_code == 0, second.output
    assert "0 new article(s)" in second.stdout
    assert [(r.path, r.conditional, r.status) for r in web.requests] == [(RSS, True, 304)]

    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT doc, title, published::VARCHAR, outlet FROM articles ORDER BY published").fetchall()
        errors = con.execute("SELECT source, reason FROM ingest_errors").fetchall()
        log = con.execute("SELECT url, status FROM fetch_log ORDER BY url").fetchall()
        admitted = con.execute("SELECT value FROM statistics WHERE subject = 'party_member' AND measure = 'admitted' AND value = 74").fetchall()
    assert stored == [
        ("127.0.0.1_articles_doan-vien-uu-tu.html", "Tỉnh đoàn giới thiệu 312 đoàn viên ưu tú cho Đảng", "2024-03-26", "Báo Điện Biên Phủ"),
        ("127.0.0.1_articles_thanh-lap-cong-doan.html", "Liên đoàn Lao động tỉnh thành lập mới 15 công đoàn cơ sở", "2024-05-03", "Báo Lạng Sơn điện tử"),
        ("127.0.0.1_articles_ket-nap-dang-vien.html", "Huyện Đà Bắc kết nạp 74 đảng viên mới trong 6 tháng đầu năm", "2024-07-12", "Báo Hòa Bình điện tử"),
    ]
    assert errors == [(web.url("/articles/da-go.html"), "HTTP 404 Not Found")]
    assert log == sorted(
        [(web.url(RSS), 304)]
        + [(web.url(f"/articles/{name}.html"), 200) for name in ("doan-vien-uu-tu", "ket-nap-dang-vien", "thanh-lap-cong-doan")]
        + [(web.url("/articles/da-go.html"), 404)]
    )
    assert admitted  # the figures of a fetched page reach the statistics table
