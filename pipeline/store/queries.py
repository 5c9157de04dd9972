"""The analysts' queries behind `compare`, `sql` and `export`.

The questions are answered by the views in views.sql, so the duckdb CLI, Python
or a BI tool get the same answers as these commands. `sql` runs one statement
and, unless asked to write, only one that reads.
"""

import re
from enum import StrEnum
from pathlib import Path

from pipeline.store.database import Store, quote_identifier, quote_literal
from schemas import Measure, StoreError, Subject, ThongkeError, Unit

READ_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL"})


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


class Grouping(StrEnum):
    province = "province"
    province_2025 = "province_2025"


PERIOD = ("CASE WHEN year IS NOT NULL THEN year::VARCHAR WHEN coalesce(year_start, year_end) IS NOT NULL "
          "THEN concat(coalesce(year_start::VARCHAR, '?'), '–', coalesce(year_end::VARCHAR, '?')) END AS period")


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


def one_statement(store: Store, query: str, *, write: bool) -> str:
    """The query's one statement; several, none, or (without `write`) one that writes is a one-line error."""
    statements = store.statements(query)
    if not statements:
        raise StoreError(store.path, "the SQL query is empty; give one statement, e.g. \"SELECT * FROM figures LIMIT 10\"")
    if len(statements) > 1:
        raise StoreError(store.path, f"the SQL holds {len(statements)} statements; `thongke sql` runs one at a time")
    kind, text = statements[0]
    if not write and kind not in READ_STATEMENTS:
        raise StoreError(store.path, f"a {kind} statement may change the database or write files, and `thongke sql` "
                         "runs only reads (SELECT, EXPLAIN, DESCRIBE …); add --write to change the database")
    return text


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
