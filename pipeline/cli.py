"""The `thongke` command line: annotate one article, extract many, ingest into DuckDB."""

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from corpus.fetching import Fetcher
from corpus.sources import read_sources
from pipeline.batch import Engine, EngineName, annotate_many, engine
from pipeline.fetch_log import FetchLog
from pipeline.render import article_view, print_rows
from pipeline.store import Store
from schemas import AnnotatedArticle, Article, InputError, ThongkeError

app = typer.Typer(
    name="thongke",
    help="Typed statistics from Vietnamese provincial news: figures, subjects, measures, places, periods.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)

ENGINE_OPTION = typer.Option("--engine", help="local: this machine; dask: the Dask cluster at --scheduler.")
SCHEDULER_OPTION = typer.Option("--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786.")


class ArticleFormat(StrEnum):
    table = "table"
    json = "json"


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
    format: Annotated[ArticleFormat, typer.Option("--format", "-f", help="table: highlighted article and records; json: the SPEC.md object.")] = ArticleFormat.table,
) -> None:
    """Show one article with each figure highlighted, and its statistic records.

    Example: thongke annotate corpus/samples/01_nghe-an.txt --format json
    """
    failures: list[InputError] = []
    for result in annotated([file], failures):
        if format == ArticleFormat.json:
            out.print_json(json.dumps(result.to_json_dict(), ensure_ascii=False))
        else:
            out.print(article_view(result))
    if failures:
        raise typer.Exit(1)


@app.command("extract")
def extract_command(
    paths: Annotated[list[str], typer.Argument(help="Article files or folders (every .txt below them); '-' for standard input.")],
    format: Annotated[BatchFormat, typer.Option("--format", "-f", help="jsonl: one object per article per line; json: one list.")] = BatchFormat.jsonl,
    engine_name: Annotated[EngineName, ENGINE_OPTION] = EngineName.local,
    scheduler: Annotated[str | None, SCHEDULER_OPTION] = None,
) -> None:
    """Print the statistic records of every article, one JSON object per article.

    Example: thongke extract corpus/samples --format jsonl > records.jsonl
    """
    failures: list[InputError] = []
    objects = (result.to_json_dict() for result in annotated(paths, failures, run=engine(engine_name, scheduler=scheduler)))
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
    engine_name: Annotated[EngineName, ENGINE_OPTION] = EngineName.local,
    scheduler: Annotated[str | None, SCHEDULER_OPTION] = None,
) -> None:
    """Extract statistics from articles into a DuckDB file and print a per-province summary.

    URLs are fetched politely and re-polled conditionally (ETag/Last-Modified
    kept in the `fetch_log` table): an unchanged page or feed is not read
    again. Inputs that fail are listed in the `ingest_errors` table.

    Examples: thongke ingest corpus/samples --db thongke.duckdb;
    thongke ingest https://PAPER.vn/rss/xay-dung-dang.rss --db thongke.duckdb;
    thongke ingest corpus/samples --engine dask --scheduler tcp://HOST:8786
    """
    failures: list[InputError] = []
    with Store(db) as store, Fetcher(cache=FetchLog(store.con)) as fetcher:
        run = engine(engine_name, scheduler=scheduler)
        new = store.write_all(annotated(paths, failures, partial(read_sources, fetcher=fetcher), run))
        store.write_errors(failures)
        out.print(f"{new} new article(s) stored in {db}; {len(failures)} failed.")
        print_rows(out, *province_summary(store), title="Statistics by province")
    if failures:
        raise typer.Exit(1)


def province_summary(store: Store) -> tuple[list[str], list[tuple]]:
    query = """
        SELECT coalesce(s.province, '(unknown)') AS province,
               count(DISTINCT s.article_id) AS articles,
               count(*) AS records,
               max(value) FILTER (subject = 'party_member' AND measure = 'count' AND unit = 'count') AS party_members,
               max(value) FILTER (subject = 'party_org' AND measure = 'count' AND unit = 'count') AS party_orgs,
               sum(value) FILTER (subject = 'party_member' AND measure = 'admitted' AND unit = 'count') AS admitted,
               max(value) FILTER (subject = 'union_member' AND measure = 'count' AND unit = 'count') AS union_members
        FROM statistics s GROUP BY 1 ORDER BY records DESC, province
    """
    cursor = store.con.execute(query)
    return [d[0] for d in cursor.description], cursor.fetchall()


def main() -> None:
    """Entry point: user-facing errors become one line and a non-zero exit, never a traceback."""
    try:
        app()
    except ThongkeError as error:
        report(error)
        sys.exit(1)
