"""The analysts' queries behind `compare`, `coverage`, `sql`, `export` and the ingest summary.

The questions are answered by the views in views.sql, so the duckdb CLI, Python
or a BI tool get the same answers as these commands. `sql` runs one statement
and, unless asked to write, only one that reads.
"""

import re
from enum import StrEnum
from pathlib import Path

from pipeline.store.database import Store, quote_identifier, quote_literal
from schemas import InputError, Level, Measure, StoreError, Subject, ThongkeError, Unit

READ_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL"})


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


class Grouping(StrEnum):
    province = "province"
    province_2025 = "province_2025"


def comparison(store: Store, subject: Subject, measure: Measure, *, year: int | None = None,
               by: Grouping = Grouping.province, unit: Unit = Unit.count,
               level: Level = Level.province) -> tuple[list[str], list[tuple]]:
    """One figure of one level per province (or 2025 unit) and period, with how many report it and any conflict.

    `conflict` is empty when the records agree, else the values they were reported with.

    Below province level a province has one row per body (`scope`). A 2025 unit's sum exists only
    for province-level figures: lower levels are compared by old province.
    """
    if by == Grouping.province:
        place = "province" if level == Level.province else "province, scope"
        select = f"{place}, period, value, articles, CASE WHEN conflict THEN \"values\" END AS conflict, title, doc"
        view = "figures_by_year"
        order = "province NULLS LAST, scope NULLS FIRST"
    elif level == Level.province:
        select = "province_2025, period, value, provinces_reporting, provinces_in_unit, missing, whole_unit, conflict, provinces, titles"
        view = "figures_by_year_2025"
        order = "province_2025"
    else:
        raise InputError(f"--level {level.value}", "--by province_2025 adds up whole provinces only; compare this level --by province")
    columns, rows = store.query(
        f"SELECT {select} FROM {view} WHERE level = ? AND subject = ? AND measure = ? AND unit = ? "
        f"AND (? IS NULL OR year = ?) ORDER BY {order}, year_start NULLS LAST, year_end NULLS LAST, "
        f"month_start NULLS FIRST, month_end NULLS FIRST",
        [level.value, subject.value, measure.value, unit.value, year, year])
    if by == Grouping.province:
        i = columns.index("conflict")
        rows = [(*row[:i], _values(row[i]), *row[i + 1:]) for row in rows]
    return columns, rows


def _values(values: list[float] | None) -> str | None:
    """The values a conflicting fact was reported with, as one readable cell ('151800 / 152300'); None when they agree."""
    return None if values is None else " / ".join(format(value, ".15g") for value in values)


def coverage(store: Store, *, by: Grouping = Grouping.province, subject: Subject | None = None,
             measure: Measure | None = None) -> tuple[list[str], list[tuple]]:
    """Every old province (or 2025 unit) against every subject and measure stored: who reports, up to when."""
    view = "coverage" if by == Grouping.province else "coverage_2025"
    return store.query(
        f"SELECT * EXCLUDE (level) FROM {view} WHERE (? IS NULL OR subject = ?) AND (? IS NULL OR measure = ?)",
        [subject, subject, measure, measure])


def other_levels(store: Store) -> str:
    """A line saying how many facts of other levels the database holds beside the province-level ones."""
    _, rows = store.query(
        "SELECT coalesce(level::VARCHAR, 'unknown') AS level, count(*) FROM facts "
        "WHERE level IS DISTINCT FROM 'province' GROUP BY ALL ORDER BY count(*) DESC, level")
    if not rows:
        return "Every figure stored speaks for a whole province."
    total = sum(count for _, count in rows)
    parts = ", ".join(f"{level} {count}" for level, count in rows)
    return (f"Also stored, not compared above: {total} figure(s) of other levels ({parts}); "
            "see `thongke compare --level LEVEL` or the facts view.")


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
