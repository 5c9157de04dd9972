"""The analysts' commands (compare, sql, export) and the README's example queries, on articles written here."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.test_store import ingest, write_article, write_corpus

README = Path(__file__).resolve().parents[1] / "README.md"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("analysis")
    folder = write_corpus(base / "articles")
    write_article(folder, "cd23", "Công đoàn cơ sở phát triển đoàn viên", "2023-09-09",
                  "Năm 2023, Công đoàn cơ sở Công ty May Hồng Phát kết nạp 45 đoàn viên công đoàn.")
    path = base / "a.duckdb"
    ingest(folder, path)
    return path


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def analyst_queries() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## For analysts", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def test_readme_has_seven_example_queries() -> None:
    assert len(analyst_queries()) == 7


@pytest.mark.parametrize("query", analyst_queries())
def test_readme_query_runs(db: Path, query: str) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(query).fetchall() != []


def test_compare_one_year_across_provinces(db: Path) -> None:
    rows = json.loads(run("compare", "--subject", "party_member", "--measure", "count", "--year", "2023", "--db", str(db), "--format", "json"))
    assert [(r["province"], r["value"], r["title"]) for r in rows] == [
        ("Hà Giang", 62000, "Hà Giang chú trọng phát triển đảng viên vùng cao"),
        ("Nghệ An", 99500, "Nghệ An vượt chỉ tiêu kết nạp đảng viên"),
        ("Tuyên Quang", 70400, "Tuyên Quang tổng kết công tác xây dựng Đảng"),
    ]
    assert {r["articles"] for r in rows} == {1, 2}  # Tuyên Quang's stock is reported by two articles


def test_compare_by_2025_unit(db: Path) -> None:
    out = run("compare", "-s", "party_member", "-m", "count", "-y", "2023", "--by", "province_2025", "--db", str(db), "-f", "jsonl")
    rows = {r["province_2025"]: r for r in map(json.loads, out.splitlines())}
    assert set(rows) == {"Nghệ An", "Tuyên Quang"}
    assert (rows["Tuyên Quang"]["value"], rows["Tuyên Quang"]["provinces"]) == (132400, "Hà Giang, Tuyên Quang")


def test_compare_flows_carry_their_article(db: Path) -> None:
    out = run("compare", "-s", "party_member", "-m", "admitted", "--db", str(db), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["province"]: r["doc"] for r in rows if r["province"] == "Hà Giang"} == {"Hà Giang": "hg23"}


@pytest.mark.parametrize(("format", "parse"), [
    ("json", json.loads),
    ("jsonl", lambda out: [json.loads(line) for line in out.splitlines()]),
    ("csv", lambda out: list(csv.DictReader(io.StringIO(out)))),
])
def test_sql_formats(db: Path, format: str, parse) -> None:
    out = run("sql", "SELECT name, name_2025 FROM provinces WHERE code IN ('02', '40') ORDER BY code", "--db", str(db), "--format", format)
    assert parse(out) == [{"name": "Hà Giang", "name_2025": "Tuyên Quang"}, {"name": "Nghệ An", "name_2025": "Nghệ An"}]


def test_sql_table(db: Path) -> None:
    assert "Tuyên Quang" in run("sql", "SELECT name_2025 FROM units_2025", "--db", str(db))


@pytest.mark.parametrize(("args", "message"), [
    (["sql", "SELEC nothing"], "SQL error"),
    (["sql", "SELECT * FROM no_such_table"], "no_such_table"),
    (["compare", "-s", "party_member", "-m", "count"], "no such database file"),
])
def test_errors_are_one_line(db: Path, tmp_path: Path, args: list[str], message: str) -> None:
    target = db if args[0] == "sql" else tmp_path / "missing.duckdb"
    command = [sys.executable, "-c", "from pipeline.cli import main; main()", *args, "--db", str(target)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr and str(target) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("format", ["parquet", "csv"])
def test_export_writes_every_table_and_view(db: Path, tmp_path: Path, format: str) -> None:
    run("export", str(tmp_path / "out"), "--format", format, "--db", str(db))
    with duckdb.connect(str(db), read_only=True) as con:
        names = [n for (n,) in con.execute("SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
        assert {"articles", "statistics", "provinces", "latest_counts", "flows_by_year", "targets"} <= set(names)
        for name in names:
            path = tmp_path / "out" / f"{name}.{format}"
            exported = con.execute(f"SELECT count(*) FROM '{path}'").fetchone()
            assert exported == con.execute(f'SELECT count(*) FROM "{name}"').fetchone(), name
