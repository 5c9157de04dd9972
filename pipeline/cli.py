"""The `thongke` command line: annotate one article, extract many, ingest into DuckDB.

Start-up is kept short: each command imports the heavy modules it needs
(underthesea and spaCy to extract, plotly for the report, Dask for its
engine, the fetcher for URLs) when it runs, so `thongke --help` or
`thongke sql` never load them.
"""

import json
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from itertools import chain
from pathlib import Path
from time import monotonic
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from corpus.reading import MAX_ARTICLE_BYTES
from pipeline.run.engines import EngineName
from corpus.subscriptions import Subscription, is_opml, is_url, parse_opml, url_list
from pipeline.store.database import Store, Written, content_id
from pipeline.store.feed_list import FeedList, FollowedFeed, Poll
from pipeline.store.fetch_log import FetchLog
from pipeline.store.queries import ExportFormat, Grouping, comparison, coverage, export, one_statement, other_levels
from pipeline.views.terminal import OutputFormat, article_view, emit, err, out, plain, print_error, print_note, print_rows
from schemas import AnnotatedArticle, Article, InputError, Level, Measure, Subject, ThongkeError, Unit

if TYPE_CHECKING:
    from rich.progress import Progress

    from corpus.fetching import Fetcher
    from pipeline.run.engines import Engine

class _Commands(TyperGroup):
    """The commands, with one rule: a user-facing error is one line on stderr and exit code 1, never a traceback."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except ThongkeError as error:
            print_error(error)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:  # a second Ctrl-C in `watch`, or one anywhere else
            print_note("interrupted")
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=_Commands,
    name="thongke",
    help="Typed statistics from Vietnamese provincial news: figures, subjects, measures, places, periods. "
         "Codes and fields: docs/records.md.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(show: bool) -> None:
    if show:
        from importlib.metadata import version  # noqa: PLC0415 — see the module docstring

        out.print(f"thongke {version('thongke')}")
        raise typer.Exit()


@app.callback()
def _main(
    show_version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Options every command shares (the app's help text is given above)."""


ENGINE_OPTION = typer.Option("--engine", help="local: this machine; dask: the Dask cluster at --scheduler.")
SCHEDULER_OPTION = typer.Option("--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786.")


DELAY_OPTION = typer.Option("--delay", min=0, help="Seconds between two requests to one host (default: 1 with --sitemap, else 0).")
MAX_BYTES_OPTION = typer.Option("--max-article-bytes", min=1, help="Refuse an article whose text is larger than this (bytes of UTF-8).")
ALLOW_PRIVATE_OPTION = typer.Option("--allow-private", help="Also fetch URLs on loopback and private networks (your own intranet feeds).")
WORKERS_OPTION = typer.Option("--workers", "-w", min=1, help="Processes that extract in parallel (results keep input order).")
DB_OPTION = typer.Option("--db", help="The DuckDB file written by `thongke ingest`.")
FORMAT_OPTION = typer.Option("--format", "-f", help="table (the first 1,000 rows, fitted to the terminal), csv, json (one list) or jsonl (one object per line).")

INGEST_WRITE_BATCH = 32
CHECK_BATCH = 64


class ArticleFormat(StrEnum):
    table = "table"
    json = "json"
    html = "html"


class BatchFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"


def annotated(paths: list[str], failures: list[InputError], run: "Engine", *, allow_private: bool = False,
              max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[AnnotatedArticle]:
    """Annotate every article the paths name, in order; unreadable and failing ones are reported and skipped."""
    from corpus.sources import read_sources  # noqa: PLC0415 — see the module docstring

    for item in run(_readable(read_sources(paths, allow_private=allow_private, max_bytes=max_bytes), failures)):
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
    print_error(error)
    failures.append(error)


@app.command("annotate")
def annotate_command(
    file: Annotated[str, typer.Argument(help="A .txt article, or '-' for standard input.")],
    format: Annotated[ArticleFormat, typer.Option("--format", "-f", help="table: highlighted article and records; json: {doc, article, records} (fields: docs/records.md); html: a self-contained page.")] = ArticleFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="html: write the page to this file instead of standard output.")] = None,
    allow_private: Annotated[bool, ALLOW_PRIVATE_OPTION] = False,
    max_bytes: Annotated[int, MAX_BYTES_OPTION] = MAX_ARTICLE_BYTES,
) -> None:
    """Show one article with each figure highlighted, and its statistic records.

    \b
    Examples:
      thongke annotate corpus/samples/01_nghe-an-ket-nap-dang-vien.txt
      thongke annotate corpus/samples/01_nghe-an-ket-nap-dang-vien.txt --format json
      thongke annotate corpus/samples/01_nghe-an-ket-nap-dang-vien.txt --format html -o nghe-an.html
    """
    from corpus.sources import read_sources  # noqa: PLC0415 — see the module docstring
    from pipeline.run.batch import annotate_safely  # noqa: PLC0415

    failures: list[InputError] = []
    step = None
    if format == ArticleFormat.html:
        from pipeline.views.article_page import render_article  # noqa: PLC0415

        step = render_article
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
            out.print(article_view(result, out.width))
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

    \b
    Examples:
      thongke extract corpus/samples --format jsonl > records.jsonl
      thongke extract corpus/samples/01_nghe-an-ket-nap-dang-vien.txt --format json > nghe-an.json
    """
    from pipeline.run.engines import engine  # noqa: PLC0415 — see the module docstring

    failures: list[InputError] = []
    objects = (result.to_json_dict() for result in annotated(paths, failures, engine(engine_name, workers, scheduler),
                                                             allow_private=allow_private, max_bytes=max_bytes))
    if format == BatchFormat.jsonl:
        for obj in objects:
            sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(json.dumps(list(objects), ensure_ascii=False, indent=2) + "\n")
    if failures:
        raise typer.Exit(1)


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[str] | None, typer.Argument(help="Articles to load: .txt, .html, .json, .jsonl, RSS/Atom feed files, OPML lists of feeds, .txt lists of URLs, folders of them, '-' for stdin, or http(s) URLs of pages and feeds.")] = None,
    db: Annotated[Path, typer.Option("--db", help="The DuckDB file (created on first use).")] = Path("thongke.duckdb"),
    feeds: Annotated[bool, typer.Option("--feeds", help="Also poll every feed of the list kept by `thongke feeds`.")] = False,
    sitemap: Annotated[str | None, typer.Option("--sitemap", help="Also take in the article pages of this site's sitemaps (SITE_URL, or a sitemap's URL), politely.")] = None,
    since: Annotated[datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="With --sitemap: only pages the sitemap says were modified on or after this day (YYYY-MM-DD).")] = None,
    delay: Annotated[float | None, DELAY_OPTION] = None,
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
    listed in the `ingest_errors` table. The file is held only while a batch
    is written, so `thongke sql` and other readers can query it meanwhile.
    A feed is given by its URL, e.g. https://PAPER.vn/rss/xay-dung-dang.rss;
    a Dask cluster by --engine dask --scheduler tcp://HOST:8786.

    An OPML file or a .txt of URLs is read as the feeds it lists (e.g.
    bao-tinh.opml); --feeds polls the list kept by `thongke feeds`;
    --sitemap https://PAPER.vn --since 2024-01-01 takes in a paper's archive,
    honouring its robots.txt (Disallow, Crawl-delay) and waiting --delay
    seconds between two requests to the site.

    \b
    Examples:
      thongke ingest corpus/samples --db thongke.duckdb
      thongke ingest corpus/samples --db thongke.duckdb --workers 2
      thongke ingest --feeds --db thongke.duckdb
    """
    from corpus.sources import count_articles  # noqa: PLC0415 — see the module docstring
    from pipeline.run.engines import engine  # noqa: PLC0415

    paths = paths or []
    if not paths and not feeds and not sitemap:
        raise ThongkeError("nothing to ingest: give files, folders or URLs, --feeds or --sitemap SITE_URL")
    with _store(db) as store, _progress() as progress:
        followed = FeedList(store).feeds() if feeds else []
        if not paths and not followed and not sitemap:
            progress.stop()
            print_note(NO_FEEDS)
            return
        task = progress.add_task("ingest", total=None if followed or sitemap else count_articles(paths))
        result = ingest_round(store, Inputs(paths, followed, sitemap, since.date() if since else None, allow_private, max_bytes),
                              engine(engine_name, workers, scheduler),
                              delay=delay if delay is not None else (SITEMAP_DELAY if sitemap else 0.0),
                              advance=lambda n=1: progress.advance(task, n))
        progress.stop()
        tally = result.tally
        out.print(plain(f"{tally.new} new article(s) stored in {db}, {tally.unchanged} unchanged, {len(result.failures)} failed; "
                        f"{tally.records} record(s) written."))
        columns, rows = store.query("SELECT * EXCLUDE (province_2025, level) FROM province_overview")
        if rows:
            print_rows(out, columns, rows, title="Across provinces: province-level figures only (view province_overview)")
        else:
            out.print(plain("No figure stored speaks for a whole province yet: nothing to compare across provinces."))
        out.print(plain(other_levels(store)))
    if result.failures:
        raise typer.Exit(1)


NO_FEEDS = "no feeds followed yet: add some with `thongke feeds add URL…` (or `thongke feeds discover SITE_URL`)"
SITEMAP_DELAY = 1.0


def _store(db: Path) -> Store:
    return Store(db, on_wait=print_note)


@dataclass(frozen=True)
class Inputs:
    """What one ingest reads: the paths and URLs typed, followed feeds (each accounted for), a site's sitemaps."""

    paths: list[str]
    feeds: list[FollowedFeed]
    sitemap: str | None = None
    since: date | None = None
    allow_private: bool = False
    max_bytes: int = MAX_ARTICLE_BYTES


@dataclass
class Round:
    """What one ingest did; `not_modified` counts the pages and feeds answered 304."""

    tally: "IngestTally"
    failures: list[InputError]
    polls: list[Poll]
    not_modified: int


def ingest_round(store: Store, inputs: Inputs, run: "Engine", *, delay: float = 0.0,
                 advance: Callable[..., None] = lambda n=1: None, stop: threading.Event | None = None) -> Round:
    """One ingest: read, skip what is stored, extract, store in batches, log failures, record each feed's poll.

    `ingest` runs it once and `watch` once per round. Validators held back for
    URLs that stored no article of their own are written only when nothing
    went wrong: with no failure (or, for a followed feed, none of its own) and
    no stop; a feed with a failing page is then read in full next time.
    """
    from corpus.fetching import Fetcher  # noqa: PLC0415 — see the module docstring
    from corpus.sitemaps import read_site  # noqa: PLC0415
    from corpus.sources import read_sources  # noqa: PLC0415

    failures: list[InputError] = []
    origin: dict[str, str] = {}
    log = FetchLog(store.session)
    with Fetcher(cache=log, delay=delay, allow_private=inputs.allow_private) as fetcher:
        items = chain(read_sources(inputs.paths, fetcher=fetcher, max_bytes=inputs.max_bytes, note=print_note),
                      _polled(inputs.feeds, fetcher, origin, inputs.max_bytes),
                      read_site(inputs.sitemap, fetcher, since=inputs.since, note=print_note) if inputs.sitemap else ())
        tally = ingest_items(store, log, items, run, failures, advance=advance, stop=stop)
    stopped = stop is not None and stop.is_set()
    failing = {origin[error.source] for error in failures if error.source in origin}
    if not stopped and all(error.source in origin for error in failures):
        for feed in failing:
            log.forget(feed)
        log.commit_all()
    store.write_errors(failures)
    polls = [Poll(feed.url, next((error.problem for error in failures if error.source == feed.url), None),
                  sum(origin.get(source) == feed.url for source in tally.stored)) for feed in inputs.feeds]
    FeedList(store).record(polls)
    return Round(tally, failures, polls, log.not_modified)


def _polled(feeds: list[FollowedFeed], fetcher: "Fetcher", origin: dict[str, str], max_bytes: int) -> Iterator[Article | InputError]:
    """Each feed read in turn, every item it gives marked with the feed it came from."""
    from corpus.sources import read_sources  # noqa: PLC0415 — see the module docstring

    for feed in feeds:
        for item in read_sources([feed.url], fetcher=fetcher, max_bytes=max_bytes, note=print_note):
            origin[item.source] = feed.url
            yield item


def ingest_items(store: Store, log: FetchLog, items: Iterable[Article | InputError], run: "Engine", failures: list[InputError], *,
                 advance: Callable[..., None], stop: threading.Event | None = None) -> "IngestTally":
    """Store the articles not stored yet, in batches; failures are reported, listed and their validators dropped.

    After `stop` is set no further article is extracted: the ones under way are finished and stored.
    """
    from pipeline.run.batch import chunks  # noqa: PLC0415 — see the module docstring

    tally = IngestTally()
    results = run(_until(_unstored(items, store, log, failures, tally, advance), stop))
    for chunk in chunks(results, INGEST_WRITE_BATCH):
        done = [item for item in chunk if isinstance(item, AnnotatedArticle)]
        for error in (item for item in chunk if isinstance(item, InputError)):
            _fail_fetched(error, failures, log)
        written = store.write_many(done, fetch_log=log)
        for error in written.failed:
            _fail_fetched(error, failures, log)
        lost = {error.source for error in written.failed}
        tally.add(written, unchanged=len(done) - written.articles - len(written.failed),
                  stored=[item.article.source for item in done if item.article.source not in lost])
        advance(len(chunk))
    return tally


def _until(articles: Iterable[Article], stop: threading.Event | None) -> Iterator[Article]:
    for article in articles:
        if stop is not None and stop.is_set():
            return
        yield article


@app.command("reextract")
def reextract_command(
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
    workers: Annotated[int, WORKERS_OPTION] = 1,
    engine_name: Annotated[EngineName, ENGINE_OPTION] = EngineName.local,
    scheduler: Annotated[str | None, SCHEDULER_OPTION] = None,
) -> None:
    """Extract every stored article again with this version's extractor, replacing its records.

    Reads the texts kept in `article_texts`; each article's records (and its
    province) are replaced in one transaction, so an extractor upgrade reaches
    old data and rows deleted by hand come back. Articles stored before texts
    were kept are counted and left as they are: ingest their sources again.

    \b
    Examples:
      thongke reextract --db thongke.duckdb
    """
    from pipeline.run.batch import chunks  # noqa: PLC0415 — see the module docstring
    from pipeline.run.engines import engine  # noqa: PLC0415

    failures: list[InputError] = []
    articles = records = 0
    with Store(db, create=False) as store, _progress() as progress:
        task = progress.add_task("reextract", total=None)
        for chunk in chunks(engine(engine_name, workers, scheduler)(store.stored_articles()), INGEST_WRITE_BATCH):
            with store.session():  # one opening of the file per chunk, one transaction per article
                for item in chunk:
                    if isinstance(item, InputError):
                        _fail(item, failures)
                    else:
                        records += store.replace_records(item)
                        articles += 1
            progress.advance(task, len(chunk))
        progress.stop()
        textless = store.textless_articles()
    out.print(plain(f"{articles} article(s) re-extracted in {db}, {records} record(s) written, {len(failures)} failed."))
    if textless:
        print_note(f"{textless} article(s) have no stored text (ingested by an older thongke) and were left as they are; "
                   "ingest their sources again to extract them anew.")
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
    print_note(f"wrote {output} ({len(html.encode('utf-8')):,} bytes)")


feeds_app = typer.Typer(
    help="""The feeds you follow, kept in the database's `feeds` table: `ingest --feeds` and `watch` poll them.

    Each feed's outlet and province come from its domain; `feeds list` shows
    when each was last polled, how it went and how many articles it gave.

    \b
    Examples:
      thongke feeds add https://PAPER.vn/rss/xay-dung-dang.rss
      thongke feeds list
      thongke feeds remove https://PAPER.vn/rss/xay-dung-dang.rss
    """,
    no_args_is_help=True,
)
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
def feeds_add_command(
    sources: Annotated[list[str], typer.Argument(help="Feed URLs, or OPML files and .txt lists of URLs holding them.")],
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
) -> None:
    """Follow feeds: nothing is fetched now; `thongke ingest --feeds` or `thongke watch` polls them.

    \b
    Examples:
      thongke feeds add https://PAPER.vn/rss/xay-dung-dang.rss
    """
    subscriptions = [feed for source in sources for feed in _subscriptions(source)]
    with _store(db) as store:
        added, known = FeedList(store).add(subscriptions)
    _print_added(added, known, db)


def _print_added(added: list[str], known: list[str], db: Path) -> None:
    out.print(f"{len(added)} feed(s) added to {db}" + (f", {len(known)} already followed" if known else "") + ".", highlight=False)


def _subscriptions(source: str) -> list[Subscription]:
    """The feeds one argument names: a URL, or the URLs of an OPML file or a .txt list."""
    if is_url(source):
        return [Subscription(source)]
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(source, f"neither an http(s) URL nor a readable file ({error.strerror})") from None
    if is_opml(data):
        return parse_opml(data, source=source)
    urls = url_list(data.decode("utf-8", errors="replace"))
    if urls is None:
        raise InputError(source, "neither an OPML file nor a list of URLs (one http(s) URL a line)")
    return [Subscription(url) for url in urls]


@feeds_app.command("list")
def feeds_list_command(
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
    format: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """Show the feeds followed: outlet, province, last poll and its status, articles found (a read: the file is not changed).

    \b
    Examples:
      thongke feeds list --format csv
    """
    with Store(db, read_only=True) as store:
        columns, rows = FeedList(store).table() if "feeds" in store.relations() else ([], [])
    if not rows and format == OutputFormat.table:
        print_note(NO_FEEDS)
        return
    emit(columns, rows, format, title=f"feeds followed in {db}")


@feeds_app.command("remove")
def feeds_remove_command(
    urls: Annotated[list[str], typer.Argument(help="URLs of followed feeds.")],
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
) -> None:
    """Stop following feeds; the articles they gave stay stored.

    \b
    Examples:
      thongke feeds remove https://PAPER.vn/rss/xay-dung-dang.rss
    """
    with _store(db) as store:
        removed, unknown = FeedList(store).remove(urls)
    out.print(f"{len(removed)} feed(s) removed from {db}.", highlight=False)
    for url in unknown:
        print_note(f"{url}: not followed")


@feeds_app.command("discover")
def feeds_discover_command(
    site: Annotated[str, typer.Argument(help="The site's address (its home page, a section page or a feed).")],
    add: Annotated[bool, typer.Option("--add", help="Follow every feed found, without asking.")] = False,
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
    allow_private: Annotated[bool, ALLOW_PRIVATE_OPTION] = False,
) -> None:
    """Find a site's feeds (its <link rel="alternate"> and the usual paths such as /rss) and offer to follow them.

    Without --add you are asked on a terminal; elsewhere (cron, a pipe) nothing
    is added and the command to add them is shown. For instance (PAPER.vn
    stands for a paper's site): thongke feeds discover https://PAPER.vn --add
    """
    from corpus.discovery import discover_feeds  # noqa: PLC0415 — see the module docstring
    from corpus.fetching import Fetcher  # noqa: PLC0415

    if not is_url(site):
        raise InputError(site, "not an http(s) URL")
    with Fetcher(delay=0.5, allow_private=allow_private) as fetcher:
        found = discover_feeds(site, fetcher)
    if not found:
        print_note(f"{site}: no feed found")
        raise typer.Exit(1)
    print_rows(out, ["url", "title", "entries"], [(feed.url, feed.title, feed.entries) for feed in found],
               title=f"feeds found on {site}")
    if not add and sys.stdin.isatty():
        add = typer.confirm(f"Follow these {len(found)} feed(s) in {db}?", default=False)
    if not add:
        print_note(f"to follow them: thongke feeds discover {site} --add --db {db}")
        return
    with _store(db) as store:
        added, known = FeedList(store).add(Subscription(feed.url, feed.title) for feed in found)
    _print_added(added, known, db)


#: A failing feed waits 2^failures rounds, but never longer than this (seconds).
MAX_BACKOFF_SECONDS = 6 * 3600
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|m|h|d)?", re.IGNORECASE)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def seconds(text: str) -> float:
    """'30m', '2h', '1s', '90' (seconds) as seconds; a one-line error otherwise."""
    match = _DURATION.fullmatch(text.strip())
    if not match or float(match.group(1)) <= 0:
        raise ThongkeError(f"--every {text}: not a duration (write e.g. 30m, 2h, 45s)")
    return float(match.group(1)) * _SECONDS[(match.group(2) or "s").lower()]


def backoff_rounds(failures: int, every: float) -> int:
    """Rounds until a feed that failed `failures` times in a row is polled again: 2, 4, 8 …, capped at MAX_BACKOFF_SECONDS."""
    return max(1, min(2 ** failures, int(MAX_BACKOFF_SECONDS // every)))


@app.command("watch")
def watch_command(
    every: Annotated[str, typer.Option("--every", help="Time between the starts of two rounds: 30m, 2h, 45s.")] = "30m",
    rounds: Annotated[int | None, typer.Option("--rounds", min=1, help="Stop after this many rounds (default: until Ctrl-C).")] = None,
    db: Annotated[Path, typer.Option("--db", help="The DuckDB file (created on first use).")] = Path("thongke.duckdb"),
    delay: Annotated[float, DELAY_OPTION] = 0.0,
    allow_private: Annotated[bool, ALLOW_PRIVATE_OPTION] = False,
    max_bytes: Annotated[int, MAX_BYTES_OPTION] = MAX_ARTICLE_BYTES,
    workers: Annotated[int, WORKERS_OPTION] = 1,
    engine_name: Annotated[EngineName, ENGINE_OPTION] = EngineName.local,
    scheduler: Annotated[str | None, SCHEDULER_OPTION] = None,
) -> None:
    """Poll the followed feeds every --every until stopped: each round is an `ingest --feeds`.

    A round stores what is new (same dedupe, same `ingest_errors` table) and
    prints one line on stderr: new articles, unchanged (articles already stored
    and pages or feeds answered 304), failed. A feed that fails is polled
    again 2 rounds later, then 4, 8 … (at most 6 hours) while the others go on
    every round. Ctrl-C
    finishes the article under way, stores it and exits cleanly. To poll from
    cron or a systemd timer instead, run `thongke ingest --feeds` (see README).

    \b
    Examples:
      thongke watch --every 30m --rounds 1
    """
    from pipeline.run.engines import engine  # noqa: PLC0415 — see the module docstring

    interval = seconds(every)
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, _stopper(stop))
    waits: dict[str, int] = {}
    number = 0
    try:
        with _store(db) as store:
            while not stop.is_set() and (rounds is None or number < rounds):
                number += 1
                started = monotonic()
                followed = FeedList(store).feeds()
                if not followed:
                    print_note(NO_FEEDS)
                    return
                due = [feed for feed in followed if waits.get(feed.url, 0) <= number]
                result = ingest_round(store, Inputs([], due, allow_private=allow_private, max_bytes=max_bytes),
                                      engine(engine_name, workers, scheduler), delay=delay, stop=stop)
                for feed in FeedList(store).feeds():
                    if feed.failures and feed.url in {poll.url for poll in result.polls}:
                        waits[feed.url] = number + backoff_rounds(feed.failures, interval)
                    elif not feed.failures:
                        waits.pop(feed.url, None)
                print_note(_round_line(number, result, len(followed) - len(due)))
                if rounds is None or number < rounds:
                    stop.wait(max(0.0, interval - (monotonic() - started)))
        if stop.is_set():
            print_note(f"stopped after round {number}: what was read is stored")
    finally:
        signal.signal(signal.SIGINT, previous)


def _stopper(stop: threading.Event) -> Callable[[int, FrameType | None], None]:
    """The first Ctrl-C lets the article under way finish; a second one stops at once."""
    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print_note("stopping: finishing the article under way (Ctrl-C again to stop at once)")
    return handle


def _round_line(number: int, result: Round, waiting: int) -> str:
    tally = result.tally
    line = (f"round {number} ({datetime.now().strftime('%H:%M:%S')}): {tally.new} new, "
            f"{tally.unchanged + result.not_modified} unchanged, {len(result.failures)} failed")
    return line + (f"; {waiting} feed(s) backing off" if waiting else "")


@app.command("report")
def report_command(
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the page to this file instead of standard output.")] = None,
) -> None:
    """Write a self-contained HTML report: per-province charts, switchable between the 63 old and 34 new provinces.

    \b
    Examples:
      thongke report --db thongke.duckdb -o report.html
    """
    from pipeline.views.report import render_report  # noqa: PLC0415 — see the module docstring

    with Store(db, read_only=True, external_access=False) as store:
        page = render_report(store)
    write_page(page, output)


@dataclass
class IngestTally:
    new: int = 0
    unchanged: int = 0
    records: int = 0
    stored: list[str] = field(default_factory=list)

    def add(self, written: Written, unchanged: int, stored: list[str]) -> None:
        self.new += written.articles
        self.records += written.records
        self.unchanged += unchanged
        self.stored += stored


def _unstored(items: Iterable[Article | InputError], store: Store, log: FetchLog, failures: list[InputError],
              tally: IngestTally, advance: Callable[..., None]) -> Iterator[Article]:
    """The articles whose text is not stored yet, checked by content hash before any extraction.

    A page found already stored is as good as stored now: its validators are written at once.
    """
    from pipeline.run.batch import chunks  # noqa: PLC0415 — see the module docstring

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


def _progress() -> "Progress":
    """A progress bar on stderr, drawn only on a terminal so logs and pipes stay clean."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn,  # noqa: PLC0415
                               Task, TextColumn, TimeRemainingColumn)
    from rich.text import Text  # noqa: PLC0415

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(f"{task.speed or 0:.1f} articles/s", style="progress.data.speed")

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    RateColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=err, disable=not err.is_terminal)


BY_OPTION = typer.Option("--by", help="province: the 63 old units; province_2025: the 34 units after the merger (summed only when every old province reports).")


@app.command("compare")
def compare_command(
    subject: Annotated[Subject, typer.Option("--subject", "-s", help="What is counted (codes: docs/records.md).")],
    measure: Annotated[Measure, typer.Option("--measure", "-m", help="What happened to it (codes: docs/records.md).")],
    year: Annotated[int | None, typer.Option("--year", "-y", help="Only whole-year figures for this year.")] = None,
    by: Annotated[Grouping, BY_OPTION] = Grouping.province,
    unit: Annotated[Unit, typer.Option("--unit", help="count or percent.")] = Unit.count,
    level: Annotated[Level, typer.Option("--level", "-l", help="Compare figures of this level only: province (a province's whole organisation), sector, district, commune, unit or national.")] = Level.province,
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
    format: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """Compare one figure across provinces, like with like: figures of one level, one per province and period.

    Each row is a fact (view facts): the same figure reported several times
    counts once, with how many articles report it; `conflict`
    lists the values of a figure reported differently, and the value shown
    is the latest published, then the most reported. Part-year figures
    have their own rows. --by province_2025 sums a unit's old provinces only
    when all of them report (provinces_reporting of provinces_in_unit).

    \b
    Examples:
      thongke compare --subject party_member --measure admitted --year 2023
      thongke compare -s party_member -m count --level district
      thongke compare -s party_member -m count --by province_2025 --format csv
    """
    with Store(db, read_only=True, external_access=False) as store:
        columns, rows = comparison(store, subject, measure, year=year, by=by, unit=unit, level=level)
    places = len({row[0] for row in rows if row[0]})
    conflicts = sum(1 for row in rows if row[columns.index("conflict")])
    every = 63 if by == Grouping.province else 34
    emit(columns, rows, format, title=f"{subject.value} {measure.value}" + (f" in {year}" if year else "")
         + f", {level.value} level: {places} of {every} report it, {conflicts} conflicting")


@app.command("coverage")
def coverage_command(
    by: Annotated[Grouping, typer.Option("--by", help="province: the 63 old units; province_2025: the 34 units after the merger.")] = Grouping.province,
    subject: Annotated[Subject | None, typer.Option("--subject", "-s", help="Only this subject.")] = None,
    measure: Annotated[Measure | None, typer.Option("--measure", "-m", help="Only this measure.")] = None,
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
    format: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """What is missing: every province against every subject and measure stored, with its province-level facts.

    One row per old province (or 2025 unit) and subject and measure: the
    latest year with a province-level fact and how many facts; provinces
    reporting nothing are rows with 0 (views coverage and coverage_2025).

    \b
    Examples:
      thongke coverage --subject party_member --measure admitted
      thongke coverage --by province_2025 --format csv
    """
    with Store(db, read_only=True, external_access=False) as store:
        columns, rows = coverage(store, by=by, subject=subject, measure=measure)
    reporting = len({row[0] for row in rows if row[columns.index("facts")]})
    emit(columns, rows, format, title=f"coverage: {reporting} of {63 if by == Grouping.province else 34} report a province-level figure")


@app.command("sql")
def sql_command(
    query: Annotated[str, typer.Argument(help="One SQL statement (SELECT, EXPLAIN, DESCRIBE …).")],
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
    format: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
    write: Annotated[bool, typer.Option("--write", help="Allow a statement that changes the database (INSERT, DELETE, DROP …).")] = False,
) -> None:
    """Run one SQL statement on the database and print its result.

    The database is opened read-only unless --write is given. Either way the
    statement cannot reach files, the network or extensions (DuckDB's external
    access is off): use `thongke export` to write files.

    \b
    Examples:
      thongke sql "SELECT * FROM latest_counts WHERE subject = 'party_member' AND level = 'province'"
      thongke sql "SELECT province, year, value FROM flows_by_year WHERE level = 'province' AND year IS NOT NULL" --format csv
      thongke sql "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE table_name = 'facts'"
    """
    with Store(db, read_only=not write, external_access=False) as store, store.session():
        statement = one_statement(store, query, write=write)
        columns, rows = store.stream(statement)
        emit(columns, rows, format)


@app.command("export")
def export_command(
    directory: Annotated[Path, typer.Argument(help="The folder to write into (created if missing).")],
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="parquet or csv: one file per table and view.")] = ExportFormat.parquet,
    db: Annotated[Path, DB_OPTION] = Path("thongke.duckdb"),
) -> None:
    """Write every table and view to one file each, for tools that do not read DuckDB.

    \b
    Examples:
      thongke export exports/ --format parquet
      thongke export exports-csv/ --format csv --db thongke.duckdb
    """
    with Store(db, read_only=True) as store:
        written = export(store, directory, format)
    emit(["file", "rows"], written, OutputFormat.table, title=f"exported from {db}")


def main() -> None:
    """Entry point (errors are handled by `_Commands`)."""
    app()


if __name__ == "__main__":
    main()
