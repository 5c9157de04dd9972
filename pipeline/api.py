"""The Python API: annotate a string, open a database; both display as HTML in Jupyter.

    from pipeline import annotate_text, open_db
    result = annotate_text("Năm 2023, Đảng bộ tỉnh Nghệ An kết nạp 2.310 đảng viên mới.", published="2023-12-20")
    result.records[0].value            # 2310.0
    with open_db("thongke.duckdb") as db:
        db.table("figures").df()       # a pandas DataFrame (pip install pandas)

A notebook shows an `Annotation` as the same page `thongke annotate --format
html` writes (in an iframe, so its styles stay inside) and a `Record` as one
row of that page's table.
"""

import html
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from pydantic import PrivateAttr

from pipeline.store.database import Store, quote_identifier
from pipeline.views.pages import measure_label, record_value, subject_label
from schemas import AnnotatedArticle, Article, StatisticRecord

FRAME_HEIGHT = 640


class Record(StatisticRecord):
    """A statistic record that displays itself in a notebook."""

    def _repr_html_(self) -> str:
        years = "–".join(dict.fromkeys(str(y) for y in (self.year_start, self.year_end) if y is not None)) or "—"
        cells = [self.text, record_value(self), subject_label(self.subject), measure_label(self.measure),
                 self.province or "—", years, self.sentence]
        heads = ["Số liệu", "Giá trị", "Đối tượng", "Hoạt động", "Tỉnh", "Năm", "Câu"]
        row = "".join(f"<td>{html.escape(str(cell))}</td>" for cell in cells)
        head = "".join(f"<th>{name}</th>" for name in heads)
        return f"<table><thead><tr>{head}</tr></thead><tbody><tr>{row}</tr></tbody></table>"


class Annotation(AnnotatedArticle):
    """An article and its records (as `annotate --format json` gives them) that displays itself in a notebook."""

    records: list[Record]
    _drawn: tuple[AnnotatedArticle, list[Any]] | None = PrivateAttr(default=None)

    def html(self) -> str:
        """The self-contained page of `thongke annotate --format html`, drawn from the Docs the annotation built."""
        from pipeline.views.article_page import article_page  # noqa: PLC0415 — only a display needs it

        if self._drawn is None:
            raise ValueError("only an Annotation made by annotate_text can draw its page")
        return article_page(*self._drawn)

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" title="{html.escape(self.doc)}" '
                f'style="width:100%;height:{FRAME_HEIGHT}px;border:1px solid #dde3ea"></iframe>')


def annotate_text(text: str, *, url: str | None = None, published: date | str | None = None,
                  title: str | None = None, doc: str = "text") -> Annotation:
    """The records of one article given as a string, with its URL, publication date and title when known."""
    from pipeline.nlp.annotate import annotate_with_docs  # noqa: PLC0415 — spaCy and underthesea load on first use

    article = Article(doc=doc, text=text, source=url or "<string>", url=url, title=title,
                      published=date.fromisoformat(published) if isinstance(published, str) else published)
    result, items = annotate_with_docs(article)
    annotation = Annotation(doc=result.doc, article=result.article,
                            records=[Record(**record.model_dump()) for record in result.records])
    annotation._drawn = (result, items)
    return annotation


class Database:
    """A thongke database opened read-only, its tables and views as DuckDB relations.

    Close it (or use `with`) when done: DuckDB lets no writer in while a reader
    holds the file, and `thongke ingest` waits for it.
    """

    def __init__(self, path: str | Path) -> None:
        self._store = Store(path, read_only=True)
        self.path = self._store.path

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The read-only DuckDB connection itself, for anything the methods below do not cover."""
        with self._store.session() as con:
            return con

    def sql(self, query: str, parameters: list[Any] | None = None) -> duckdb.DuckDBPyRelation:
        """A query as a relation: `.df()`, `.pl()`, `.arrow()`, `.fetchall()`, or more SQL on top."""
        return self.connection.sql(query, params=parameters)

    def table(self, name: str) -> duckdb.DuckDBPyRelation:
        """A table or view by name (`figures`, `latest_counts`, …)."""
        return self.sql(f"SELECT * FROM {quote_identifier(name)}")

    def df(self, query: str, parameters: list[Any] | None = None) -> Any:
        """A query's result as a pandas DataFrame."""
        return self.sql(query, parameters).df()

    def relations(self) -> list[str]:
        """The tables and views an analyst can read, tables first."""
        return self._store.relations()

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(name)}</td><td>{html.escape(comment or '')}</td></tr>"
                       for name, comment in self.connection.execute(
                           "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() "
                           "UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE database_name = current_database() "
                           "AND NOT internal").fetchall())
        return f"<p>{html.escape(self.path)}</p><table><tr><th>table or view</th><th>what it holds</th></tr>{rows}</table>"


def open_db(path: str | Path = "thongke.duckdb") -> Database:
    """Open a database written by `thongke ingest`, read-only."""
    return Database(path)
