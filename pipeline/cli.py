"""The `thongke` command line: annotate one article, extract many, ingest into DuckDB, and the analysts' reads."""

import json
import sys
from dataclasses import dataclass
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, Task, TextColumn,
                           TimeRemainingColumn)
from rich.text import Text

from corpus.fetching import Fetcher
from corpus.reading import MAX_ARTICLE_BYTES
from corpus.sources import count_articles, read_sources
from pipeline.nlp.annotate import annotate
from pipeline.run.batch import annotate_many, annotate_safely, chunks
from pipeline.run.engines import Engine, EngineName, engine
from pipeline.store.database import Store, Written, content_id
from pipeline.store.fetch_log import FetchLog
from pipeline.store.queries import ExportFormat, Grouping, comparison, export
from pipeline.views.article_page import render_article
from pipeline.views.report import render_report
from pipeline.views.terminal import OutputFormat, article_view, emit, err, out, print_rows
from schemas import AnnotatedArticle, Article, InputError, Measure, Subject, ThongkeError, Unit

app = typer.Typer(
    name="thongke",
    help="Typed statistics from Vietnamese provincial news: figures, subjects, measures, places, periods.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ENGINE_OPTION = typer.Option("--engine", help="local: this machine; dask: the Dask cluster at --scheduler.")
SCHEDULER_OPTION = typer.Option("--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786.")


MAX_BYTES_OPTION = typer.Option("--max-article-bytes", min=1, help="Refuse an article whose text is larger than this (bytes of UTF-8).")
ALLOW_PRIVATE_OPTION = typer.Option("--allow-private", help="Also fetch URLs on loopback and private networks (your own intranet feeds).")
WORKERS_OPTION = typer.Option("--workers", "-w", min=1, help="Processes that extract in parallel (results keep input order).")

DB_OPTION = typer.Option("--db", help="The DuckDB file written by `thongke ingest`.")
FORMAT_OPTION = typer.Option("--format", "-f", help="table (rich), csv, json (one list) or jsonl (one object per line).")

INGEST_WRITE_BATCH = 32
CHECK_BATCH = 64


class ArticleFormat(StrEnum):
    table = "table"
    json = "json"
    html = "html"


class BatchFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"


def report(error: InputError | ThongkeError) -> None:
    err.print(f"[bold red]error:[/] {error}", highlight=False, markup=True)


Reader = Callable[[list[str]], Iterable[Article | InputError]]


def annotated(paths: list[str], failures: list[InputError], read: Reader = read_sources,
              run: Engine = annotate_many) -> Iterator[AnnotatedArticle]:
    """Annotate every article the paths name, in order; unreadable and failing ones are reported and skipped."""
    for item in run(_readable(read(paths), failures)):
        if isinstance(item, InputError):
            _fail(item, failures)
            continue
        yield item


def _readable(items: Iterable[Article | InputError], failures: list[InputError]) -> Iterator[Article]:
    for item in items:
        if isinstance(item, InputError):
            _fail(item, failures)
        else:
            yield item


def _fail(error: InputError, failures: list[InputError]) -> None:
    report(error)
    failures.append(error)


@app.command("annotate")
def annotate_command(
    file: Annotated[str, typer.Argument(help="A .txt article, or '-' for standard input.")],
    format: Annotated[ArticleFormat, typer.Option("--format", "-f", help="table: highlighted article and records; json: the SPEC.md object; html: a self-contained page.")] = ArticleFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="html: write the page to this file instead of standard output.")] = None,
    allow_private: Annotated[bool, ALLOW_PRIVATE_OPTION] = False,
    max_bytes: Annotated[int, MAX_BYTES_OPTION] = MAX_ARTICLE_BYTES,
) -> None:
    """Show one article with each figure highlighted, and its statistic records.

    Example: thongke annotate corpus/samples/01_nghe-an.txt --format json
    Example: thongke annotate corpus/samples/01_nghe-an.txt --format html -o nghe-an.html
    """
    failures: list[InputError] = []
    step = render_article if format == ArticleFormat.html else annotate
    for article in _readable(read_sources([file], allow_private=allow_private, max_bytes=max_bytes), failures):
        result = annotate_safely(article, step)
        if isinstance(result, InputError):
            _fail(result, failures)
        elif format == ArticleFormat.html:
            write_page(result, output)
        elif format == ArticleFormat.json:
            # Written as is: rich's JSON highlighting costs minutes and GiBs on a long article.
            sys.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            out.print(article_view(result))
    if failures:
        raise typer.Exit(1)


@app.command("extract")
def extract_command(
    paths: Annotated[list[str], typer.Argument(help="Article files or folders (every .txt below them); '-' for standard input.")],
    format: Annotated[BatchFormat, typer.Option("--format", "-f", help="jsonl: one object per article per line; json: one list.")] = BatchFormat.jsonl,
    workers: Annotated[int, WORKERS_OPTION] = 1,
    engine_name: Annotated[EngineName, ENGINE_OPTION] = EngineName.local,
    scheduler: Annotated[str | None, SCHEDULER_OPTION] = None,
    allow_private: Annotated[bool, ALLOW_PRIVATE_OPTION] = False,
    max_bytes: Annotated[int, MAX_BYTES_OPTION] = MAX_ARTICLE_BYTES,
) -> None:
    """Print the statistic records of every article, one JSON object per article.

    Example: thongke extract corpus/samples --format jsonl > records.jsonl
    """
    failures: list[InputError] = []
    objects = (result.to_json_dict() for result in annotated(paths, failures, read=partial(read_sources, allow_private=allow_private, max_bytes=max_bytes),
                                                             run=engine(engine_name, workers, scheduler)))
    if format == BatchFormat.jsonl:
        for obj in objects:
            sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(json.dumps(list(objects), ensure_ascii=False, indent=2) + "\n")
    if failures:
        raise typer.Exit(1)


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[str], typer.Argument(help="Articles to load: .txt, .html, .json, .jsonl, RSS/Atom feed files, folders of them, '-' for stdin, or http(s) URLs of pages and feeds.")],
    db: Annotated[Path, typer.Option("--db", help="The DuckDB file (created on first use).")] = Path("thongke.duckdb"),
    workers: Annotated[int, WORKERS_OPTION] = 1,
    engine_name: Annotated[EngineName, ENGINE_OPTION] = EngineName.local,
    scheduler: Annotated[str | None, SCHEDULER_OPTION] = None,
    allow_private: Annotated[bool, ALLOW_PRIVATE_OPTION] = False,
    max_bytes: Annotated[int, MAX_BYTES_OPTION] = MAX_ARTICLE_BYTES,
) -> None:
    """Extract statistics from articles into a DuckDB file and print a per-province summary.

    Articles already stored (same text) are skipped before extraction, so an
    interrupted run resumes where it stopped. URLs are fetched politely and
    re-polled conditionally (ETag/Last-Modified kept in the `fetch_log`
    table): an unchanged page or feed is not read again. Inputs that fail are
    listed in the `ingest_errors` table.

    Examples: thongke ingest corpus/samples --db thongke.duckdb --workers 2;
    thongke ingest https://PAPER.vn/rss/xay-dung-dang.rss --db thongke.duckdb;
    thongke ingest corpus/samples --engine dask --scheduler tcp://HOST:8786
    """
    failures: list[InputError] = []
    tally = IngestTally()
    with (Store(db, on_wait=lambda message: err.print(message, highlight=False, markup=False)) as store,
          _progress() as progress):
        log = FetchLog(store.con)
        with Fetcher(cache=log, allow_private=allow_private) as fetcher:
            task = progress.add_task("ingest", total=count_articles(paths))
            items = read_sources(paths, fetcher=fetcher, max_bytes=max_bytes)
            run = engine(engine_name, workers, scheduler)
            results = run(_unstored(items, store, log, failures, tally, lambda: progress.advance(task)))
            for chunk in chunks(results, INGEST_WRITE_BATCH):
                done = [item for item in chunk if isinstance(item, AnnotatedArticle)]
                for error in (item for item in chunk if isinstance(item, InputError)):
                    _fail_fetched(error, failures, log)
                written = store.write_many(done, fetch_log=log)
                for error in written.failed:
                    _fail_fetched(error, failures, log)
                tally.add(written, unchanged=len(done) - written.articles - len(written.failed))
                progress.advance(task, len(chunk))
        if not failures:
            log.commit_all()
        store.write_errors(failures)
        progress.stop()
        out.print(f"{tally.new} new article(s) stored in {db}, {tally.unchanged} unchanged, {len(failures)} failed; "
                  f"{tally.records} record(s) written.")
        print_rows(out, *store.query("SELECT * EXCLUDE (province_2025) FROM province_overview"),
                   title="Across provinces (view province_overview)")
    if failures:
        raise typer.Exit(1)


def _fail_fetched(error: InputError, failures: list[InputError], log: FetchLog) -> None:
    """A failure whose page must be fetched in full next run: its held-back validators are dropped."""
    log.forget(error.source)
    _fail(error, failures)


def write_page(html: str, output: Path | None) -> None:
    """An HTML page to a file (reported on stderr) or to standard output."""
    if output is None:
        sys.stdout.write(html)
        return
    try:
        output.write_text(html, encoding="utf-8")
    except OSError as error:
        raise InputError(str(output), f"cannot be written ({error.strerror})") from None
    err.print(f"wrote {output} ({len(html.encode('utf-8')):,} bytes)", highlight=False)


@app.command("report")
def report_command(
    db: Annotated[Path, typer.Option("--db", help="The DuckDB file written by `thongke ingest`.")] = Path("thongke.duckdb"),
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the page to this file instead of standard output.")] = None,
) -> None:
    """Write a self-contained HTML report: per-province charts, switchable between the 63 old and 34 new provinces.

    Example: thongke report --db thongke.duckdb -o report.html
    """
    if not db.is_file():
        raise InputError(str(db), "no such database; run `thongke ingest` first")
    with Store(db) as store:
        write_page(render_report(store), output)


@dataclass
class IngestTally:
    new: int = 0
    unchanged: int = 0
    records: int = 0

    def add(self, written: Written, unchanged: int) -> None:
        self.new += written.articles
        self.records += written.records
        self.unchanged += unchanged


def _unstored(items: Iterable[Article | InputError], store: Store, log: FetchLog, failures: list[InputError],
              tally: IngestTally, advance: Callable[[], None]) -> Iterator[Article]:
    """The articles whose text is not stored yet, checked by content hash before any extraction.

    A page found already stored is as good as stored now: its validators are written at once.
    """
    for chunk in chunks(items, CHECK_BATCH):
        articles = [item for item in chunk if isinstance(item, Article)]
        for error in (item for item in chunk if isinstance(item, InputError)):
            _fail_fetched(error, failures, log)
            advance()
        stored = store.stored_ids(content_id(article.text) for article in articles)
        known = [article for article in articles if content_id(article.text) in stored]
        if known:
            store.keep_validators(known, log)
        for article in articles:
            if content_id(article.text) in stored:
                tally.unchanged += 1
                advance()
            else:
                yield article


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:.1f} articles/s", style="progress.data.speed")


def _progress() -> Progress:
    """A progress bar on stderr, drawn only on a terminal so logs and pipes stay clean."""
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    _RateColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=err, disable=not err.is_terminal)


@app.command("compare")
def compare_command(
    subject: Annotated[Subject, typer.Option("--subject", "-s", help="What is counted.")],
    measure: Annotated[Measure, typer.Option("--measure", "-m", help="What happened to it.")],
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

    Examples:
      thongke compare --subject party_member --measure admitted --year 2023
      thongke compare -s party_member -m count --by province_2025 --format csv
    """
    with Store(db, create=False) as store:
        columns, rows = comparison(store, subject, measure, year=year, by=by, unit=unit)
    emit(columns, rows, format, title=f"{subject.value} {measure.value}" + (f" in {year}" if year else ""))


@app.command("sql")
def sql_command(
    query: Annotated[str, typer.Argument(help="One SQL statement.")],
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
    format: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """Run one SQL statement on the database and print its result.

    Examples:
      thongke sql "SELECT * FROM latest_counts WHERE subject = 'party_member'"
      thongke sql "SELECT province, sum(value) FROM flows_by_year GROUP BY ALL" --format csv
    """
    with Store(db, create=False) as store:
        columns, rows = store.query(query)
    emit(columns, rows, format)


@app.command("export")
def export_command(
    directory: Annotated[Path, typer.Argument(help="The folder to write into (created if missing).")],
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="parquet or csv: one file per table and view.")] = ExportFormat.parquet,
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
) -> None:
    """Write every table and view to one file each, for tools that do not read DuckDB.

    Examples:
      thongke export exports/ --format parquet
      thongke export exports/ --format csv --db thongke.duckdb
    """
    with Store(db, create=False) as store:
        written = export(store, directory, format)
    emit(["file", "rows"], written, OutputFormat.table, title=f"exported from {db}")


def main() -> None:
    """Entry point: user-facing errors become one line and a non-zero exit, never a traceback."""
    try:
        app()
    except ThongkeError as error:
        report(error)
        sys.exit(1)


if __name__ == "__main__":
    main()
