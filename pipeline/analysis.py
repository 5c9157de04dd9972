"""Read commands for analysts: `compare`, `sql`, `export`, sharing one `--format` output helper.

The questions are answered by the views in views.sql, so the duckdb CLI, Python
or a BI tool get the same answers as these commands. Every one of them opens
the database read-only; `sql --write` is the one way to change it by hand.
Results are streamed: `--format csv` of a billion rows holds one batch at a time.
"""

import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import Annotated

import typer

from pipeline.render import out, print_note, print_rows
from pipeline.store import Store, quote_identifier, quote_literal
from schemas import Measure, StoreError, Subject, ThongkeError, Unit

DB_OPTION = typer.Option("--db", help="The DuckDB file written by `thongke ingest`.")
TABLE_ROWS = 1000
READ_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL"})


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
FORMAT_OPTION = typer.Option("--format", "-f", help="table (the first 1,000 rows, fitted to the terminal), csv, json (one list) or jsonl (one object per line).")


def emit(columns: Sequence[str], rows: Iterable[Sequence[object]], format: OutputFormat, title: str | None = None) -> None:
    """Print a query result the same way for every read command, row by row except for the table."""
    stream = iter(rows)
    if format == OutputFormat.table:
        shown = list(islice(stream, TABLE_ROWS + 1))
        print_rows(out, columns, shown[:TABLE_ROWS], title=title)
        if len(shown) > TABLE_ROWS:
            print_note(f"the first {TABLE_ROWS:,} rows are shown; --format csv (or json, jsonl) prints them all")
    elif format == OutputFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(stream)
    elif format == OutputFormat.jsonl:
        sys.stdout.writelines(json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=str) + "\n" for row in stream)
    else:
        sys.stdout.write("[")
        for n, row in enumerate(stream):
            sys.stdout.write(("," if n else "") + "\n  " + json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=str))
        sys.stdout.write("\n]\n")


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
    """Write every table and view to DIRECTORY/SLUG.parquet or .csv; returns (file, rows) pairs.

    A file name is a slug of the relation's name (letters, digits, '_' and '-'),
    so no name can lead outside DIRECTORY; the name goes into SQL quoted.
    """
    _export_folder(directory)
    options = "FORMAT parquet" if format == ExportFormat.parquet else "FORMAT csv, HEADER"
    written = []
    taken: set[str] = set()
    for name in store.relations():
        path = directory / f"{_slug(name, taken)}.{format.value}"
        if path.resolve().parent != directory.resolve():
            raise ThongkeError(f"{path}: would be written outside {directory}")
        store.query(f"COPY (SELECT * FROM {quote_identifier(name)}) TO {quote_literal(str(path))} ({options})")
        written.append((str(path), store.query(f"SELECT count(*) FROM {quote_identifier(name)}")[1][0][0]))
    return written


def _export_folder(directory: Path) -> None:
    """The folder made if missing; a file in its place or a folder that cannot be written is a one-line error."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ThongkeError(f"{directory}: is a file, not a folder; export writes one file per table into a folder") from None
    except OSError as error:
        raise ThongkeError(f"{directory}: cannot be created ({error.strerror})") from None
    probe = directory / ".thongke-export-check"
    try:
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise ThongkeError(f"{directory}: cannot be written ({error.strerror})") from None


def _slug(name: str, taken: set[str]) -> str:
    """A file-name stem from a relation name, unique among `taken`: never empty, never '.' or '..'."""
    base = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "relation"
    slug, n = base, 1
    while slug.lower() in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug.lower())
    return slug


def compare_command(
    subject: Annotated[Subject, typer.Option("--subject", "-s", help="What is counted (codes: docs/records.md).")],
    measure: Annotated[Measure, typer.Option("--measure", "-m", help="What happened to it (codes: docs/records.md).")],
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

    \b
    Examples:
      thongke compare --subject party_member --measure admitted --year 2023
      thongke compare -s party_member -m count --by province_2025 --format csv
    """
    with Store(db, read_only=True, external_access=False) as store:
        columns, rows = comparison(store, subject, measure, year=year, by=by, unit=unit)
    emit(columns, rows, format, title=f"{subject.value} {measure.value}" + (f" in {year}" if year else ""))


def sql_command(
    query: Annotated[str, typer.Argument(help="One SQL statement (SELECT, EXPLAIN, DESCRIBE …).")],
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
    format: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
    write: Annotated[bool, typer.Option("--write", help="Allow a statement that changes the database (INSERT, DELETE, DROP …).")] = False,
) -> None:
    """Run one SQL statement on the database and print its result.

    The database is opened read-only unless --write is given. Either way the
    statement cannot reach files, the network or extensions (DuckDB's external
    access is off): use `thongke export` to write files.

    \b
    Examples:
      thongke sql "SELECT * FROM latest_counts WHERE subject = 'party_member'"
      thongke sql "SELECT province, sum(value) FROM flows_by_year GROUP BY ALL" --format csv
      thongke sql "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE table_name = 'figures'"
    """
    with Store(db, read_only=not write, external_access=False) as store, store.session():
        statement = one_statement(store, query, write=write)
        columns, rows = store.stream(statement)
        emit(columns, rows, format)


def one_statement(store: Store, query: str, *, write: bool) -> str:
    """The query's one statement; several, none, or (without `write`) one that writes is a one-line error."""
    statements = store.statements(query)
    if not statements:
        raise StoreError(store.path, "the SQL query is empty; give one statement, e.g. \"SELECT * FROM figures LIMIT 10\"")
    if len(statements) > 1:
        raise StoreError(store.path, f"the SQL holds {len(statements)} statements; `thongke sql` runs one at a time")
    kind, text = statements[0]
    if not write and kind not in READ_STATEMENTS:
        raise StoreError(store.path, f"{kind} changes the database, which `thongke sql` opens read-only; add --write to run it")
    return text


def export_command(
    directory: Annotated[Path, typer.Argument(help="The folder to write into (created if missing).")],
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="parquet or csv: one file per table and view.")] = ExportFormat.parquet,
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
) -> None:
    """Write every table and view to one file each, for tools that do not read DuckDB.

    \b
    Examples:
      thongke export exports/ --format parquet
      thongke export exports-csv/ --format csv --db thongke.duckdb
    """
    with Store(db, read_only=True) as store:
        written = export(store, directory, format)
    emit(["file", "rows"], written, OutputFormat.table, title=f"exported from {db}")


def register(app: typer.Typer) -> None:
    """Add the analysts' commands to the `thongke` app."""
    app.command("compare")(compare_command)
    app.command("sql")(sql_command)
    app.command("export")(export_command)
