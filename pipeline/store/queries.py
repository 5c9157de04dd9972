"""The analysts' queries behind `compare` and `export`.

The questions are answered by the views in views.sql, so the duckdb CLI, Python
or a BI tool get the same answers as these commands.
"""

from enum import StrEnum
from pathlib import Path

from pipeline.store.database import Store
from schemas import Measure, Subject, Unit


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
