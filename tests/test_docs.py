"""Documentation where users are: every code and field in docs/records.md, a comment on every column,
help examples that run, and no pointer to a file users do not have."""

import os
import re
import shlex
from enum import StrEnum
from pathlib import Path

import duckdb
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from pipeline.cli import app
from schemas import Level, Measure, Qualifier, StatisticRecord, Subject, Unit

ROOT = Path(__file__).resolve().parents[1]
RECORDS = ROOT / "docs" / "records.md"
runner = CliRunner()


def _section_codes(title: str) -> list[str]:
    """The first-column codes of the table under `## title` in docs/records.md."""
    text = RECORDS.read_text(encoding="utf-8")
    section = text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    return [code for line in section.splitlines() for code in re.findall(r"^\| `([^`]+)`(?:, `([^`]+)`)? \|", line)
            for code in code if code]


@pytest.mark.parametrize(("title", "codes"), [("Subjects", Subject), ("Measures", Measure), ("Qualifiers", Qualifier),
                                              ("Units", Unit), ("Levels", Level)])
def test_every_code_is_documented_once_with_an_example(title: str, codes: type[StrEnum]) -> None:
    documented = _section_codes(title)
    assert sorted(documented) == sorted(member.value for member in codes)
    text = RECORDS.read_text(encoding="utf-8").split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    for line in text.splitlines():
        if line.startswith("| `"):
            assert line.count("|") == 4 and line.split("|")[3].count('"') >= 2, f"no Vietnamese example: {line}"


def test_every_record_field_is_documented() -> None:
    assert sorted(_section_codes("Fields")) == sorted(StatisticRecord.model_fields)


def test_every_table_and_view_column_has_a_comment(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    sample = ROOT / "corpus" / "samples" / "01_nghe-an-ket-nap-dang-vien.txt"
    assert runner.invoke(app, ["ingest", str(sample), "--db", str(db)]).exit_code == 0
    with duckdb.connect(str(db), read_only=True) as con:
        bare = con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                           "WHERE database_name = current_database() AND NOT internal AND coalesce(comment, '') = ''").fetchall()
        relations = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                                "AND coalesce(comment, '') = '' UNION ALL SELECT view_name FROM duckdb_views() "
                                "WHERE database_name = current_database() AND NOT internal AND coalesce(comment, '') = ''").fetchall()
        views = {name for (name,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert bare == [] and relations == []
    assert {"figures", "province_overview", "targets"} <= views


def _commands() -> dict[str, object]:
    return dict(get_command(app).commands)


def _help(args: list[str]) -> str:
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_help_points_to_what_users_have() -> None:
    texts = [_help([])] + [_help([name]) for name in _commands()]
    for text in texts:
        assert "SPEC" not in text
    assert "docs/records.md" in texts[0]
    assert "SPEC" not in (ROOT / "pipeline" / "store" / "views.sql").read_text(encoding="utf-8")


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and re.fullmatch(r"thongke \d+\.\d+\.\d+\n", result.stdout)


def _examples() -> list[tuple[str, str]]:
    """Every `thongke …` line under 'Examples:' in each command's --help, in the order ingest needs them."""
    found = []
    for name in _commands():
        lines = _help([name]).split("Examples:", 1)[1].split("\n\n", 1)[0].splitlines() if "Examples:" in _help([name]) else []
        found += [(name, line.strip()) for line in lines if line.strip().startswith("thongke ")]
    return sorted(found, key=lambda item: item[0] != "ingest")


def test_every_command_has_an_example() -> None:
    assert {name for name, _ in _examples()} == set(_commands())


def test_every_help_example_runs(tmp_path: Path) -> None:
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for _, example in _examples():
            words = shlex.split(example)[1:]
            target = None
            if ">" in words:
                at = words.index(">")
                words, target = words[:at], words[at + 1]
            result = runner.invoke(app, words)
            assert result.exit_code == 0, f"{example}\n{result.output}"
            assert "Traceback" not in result.output
            if target:
                Path(target).write_text(result.stdout, encoding="utf-8")
    finally:
        os.chdir(cwd)
    assert (tmp_path / "thongke.duckdb").is_file() and (tmp_path / "report.html").is_file()
