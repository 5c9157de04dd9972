"""Annotate many articles on a Dask cluster, with exactly the contract of `annotate_many`.

Same order, same streaming (a bounded number of chunks in flight), same
per-article failures; only the executor differs: chunks go to the workers of
a running `dask.distributed` scheduler. Every worker needs thongke installed;
each builds the spaCy pipeline once, when the plugin below is registered.

A scheduler that cannot be reached, or a cluster that fails mid-run, is one
`ClusterError` naming the address. The connect timeout is Dask's own setting
(`distributed.comm.timeouts.connect`, e.g. DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s).
"""

from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError
from functools import partial

from distributed import Client, KilledWorker, Worker, WorkerPlugin
from distributed.comm import resolve_address

from pipeline.run.batch import CHUNK_SIZE, CHUNKS_IN_FLIGHT_PER_WORKER, Annotated, annotate_in_chunks
from pipeline.nlp.annotate import prepare
from schemas import Article, ThongkeError

PLUGIN_NAME = "thongke-nlp"
_CLUSTER_FAILURES = (OSError, TimeoutError, KilledWorker, CancelledError)


class ClusterError(ThongkeError):
    """The Dask scheduler at `address` cannot be reached, or its cluster failed during the run."""

    def __init__(self, address: str, problem: str) -> None:
        super().__init__(problem)
        self.address = address
        self.problem = problem


class _BuildPipeline(WorkerPlugin):
    """Builds the cached spaCy pipeline and lexicon patterns on each worker before it takes any chunk."""

    def setup(self, worker: Worker) -> None:
        prepare()


def annotate_many_dask(articles: Iterable[Article], scheduler: str, chunk_size: int = CHUNK_SIZE) -> Iterator[Annotated]:
    """One result per article, in the order given, extracted on the Dask cluster at `scheduler`."""
    client = _connect(scheduler)
    try:
        client.register_plugin(_BuildPipeline(), name=PLUGIN_NAME)
        in_flight = CHUNKS_IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info()["workers"]))
        yield from annotate_in_chunks(partial(client.submit, pure=False), articles, chunk_size, in_flight)
    except _CLUSTER_FAILURES as error:
        raise ClusterError(scheduler, f"the Dask cluster at {scheduler} failed ({_describe(error)})") from None
    finally:
        client.close()


def _connect(address: str) -> Client:
    """A client of the scheduler; a malformed address is refused before a Client exists (a failed one warns at exit)."""
    try:
        resolve_address(address)
        return Client(address, set_as_default=False)
    except (ValueError, *_CLUSTER_FAILURES) as error:
        raise ClusterError(address, f"cannot reach the Dask scheduler at {address}: {_describe(error)}") from None


def _describe(error: BaseException) -> str:
    return str(error) or type(error).__name__
