"""Annotate many articles, on this process or across several, in input order.

`annotate_many` is the one engine interface (pipeline.run.engines picks one for
`extract` and `ingest`), and another engine (pipeline.run.dask_engine) honours the
same contract by feeding its own `submit` to `annotate_in_chunks`. Articles
stream through: at most a few chunks per worker are in flight, so memory does
not grow with the corpus. An article whose extraction raises becomes an
`InputError` naming its source, and the batch goes on.

Workers are spawned, not forked: the parent may hold DuckDB's or rich's
threads, which a fork would copy in an unknown state. Each worker builds the
spaCy pipeline and the lexicons' patterns once, in its initializer, and keeps it for every chunk.
The extractor (spaCy, underthesea) is imported when the first article is
annotated, so commands that only name an engine start quickly.
"""

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from typing import Protocol, TypeVar

from schemas import AnnotatedArticle, Article, InputError

CHUNK_SIZE = 8
CHUNKS_IN_FLIGHT_PER_WORKER = 4

Annotated = AnnotatedArticle | InputError
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Failure:
    """An extraction error as it crosses the process boundary (InputError's own pickling loses its fields)."""

    source: str
    problem: str


class ChunkFuture(Protocol):
    """What both a concurrent.futures.Future and a distributed.Future offer."""

    def result(self) -> list["AnnotatedArticle | _Failure"]: ...

    def cancel(self) -> object: ...


Submit = Callable[..., ChunkFuture]


def annotate_safely(article: Article, step: Callable[[Article], T] | None = None) -> T | Annotated:
    """The article's records (or what `step` makes of it), or an error naming the article when an extractor raises."""
    try:
        return (step or annotate)(article)
    except Exception as error:  # noqa: BLE001 — any extractor bug must not end the batch
        return InputError(article.source, f"extraction failed ({type(error).__name__}: {error})")


def annotate(article: Article) -> AnnotatedArticle:
    """`pipeline.nlp.annotate.annotate`, imported on first use (see the module docstring)."""
    from pipeline.nlp.annotate import annotate as extract  # noqa: PLC0415

    return extract(article)


def annotate_many(articles: Iterable[Article], workers: int = 1, chunk_size: int = CHUNK_SIZE) -> Iterator[Annotated]:
    """One result per article, in the order given; `workers` > 1 runs extraction in that many processes.

    The processes start with the first article: a run with nothing new to
    extract (a re-poll, a resumed ingest) loads no worker.
    """
    if workers <= 1:
        yield from map(annotate_safely, articles)
        return
    stream = iter(articles)
    first = next(stream, None)
    if first is None:
        return
    articles = chain([first], stream)
    pool = _start_pool(workers)
    finished = False
    try:
        yield from annotate_in_chunks(pool.submit, articles, chunk_size, workers * CHUNKS_IN_FLIGHT_PER_WORKER)
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=True)


def _start_pool(workers: int) -> ProcessPoolExecutor:
    """Every worker started now, with Ctrl-C ignored: it is the parent's to handle (it stops the batch).

    A spawned child keeps an ignored signal, so even a worker still importing
    spaCy does not die with a traceback; the parent's handler is put back at once.
    """
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker, initargs=(os.getpid(),))
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
    try:
        for _ in range(workers):
            pool.submit(int)  # each submit to a pool with no idle worker starts one
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous)
    return pool


def _start_worker(parent: int) -> None:
    """Build the pipeline once; and leave when the parent is gone.

    A parent killed outright (SIGKILL, OOM) cannot shut its pool down, and a
    spawned worker would otherwise finish its queued chunks for no one. The
    watch starts before spaCy is imported, so even a worker still loading leaves.
    """
    threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="parent-watch").start()
    from pipeline.nlp.annotate import prepare  # noqa: PLC0415 — see the module docstring

    prepare()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def annotate_in_chunks(submit: Submit, articles: Iterable[Article], chunk_size: int, in_flight: int) -> Iterator[Annotated]:
    """Results in input order from any executor's `submit` (a process pool's, a Dask client's), with at most `in_flight` chunks pending."""
    pending: deque[ChunkFuture] = deque()
    try:
        for chunk in chunks(articles, chunk_size):
            pending.append(submit(annotate_chunk, chunk))
            if len(pending) >= in_flight:
                yield from _unpack(pending.popleft())
        while pending:
            yield from _unpack(pending.popleft())
    finally:
        for future in pending:
            future.cancel()


def chunks(items: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """Consecutive chunks of `size` items, read lazily (itertools.batched is Python 3.12+)."""
    stream = iter(items)
    while chunk := tuple(islice(stream, size)):
        yield chunk


def annotate_chunk(chunk: tuple[Article, ...]) -> list[AnnotatedArticle | _Failure]:
    """A chunk's results in a form that pickles faithfully; runs in the worker."""
    return [_Failure(r.source, r.problem) if isinstance(r, InputError) else r for r in map(annotate_safely, chunk)]


def _unpack(future: ChunkFuture) -> Iterator[Annotated]:
    for result in future.result():
        yield InputError(result.source, result.problem) if isinstance(result, _Failure) else result
