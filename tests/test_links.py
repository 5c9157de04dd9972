"""Only http(s) addresses become links in the pages: a hostile URL from a feed or a JSON line stays text."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.views.pages import is_web_url

runner = CliRunner()
HOSTILE = ["javascript:alert(document.domain)", " JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
           "vbscript:msgbox(1)", "//evil.example/x"]
SAFE = "https://baomau.vn/hop-le.html"
TEXT = "Tin Nghệ An\n\nNăm 2023, Đảng bộ tỉnh Nghệ An kết nạp 2.310 đảng viên mới. Đảng bộ tỉnh Nghệ An hiện có 181.400 đảng viên.\n"


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_url_is_not_a_web_url(url: str) -> None:
    assert not is_web_url(url)


def test_web_urls_are() -> None:
    assert is_web_url("https://baomau.vn/a.html") and is_web_url("HTTP://baomau.vn")


def _links(page: str) -> list[str]:
    """The targets of the page's <a> elements, outside scripts (plotly.js's own source holds '<a href=' strings)."""
    markup = re.sub(r"<script\b.*?</script>", "", page, flags=re.S | re.I)
    return re.findall(r'<a\b[^>]*?\bhref="([^"]*)"', markup)


def test_hostile_urls_become_no_links_in_the_article_page_or_the_report(tmp_path: Path) -> None:
    lines = [json.dumps({"text": TEXT.replace("2.310", f"2.31{n}"), "url": url, "title": f"Bài {n}", "published": "2023-12-20"},
                        ensure_ascii=False) for n, url in enumerate([*HOSTILE, SAFE])]
    source = tmp_path / "hostile.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    assert runner.invoke(app, ["ingest", str(source), "--db", str(db)]).exit_code == 0
    report = runner.invoke(app, ["report", "--db", str(db)])
    assert report.exit_code == 0, report.output
    assert re.search(r"Bài \d", report.stdout)
    page = runner.invoke(app, ["annotate", str(source), "--format", "html"])
    assert page.exit_code == 0, page.output
    for html in (report.stdout, page.stdout):
        assert SAFE in _links(html)
        assert not [link for link in _links(html) if not link.startswith(("#", "http://", "https://"))]
