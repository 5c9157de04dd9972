"""The engines behind one interface: a callable from articles to results, in input order.

The CLI names one (`--engine local|dask`); this module picks it, so batch.py
and dask_engine.py need not know each other beyond the chunking they share.
"""

from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from functools import partial

from pipeline.run.batch import Annotated, annotate_many
from schemas import Article, ThongkeError

Engine = Callable[[Iterable[Article]], Iterator[Annotated]]


class EngineName(StrEnum):
    local = "local"
    dask = "dask"


def engine(name: EngineName, workers: int = 1, scheduler: str | None = None) -> Engine:
    """The engine the CLI options name; Dask is imported only when it is asked for."""
    if name == EngineName.local:
        return partial(annotate_many, workers=workers)
    if not scheduler:
        raise ThongkeError("--engine dask needs --scheduler tcp://HOST:PORT (the address of a running Dask scheduler)")
    from pipeline.run.dask_engine import annotate_many_dask  # noqa: PLC0415 — keeps `distributed` off the local path

    return partial(annotate_many_dask, scheduler=scheduler)
