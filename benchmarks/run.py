"""Throughput of the full pipeline against underthesea's word segmentation alone.

    .venv/bin/python benchmarks/run.py                 # 10,000 articles
    .venv/bin/python benchmarks/run.py --articles 500  # a quick run

Every pass reads the same synthetic stream (benchmarks/synthetic.py, made on
the fly from corpus/samples), so the figures compare like with like:
`word_tokenize` on each article's whole text, and the full pipeline (read →
sentences → Docs → records → a DuckDB file, written in batches by the main
process) on one process, then on `--workers N`. The first two take turns over
`--rounds` slices of the stream: a shared machine's speed drifts by a third
within minutes, and taking turns lays the drift on both alike. CPU seconds
are this process's and its workers'. Peak memory is the largest
resident set of this process and of any one worker.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from underthesea import word_tokenize

from pipeline.run.batch import annotate_many, chunks
from pipeline.nlp.annotate import prepare
from pipeline.store.database import Store
from schemas import AnnotatedArticle, Article
from synthetic import SourcePool, synthetic_articles

ROOT = Path(__file__).resolve().parents[1]
WRITE_BATCH = 64


@dataclass
class Pass:
    """What went through one pass, summed over its turns."""

    name: str
    seconds: float = 0.0
    cpu: float = 0.0
    articles: int = 0
    chars: int = 0
    load: float = field(default_factory=lambda: os.getloadavg()[0])

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.seconds

    @contextmanager
    def clock(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), cpu_seconds()
        yield
        self.seconds += time.perf_counter() - wall
        self.cpu += cpu_seconds() - cpu

    def counted(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            self.articles += 1
            self.chars += len(article.text)
            yield article


def cpu_seconds() -> float:
    """This process's CPU time and its finished workers' (a pool's workers are counted once it has shut down)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def segment_only(articles: Iterable[Article]) -> None:
    for article in articles:
        word_tokenize(article.text, use_token_normalize=False)


def store_all(store: Store, articles: Iterable[Article], workers: int) -> None:
    for batch in chunks(annotate_many(articles, workers), WRITE_BATCH):
        store.write_many(item for item in batch if isinstance(item, AnnotatedArticle))


def taking_turns(segment: Pass, one: Pass, stream: Callable[[], Iterable[Article]], size: int, rounds: int, db: Path) -> None:
    """word_tokenize and the one-process pipeline in turns, slice by slice of the same stream."""
    segment_stream, one_stream = iter(stream()), iter(stream())
    per_turn = -(-size // rounds)
    with one.clock():
        store = Store(db)
    with store:
        for _ in range(rounds):
            with segment.clock():
                segment_only(segment.counted(islice(segment_stream, per_turn)))
            with one.clock():
                store_all(store, one.counted(islice(one_stream, per_turn)), 1)


def peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the synthetic corpus (default 10,000)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the parallel pass (default 2)")
    parser.add_argument("--samples", type=Path, default=ROOT / "corpus" / "samples", help="folder of .txt articles to vary")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="turns word_tokenize and the 1-process pipeline take (default 5)")
    args = parser.parse_args(argv)

    pool = SourcePool.read(args.samples)
    stream = lambda: synthetic_articles(pool, args.articles, args.seed)  # noqa: E731 — the same stream for every pass
    prepare()  # every pass starts warm: the pipeline built, as word_tokenize's model is loaded below
    word_tokenize("khởi động", use_token_normalize=False)
    print(f"corpus: {args.articles} synthetic articles from {args.samples}")
    print(f"machine: {os.cpu_count()} cores; load = 1-minute load average when the pass started; "
          f"word_tokenize and the 1-process pipeline take {args.rounds} turns each")
    print(f"{'pass':<24} {'seconds':>8} {'CPU s':>7} {'articles/s':>11} {'chars/s':>10} {'load':>5}", flush=True)
    segment, one = Pass("word_tokenize only"), Pass("pipeline, 1 process")
    with tempfile.TemporaryDirectory() as tmp:
        taking_turns(segment, one, stream, args.articles, args.rounds, Path(tmp) / "one.duckdb")
        show(segment)
        show(one)
        many = Pass(f"pipeline, {args.workers} workers")
        with many.clock(), Store(Path(tmp) / "many.duckdb") as store:
            store_all(store, many.counted(stream()), args.workers)
        show(many)
        passes = [segment, one, many]
    report(passes, args)


def show(p: Pass) -> None:
    print(f"{p.name:<24} {p.seconds:8.1f} {p.cpu:7.1f} {p.articles_per_s:11.1f} {p.chars_per_s:10,.0f} {p.load:5.2f}", flush=True)


def report(passes: list[Pass], args: argparse.Namespace) -> None:
    segment, one, many = passes
    print(f"pipeline / word_tokenize (1 process): {one.chars_per_s / segment.chars_per_s:.2f}x "
          f"({segment.cpu / one.cpu:.2f}x by CPU seconds)")
    print(f"{args.workers} workers / 1 process: {many.chars_per_s / one.chars_per_s:.2f}x")
    main_mib, worker_mib = peak_mib(resource.RUSAGE_SELF), peak_mib(resource.RUSAGE_CHILDREN)
    print(f"peak resident memory: main {main_mib:.0f} MiB, largest worker {worker_mib:.0f} MiB, "
          f"main + {args.workers} workers at most {main_mib + args.workers * worker_mib:.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
