"""What reaches the terminal: user-controlled text printed literally, and tables that never crop a number."""

import io
import json
import re
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.views.terminal import article_view, escape_controls, print_rows
from schemas import AnnotatedArticle, Article, StatisticRecord, Subject

runner = CliRunner()
MARKUP = "Bắc [/] Giang [bold red]đỏ[/bold red] [link=javascript:alert(1)]x[/link]"

# Invented reports with large figures, one per province.
REPORTS = [
    ("na", "Nghệ An", "Toàn Đảng bộ tỉnh Nghệ An hiện có 173.000 đảng viên, sinh hoạt tại 1.236 tổ chức cơ sở đảng. "
                      "Năm 2023, Đảng bộ tỉnh Nghệ An kết nạp 3.612 đảng viên mới."),
    ("bg", "Bắc Giang", "Công đoàn tỉnh Bắc Giang hiện có 172.000 đoàn viên công đoàn. "
                        "Đảng bộ tỉnh Bắc Giang hiện có 95.136 đảng viên."),
    ("bt", "Bà Rịa - Vũng Tàu", "Đảng bộ tỉnh Bà Rịa - Vũng Tàu hiện có 1.234.567 đảng viên. "
                                "Năm 2024, Đảng bộ tỉnh Bà Rịa - Vũng Tàu kết nạp 10.946 đảng viên mới."),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("terminal")
    for doc, province, text in REPORTS:
        title = f"{province} {MARKUP}" if doc == "na" else f"Tin {province}"
        record = {"doc": doc, "title": title, "published": "2024-01-10", "text": f"{title}\n\n{text}\n"}
        (folder / f"{doc}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    path = folder / "t.duckdb"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _render(width: int, columns: list[str], rows: list[tuple]) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    print_rows(console, columns, rows)
    return console.file.getvalue()


@pytest.mark.parametrize("width", [60, 80, 200])
def test_the_overview_shows_every_value_whole_at_any_width(db: Path, width: int) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute("SELECT * FROM province_overview")
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    text = _render(width, columns, rows)
    assert max(len(line) for line in text.splitlines()) <= width
    note = next((line for line in text.splitlines() if "not shown" in line), "")
    dropped = {c for c in columns if c in text[text.find("not shown"):]} if note else set()
    assert "party_members" not in dropped and columns[0] not in dropped
    numbers = set(re.findall(r"\d[\d,.]*", text))
    for row in rows:
        for column, value in zip(columns, row):
            if value is None or column in dropped:
                continue
            if isinstance(value, int | float):
                shown = f"{value:,.0f}" if isinstance(value, float) else str(value)
                assert shown in numbers, f"{column}={shown} not whole at width {width}"
            else:
                assert set(value.split()) <= set(text.split()), f"{column}={value} not whole at width {width}"
    if width >= 200:
        assert not dropped
    expected = {f"{v:,.0f}" if isinstance(v, float) else str(v) for row in rows for v in row if isinstance(v, int | float)}
    in_headers = set(re.findall(r"\d+", " ".join(columns)))
    assert numbers <= expected | in_headers, f"cut numbers: {numbers - expected - in_headers}"


def test_a_narrow_terminal_names_the_columns_it_leaves_out() -> None:
    columns = ["province", *(f"figure_{n}" for n in range(12))]
    text = _render(60, columns, [("Nghệ An", *range(100_000, 100_012))])
    assert "figure_0" not in text.split("not shown")[1] and "figure_11" in text.split("not shown")[1]
    assert "--format csv" in text


def test_the_annotate_table_keeps_the_text_column_at_80() -> None:
    text = "Đảng bộ xã có 14 chi bộ với 386 đảng viên, kết nạp 21/18 đảng viên mới, đạt 116,7% chỉ tiêu."
    article = Article(doc="x", text=text, source="x.txt", title=MARKUP)
    records = [StatisticRecord(value=v, subject=Subject.party_member, measure="count", text=t, start=text.index(t),
                               end=text.index(t) + len(t), sentence=text, target=target)
               for v, t, target in ((14, "14", None), (386, "386", None), (21, "21/18", 18), (116.7, "116,7%", None))]
    console = Console(width=80, file=io.StringIO(), color_system=None)
    console.print(article_view(AnnotatedArticle(doc="x", article=article, records=records), 80))
    shown = console.file.getvalue()
    table = shown[shown.index("4 statistics"):]
    header = next(line for line in table.splitlines() if "value" in line)
    assert header.split()[0] == "text"
    for record in records:
        assert record.text in table
    assert set(MARKUP.split()) <= set(shown.split())


def test_a_title_with_markup_does_not_break_compare(db: Path) -> None:
    result = runner.invoke(app, ["compare", "-s", "party_member", "-m", "count", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "[/]" in result.stdout and "[bold red]" in result.stdout


def test_errors_print_paths_literally_and_escape_control_characters(tmp_path: Path) -> None:
    for name in ("a[/]b.txt", "[bold]x.txt", "e\x1b[31mred.txt"):
        result = runner.invoke(app, ["annotate", str(tmp_path / name)])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.stderr.count("\n") == 1
        assert escape_controls(str(tmp_path / name)) in result.stderr and "\x1b" not in result.stderr


def test_stored_values_with_control_characters_are_escaped(db: Path) -> None:
    result = runner.invoke(app, ["sql", "SELECT 'x' || chr(27) || '[2J' || chr(8238) || 'y' AS v, 'Bắc [/] Giang' AS w",
                                 "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "x\\x1b[2J\\u202ey" in result.stdout and "Bắc [/] Giang" in result.stdout
