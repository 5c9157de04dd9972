"""The DuckDB store: `articles`, `article_texts`, `statistics`, `provinces`, `ingest_errors`, `fetch_log`, `feeds`, and the views.

Column names, types and documentation come from the pydantic models in
`schemas` (Field descriptions become `COMMENT ON COLUMN`), so the tables, the
JSON output and the database's own documentation cannot drift apart. An
article's id is the hash of its text: ingesting the same article again changes
nothing. Articles are written in batches, each one transaction holding whole
articles (their row and all their records), so a killed ingest leaves the last
committed batch and never a half-written article; re-running completes it.

DuckDB lets one process write a file or several read it, never both at once.
So a writer (`ingest`, `reextract`) holds the file only for each short
transaction and closes it in between, and every opening waits a little while
another process holds the file: an analyst's query runs between an ingest's
batches. Readers open the file read-only and never create or replace anything.
"""

import hashlib
import importlib.util
import json
import re
import threading
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import StrEnum
from pathlib import Path
from time import monotonic, sleep
from typing import NamedTuple

import duckdb
from pydantic import BaseModel

from corpus.reading import STDIN
from pipeline.store.fetch_log import FetchLog
from schemas import AnnotatedArticle, Article, InputError, StatisticRecord, StoreError

EXTRACTOR_VERSION = "0.1.0"
VIEWS = Path(__file__).parent / "views.sql"
REGIONS = Path(__file__).parent / "regions.json"
READ_WAIT = 15.0
LOCK_WAIT_SECONDS = 600.0
RETRY_EVERY = 0.05
NO_EXTERNAL_ACCESS = {"enable_external_access": False, "autoinstall_known_extensions": False,
                      "autoload_known_extensions": False}
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

STATISTICS = Table("statistics", "One row per statistic record (fields and codes: docs/records.md); article_id joins articles.id, province joins provinces.name.", (
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

ARTICLE_TEXTS = Table("article_texts", "The text of every stored article, kept so that `thongke reextract` can read it again.", (
    Column("article_id", "VARCHAR NOT NULL", "The article (articles.id)"),
    Column("text", "VARCHAR NOT NULL", "The decoded, NFC-normalised article text; statistics.start and .end index it"),
), key=("article_id",))

INGEST_ERRORS = Table("ingest_errors", "Inputs an ingest run could not read, one row per failure.", (
    Column("source", "VARCHAR NOT NULL", "The file, URL or feed entry that failed"),
    Column("reason", "VARCHAR NOT NULL", "What was wrong with it"),
    Column("at", "TIMESTAMP NOT NULL", "When it failed (UTC)"),
))

FETCH_LOG = Table("fetch_log", "One row per URL fetched: the validators of its last stored response, for conditional re-polls.", (
    Column("url", "VARCHAR NOT NULL", "The page or feed URL as requested"),
    Column("etag", "VARCHAR", "The ETag of the last response whose content was stored (sent back as If-None-Match); NULL when there was none"),
    Column("last_modified", "VARCHAR", "The Last-Modified header of that response, as written (sent back as If-Modified-Since)"),
    Column("status", "INTEGER", "HTTP status of the last response (200; 304 when unchanged)"),
    Column("fetched_at", "TIMESTAMP", "When it was fetched (UTC)"),
), key=("url",))

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

TABLES = (ARTICLES, ARTICLE_TEXTS, STATISTICS, PROVINCES, INGEST_ERRORS, FETCH_LOG, FEEDS)


def quote_identifier(name: str) -> str:
    """A table, view or column name as SQL, whatever characters it holds."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"



def _create_sql(table: Table) -> str:
    lines = [f"{quote_identifier(c.name)} {c.sql}" for c in table.columns]
    if table.key:
        lines.append(f"PRIMARY KEY ({', '.join(map(quote_identifier, table.key))})")
    return f"CREATE TABLE {table.name} (\n    " + ",\n    ".join(lines) + "\n);"


def _comment_sql(table: Table) -> str:
    comments = [f"COMMENT ON TABLE {table.name} IS {quote_literal(table.doc)};"]
    comments += [f"COMMENT ON COLUMN {table.name}.{quote_identifier(c.name)} IS {quote_literal(c.doc)};" for c in table.columns if c.doc]
    return "\n".join(comments)


def _mapping_file() -> Path:
    """underthesea's province mapping, found without importing underthesea (a second of start-up)."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or spec.origin is None:
        raise StoreError("underthesea", "is not installed (its address data fills the provinces table)")
    return Path(spec.origin).parent / "address" / "data" / "mapping.json"


def province_rows() -> list[tuple]:
    """The `provinces` rows: names and 2025 units from underthesea's address data, regions from ours."""
    mapping = json.loads(_mapping_file().read_text(encoding="utf-8"))
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
    con.execute(f"INSERT INTO {table.name} ({', '.join(map(quote_identifier, table.names))}) SELECT {select}", columns)


class Written(NamedTuple):
    """What one write stored: new articles and their records, and the articles that could not be stored."""

    articles: int
    records: int
    failed: tuple[InputError, ...] = ()

    def __add__(self, other: "Written") -> "Written":  # type: ignore[override]
        return Written(self.articles + other.articles, self.records + other.records, self.failed + other.failed)


class Store:
    """A thongke DuckDB file; use as a context manager.

    `read_only=True` is for the read commands: the file must exist, is opened
    once without write access and is never changed. Otherwise the store
    writes: it creates the tables and replaces the views on first opening,
    then opens the file for each operation only (see the module docstring).
    `external_access=False` also cuts queries off from files, the network and
    extensions (`thongke sql`). While another process holds the file, a
    reader waits up to READ_WAIT seconds and a writer up to `wait` (telling
    `on_wait` once), so two cron jobs queue instead of failing.
    """

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False,
                 external_access: bool = True, wait: float = LOCK_WAIT_SECONDS,
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._wait = READ_WAIT if read_only else wait
        self._on_wait = on_wait
        self._config = {} if external_access else dict(NO_EXTERNAL_ACCESS)
        self._lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._depth = 0
        if (read_only or not create) and not Path(path).is_file():
            raise StoreError(self.path, "no such database file (create it with `thongke ingest`)")
        if read_only:
            self._con = self._open()
            return
        with self.session() as con:
            try:
                self._prepare(con)
            except duckdb.Error as err:
                raise StoreError(self.path, f"cannot open the database ({str(err).splitlines()[0]})") from None

    def _open(self) -> duckdb.DuckDBPyConnection:
        """Connect, waiting while another process holds the file (an ingest between batches, a reader)."""
        deadline = monotonic() + self._wait
        while True:
            try:
                return duckdb.connect(self.path, read_only=self.read_only, config=self._config)
            except duckdb.IOException as err:
                if "lock" not in str(err).lower():
                    raise StoreError(self.path, f"cannot open the database ({str(err).splitlines()[0]})") from None
                if monotonic() >= deadline:
                    raise StoreError(self.path, f"is still held by another process after {self._wait:.0f} s (an ingest "
                                     "between batches, or a connection left open); retry when it has finished") from None
                if self._on_wait is not None:
                    self._on_wait(f"{self.path} is held by another process; waiting up to {self._wait:.0f} s")
                    self._on_wait = None
                sleep(RETRY_EVERY)
            except duckdb.Error as err:
                raise StoreError(self.path, f"cannot open the database ({str(err).splitlines()[0]})") from None

    @contextmanager
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The connection for one operation; a writer's is closed when the outermost operation ends."""
        with self._lock:
            if self._con is None:
                self._con = self._open()
            self._depth += 1
            try:
                yield self._con
            finally:
                self._depth -= 1
                if self._depth == 0 and not self.read_only:
                    self._con.close()
                    self._con = None

    def _prepare(self, con: duckdb.DuckDBPyConnection) -> None:
        existing = {name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'").fetchall()}
        con.execute("BEGIN TRANSACTION")
        for table in TABLES:
            if table.name not in existing:
                con.execute(_create_sql(table))
            elif self.columns(table.name) != table.names:
                con.execute("ROLLBACK")
                raise StoreError(self.path, f"table {table.name} was made by another thongke version; ingest into a new file")
            con.execute(_comment_sql(table))
        if con.execute("SELECT count(*) FROM provinces").fetchone() != (63,):
            con.execute("DELETE FROM provinces")
            _insert(con, PROVINCES, province_rows())
        con.execute(VIEWS.read_text(encoding="utf-8"))
        inherit_comments(con)
        con.execute("COMMIT")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def columns(self, table: str) -> list[str]:
        with self.session() as con:
            return [name for (name,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND table_name = ? "
                "ORDER BY column_index", [table]).fetchall()]

    def query(self, sql: str, parameters: Sequence[object] = ()) -> tuple[list[str], list[tuple]]:
        """Run one statement; a DuckDB error becomes a one-line StoreError."""
        with self.session() as con:
            try:
                cursor = con.execute(sql, list(parameters))
            except duckdb.Error as err:
                raise StoreError(self.path, f"SQL error: {str(err).splitlines()[0]}") from None
            if cursor.description is None:
                return [], []
            return [d[0] for d in cursor.description], cursor.fetchall()

    def statements(self, sql: str) -> list[tuple[str, str]]:
        """The statements of a SQL string, as (kind, text): 'SELECT', 'DELETE' …; a syntax error is a StoreError."""
        with self.session() as con:
            try:
                return [(s.type.name, s.query) for s in con.extract_statements(sql)]
            except duckdb.Error as err:
                raise StoreError(self.path, f"SQL error: {str(err).splitlines()[0]}") from None

    def stream(self, sql: str, batch: int = 2048) -> tuple[list[str], Iterator[tuple]]:
        """Run one statement and return its columns and its rows, fetched a batch at a time.

        The caller holds `session()` while it reads the rows.
        """
        with self.session() as con:
            try:
                cursor = con.execute(sql)
            except duckdb.Error as err:
                raise StoreError(self.path, f"SQL error: {str(err).splitlines()[0]}") from None
        if cursor.description is None:
            return [], iter(())

        def rows() -> Iterator[tuple]:
            try:
                while chunk := cursor.fetchmany(batch):
                    yield from chunk
            except duckdb.Error as err:
                raise StoreError(self.path, f"SQL error: {str(err).splitlines()[0]}") from None

        return [d[0] for d in cursor.description], rows()

    def relations(self) -> list[str]:
        """Every table and view an analyst can read, tables first."""
        with self.session() as con:
            return [name for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
                "UNION ALL (SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
                "AND schema_name = 'main' AND NOT internal ORDER BY view_name)").fetchall()]

    def has_article(self, article_id: str) -> bool:
        with self.session() as con:
            return con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    def stored_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these content ids are stored already: an ingest skips those articles before extracting."""
        query = "SELECT id FROM articles WHERE id IN (SELECT unnest(?))"
        with self.session() as con:
            return {row[0] for row in con.execute(query, [list(article_ids)]).fetchall()}

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
        with self.session():
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
        """One transaction: drop what the batch's sources held before, insert the new articles, texts and records.

        A source replaces what it stored before; stdin ('-') names no source
        and never replaces anything. The validators of the batch's pages are
        written in the same transaction (see fetch_log).
        """
        ids = [content_id(item.article.text) for item in batch]
        with self.session() as con:
            stored = self.stored_ids(ids)
            fresh: dict[str, tuple[str, AnnotatedArticle]] = {}
            for article_id, item in zip(ids, batch):
                if article_id not in stored:
                    stored.add(article_id)
                    source = item.article.source
                    fresh[article_id if source == STDIN else source] = (article_id, item)
            if not fresh and fetch_log is None:
                return Written(0, 0)
            now = datetime.now(timezone.utc).replace(tzinfo=None)
            articles = [_article_row(article_id, item.article, now) for article_id, item in fresh.values()]
            texts = [(article_id, item.article.text) for article_id, item in fresh.values()]
            records = [_statistic_row(article_id, seq, record)
                       for article_id, item in fresh.values() for seq, record in enumerate(item.records)]
            sources = [[item.article.source for _, item in fresh.values() if item.article.source != STDIN]]
            replaced = "SELECT id FROM articles WHERE source IN (SELECT unnest(?))"
            with _transaction(con):
                con.execute(f"DELETE FROM statistics WHERE article_id IN ({replaced})", sources)
                con.execute(f"DELETE FROM article_texts WHERE article_id IN ({replaced})", sources)
                con.execute("DELETE FROM articles WHERE source IN (SELECT unnest(?))", sources)
                _insert(con, ARTICLES, articles)
                _insert(con, ARTICLE_TEXTS, texts)
                _insert(con, STATISTICS, records)
                if fetch_log is not None:
                    fetch_log.commit(con, _addresses(item.article for item in batch))
        return Written(len(fresh), len(records))

    def _io_failure(self, error: duckdb.Error) -> StoreError:
        first = str(error).splitlines()[0]
        disk = "disk is full" if "space" in first.lower() else first
        return StoreError(self.path, f"cannot write ({disk}); the database is as it was before this batch")

    def keep_validators(self, articles: Sequence[Article], fetch_log: FetchLog) -> None:
        """Write the held-back validators of pages whose text is stored already."""
        with self.session() as con, _transaction(con):
            fetch_log.commit(con, _addresses(articles))

    def stored_articles(self, batch: int = 64) -> Iterator[Article]:
        """Every stored article whose text is kept, oldest first, as extraction takes it; read a batch per operation.

        The metadata read at ingest (from the source or the text) is kept; the
        article's province is left to the extractor to work out again.
        """
        fields = [name for name in Article.model_fields if name not in {"text", "province", "province_2025"}]
        select = ", ".join(f"a.{quote_identifier(name)}" for name in fields)
        with self.session() as con:
            ids = [row[0] for row in con.execute(
                "SELECT a.id FROM articles a JOIN article_texts t ON t.article_id = a.id ORDER BY a.ingested_at, a.id").fetchall()]
        for at in range(0, len(ids), batch):
            with self.session() as con:
                rows = con.execute(f"SELECT {select}, t.text FROM articles a JOIN article_texts t ON t.article_id = a.id "
                                   "WHERE a.id IN (SELECT unnest(?)) ORDER BY a.ingested_at, a.id", [ids[at:at + batch]]).fetchall()
            yield from (Article(**dict(zip(fields, row[:-1])), text=row[-1]) for row in rows)

    def textless_articles(self) -> int:
        """How many stored articles have no stored text (ingested before texts were kept)."""
        with self.session() as con:
            return con.execute("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM article_texts)").fetchone()[0]

    def replace_records(self, annotated: AnnotatedArticle) -> int:
        """One transaction: a stored article's records and article-level places replaced by these; returns the records written."""
        article_id = content_id(annotated.article.text)
        rows = [_statistic_row(article_id, seq, record) for seq, record in enumerate(annotated.records)]
        with self.session() as con, _transaction(con):
            con.execute("UPDATE articles SET province = ?, province_2025 = ? WHERE id = ?",
                        [annotated.article.province, annotated.article.province_2025, article_id])
            con.execute("DELETE FROM statistics WHERE article_id = ?", [article_id])
            _insert(con, STATISTICS, rows)
        return len(rows)

    def write_errors(self, errors: Iterable[InputError]) -> None:
        """Log the inputs a run could not read, so a batch's failures can be queried later."""
        at = datetime.now(timezone.utc).replace(tzinfo=None)
        with self.session() as con:
            _insert(con, INGEST_ERRORS, [(error.source, error.problem, at) for error in errors])


def inherit_comments(con: duckdb.DuckDBPyConnection) -> None:
    """Comment each view column views.sql left bare: from the relations the view reads, else from the table column of that name.

    A column a view passes through (province, subject, title …) means what it
    means where it comes from; views.sql comments the columns it computes.
    The relations a view names after FROM or JOIN are asked first, in order
    (so `SELECT * FROM another` keeps that one's comments, and a view over
    `facts` keeps the facts' `value`); the tables are the fallback. Views are
    visited in the order they were made, so a source is done first.
    """
    docs: dict[str, str] = {}
    for table in (STATISTICS, ARTICLES, PROVINCES):
        for column in table.columns:
            docs.setdefault(column.name, column.doc)
    views = con.execute("SELECT view_name, sql FROM duckdb_views() WHERE database_name = current_database() "
                        "AND schema_name = 'main' AND NOT internal ORDER BY view_oid").fetchall()
    for view, sql in views:
        inherited = dict(docs)
        for source in reversed(_READS.findall(sql or "")):
            inherited.update(_comments(con, source))
        for column, comment in con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE database_name = "
                                           "current_database() AND table_name = ?", [view]).fetchall():
            if comment is None and inherited.get(column):
                con.execute(f"COMMENT ON COLUMN {quote_identifier(view)}.{quote_identifier(column)} IS {quote_literal(inherited[column])}")


_READS = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)", re.IGNORECASE)


def _comments(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    rows = con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE database_name = current_database() "
                       "AND table_name = ? AND comment IS NOT NULL", [relation]).fetchall()
    return dict(rows)


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Undo the open transaction; one that a failed COMMIT already ended needs nothing more."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def _addresses(articles: Iterable[Article]) -> set[str]:
    """The URLs an article was fetched under: its page address and, for a page, its source."""
    return {address for article in articles for address in (article.url, article.source) if address}


def _article_row(article_id: str, article: Article, now: datetime) -> tuple:
    values = article.model_dump()
    return (article_id, *(values[name] for name in ARTICLES.names[1:-2]), len(article.text), now)


def _statistic_row(article_id: str, seq: int, record: StatisticRecord) -> tuple:
    values = record.model_dump(mode="json")
    return (article_id, seq, *(values[name] for name in STATISTICS.names[2:-1]), EXTRACTOR_VERSION)
