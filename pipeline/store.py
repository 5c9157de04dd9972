"""The DuckDB store: `articles` and `statistics`, derived from the pydantic models.

Column names and types come from `schemas` so the table and the JSON output
cannot drift apart. An article's id is the hash of its text: ingesting the
same article again changes nothing, and an article is written (its row and
all its records) in one transaction, so a record is never half-written.
"""

import hashlib
import types
import typing
from collections.abc import Iterable
from datetime import date, datetime, timezone
from enum import StrEnum
from pathlib import Path

import duckdb
from pydantic import BaseModel

from schemas import AnnotatedArticle, Article, InputError, StatisticRecord, StoreError

EXTRACTOR_VERSION = "0.1.0"
ARTICLE_COLUMNS = ("id", "doc", "source", "url", "title", "outlet", "byline", "author", "published",
                   "province", "province_2025", "chars", "ingested_at")
_SQL_TYPES = {float: "DOUBLE", int: "INTEGER", str: "VARCHAR", date: "DATE", datetime: "TIMESTAMP"}


def content_id(text: str) -> str:
    """A stable article id: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _sql_type(annotation: object) -> str:
    args = [a for a in typing.get_args(annotation) if a is not types.NoneType]
    base = args[0] if args else annotation
    if isinstance(base, type) and issubclass(base, StrEnum):
        return "ENUM(" + ", ".join(f"'{m.value}'" for m in base) + ")"
    return _SQL_TYPES[base]


def model_columns(model: type[BaseModel]) -> dict[str, str]:
    """SQL column types of a pydantic model's fields, in field order."""
    return {name: _sql_type(field.annotation) for name, field in model.model_fields.items()}


STATISTIC_COLUMNS = model_columns(StatisticRecord)


def _schema_sql() -> str:
    stats = ",\n    ".join(f'"{name}" {sql}' for name, sql in STATISTIC_COLUMNS.items())
    return f"""
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,
    doc VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    url VARCHAR,
    title VARCHAR,
    outlet VARCHAR,
    byline VARCHAR,
    author VARCHAR,
    published DATE,
    province VARCHAR,
    province_2025 VARCHAR,
    chars INTEGER NOT NULL,
    ingested_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS ingest_errors (
    source VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    "at" TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS statistics (
    article_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    {stats},
    extractor_version VARCHAR NOT NULL,
    PRIMARY KEY (article_id, seq)
);
"""


class Store:
    """An open DuckDB file with thongke's tables; use as a context manager."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.con = duckdb.connect(self.path)
            self.con.execute(_schema_sql())
        except duckdb.Error as err:
            raise StoreError(self.path, f"cannot open the database ({str(err).splitlines()[0]})") from None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def has_article(self, article_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    def write(self, annotated: AnnotatedArticle) -> bool:
        """Store one article and its records; False when that exact text is already stored."""
        article = annotated.article
        article_id = content_id(article.text)
        if self.has_article(article_id):
            return False
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM statistics WHERE article_id IN (SELECT id FROM articles WHERE source = ?)", [article.source])
            self.con.execute("DELETE FROM articles WHERE source = ?", [article.source])
            self.con.execute(
                f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})",
                _article_row(article_id, article),
            )
            rows = [_statistic_row(article_id, seq, record) for seq, record in enumerate(annotated.records)]
            if rows:
                columns = ", ".join(f'"{c}"' for c in ["article_id", "seq", *STATISTIC_COLUMNS, "extractor_version"])
                self.con.executemany(f"INSERT INTO statistics ({columns}) VALUES ({', '.join('?' * (len(STATISTIC_COLUMNS) + 3))})", rows)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return True

    def write_all(self, items: Iterable[AnnotatedArticle]) -> int:
        return sum(self.write(item) for item in items)

    def write_errors(self, errors: Iterable[InputError]) -> None:
        """Log the inputs a run could not read, so a batch's failures can be queried later."""
        at = datetime.now(timezone.utc).replace(tzinfo=None)
        rows = [[error.source, error.problem, at] for error in errors]
        if rows:
            self.con.executemany("INSERT INTO ingest_errors VALUES (?, ?, ?)", rows)


def _article_row(article_id: str, article: Article) -> list:
    return [article_id, article.doc, article.source, article.url, article.title, article.outlet, article.byline,
            article.author, article.published, article.province, article.province_2025, len(article.text),
            datetime.now(timezone.utc).replace(tzinfo=None)]


def _statistic_row(article_id: str, seq: int, record: StatisticRecord) -> list:
    values = record.model_dump(mode="json")
    return [article_id, seq, *(values[name] for name in STATISTIC_COLUMNS), EXTRACTOR_VERSION]
