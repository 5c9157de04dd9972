"""The CLI contract of SPEC.md, driven through typer's runner against temporary files and databases."""

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app

ARTICLE = """Đảng bộ xã phát triển đảng viên

Cập nhật: 08:15 ngày 12/05/2023

Năm 2022, Đảng bộ xã có 14 chi bộ với 386 đảng viên. Trong năm, Đảng bộ kết nạp 21/18 đảng viên mới, vượt 16,7% chỉ tiêu.
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "bai-a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bai-b.txt").write_text(ARTICLE.replace("386", "402"), encoding="utf-8")
    return tmp_path


runner = CliRunner()


def test_annotate_json_is_the_spec_object(folder: Path) -> None:
    result = runner.invoke(app, ["annotate", str(folder / "bai-a.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert obj["doc"] == "bai-a"
    assert {"title", "published", "outlet", "province"} <= set(obj["article"])
    text = ARTICLE
    values = [(r["value"], r["subject"], r["measure"]) for r in obj["records"]]
    assert values == [(14, "party_org", "count"), (386, "party_member", "count"),
                      (21, "party_member", "admitted"), (16.7, "party_member", "exceeded")]
    for record in obj["records"]:
        assert text[record["start"]:record["end"]] == record["text"]
        assert record["text"] in record["sentence"]


def test_annotate_table_shows_figures(folder: Path) -> None:
    result = runner.invoke(app, ["annotate", str(folder / "bai-a.txt")])
    assert result.exit_code == 0
    assert "21/18" in result.stdout and "admitted" in result.stdout


def test_extract_jsonl_one_object_per_article(folder: Path) -> None:
    result = runner.invoke(app, ["extract", str(folder), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["doc"] for o in lines] == ["bai-a", "bai-b"]


def test_bad_file_in_batch_is_reported_and_batch_goes_on(folder: Path) -> None:
    (folder / "bad.txt").write_bytes(b"\x00\x01binary")
    result = runner.invoke(app, ["extract", str(folder), str(folder / "missing.txt")])
    assert result.exit_code == 1
    assert [json.loads(line)["doc"] for line in result.stdout.splitlines()] == ["bai-a", "bai-b"]
    assert "bad.txt: this is a binary file" in result.stderr
    assert "missing.txt: no such file" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\xfa not utf-8", b"\x00\x00\x00"])
def test_annotate_bad_file_one_line_nonzero(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    result = runner.invoke(app, ["annotate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr


def test_ingest_is_idempotent(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    first = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert "0 new article" in second.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    assert con.execute("SELECT count(*) FROM statistics").fetchone() == (8,)
    assert con.execute("SELECT value FROM statistics WHERE subject = 'party_member' AND measure = 'count' ORDER BY value").fetchall() == [(386,), (402,)]


def test_changed_article_replaces_its_rows(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    (folder / "bai-a.txt").write_text(ARTICLE.replace("14 chi bộ", "15 chi bộ"), encoding="utf-8")
    runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    assert con.execute("SELECT value FROM statistics WHERE subject = 'party_org' ORDER BY value").fetchall() == [(14,), (15,)]
