"""The analysts' queries behind `compare`, `coverage`, `export` and the ingest summary.

The questions are answered by the views in views.sql, so the duckdb CLI, Python
or a BI tool get the same answers as these commands.
"""

from enum import StrEnum
from pathlib import Path

from pipeline.store.database import Store
from schemas import InputError, Level, Measure, Subject, Unit


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

    Below province level a province has one row per body (`scope`). A 2025 unit's sum exists only
    for province-level figures: lower levels are compared by old province.
    """
    if by == Grouping.province:
        place = "province, region" if level == Level.province else "province, scope"
        select = f"{place}, period, value, conflict, CASE WHEN conflict THEN \"values\" END AS \"values\", records, articles, title, doc"
        view = "figures_by_year"
        order = "province NULLS LAST, scope NULLS FIRST"
    elif level == Level.province:
        select = "province_2025, period, value, whole_unit, provinces_reporting, provinces_in_unit, missing, conflict, provinces, titles"
        view = "figures_by_year_2025"
        order = "province_2025"
    else:
        raise InputError(f"--level {level.value}", "--by province_2025 adds up whole provinces only; compare this level --by province")
    columns, rows = store.query(
        f"SELECT {select} FROM {view} WHERE level = ? AND subject = ? AND measure = ? AND unit = ? "
        f"AND (? IS NULL OR year = ?) ORDER BY {order}, year_start NULLS LAST, year_end NULLS LAST, "
        f"month_start NULLS FIRST, month_end NULLS FIRST",
        [level.value, subject.value, measure.value, unit.value, year, year])
    if "values" in columns:
        i = columns.index("values")
        rows = [(*row[:i], _values(row[i]), *row[i + 1:]) for row in rows]
    return columns, rows


def _values(values: list[float] | None) -> str | None:
    """The values a conflicting fact was reported with, as one readable cell: '151800 / 152300'."""
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
