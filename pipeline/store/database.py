"""The DuckDB store: `articles`, `statistics`, `provinces`, `ingest_errors`, `feeds`, and the analysts' views.

Column names, types and documentation come from the pydantic models in
`schemas` (Field descriptions become `COMMENT ON COLUMN`), so the tables, the
JSON output and the database's own documentation cannot drift apart. An
article's id is the hash of its text: ingesting the same article again changes
nothing. Articles are written in batches, each one transaction holding whole
articles (their row and all their records), so a killed ingest leaves the last
committed batch and never a half-written article; re-running completes it.
"""

import hashlib
import json
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import StrEnum
from pathlib import Path
from time import monotonic, sleep
from typing import NamedTuple

import duckdb
import underthesea.address
from pydantic import BaseModel

from corpus.reading import STDIN
from pipeline.store.fetch_log import FetchLog
from schemas import AnnotatedArticle, Article, InputError, StatisticRecord, StoreError

EXTRACTOR_VERSION = "0.1.0"
VIEWS = Path(__file__).parent / "views.sql"
REGIONS = Path(__file__).parent / "regions.json"
MAPPING = Path(underthesea.address.__file__).parent / "data" / "mapping.json"
LOCK_WAIT_SECONDS = 600.0
LOCK_POLL_SECONDS = 0.25
_SQL_TYPES = {float: "DOUBLE", int: "INTEGER", str: "VARCHAR", date: "DATE", datetime: "TIMESTAMP"}


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, SQL type with constraints, and the comment stored in the database."""

    name: str
    sql: str
    doc: str


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]


def content_id(text: str) -> str:
    """A stable article id: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _sql_type(annotation: object) -> str:
    args = [a for a in typing.get_args(annotation) if a is not types.NoneType]
    base = args[0] if args else annotation
    null = "" if types.NoneType in typing.get_args(annotation) else " NOT NULL"
    if isinstance(base, type) and issubclass(base, StrEnum):
        return "ENUM(" + ", ".join(f"'{m.value}'" for m in base) + ")" + null
    return _SQL_TYPES[base] + null


def model_columns(model: type[BaseModel], skip: frozenset[str] = frozenset()) -> tuple[Column, ...]:
    """The columns of a pydantic model's fields, in field order; optional fields are nullable."""
    return tuple(Column(name, _sql_type(field.annotation), field.description or "")
                 for name, field in model.model_fields.items() if name not in skip)


ARTICLES = Table("articles", "One row per article stored: its metadata, without the text.", (
    Column("id", "VARCHAR NOT NULL", "Content hash of the article text (16 hex digits of SHA-256): the same text is stored once"),
    *model_columns(Article, skip=frozenset({"text"})),
    Column("chars", "INTEGER NOT NULL", "Length of the article text in characters"),
    Column("ingested_at", "TIMESTAMP NOT NULL", "When the article was stored (UTC)"),
), key=("id",))

STATISTICS = Table("statistics", "One row per statistic record (SPEC.md); article_id joins articles.id, province joins provinces.name.", (
    Column("article_id", "VARCHAR NOT NULL", "The article the figure was read from (articles.id)"),
    Column("seq", "INTEGER NOT NULL", "Position of the record among its article's records, from 0"),
    *model_columns(StatisticRecord),
    Column("extractor_version", "VARCHAR NOT NULL", "Version of thongke's extractor that produced the record"),
), key=("article_id", "seq"))

PROVINCES = Table("provinces", "The 63 provincial-level units before 2025 and the unit each belongs to after the 2025 merger into 34.", (
    Column("code", "VARCHAR NOT NULL", "Two-digit administrative code of the pre-2025 unit ('40' Nghệ An)"),
    Column("name", "VARCHAR NOT NULL UNIQUE", "Short name, as in statistics.province and articles.province ('Nghệ An', 'Huế')"),
    Column("official_name", "VARCHAR NOT NULL", "Official name ('Tỉnh Nghệ An', 'Thành phố Hải Phòng')"),
    Column("type", "ENUM('tỉnh', 'thành phố') NOT NULL", "'tỉnh' (province) or 'thành phố' (centrally-run city)"),
    Column("region", "VARCHAR NOT NULL", "Socio-economic region ('Bắc Trung Bộ', 'Đồng bằng sông Cửu Long', …)"),
    Column("macro_region", "VARCHAR NOT NULL", "'Miền Bắc', 'Miền Trung', 'Miền Trung (Tây Nguyên)' or 'Miền Nam'"),
    Column("code_2025", "VARCHAR NOT NULL", "Code of the unit after the 2025 merger"),
    Column("name_2025", "VARCHAR NOT NULL", "Short name of the unit after the 2025 merger, as in statistics.province_2025"),
    Column("official_name_2025", "VARCHAR NOT NULL", "Official name of the unit after the 2025 merger"),
), key=("code",))

INGEST_ERRORS = Table("ingest_errors", "Inputs an ingest run could not read, one row per failure.", (
    Column("source", "VARCHAR NOT NULL", "The file, URL or feed entry that failed"),
    Column("reason", "VARCHAR NOT NULL", "What was wrong with it"),
    Column("at", "TIMESTAMP NOT NULL", "When it failed (UTC)"),
))

FEEDS = Table("feeds", "The feeds a user follows (`thongke feeds add`), polled by `thongke ingest --feeds` and `thongke watch`.", (
    Column("url", "VARCHAR NOT NULL", "The feed's URL, as added"),
    Column("title", "VARCHAR", "Its title, as the OPML list or `feeds discover` gave it; NULL when none did"),
    Column("outlet", "VARCHAR", "The paper it belongs to, from its domain (corpus/data/outlets.json); NULL when unknown"),
    Column("province", "VARCHAR", "That paper's province (joins provinces.name); NULL for a national or unknown outlet"),
    Column("added_at", "TIMESTAMP NOT NULL", "When it was added (UTC)"),
    Column("last_polled_at", "TIMESTAMP", "When it was last polled (UTC); NULL until the first poll"),
    Column("last_status", "VARCHAR", "How the last poll went: 'ok' (read, or unchanged since the poll before) or 'failed'"),
    Column("last_error", "VARCHAR", "Why the last poll failed (as in ingest_errors.reason); NULL when it did not"),
    Column("failures", "INTEGER NOT NULL DEFAULT 0", "Polls failed in a row (0 after a good one); `watch` waits 2^failures rounds before the next"),
    Column("articles_found", "INTEGER NOT NULL DEFAULT 0", "New articles stored from this feed over all its polls"),
), key=("url",))

TABLES = (ARTICLES, STATISTICS, PROVINCES, INGEST_ERRORS, FEEDS)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _create_sql(table: Table) -> str:
    lines = [f"{_quote(c.name)} {c.sql}" for c in table.columns]
    if table.key:
        lines.append(f"PRIMARY KEY ({', '.join(map(_quote, table.key))})")
    comments = [f"COMMENT ON TABLE {table.name} IS {_literal(table.doc)};"]
    comments += [f"COMMENT ON COLUMN {table.name}.{_quote(c.name)} IS {_literal(c.doc)};" for c in table.columns if c.doc]
    return f"CREATE TABLE {table.name} (\n    " + ",\n    ".join(lines) + "\n);\n" + "\n".join(comments)


def province_rows() -> list[tuple]:
    """The `provinces` rows: names and 2025 units from underthesea's address data, regions from ours."""
    mapping = json.loads(MAPPING.read_text(encoding="utf-8"))
    regions = {item["code"]: item for item in json.loads(REGIONS.read_text(encoding="utf-8"))}
    rows = []
    for key, old in mapping["old_province_names"].items():
        new = mapping["province_names"][mapping["province_mapping"][key]]
        kind = "thành phố" if old["name"].startswith("Thành phố") else "tỉnh"
        region = regions[old["code"]]
        rows.append((old["code"], old["short"], old["name"], kind, region["region"], region["macro_region"],
                     new["code"], new["short"], new["name"]))
    return sorted(rows)


def _insert(con: duckdb.DuckDBPyConnection, table: Table, rows: Sequence[Sequence[object]]) -> None:
    """Insert many rows in one statement: one list parameter per column, unnested side by side."""
    if not rows:
        return
    columns = [list(values) for values in zip(*rows)]
    select = ", ".join(f"unnest(${i})" for i in range(1, len(columns) + 1))
    con.execute(f"INSERT INTO {table.name} ({', '.join(map(_quote, table.names))}) SELECT {select}", columns)


class Written(NamedTuple):
    """What one write stored: new articles and their records, and the articles that could not be stored."""

    articles: int
    records: int
    failed: tuple[InputError, ...] = ()

    def __add__(self, other: "Written") -> "Written":  # type: ignore[override]
        return Written(self.articles + other.articles, self.records + other.records, self.failed + other.failed)


class Store:
    """An open DuckDB file with thongke's tables and views; use as a context manager.

    `create=False` is for read commands: a missing file is an error, not a new empty database.
    DuckDB lets one process write a file at a time; another thongke waits
    up to `wait` seconds for it (telling `on_wait` once), so two cron jobs
    queue instead of failing.
    """

    def __init__(self, path: str | Path, *, create: bool = True, wait: float = LOCK_WAIT_SECONDS,
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.path = str(path)
        if not create and not Path(path).is_file():
            raise StoreError(self.path, "no such database file (create it with `thongke ingest`)")
        try:
            self.con = self._connect(wait, on_wait)
            self._prepare()
        except duckdb.Error as err:
            raise StoreError(self.path, f"cannot open the database ({str(err).splitlines()[0]})") from None

    def _connect(self, wait: float, on_wait: Callable[[str], None] | None) -> duckdb.DuckDBPyConnection:
        deadline = monotonic() + wait
        while True:
            try:
                return duckdb.connect(self.path)
            except duckdb.IOException as error:
                if "lock" not in str(error).lower() or monotonic() >= deadline:
                    raise
                if on_wait is not None:
                    on_wait(f"{self.path} is being written by another process; waiting up to {wait:.0f} s")
                    on_wait = None
                sleep(LOCK_POLL_SECONDS)

    def _prepare(self) -> None:
        existing = {name for (name,) in self.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'").fetchall()}
        self.con.execute("BEGIN TRANSACTION")
        for table in TABLES:
            if table.name not in existing:
                self.con.execute(_create_sql(table))
            elif self.columns(table.name) != table.names:
                self.con.execute("ROLLBACK")
                raise StoreError(self.path, f"table {table.name} was made by another thongke version; ingest into a new file")
        if self.con.execute("SELECT count(*) FROM provinces").fetchone() != (63,):
            self.con.execute("DELETE FROM provinces")
            _insert(self.con, PROVINCES, province_rows())
        self.con.execute(VIEWS.read_text(encoding="utf-8"))
        self.con.execute("COMMIT")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def columns(self, table: str) -> list[str]:
        return [name for (name,) in self.con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND table_name = ? "
            "ORDER BY column_index", [table]).fetchall()]

    def query(self, sql: str, parameters: Sequence[object] = ()) -> tuple[list[str], list[tuple]]:
        """Run one statement; a DuckDB error becomes a one-line StoreError."""
        try:
            cursor = self.con.execute(sql, list(parameters))
        except duckdb.Error as err:
            raise StoreError(self.path, f"SQL error: {str(err).splitlines()[0]}") from None
        if cursor.description is None:
            return [], []
        return [d[0] for d in cursor.description], cursor.fetchall()

    def relations(self) -> list[str]:
        """Every table and view an analyst can read, tables first."""
        return [name for (name,) in self.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
            "UNION ALL (SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND NOT internal ORDER BY view_name)").fetchall()]

    def has_article(self, article_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    def stored_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these content ids are stored already: an ingest skips those articles before extracting."""
        query = "SELECT id FROM articles WHERE id IN (SELECT unnest(?))"
        return {row[0] for row in self.con.execute(query, [list(article_ids)]).fetchall()}

    def write(self, annotated: AnnotatedArticle) -> bool:
        """Store one article and its records; False when that exact text is already stored."""
        return self.write_many([annotated]).articles == 1

    def write_all(self, items: Iterable[AnnotatedArticle], *, batch_size: int = 200, max_seconds: float = 2.0) -> int:
        """Store articles in batches of at most `batch_size`, or what arrived within `max_seconds`; returns how many were new."""
        new = 0
        batch: list[AnnotatedArticle] = []
        started = monotonic()
        for item in items:
            if not batch:
                started = monotonic()
            batch.append(item)
            if len(batch) >= batch_size or monotonic() - started >= max_seconds:
                new += self.write_many(batch).articles
                batch = []
        return new + (self.write_many(batch).articles if batch else 0)

    def write_many(self, batch: Sequence[AnnotatedArticle], *, fetch_log: FetchLog | None = None) -> Written:
        """Store a batch in one transaction; when that fails, article by article, so only a bad one is lost.

        A full disk (or any other I/O failure) is not an article's fault: it
        stops the run with a StoreError, and the database stays as it was
        before the batch.
        """
        try:
            return self._write_batch(batch, fetch_log)
        except duckdb.IOException as error:
            raise self._io_failure(error) from None
        except Exception:  # noqa: BLE001 — some article of the batch cannot be stored: find which
            pass
        written = Written(0, 0)
        for item in batch:
            try:
                written += self._write_batch([item], fetch_log)
            except duckdb.IOException as error:
                raise self._io_failure(error) from None
            except Exception as error:  # noqa: BLE001 — that article's error; the others are stored
                problem = f"cannot be stored ({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})"
                written += Written(0, 0, (InputError(item.article.source, problem),))
        return written

    def _write_batch(self, batch: Sequence[AnnotatedArticle], fetch_log: FetchLog | None) -> Written:
        """One transaction: drop what the batch's sources held before, insert the new articles and records.

        A source replaces what it stored before; stdin ('-') names no source
        and never replaces anything. The validators of the batch's pages are
        written in the same transaction (see fetch_log).
        """
        ids = [content_id(item.article.text) for item in batch]
        stored = self.stored_ids(ids)
        fresh: dict[str, tuple[str, AnnotatedArticle]] = {}
        for article_id, item in zip(ids, batch):
            if article_id not in stored:
                stored.add(article_id)
                source = item.article.source
                fresh[article_id if source == STDIN else source] = (article_id, item)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        articles = [_article_row(article_id, item.article, now) for article_id, item in fresh.values()]
        records = [_statistic_row(article_id, seq, record)
                   for article_id, item in fresh.values() for seq, record in enumerate(item.records)]
        sources = [item.article.source for _, item in fresh.values() if item.article.source != STDIN]
        if not fresh and fetch_log is None:
            return Written(0, 0)
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM statistics WHERE article_id IN (SELECT id FROM articles WHERE source IN (SELECT unnest(?)))", [sources])
            self.con.execute("DELETE FROM articles WHERE source IN (SELECT unnest(?))", [sources])
            _insert(self.con, ARTICLES, articles)
            _insert(self.con, STATISTICS, records)
            if fetch_log is not None:
                fetch_log.commit(self.con, _addresses(item.article for item in batch))
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return Written(len(fresh), len(records))

    def _rollback(self) -> None:
        """Undo the open transaction; one that a failed COMMIT already ended needs nothing more."""
        try:
            self.con.execute("ROLLBACK")
        except duckdb.Error:
            pass

    def _io_failure(self, error: duckdb.Error) -> StoreError:
        first = str(error).splitlines()[0]
        disk = "disk is full" if "space" in first.lower() else first
        return StoreError(self.path, f"cannot write ({disk}); the database is as it was before this batch")

    def keep_validators(self, articles: Sequence[Article], fetch_log: FetchLog) -> None:
        """Write the held-back validators of pages whose text is stored already."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            fetch_log.commit(self.con, _addresses(articles))
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def write_errors(self, errors: Iterable[InputError]) -> None:
        """Log the inputs a run could not read, so a batch's failures can be queried later."""
        at = datetime.now(timezone.utc).replace(tzinfo=None)
        _insert(self.con, INGEST_ERRORS, [(error.source, error.problem, at) for error in errors])


def _addresses(articles: Iterable[Article]) -> set[str]:
    """The URLs an article was fetched under: its page address and, for a page, its source."""
    return {address for article in articles for address in (article.url, article.source) if address}


def _article_row(article_id: str, article: Article, now: datetime) -> tuple:
    values = article.model_dump()
    return (article_id, *(values[name] for name in ARTICLES.names[1:-2]), len(article.text), now)


def _statistic_row(article_id: str, seq: int, record: StatisticRecord) -> tuple:
    values = record.model_dump(mode="json")
    return (article_id, seq, *(values[name] for name in STATISTICS.names[2:-1]), EXTRACTOR_VERSION)
