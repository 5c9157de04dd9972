"""Throughput of the full pipeline against underthesea's word segmentation alone.

    .venv/bin/python benchmarks/run.py                 # 10,000 articles
    .venv/bin/python benchmarks/run.py --articles 500  # a quick run

Every pass reads the same synthetic stream (benchmarks/synthetic.py, made on
the fly from corpus/samples), so the figures compare like with like:
`word_tokenize` on each article's whole text, then the full pipeline (read →
sentences → Docs → records → a DuckDB file, written in batches by the main
process) on one process and on `--workers N`. Peak memory is the largest
resident set of this process and of any one worker.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from underthesea import word_tokenize

from pipeline.run.batch import annotate_many, chunks
from pipeline.nlp.annotate import prepare
from pipeline.store.database import Store
from schemas import AnnotatedArticle, Article
from synthetic import SourcePool, synthetic_articles

ROOT = Path(__file__).resolve().parents[1]
WRITE_BATCH = 64


@dataclass(frozen=True)
class Pass:
    name: str
    seconds: float
    articles: int
    chars: int
    load: float

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.seconds


def timed(name: str, articles: Iterable[Article], consume: Callable[[Iterable[Article]], None]) -> Pass:
    """Run `consume` over the stream, counting what went through it."""
    count = chars = 0

    def counted() -> Iterable[Article]:
        nonlocal count, chars
        for article in articles:
            count += 1
            chars += len(article.text)
            yield article

    load = os.getloadavg()[0]
    start = time.perf_counter()
    consume(counted())
    return Pass(name, time.perf_counter() - start, count, chars, load)


def segment_only(articles: Iterable[Article]) -> None:
    for article in articles:
        word_tokenize(article.text, use_token_normalize=False)


def full_pipeline(workers: int, db: Path) -> Callable[[Iterable[Article]], None]:
    def run(articles: Iterable[Article]) -> None:
        with Store(db) as store:
            for batch in chunks(annotate_many(articles, workers), WRITE_BATCH):
                store.write_many(item for item in batch if isinstance(item, AnnotatedArticle))
    return run


def peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the synthetic corpus (default 10,000)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the parallel pass (default 2)")
    parser.add_argument("--samples", type=Path, default=ROOT / "corpus" / "samples", help="folder of .txt articles to vary")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)

    pool = SourcePool.read(args.samples)
    stream = lambda: synthetic_articles(pool, args.articles, args.seed)  # noqa: E731 — the same stream for every pass
    prepare()  # every pass starts warm: the pipeline built, as word_tokenize's model is loaded below
    word_tokenize("khởi động", use_token_normalize=False)
    print(f"corpus: {args.articles} synthetic articles from {args.samples}")
    print(f"machine: {os.cpu_count()} cores; load = 1-minute load average when the pass started")
    print(f"{'pass':<24} {'seconds':>8} {'articles/s':>11} {'chars/s':>10} {'load':>5}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        passes = [
            show(timed("word_tokenize only", stream(), segment_only)),
            show(timed("pipeline, 1 process", stream(), full_pipeline(1, Path(tmp) / "one.duckdb"))),
            show(timed(f"pipeline, {args.workers} workers", stream(), full_pipeline(args.workers, Path(tmp) / "many.duckdb"))),
        ]
    report(passes, args)


def show(p: Pass) -> Pass:
    print(f"{p.name:<24} {p.seconds:8.1f} {p.articles_per_s:11.1f} {p.chars_per_s:10,.0f} {p.load:5.2f}", flush=True)
    return p


def report(passes: list[Pass], args: argparse.Namespace) -> None:
    segment, one, many = passes
    print(f"pipeline / word_tokenize (1 process): {one.chars_per_s / segment.chars_per_s:.2f}x")
    print(f"{args.workers} workers / 1 process: {many.chars_per_s / one.chars_per_s:.2f}x")
    main_mib, worker_mib = peak_mib(resource.RUSAGE_SELF), peak_mib(resource.RUSAGE_CHILDREN)
    print(f"peak resident memory: main {main_mib:.0f} MiB, largest worker {worker_mib:.0f} MiB, "
          f"main + {args.workers} workers at most {main_mib + args.workers * worker_mib:.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
