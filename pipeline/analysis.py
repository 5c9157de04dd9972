"""Read commands for analysts: `compare`, `sql`, `export`, sharing one `--format` output helper.

The questions are answered by the views in views.sql, so the duckdb CLI, Python
or a BI tool get the same answers as these commands.
"""

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipeline.render import out, print_rows
from pipeline.store import Store
from schemas import Measure, Subject, Unit

DB_OPTION = typer.Option("--db", help="The DuckDB file written by `thongke ingest`.")


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


class Grouping(StrEnum):
    province = "province"
    province_2025 = "province_2025"


PERIOD = ("CASE WHEN year IS NOT NULL THEN year::VARCHAR WHEN coalesce(year_start, year_end) IS NOT NULL "
          "THEN concat(coalesce(year_start::VARCHAR, '?'), '–', coalesce(year_end::VARCHAR, '?')) END AS period")
FORMAT_OPTION = typer.Option("--format", "-f", help="table (rich), csv, json (one list) or jsonl (one object per line).")


def emit(columns: Sequence[str], rows: Sequence[Sequence[object]], format: OutputFormat, title: str | None = None) -> None:
    """Print a query result the same way for every read command."""
    if format == OutputFormat.table:
        print_rows(out, columns, rows, title=title)
    elif format == OutputFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        objects = [dict(zip(columns, row)) for row in rows]
        if format == OutputFormat.json:
            sys.stdout.write(json.dumps(objects, ensure_ascii=False, indent=2, default=str) + "\n")
        else:
            sys.stdout.writelines(json.dumps(obj, ensure_ascii=False, default=str) + "\n" for obj in objects)


def comparison(store: Store, subject: Subject, measure: Measure, *, year: int | None = None,
               by: Grouping = Grouping.province, unit: Unit = Unit.count) -> tuple[list[str], list[tuple]]:
    """One figure per province (or 2025 unit) and period, with the articles it comes from."""
    if by == Grouping.province:
        select = f"province, region, {PERIOD}, value, records, title, doc"
        view = "figures_by_year"
    else:
        select = f"province_2025, {PERIOD}, value, provinces_reporting, provinces_in_unit, provinces, titles"
        view = "figures_by_year_2025"
    return store.query(
        f"SELECT {select} FROM {view} WHERE subject = ? AND measure = ? AND unit = ? AND (? IS NULL OR year = ?) "
        f"ORDER BY {by.value} NULLS LAST, year_start NULLS LAST, year_end NULLS LAST",
        [subject.value, measure.value, unit.value, year, year])


def export(store: Store, directory: Path, format: ExportFormat) -> list[tuple[str, int]]:
    """Write every table and view to DIRECTORY/NAME.parquet or .csv; returns (file, rows) pairs."""
    directory.mkdir(parents=True, exist_ok=True)
    options = "FORMAT parquet" if format == ExportFormat.parquet else "FORMAT csv, HEADER"
    written = []
    for name in store.relations():
        path = directory / f"{name}.{format.value}"
        literal = "'" + str(path).replace("'", "''") + "'"
        store.query(f'COPY (SELECT * FROM "{name}") TO {literal} ({options})')
        written.append((str(path), store.query(f'SELECT count(*) FROM "{name}"')[1][0][0]))
    return written


def compare_command(
    subject: Annotated[Subject, typer.Option("--subject", "-s", help="What is counted.")],
    measure: Annotated[Measure, typer.Option("--measure", "-m", help="What happened to it.")],
    year: Annotated[int | None, typer.Option("--year", "-y", help="Only figures for this one year.")] = None,
    by: Annotated[Grouping, typer.Option("--by", help="province: the 63 old units; province_2025: the 34 units after the merger (counts summed).")] = Grouping.province,
    unit: Annotated[Unit, typer.Option("--unit", help="count or percent.")] = Unit.count,
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
    format: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """Compare one figure across provinces, with the article each figure comes from.

    Per province and period it shows the largest figure reported (usually the
    province-level body) and how many figures were reported (views
    figures_by_year and figures_by_year_2025).

    Examples:
      thongke compare --subject party_member --measure admitted --year 2023
      thongke compare -s party_member -m count --by province_2025 --format csv
    """
    with Store(db, create=False) as store:
        columns, rows = comparison(store, subject, measure, year=year, by=by, unit=unit)
    emit(columns, rows, format, title=f"{subject.value} {measure.value}" + (f" in {year}" if year else ""))


def sql_command(
    query: Annotated[str, typer.Argument(help="One SQL statement.")],
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
    format: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """Run one SQL statement on the database and print its result.

    Examples:
      thongke sql "SELECT * FROM latest_counts WHERE subject = 'party_member'"
      thongke sql "SELECT province, sum(value) FROM flows_by_year GROUP BY ALL" --format csv
    """
    with Store(db, create=False) as store:
        columns, rows = store.query(query)
    emit(columns, rows, format)


def export_command(
    directory: Annotated[Path, typer.Argument(help="The folder to write into (created if missing).")],
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="parquet or csv: one file per table and view.")] = ExportFormat.parquet,
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
) -> None:
    """Write every table and view to one file each, for tools that do not read DuckDB.

    Examples:
      thongke export exports/ --format parquet
      thongke export exports/ --format csv --db thongke.duckdb
    """
    with Store(db, create=False) as store:
        written = export(store, directory, format)
    emit(["file", "rows"], written, OutputFormat.table, title=f"exported from {db}")


def register(app: typer.Typer) -> None:
    """Add the analysts' commands to the `thongke` app."""
    app.command("compare")(compare_command)
    app.command("sql")(sql_command)
    app.command("export")(export_command)

