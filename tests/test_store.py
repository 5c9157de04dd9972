"""The DuckDB file as an analyst sees it: opened with the duckdb module alone after `thongke ingest`."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.store.database import Store
from schemas import AnnotatedArticle, Article, StatisticRecord

# (file, title, published, text): invented reports, 3 provinces (Hà Giang and Tuyên Quang merge in 2025), 2 years.
ARTICLES = [
    ("na22", "Nghệ An phát triển đảng viên năm 2022", "2022-12-20",
     "Năm 2022, Đảng bộ tỉnh Nghệ An kết nạp 1.250 đảng viên mới. Đảng bộ tỉnh Nghệ An hiện có 98.000 đảng viên."),
    ("na23", "Nghệ An vượt chỉ tiêu kết nạp đảng viên", "2023-12-15",
     "Năm 2023, Đảng bộ tỉnh Nghệ An kết nạp 1.320/1.200 đảng viên mới, vượt 10% chỉ tiêu. "
     "Đảng bộ tỉnh Nghệ An hiện có 99.500 đảng viên."),
    ("hg23", "Hà Giang chú trọng phát triển đảng viên vùng cao", "2023-11-10",
     "Năm 2023, Đảng bộ tỉnh Hà Giang kết nạp 640 đảng viên mới. Đảng bộ tỉnh Hà Giang hiện có 62.000 đảng viên."),
    ("tq23a", "Tuyên Quang củng cố tổ chức cơ sở đảng", "2023-10-02",
     "Đảng bộ tỉnh Tuyên Quang hiện có 70.100 đảng viên."),
    ("tq23b", "Tuyên Quang tổng kết công tác xây dựng Đảng", "2023-12-28",
     "Năm 2023, Đảng bộ tỉnh Tuyên Quang kết nạp 900 đảng viên mới. Đảng bộ tỉnh Tuyên Quang hiện có 70.400 đảng viên."),
]
runner = CliRunner()


def write_article(folder: Path, name: str, title: str, published: str, text: str) -> None:
    record = {"doc": name, "title": title, "published": published, "text": f"{title}\n\n{text}\n"}
    (folder / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for article in ARTICLES:
        write_article(folder, *article)
    return folder


def ingest(folder: Path, db: Path) -> str:
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def counts(db: Path) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return (con.execute("SELECT count(*) FROM articles").fetchone()[0],
                con.execute("SELECT count(*) FROM statistics").fetchone()[0])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("store")
    path = base / "t.duckdb"
    ingest(write_corpus(base / "articles"), path)
    return path


@pytest.fixture()
def con(db: Path) -> duckdb.DuckDBPyConnection:
    with duckdb.connect(str(db), read_only=True) as connection:
        yield connection


def test_tables_have_documented_columns(con: duckdb.DuckDBPyConnection) -> None:
    columns = {(t, c): comment for t, c, comment in con.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE table_name IN ('articles', 'statistics', 'provinces')").fetchall()}
    spec = ["value", "high", "unit", "qualifier", "subject", "measure", "target", "province", "province_2025",
            "year_start", "year_end", "text", "start", "end", "sentence", "scope", "rule", "article_id", "extractor_version"]
    assert {("statistics", name) for name in spec} <= set(columns)
    assert {("articles", name) for name in ("id", "source", "url", "title", "outlet", "published", "province", "ingested_at")} <= set(columns)
    assert [key for key, comment in columns.items() if not comment] == []
    tables = dict(con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    assert all(tables[name] for name in ("articles", "statistics", "provinces"))


def test_keys_and_codes_are_declared(con: duckdb.DuckDBPyConnection) -> None:
    keys = set(con.execute("SELECT table_name, array_to_string(constraint_column_names, ',') FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'").fetchall())
    assert {("articles", "id"), ("statistics", "article_id,seq"), ("provinces", "code")} <= keys
    types = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'statistics'").fetchall())
    assert types["subject"].startswith("ENUM('party_member'") and "'veterans_member'" in types["subject"]
    assert types["measure"].startswith("ENUM('count', 'admitted'")
    assert types["value"] == "DOUBLE" and types["year_start"] == "INTEGER"


def test_an_unknown_code_is_refused(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    with duckdb.connect(str(copy)) as con, pytest.raises(duckdb.ConversionException):
        con.execute("UPDATE statistics SET subject = 'party_members'")


@pytest.mark.parametrize(("name", "code", "kind", "region", "name_2025"), [
    ("Nghệ An", "40", "tỉnh", "Bắc Trung Bộ", "Nghệ An"),
    ("Hà Giang", "02", "tỉnh", "Đông Bắc Bộ", "Tuyên Quang"),
    ("Bình Thuận", "60", "tỉnh", "Duyên hải Nam Trung Bộ", "Lâm Đồng"),
    ("Hải Phòng", "31", "thành phố", "Đồng bằng sông Hồng", "Hải Phòng"),
    ("Hải Dương", "30", "tỉnh", "Đồng bằng sông Hồng", "Hải Phòng"),
    ("Sóc Trăng", "94", "tỉnh", "Đồng bằng sông Cửu Long", "Cần Thơ"),
    ("Huế", "46", "thành phố", "Bắc Trung Bộ", "Huế"),
])
def test_provinces(con: duckdb.DuckDBPyConnection, name: str, code: str, kind: str, region: str, name_2025: str) -> None:
    row = con.execute("SELECT code, type, region, name_2025 FROM provinces WHERE name = ?", [name]).fetchone()
    assert row == (code, kind, region, name_2025)


def test_provinces_cover_63_old_and_34_new_units(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT count(*), count(DISTINCT name_2025), count(DISTINCT code_2025) FROM provinces").fetchone() == (63, 34, 34)
    assert con.execute("SELECT count(*) FROM provinces WHERE region IS NULL OR official_name NOT LIKE '% ' || name").fetchone() == (0,)


def test_latest_count_is_the_latest_year_then_the_latest_article(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT province, value, doc FROM latest_counts WHERE subject = 'party_member' ORDER BY province").fetchall()
    assert rows == [("Hà Giang", 62000, "hg23"), ("Nghệ An", 99500, "na23"), ("Tuyên Quang", 70400, "tq23b")]


def test_latest_counts_2025_add_up_the_merged_provinces(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT province_2025, value, provinces, provinces_reporting, provinces_in_unit FROM latest_counts_2025 "
                       "WHERE subject = 'party_member' ORDER BY ALL").fetchall()
    assert rows == [("Nghệ An", 99500, "Nghệ An", 1, 1), ("Tuyên Quang", 62000 + 70400, "Hà Giang, Tuyên Quang", 2, 2)]


def test_units_2025(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT count(*), sum(provinces) FROM units_2025").fetchone() == (34, 63)
    assert con.execute("SELECT old_provinces FROM units_2025 WHERE name_2025 = 'Lâm Đồng'").fetchone() == ("Bình Thuận, Lâm Đồng, Đắk Nông",)


def test_flows_by_year(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT province, max(value) FROM flows_by_year WHERE subject = 'party_member' AND measure = 'admitted' GROUP BY ALL ORDER BY ALL").fetchall()
    assert rows == [("Hà Giang", 640), ("Nghệ An", 1320), ("Tuyên Quang", 900)]
    merged = con.execute("SELECT value, provinces, provinces_reporting, provinces_in_unit FROM flows_by_year_2025 WHERE province_2025 = 'Tuyên Quang'").fetchall()
    assert merged == [(1540, "Hà Giang, Tuyên Quang", 2, 2)]


def test_targets(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT province, value, target, ratio, title, sentence FROM targets").fetchall()
    assert len(rows) == 1
    province, value, target, ratio, title, sentence = rows[0]
    assert (province, value, target, title) == ("Nghệ An", 1320, 1200, "Nghệ An vượt chỉ tiêu kết nạp đảng viên")
    assert ratio == pytest.approx(1.1) and "1.320/1.200" in sentence


def record(value: float, measure: str, year_start: int | None, year_end: int | None, province: str, text: str) -> StatisticRecord:
    return StatisticRecord(value=value, subject="party_member", measure=measure, province=province, province_2025=province,
                           year_start=year_start, year_end=year_end, text=text, start=0, end=len(text), sentence=text)


def test_periods_group_flows_and_order_stocks(tmp_path: Path) -> None:
    """Periods set by hand: one-year flows per year, a five-year total apart, a stock's period year before its date."""
    articles = [
        ("a", "2024-03-01", [record(500, "admitted", 2022, 2022, "Nghệ An", "500"), record(2600, "admitted", 2020, 2024, "Nghệ An", "2.600"),
                             record(97000, "count", 2022, 2022, "Nghệ An", "97.000")]),
        ("b", "2023-01-05", [record(520, "admitted", 2023, 2023, "Nghệ An", "520"), record(96000, "count", 2023, 2023, "Nghệ An", "96.000")]),
    ]
    db = tmp_path / "p.duckdb"
    with Store(db) as store:
        for doc, published, records in articles:
            article = Article(doc=doc, text=doc * 10, source=doc, published=published)
            store.write(AnnotatedArticle(doc=doc, article=article, records=records))
    with duckdb.connect(str(db), read_only=True) as con:
        flows = con.execute("SELECT year, year_start, year_end, value FROM flows_by_year ORDER BY year_start, year_end").fetchall()
        assert flows == [(None, 2020, 2024, 2600), (2022, 2022, 2022, 500), (2023, 2023, 2023, 520)]
        assert con.execute("SELECT value, year, doc FROM latest_counts").fetchall() == [(96000, 2023, "b")]


def test_ingesting_twice_changes_nothing(db: Path) -> None:
    before = counts(db)
    assert "0 new article" in ingest(db.parent / "articles", db)
    assert counts(db) == before


def test_a_changed_article_replaces_its_rows(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "articles")
    db = tmp_path / "c.duckdb"
    ingest(folder, db)
    before = counts(db)
    name, title, published, text = ARTICLES[2]
    write_article(folder, name, title, published, text.replace("640", "655"))
    ingest(folder, db)
    assert counts(db) == before
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT value FROM statistics WHERE measure = 'admitted' AND province = 'Hà Giang'").fetchall() == [(655,)]


def many_articles(folder: Path, n: int) -> Path:
    folder.mkdir()
    provinces = ["Nghệ An", "Hà Giang", "Tuyên Quang", "Thái Bình", "Cà Mau"]
    for i in range(n):
        province = provinces[i % len(provinces)]
        write_article(folder, f"bai{i:03d}", f"Đảng bộ tỉnh {province} kết nạp đảng viên", f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
                      f"Năm 2023, Đảng bộ tỉnh {province} kết nạp {100 + i} đảng viên mới, nâng tổng số lên {20000 + i}.{i % 10}00 đảng viên.")
    return folder


def stored_articles(db: Path) -> int:
    """How many articles a reader sees now; 0 while the file is missing or a batch is being written."""
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except duckdb.Error:
        return 0


def test_a_killed_ingest_leaves_a_readable_database_and_a_rerun_completes_it(tmp_path: Path) -> None:
    folder = many_articles(tmp_path / "many", 600)
    complete = tmp_path / "complete.duckdb"
    ingest(folder, complete)
    db = tmp_path / "killed.duckdb"
    command = [sys.executable, "-c", "from pipeline.cli import main; main()", "ingest", str(folder), "--db", str(db)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not stored_articles(db) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the ingest ended before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    articles, _ = counts(db)
    assert articles < 600
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM statistics s WHERE s.article_id = a.id)").fetchone() == (0,)
    ingest(folder, db)
    assert counts(db) == counts(complete)


def test_province_overview(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT province, province_2025, articles, records, party_members, admitted, admitted_year "
                       "FROM province_overview ORDER BY province").fetchall()
    assert rows == [
        ("Hà Giang", "Tuyên Quang", 1, 2, 62000, 640, 2023),
        ("Nghệ An", "Nghệ An", 2, 5, 99500, 1320, 2023),
        ("Tuyên Quang", "Tuyên Quang", 2, 3, 70400, 900, 2023),
    ]
