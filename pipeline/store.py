"""The DuckDB store: `articles` and `statistics`, derived from the pydantic models.

Column names and types come from `schemas` so the table and the JSON output
cannot drift apart. An article's id is the hash of its text: ingesting the
same article again changes nothing, and an article is written (its row and
all its records) in one transaction, so a record is never half-written.
"""

import hashlib
import types
import typing
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import duckdb
from pydantic import BaseModel

from schemas import AnnotatedArticle, Article, InputError, StatisticRecord, StoreError

EXTRACTOR_VERSION = "0.1.0"
WRITE_BATCH = 256
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
STATISTIC_TABLE_COLUMNS = ("article_id", "seq", *STATISTIC_COLUMNS, "extractor_version")


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


class Written(NamedTuple):
    """What one write stored: new articles and their records."""

    articles: int
    records: int


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
        return article_id in self.stored_ids([article_id])

    def stored_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these content ids are stored already: an ingest skips those articles before extracting."""
        query = "SELECT id FROM articles WHERE id IN (SELECT unnest(?))"
        return {row[0] for row in self.con.execute(query, [list(article_ids)]).fetchall()}

    def write(self, annotated: AnnotatedArticle) -> bool:
        """Store one article and its records; False when that exact text is already stored."""
        return self.write_many([annotated]).articles == 1

    def write_many(self, items: Iterable[AnnotatedArticle]) -> "Written":
        """Store a batch of articles and their records in one transaction; what was new.

        An article whose exact text is stored is left alone; one whose source
        is stored with another text replaces it, records and all.
        """
        batch = self._new_articles(items)
        if not batch:
            return Written(0, 0)
        sources = [annotated.article.source for _, annotated in batch]
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM statistics WHERE article_id IN "
                             "(SELECT id FROM articles WHERE source IN (SELECT unnest(?)))", [sources])
            self.con.execute("DELETE FROM articles WHERE source IN (SELECT unnest(?))", [sources])
            self._insert("articles", ARTICLE_COLUMNS, [_article_row(article_id, a.article) for article_id, a in batch])
            self._insert("statistics", STATISTIC_TABLE_COLUMNS, [
                _statistic_row(article_id, seq, record)
                for article_id, annotated in batch for seq, record in enumerate(annotated.records)
            ])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return Written(len(batch), sum(len(annotated.records) for _, annotated in batch))

    def write_all(self, items: Iterable[AnnotatedArticle], batch_size: int = WRITE_BATCH) -> int:
        stream = iter(items)
        written = 0
        while batch := list(islice(stream, batch_size)):
            written += self.write_many(batch).articles
        return written

    def _new_articles(self, items: Iterable[AnnotatedArticle]) -> list[tuple[str, AnnotatedArticle]]:
        """The batch less texts already stored or repeated; of two texts from one source, the later wins."""
        by_id: dict[str, AnnotatedArticle] = {}
        for item in items:
            by_id.setdefault(content_id(item.article.text), item)
        stored = self.stored_ids(by_id)
        by_source = {item.article.source: (article_id, item) for article_id, item in by_id.items() if article_id not in stored}
        return list(by_source.values())

    def _insert(self, table: str, columns: Sequence[str], rows: list[list]) -> None:
        """Insert rows column-wise, each column one list parameter unnested: far faster than executemany."""
        if not rows:
            return
        names = ", ".join(f'"{name}"' for name in columns)
        values = ", ".join("unnest(?)" for _ in columns)
        self.con.execute(f"INSERT INTO {table} ({names}) SELECT {values}", [list(column) for column in zip(*rows)])

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
