"""`thongke export` writes only inside its folder, whatever the tables and views are called."""

import os
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
HOSTILE = ["../../x", 'zz") TO \'/tmp/thongke-export-escape.csv\' (FORMAT csv); --', "..", ".", "a/b", "Thống kê", "THỐNG KÊ"]


@pytest.fixture()
def hostile_db(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.duckdb"
    with duckdb.connect(str(path)) as con:
        for n, name in enumerate(HOSTILE):
            quoted = '"' + name.replace('"', '""') + '"'
            kind = "VIEW" if n % 2 else "TABLE"
            con.execute(f"CREATE {kind} {quoted} AS SELECT {n} AS n")
    return path


@pytest.mark.parametrize("format", ["csv", "parquet"])
def test_hostile_names_stay_inside_the_folder(hostile_db: Path, tmp_path: Path, format: str) -> None:
    folder = tmp_path / "deep" / "out"
    before = set(tmp_path.rglob("*"))
    result = runner.invoke(app, ["export", str(folder), "--format", format, "--db", str(hostile_db)])
    assert result.exit_code == 0, result.output
    written = set(tmp_path.rglob("*")) - before
    assert {p for p in written if p.is_file()} == set(folder.iterdir())
    assert len(list(folder.iterdir())) == len(HOSTILE)
    assert not Path("/tmp/thongke-export-escape.csv").exists()
    for path in folder.iterdir():
        assert path.name[0] not in "._" and path.suffix == f".{format}"
    if format == "csv":
        values = sorted(int(p.read_text().splitlines()[1]) for p in folder.iterdir())
        assert values == list(range(len(HOSTILE)))


def test_export_into_a_file_is_one_line(tmp_path: Path, hostile_db: Path) -> None:
    target = tmp_path / "exists.txt"
    target.write_text("keep me", encoding="utf-8")
    for folder in (target, target / "below"):
        result = runner.invoke(app, ["export", str(folder), "--db", str(hostile_db)])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.stderr.count("\n") == 1 and str(folder) in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"


def test_export_into_a_read_only_folder_is_one_line(tmp_path: Path, hostile_db: Path) -> None:
    """A folder without write permission; root may write anywhere, so as root the folder is /proc/self."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = runner.invoke(app, ["export", "/proc/self" if os.geteuid() == 0 else str(folder), "--db", str(hostile_db)])
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "cannot be written" in result.stderr
