"""Reads are reads: the analysts' commands open the database read-only, `sql` is a query tool and not a shell,
readers and an ingest share the file, and `reextract` rebuilds records from the stored texts."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import Result
from typer.testing import CliRunner

from pipeline.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

# Invented reports: two provinces, figures made up for the test.
ARTICLES = {
    "nghe-an": "Nghệ An kết nạp đảng viên\n\nNăm 2023, Đảng bộ tỉnh Nghệ An kết nạp 2.310 đảng viên mới. "
               "Toàn Đảng bộ tỉnh Nghệ An hiện có 181.400 đảng viên, sinh hoạt tại 1.402 tổ chức cơ sở đảng.\n",
    "ha-tinh": "Hà Tĩnh củng cố tổ chức đảng\n\nNăm 2023, Đảng bộ tỉnh Hà Tĩnh kết nạp 1.730 đảng viên mới. "
               "Đảng bộ tỉnh Hà Tĩnh hiện có 121.900 đảng viên.\n",
}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("reads")
    path = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", str(_folder(tmp_path)), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _sql(db: Path, *args: str) -> Result:
    return runner.invoke(app, ["sql", *args, "--db", str(db)])


def _statistics(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT * FROM statistics ORDER BY article_id, seq").fetchall()


def _provinces(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {row[0] for row in con.execute("SELECT DISTINCT province FROM statistics").fetchall()}


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_a_write_is_refused_without_write_and_the_rows_stay(db: Path) -> None:
    before = _statistics(db)
    message = _one_line_error(_sql(db, "DELETE FROM statistics WHERE province = 'Nghệ An'"))
    assert "DELETE" in message and "--write" in message
    _one_line_error(_sql(db, "DROP VIEW figures"))
    assert _statistics(db) == before
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'figures'").fetchone() == (1,)


def test_sql_reaches_no_file_network_or_extension(db: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu", encoding="utf-8")
    target = tmp_path / "out.csv"
    for query in (f"SELECT * FROM read_text('{secret}')", f"SELECT * FROM read_csv('{secret}')",
                  "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')", "INSTALL httpfs", "LOAD httpfs",
                  f"ATTACH '{tmp_path / 'other.duckdb'}'"):
        assert "mật khẩu" not in _one_line_error(_sql(db, query))
    for args in ((f"COPY statistics TO '{target}'",), (f"COPY statistics TO '{target}'", "--write"),
                 ("SET enable_external_access = true", "--write")):
        _one_line_error(_sql(db, *args))
    assert not target.exists() and not (tmp_path / "other.duckdb").exists()


@pytest.mark.parametrize("query", ["", "   ", "/* nothing */", "SELECT 1; SELECT 2", "SELEC 1"])
def test_empty_several_or_malformed_statements_are_one_line_errors(db: Path, query: str) -> None:
    _one_line_error(_sql(db, query))


def test_write_changes_the_database_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    assert runner.invoke(app, ["ingest", str(_folder(tmp_path)), "--db", str(path)]).exit_code == 0
    result = _sql(path, "DELETE FROM statistics WHERE province = 'Hà Tĩnh'", "--write")
    assert result.exit_code == 0, result.output
    assert _provinces(path) == {"Nghệ An"}


def test_results_are_streamed(tmp_path: Path) -> None:
    """A hundred million rows as CSV: the first lines arrive at once and memory stays small (the process is stopped)."""
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "sql", "SELECT * FROM range(100000000)", "--format", "csv",
                             "--db", str(db)], stdout=subprocess.PIPE, cwd=ROOT)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(200_001)]
        rss_kib = _rss_kib(proc.pid)
    finally:
        proc.kill()
        proc.wait()
    assert lines[0] == b"range\r\n" and lines[-1] == b"199999\r\n"
    assert rss_kib < 400 * 1024, f"{rss_kib} KiB resident after 200,000 rows"


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_table_of_many_rows_shows_the_first_and_says_so(db: Path) -> None:
    result = _sql(db, "SELECT * FROM range(5000)")
    assert result.exit_code == 0
    assert " 999 " in result.stdout and " 1000 " not in result.stdout
    assert "--format csv" in result.stderr


def test_json_and_jsonl_are_streamed_and_valid(db: Path) -> None:
    query = "SELECT range AS n, 'Hà [/] Tĩnh' AS name FROM range(3)"
    as_json = json.loads(_sql(db, query, "--format", "json").stdout)
    as_jsonl = [json.loads(line) for line in _sql(db, query, "--format", "jsonl").stdout.splitlines()]
    assert as_json == as_jsonl == [{"n": n, "name": "Hà [/] Tĩnh"} for n in range(3)]
    assert json.loads(_sql(db, "SELECT 1 AS n WHERE false", "--format", "json").stdout) == []


@pytest.mark.parametrize("command", [["compare", "-s", "party_member", "-m", "count"], ["sql", "SELECT 1"],
                                     ["export", "EXPORT_DIR"], ["report", "-o", "REPORT"]])
def test_read_commands_never_change_the_file(db: Path, tmp_path: Path, command: list[str]) -> None:
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    args = [str(tmp_path / "out") if a == "EXPORT_DIR" else str(tmp_path / "r.html") if a == "REPORT" else a for a in command]
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    assert not Path(f"{db}.wal").exists()


def test_read_commands_work_while_a_notebook_holds_the_file_read_only(db: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
                               "print('open', flush=True); time.sleep(60)", str(db)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"open\n"
        assert _sql(db, "SELECT count(*) FROM figures").exit_code == 0
        assert runner.invoke(app, ["compare", "-s", "party_member", "-m", "count", "--db", str(db)]).exit_code == 0
    finally:
        holder.kill()
        holder.wait()


def test_a_reader_waits_while_a_writer_holds_the_file(db: Path) -> None:
    """A writer's transaction holds the file briefly; the reader retries instead of failing on the lock."""
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(1.5); c.close()", str(db)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"open\n"
        started = time.monotonic()
        result = _sql(db, "SELECT count(*) AS n FROM statistics", "--format", "csv")
        waited = time.monotonic() - started
    finally:
        holder.wait()
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "n" and waited >= 0.5


def test_reads_succeed_while_an_ingest_runs(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(3):
        for sample in sorted((ROOT / "corpus" / "samples").glob("*.txt")):
            (folder / f"{n}-{sample.name}").write_text(sample.read_text(encoding="utf-8") + f"\n(Bản {n})\n", encoding="utf-8")
    db = tmp_path / "live.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ingest = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(folder), "--db", str(db)], cwd=tmp_path,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: list[int] = []
    try:
        while ingest.poll() is None:
            if db.is_file():
                result = _sql(db, "SELECT count(*) AS n FROM articles", "--format", "csv")
                assert result.exit_code == 0, result.output
                seen.append(int(result.stdout.splitlines()[1]))
            time.sleep(0.2)
    finally:
        stdout, stderr = ingest.communicate(timeout=300)
    assert ingest.returncode == 0, stderr
    assert len(seen) >= 3, seen
    assert seen == sorted(seen) and seen[-1] <= 3 * 14
    assert _sql(db, "SELECT count(*) AS n FROM articles", "--format", "csv").stdout.splitlines()[1] == str(3 * 14)


def test_reextract_restores_deleted_records_to_the_same_rows(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    assert runner.invoke(app, ["ingest", str(_folder(tmp_path)), "--db", str(path)]).exit_code == 0
    before = _statistics(path)
    assert _provinces(path) == {"Nghệ An", "Hà Tĩnh"}
    assert _sql(path, "DELETE FROM statistics WHERE province = 'Nghệ An'", "--write").exit_code == 0
    assert _provinces(path) == {"Hà Tĩnh"}
    result = runner.invoke(app, ["reextract", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 article(s) re-extracted" in result.stdout
    assert _statistics(path) == before


def test_reextract_reports_articles_without_a_stored_text(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    assert runner.invoke(app, ["ingest", str(_folder(tmp_path)), "--db", str(path)]).exit_code == 0
    assert _sql(path, "DELETE FROM article_texts WHERE article_id IN (SELECT id FROM articles WHERE doc = 'ha-tinh')",
                "--write").exit_code == 0
    result = runner.invoke(app, ["reextract", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 article(s) re-extracted" in result.stdout and "1 article(s) have no stored text" in result.stderr


def test_reextract_of_a_missing_database_is_one_line(tmp_path: Path) -> None:
    _one_line_error(runner.invoke(app, ["reextract", "--db", str(tmp_path / "none.duckdb")]))
    assert not (tmp_path / "none.duckdb").exists()
