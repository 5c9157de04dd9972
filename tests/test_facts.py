"""Facts, levels, whole periods and coverage: the cross-province views compare like with like.

The store is built from records written here by hand (each with the level its invented sentence
states), so the views are tested apart from the extractor; `test_from_article_text` ingests the
same story as article text. Figures are invented.
"""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.store.database import Store
from pipeline.store.queries import other_levels
from schemas import AnnotatedArticle, Article, Level, StatisticRecord
from tests.conftest import SHARED
from tests.test_analysis import analyst_queries
from tests.test_store import ingest, write_article

runner = CliRunner()

# (doc, published, [(sentence, figure as written, value, qualifier, subject, measure, province, level, scope, years, months)])
# Nghệ An's 2023 admissions appear in article a's headline and body and in article b; its 2023 stock
# is 151.800 in a and 152.300 in the later c. Hà Tĩnh reports a district figure only. Hà Giang and
# Tuyên Quang make the 2025 unit Tuyên Quang; Hà Giang reports no province-level figure; after the
# merger, Tuyên Quang's union figure (article g) speaks for the whole new unit.
ARTICLES = [
    ("a", date(2024, 1, 10), [
        ("Năm 2023, toàn tỉnh Nghệ An kết nạp hơn 1.200 đảng viên", "hơn 1.200", 1200, "more_than", "party_member", "admitted", "Nghệ An", "province", None, (2023, 2023), None),
        ("Năm 2023, toàn tỉnh kết nạp 1.250 đảng viên mới.", "1.250", 1250, "exact", "party_member", "admitted", "Nghệ An", "province", None, (2023, 2023), None),
        ("Đảng bộ tỉnh Nghệ An có 151.800 đảng viên.", "151.800", 151800, "exact", "party_member", "count", "Nghệ An", "province", "Đảng bộ tỉnh Nghệ An", (2023, 2023), None),
        ("Sáu tháng đầu năm 2023, toàn tỉnh kết nạp 600 đảng viên.", "600", 600, "exact", "party_member", "admitted", "Nghệ An", "province", None, (2023, 2023), (1, 6)),
    ]),
    ("b", date(2024, 2, 1), [
        ("Năm 2023, Đảng bộ tỉnh Nghệ An kết nạp 1.250 đảng viên.", "1.250", 1250, "exact", "party_member", "admitted", "Nghệ An", "province", "Đảng bộ tỉnh Nghệ An", (2023, 2023), None),
        ("Đảng bộ huyện Nam Đàn kết nạp 95 đảng viên.", "95", 95, "exact", "party_member", "admitted", "Nghệ An", "district", "Đảng bộ huyện Nam Đàn", (2023, 2023), None),
    ]),
    ("c", date(2024, 3, 5), [
        ("Tính đến cuối năm 2023, toàn Đảng bộ tỉnh Nghệ An có 152.300 đảng viên.", "152.300", 152300, "exact", "party_member", "count", "Nghệ An", "province", "Đảng bộ tỉnh Nghệ An", (2023, 2023), None),
    ]),
    ("d", date(2024, 1, 20), [
        ("Năm 2023, Đảng bộ huyện Can Lộc kết nạp 180.000 đảng viên.", "180.000", 180000, "exact", "party_member", "admitted", "Hà Tĩnh", "district", "Đảng bộ huyện Can Lộc", (2023, 2023), None),
        ("Đảng bộ huyện Can Lộc có 9.100 đảng viên.", "9.100", 9100, "exact", "party_member", "count", "Hà Tĩnh", "district", "Đảng bộ huyện Can Lộc", (2023, 2023), None),
    ]),
    ("e", date(2024, 1, 25), [
        ("Năm 2023, toàn tỉnh Tuyên Quang kết nạp 900/800 đảng viên.", "900/800", 900, "exact", "party_member", "admitted", "Tuyên Quang", "province", None, (2023, 2023), None),
        ("Toàn tỉnh Tuyên Quang có 70.400 đảng viên.", "70.400", 70400, "exact", "party_member", "count", "Tuyên Quang", "province", None, (2023, 2023), None),
    ]),
    ("g", date(2025, 9, 1), [
        ("Sau hợp nhất, Công đoàn tỉnh Tuyên Quang có 120.000 đoàn viên.", "120.000", 120000, "exact", "union_member", "count", "Tuyên Quang", "province", "Công đoàn tỉnh Tuyên Quang", (2025, 2025), None),
    ]),
    ("f", date(2024, 2, 12), [
        ("Năm 2023, Đảng bộ xã Minh Ngọc kết nạp 12 đảng viên.", "12", 12, "exact", "party_member", "admitted", "Hà Giang", "commune", "Đảng bộ xã Minh Ngọc", (2023, 2023), None),
    ]),
]
UNITS = {"Nghệ An": "Nghệ An", "Hà Tĩnh": "Hà Tĩnh", "Tuyên Quang": "Tuyên Quang", "Hà Giang": "Tuyên Quang"}


def annotated(doc: str, published: date, facts: list) -> AnnotatedArticle:
    text = "\n".join(dict.fromkeys(sentence for sentence, *_ in facts))
    records = []
    for sentence, figure, value, qualifier, subject, measure, province, level, scope, years, months in facts:
        start = text.index(sentence) + sentence.index(figure)
        target = float(figure.partition("/")[2].replace(".", "")) if "/" in figure else None  # "900/800" → 800
        records.append(StatisticRecord(
            value=value, target=target, qualifier=qualifier, subject=subject, measure=measure, province=province,
            province_2025=UNITS[province], level=level, scope=scope, year_start=years[0], year_end=years[1],
            month_start=months[0] if months else None, month_end=months[1] if months else None,
            text=figure, start=start, end=start + len(figure), sentence=sentence))
    article = Article(doc=doc, text=text, source=f"{doc}.txt", title=f"Bài {doc}", published=published)
    return AnnotatedArticle(doc=doc, article=article, records=records)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("facts") / "f.duckdb"
    with Store(path) as store:
        store.write_all(annotated(*spec) for spec in ARTICLES)
    return path


@pytest.fixture()
def con(db: Path) -> duckdb.DuckDBPyConnection:
    with duckdb.connect(str(db), read_only=True) as connection:
        yield connection


def one(con: duckdb.DuckDBPyConnection, sql: str, *parameters: object) -> tuple:
    rows = con.execute(sql, list(parameters)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_a_figure_repeated_in_headline_body_and_second_article_is_one_fact(con: duckdb.DuckDBPyConnection) -> None:
    fact = one(con, "SELECT fact_id, value, records, articles, conflict, \"values\", first_title, latest_title FROM facts "
                    "WHERE province = 'Nghệ An' AND level = 'province' AND measure = 'admitted' AND year = 2023")
    fact_id, value, records, articles, conflict, values, first, latest = fact
    # 'hơn 1.200' is 1.250 written down to its hundreds: the same figure, not a conflict
    assert (value, records, articles, conflict, values) == (1250, 3, 2, False, [1250])
    assert (first, latest) == ("Bài a", "Bài b")
    sentences = [s for (s,) in con.execute("SELECT sentence FROM fact_records WHERE fact_id = ? ORDER BY published, seq", [fact_id]).fetchall()]
    assert sentences == ["Năm 2023, toàn tỉnh Nghệ An kết nạp hơn 1.200 đảng viên", "Năm 2023, toàn tỉnh kết nạp 1.250 đảng viên mới.",
                         "Năm 2023, Đảng bộ tỉnh Nghệ An kết nạp 1.250 đảng viên."]


def test_figures_written_round_are_the_figure_they_round(tmp_path: Path) -> None:
    sentences = [  # (sentence, figure, value, qualifier, subject): two figures written round and in full, one real conflict
        ("Tuyên Quang có 173 nghìn đoàn viên công đoàn.", "173 nghìn", 173000, "exact", "union_member"),
        ("Toàn tỉnh Tuyên Quang có 173.245 đoàn viên công đoàn.", "173.245", 173245, "exact", "union_member"),
        ("Toàn tỉnh Tuyên Quang có khoảng 1.300 công đoàn cơ sở.", "khoảng 1.300", 1300, "approx", "union_org"),
        ("Toàn tỉnh Tuyên Quang có 1.250 công đoàn cơ sở.", "1.250", 1250, "exact", "union_org"),
        ("Toàn tỉnh Tuyên Quang có 1.300 doanh nghiệp.", "1.300", 1300, "exact", "enterprise"),
        ("Toàn tỉnh Tuyên Quang có 1.250 doanh nghiệp.", "1.250", 1250, "exact", "enterprise"),
    ]
    facts = [(sentence, figure, value, qualifier, subject, "count", "Tuyên Quang", "province", None, (2023, 2023), None)
             for sentence, figure, value, qualifier, subject in sentences]
    db = tmp_path / "r.duckdb"
    with Store(db) as store:
        store.write(annotated("r", date(2024, 1, 1), facts))
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT subject, value, \"values\", conflict, records FROM facts ORDER BY subject").fetchall()
    assert rows == [("union_org", 1250, [1250], False, 2), ("union_member", 173245, [173245], False, 2),
                    ("enterprise", 1300, [1250, 1300], True, 2)]


def test_a_conflicting_value_is_flagged_with_both_values_and_the_latest_is_picked(con: duckdb.DuckDBPyConnection) -> None:
    fact = one(con, "SELECT value, \"values\", conflict, records, value_records, doc FROM facts "
                    "WHERE province = 'Nghệ An' AND level = 'province' AND subject = 'party_member' AND measure = 'count'")
    assert fact == (152300, [151800, 152300], True, 2, 1, "c")


def test_part_year_figures_are_their_own_rows_never_a_year(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT year, period, value FROM figures_by_year WHERE province = 'Nghệ An' AND level = 'province' "
                       "AND measure = 'admitted' ORDER BY value").fetchall()
    assert rows == [(None, "2023 T1–6", 600), (2023, "2023", 1250)]
    assert con.execute("SELECT admitted, admitted_year FROM province_overview WHERE province = 'Nghệ An'").fetchone() == (1250, 2023)


def test_a_district_figure_never_stands_for_its_province(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT province FROM province_overview ORDER BY province").fetchall() == [("Nghệ An",), ("Tuyên Quang",)]
    compared = con.execute("SELECT DISTINCT province FROM figures_by_year WHERE level = 'province' ORDER BY 1").fetchall()
    assert compared == [("Nghệ An",), ("Tuyên Quang",)]
    # the district figure is kept, with its level and scope, for those who ask for districts
    assert one(con, "SELECT value, scope FROM figures_by_year WHERE province = 'Hà Tĩnh' AND measure = 'admitted'") == (
        180000, "Đảng bộ huyện Can Lộc")
    assert one(con, "SELECT latest_year, facts, other_level_facts FROM coverage WHERE province = 'Hà Tĩnh' "
                    "AND subject = 'party_member' AND measure = 'admitted'") == (None, 0, 1)


def test_two_districts_of_one_province_are_two_facts(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT scope, value FROM facts WHERE province = 'Nghệ An' AND level = 'district'").fetchall()
    assert rows == [("Đảng bộ huyện Nam Đàn", 95)]
    stocks = con.execute("SELECT province, level, value FROM latest_counts WHERE subject = 'party_member' ORDER BY ALL").fetchall()
    assert stocks == [("Hà Tĩnh", "district", 9100), ("Nghệ An", "province", 152300), ("Tuyên Quang", "province", 70400)]


def test_a_2025_unit_with_a_silent_old_province_has_no_sum(con: duckdb.DuckDBPyConnection) -> None:
    row = one(con, "SELECT value, provinces_reporting, provinces_in_unit, provinces, missing FROM figures_by_year_2025 "
                   "WHERE province_2025 = 'Tuyên Quang' AND measure = 'admitted' AND year = 2023")
    assert row == (None, 1, 2, "Tuyên Quang", "Hà Giang")
    assert one(con, "SELECT value, whole_unit, provinces_reporting, provinces_in_unit FROM latest_counts_2025 "
                    "WHERE province_2025 = 'Tuyên Quang' AND subject = 'party_member'") == (None, False, 1, 2)
    # a unit that is one old province has its figure
    assert one(con, "SELECT value FROM figures_by_year_2025 WHERE province_2025 = 'Nghệ An' AND measure = 'admitted' AND year = 2023") == (1250,)
    merged = one(con, "SELECT value, whole_unit, provinces_reporting FROM latest_counts_2025 WHERE province_2025 = 'Tuyên Quang' AND subject = 'union_member'")
    assert merged == (120000, True, 1)
    unit = one(con, "SELECT provinces_reporting, provinces_in_unit, missing, latest_year, complete_year FROM coverage_2025 "
                    "WHERE province_2025 = 'Tuyên Quang' AND subject = 'party_member' AND measure = 'admitted'")
    assert unit == (1, 2, "Hà Giang", 2023, None)


def test_coverage_has_every_province_for_every_subject_and_measure(con: duckdb.DuckDBPyConnection) -> None:
    pairs = con.execute("SELECT subject, measure, count(*), count(DISTINCT province) FROM coverage GROUP BY ALL").fetchall()
    assert {(s, m) for s, m, *_ in pairs} == {("party_member", "admitted"), ("party_member", "count"), ("union_member", "count")}
    assert {(n, d) for *_, n, d in pairs} == {(63, 63)}
    assert con.execute("SELECT count(*), count(DISTINCT province_2025) FROM coverage_2025").fetchone() == (3 * 34, 34)
    assert one(con, "SELECT latest_year, facts, years FROM coverage WHERE province = 'Nghệ An' AND measure = 'admitted'") == (2023, 2, [2023])


def test_every_view_carries_level_and_every_column_is_documented(con: duckdb.DuckDBPyConnection) -> None:
    views = [v for (v,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'").fetchall()]
    columns = con.execute("SELECT table_name, column_name, comment FROM duckdb_columns() WHERE table_name IN (SELECT unnest(?))", [views]).fetchall()
    assert [(t, c) for t, c, comment in columns if not comment] == []
    with_level = {t for t, c, _ in columns if c == "level"}
    assert set(views) - with_level == {"units_2025"}
    comments = {(t, c): comment for t, c, comment in columns}
    assert "NULL unless every old province" in comments[("flows_by_year_2025", "value")]
    assert comments[("latest_counts", "year")] == comments[("counts", "year")]


def test_the_views_need_no_thongke_code(db: Path, tmp_path: Path) -> None:
    """A Python with only duckdb, outside the project (-I: no current folder, no user site), reads the facts."""
    script = ("import duckdb, json; con = duckdb.connect(%r, read_only=True); "
              "print(json.dumps(con.execute('SELECT count(*), count(*) FILTER (conflict) FROM facts').fetchone()))") % str(db)
    result = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "pipeline" not in result.stderr and json.loads(result.stdout)[1] == 1


@pytest.mark.parametrize("query", analyst_queries())
def test_readme_queries_run_on_levelled_records(con: duckdb.DuckDBPyConnection, query: str) -> None:
    rows = con.execute(query).fetchall()
    assert "province IS NULL" in query or rows != []


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_compare_defaults_to_province_level_with_counts_and_conflicts(db: Path) -> None:
    rows = json.loads(run("compare", "-s", "party_member", "-m", "count", "--db", str(db), "-f", "json"))
    assert [(r["province"], r["value"], r["conflict"], r["articles"]) for r in rows] == [
        ("Nghệ An", 152300, "151800 / 152300", 2), ("Tuyên Quang", 70400, None, 1)]
    table = " ".join(run("compare", "-s", "party_member", "-m", "admitted", "-y", "2023", "--db", str(db)).split())
    assert "2 of 63 report it, 0 conflicting" in table and "Hà Tĩnh" not in table and "600" not in table


def test_compare_another_level(db: Path) -> None:
    rows = json.loads(run("compare", "-s", "party_member", "-m", "admitted", "--level", "district", "--db", str(db), "-f", "json"))
    assert [(r["province"], r["scope"], r["value"]) for r in rows] == [
        ("Hà Tĩnh", "Đảng bộ huyện Can Lộc", 180000), ("Nghệ An", "Đảng bộ huyện Nam Đàn", 95)]


def test_compare_2025_units_shows_who_reports(db: Path) -> None:
    rows = json.loads(run("compare", "-s", "party_member", "-m", "admitted", "-y", "2023", "--by", "province_2025", "--db", str(db), "-f", "json"))
    unit = next(r for r in rows if r["province_2025"] == "Tuyên Quang")
    assert (unit["value"], unit["provinces_reporting"], unit["provinces_in_unit"], unit["missing"]) == (None, 1, 2, "Hà Giang")


def test_compare_2025_units_below_province_level_is_refused(db: Path) -> None:
    result = runner.invoke(app, ["compare", "-s", "party_member", "-m", "admitted", "--by", "province_2025", "--level", "district", "--db", str(db)])
    assert result.exit_code == 1 and "whole provinces only" in result.output


@pytest.mark.parametrize("by, rows", [("province", 63), ("province_2025", 34)])
def test_coverage_command(db: Path, by: str, rows: int) -> None:
    out = run("coverage", "--by", by, "-s", "party_member", "-m", "admitted", "--db", str(db), "-f", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == rows
    assert sum(1 for line in lines if line["facts"]) == 2
    assert "2 of 63 report a province-level figure" in run("coverage", "--db", str(db), "-s", "party_member")
    assert "1 of 34 report a province-level figure" in run("coverage", "--by", "province_2025", "-s", "union_member", "--db", str(db))


def test_the_summary_line_counts_the_other_levels(db: Path) -> None:
    with Store(db, create=False) as store:
        line = other_levels(store)
    assert "4 figure(s) of other levels (district 3, commune 1)" in line


# The same story written as articles: the levels come from the text ("toàn tỉnh", "Đảng bộ huyện …").
TEXTS = [
    ("ta", "Năm 2023, toàn tỉnh Nghệ An kết nạp 1.250 đảng viên mới", "2024-01-10",
     "Năm 2023, toàn tỉnh Nghệ An kết nạp 1.250 đảng viên mới, nâng tổng số đảng viên toàn tỉnh lên 151.800 đồng chí."),
    ("tb", "Nghệ An tổng kết công tác xây dựng Đảng năm 2023", "2024-02-01",
     "Năm 2023, Đảng bộ tỉnh Nghệ An kết nạp 1.250 đảng viên mới."),
    ("tc", "Nghệ An tổng kết năm 2023", "2024-03-05",
     "Tính đến cuối năm 2023, toàn Đảng bộ tỉnh Nghệ An có 152.300 đảng viên."),
    ("td", "Can Lộc làm tốt công tác phát triển đảng viên", "2024-01-20",
     "Năm 2023, Đảng bộ huyện Can Lộc, tỉnh Hà Tĩnh kết nạp 180 đảng viên mới."),
    ("te", "Tuyên Quang tổng kết năm 2023", "2024-01-25",
     "Năm 2023, toàn tỉnh Tuyên Quang kết nạp 900 đảng viên mới."),
]


def test_from_article_text(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for spec in TEXTS:
        write_article(folder, *spec)
    db = tmp_path / "t.duckdb"
    summary = ingest(folder, db)
    assert "figure(s) of other levels (district 1)" in summary
    with duckdb.connect(str(db), read_only=True) as con:
        fact = one(con, "SELECT value, records, articles FROM facts WHERE province = 'Nghệ An' AND level = 'province' "
                        "AND measure = 'admitted' AND year = 2023")
        assert fact == (1250, 3, 2)
        assert one(con, "SELECT \"values\", conflict FROM facts WHERE province = 'Nghệ An' AND level = 'province' "
                        "AND measure = 'count' AND year_end = 2023") == ([151800, 152300], True)
        assert con.execute("SELECT province FROM province_overview ORDER BY 1").fetchall() == [("Nghệ An",), ("Tuyên Quang",)]
        assert one(con, "SELECT value, provinces_reporting, provinces_in_unit FROM figures_by_year_2025 "
                        "WHERE province_2025 = 'Tuyên Quang' AND measure = 'admitted' AND year = 2023") == (None, 1, 2)


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    articles = SHARED / "real" / "articles.jsonl"
    if not articles.is_file():
        pytest.skip("../shared is not beside this checkout")
    db = tmp_path_factory.mktemp("real") / "real.duckdb"
    ingest(articles, db)
    with duckdb.connect(str(db), read_only=True) as con:
        yield con


def test_real_province_overview_rows_are_backed_by_province_level_records(real: duckdb.DuckDBPyConnection) -> None:
    rows = real.execute("SELECT province, party_members, admitted, admitted_year FROM province_overview").fetchall()
    for province, party_members, admitted, year in rows:
        backed = "SELECT count(*) FROM statistics WHERE level = 'province' AND province = ? "
        assert real.execute(backed, [province]).fetchone()[0] > 0, province
        if party_members is not None:
            stock = backed + "AND subject = 'party_member' AND measure = 'count' AND round(value, 2) = round(?, 2)"
            assert real.execute(stock, [province, party_members]).fetchone()[0] > 0, province
        if admitted is not None:
            flow = backed + "AND subject = 'party_member' AND measure = 'admitted' AND year_end = ? AND month_end IS NULL"
            assert real.execute(flow, [province, year]).fetchone()[0] > 0, province
    others = real.execute("SELECT count(*) FROM facts WHERE level IS DISTINCT FROM 'province'").fetchone()[0]
    assert others > 0  # most real figures speak for a district, a bloc, a firm or a commune: kept, not compared


def test_real_coverage_has_63_rows_per_subject_and_measure(real: duckdb.DuckDBPyConnection) -> None:
    pairs = real.execute("SELECT subject, measure, count(*), count(DISTINCT province) FROM coverage GROUP BY ALL").fetchall()
    stored = real.execute("SELECT DISTINCT subject, measure FROM statistics").fetchall()
    assert {(s, m) for s, m, *_ in pairs} == set(stored)
    assert {(n, d) for *_, n, d in pairs} == {(63, 63)}
    assert real.execute("SELECT count(*) FROM coverage_2025").fetchone()[0] == 34 * len(stored)
