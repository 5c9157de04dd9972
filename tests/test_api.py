"""The Python API as the README shows it, its notebook display, and a command line that starts without the extractor."""

import html
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import annotate_text, open_db
from pipeline.cli import app

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("Huyện ủy kết nạp đảng viên [năm 2023]\n\nNăm 2023, Đảng bộ huyện Yên Thành kết nạp 312/300 đảng viên mới, "
        "vượt 4% chỉ tiêu. Toàn Đảng bộ huyện hiện có 9.870 đảng viên.\n")


def _readme_python() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_example_runs(tmp_path: Path) -> None:
    samples = ROOT / "corpus" / "samples"
    assert CliRunner().invoke(app, ["ingest", str(samples), "--db", str(tmp_path / "thongke.duckdb")]).exit_code == 0
    code = _readme_python() + "\nprint(type(frame).__name__, len(members) > 0)\n"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["2310.0 party_member admitted Nghệ An 2023", "DataFrame True"]


def test_annotate_text_keeps_offsets_and_metadata() -> None:
    result = annotate_text(TEXT, url="https://baomau.vn/bai.html", published="2023-12-30", title="Tiêu đề")
    assert result.article.url == "https://baomau.vn/bai.html" and str(result.article.published) == "2023-12-30"
    assert [(r.value, r.target, r.measure.value) for r in result.records][:2] == [(312, 300, "admitted"), (4, None, "exceeded")]
    for record in result.records:
        assert TEXT[record.start:record.end] == record.text


def test_an_annotation_displays_as_the_article_page() -> None:
    result = annotate_text(TEXT)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shown = result._repr_html_()
    assert [str(w.message) for w in caught] == []
    assert shown.startswith("<iframe srcdoc=")
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', shown).group(1))
    assert page == result.html() and page.startswith("<!DOCTYPE html>")
    assert "[năm 2023]" in page and "9.870" in page
    row = result.records[0]._repr_html_()
    assert "312/300" in row and "đảng viên" in row and "<script" not in row


def test_open_db_is_read_only(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    sample = ROOT / "corpus" / "samples" / "01_nghe-an-ket-nap-dang-vien.txt"
    assert CliRunner().invoke(app, ["ingest", str(sample), "--db", str(db)]).exit_code == 0
    before = db.read_bytes()
    with open_db(db) as opened:
        assert "figures" in opened.relations()
        assert opened.table("province_overview").fetchall()[0][0] == "Nghệ An"
        with pytest.raises(Exception, match="read-only"):
            opened.sql("DELETE FROM statistics").fetchall()
        assert "<table>" in opened._repr_html_()
    assert db.read_bytes() == before


def test_the_command_line_starts_without_the_extractor() -> None:
    """`thongke --help`, `sql` and the read commands load neither the NLP stack nor plotly, Dask or the fetcher."""
    heavy = ["spacy", "underthesea", "plotly", "distributed", "dask", "httpx", "trafilatura", "feedparser", "jinja2"]
    code = ("import sys; from pipeline.cli import app; "
            f"print(' '.join(m for m in {heavy!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
