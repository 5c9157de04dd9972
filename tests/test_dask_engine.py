"""The Dask engine gives exactly what the local engine gives, on a two-process LocalCluster on 127.0.0.1."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dask
import duckdb
import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from pipeline.run.batch import annotate_many
from pipeline.cli import app
from pipeline.run.dask_engine import ClusterError, annotate_many_dask
from schemas import AnnotatedArticle, Article, InputError

ARTICLES = {
    "nghe-an": "Năm 2023, Đảng bộ tỉnh Nghệ An kết nạp 1.250 đảng viên mới, đạt 104% chỉ tiêu.",
    "ha-tinh": "Đến cuối năm 2022, Đảng bộ huyện có 42 tổ chức cơ sở đảng với 5.318 đảng viên.",
    "thanh-hoa": "Trong 6 tháng đầu năm 2024, Công đoàn tỉnh phát triển mới 2.140 đoàn viên công đoàn.",
    "quang-binh": "Năm 2021, Hội Cựu chiến binh xã có 312 hội viên; Chi bộ thôn kết nạp 7 đảng viên mới.",
    "ha-giang": "Tỉnh đoàn cho biết năm 2023 đã kết nạp 3.045 đoàn viên mới, vượt 12,5% kế hoạch.",
    "phu-tho": "Hội Liên hiệp Phụ nữ tỉnh hiện có 186.420 hội viên; năm 2022 Đảng bộ tỉnh có 71.250 đảng viên.",
}
CHUNK = 2  # several chunks for six articles, so order across chunks and workers is exercised


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def articles() -> list[Article]:
    return [Article(text=text, doc=doc, source=f"{doc}.txt") for doc, text in ARTICLES.items()]


def as_json(results: list[AnnotatedArticle | InputError]) -> list[dict | str]:
    return [str(r) if isinstance(r, InputError) else r.to_json_dict() for r in results]


def test_dask_results_equal_local_results_in_order(scheduler: str) -> None:
    local = list(annotate_many(articles(), workers=1))
    remote = list(annotate_many_dask(articles(), scheduler, chunk_size=CHUNK))
    assert [r.doc for r in remote] == list(ARTICLES)
    assert all(r.records for r in remote)
    assert as_json(remote) == as_json(local)


def test_an_article_that_fails_is_an_error_naming_it(scheduler: str) -> None:
    broken = Article.model_construct(text=None, doc="hong", source="hong.txt")  # an extractor cannot read it
    results = list(annotate_many_dask([*articles()[:3], broken, *articles()[3:]], scheduler, chunk_size=CHUNK))
    assert [type(r) for r in results] == [AnnotatedArticle] * 3 + [InputError] + [AnnotatedArticle] * 3
    assert results[3].source == "hong.txt" and "extraction failed" in results[3].problem


def test_unreachable_scheduler_is_one_clear_error_quickly() -> None:
    started = time.monotonic()
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), pytest.raises(ClusterError) as caught:
        list(annotate_many_dask(articles(), "tcp://127.0.0.1:1"))
    assert str(caught.value).startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:1: ")
    assert time.monotonic() - started < 10


runner = CliRunner()


def thongke(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point, whose error handling (one line, exit 1) is what a user sees; Dask gives up after 2 s."""
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    command = [sys.executable, "-c", "from pipeline.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)


def statistics(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return sorted(con.execute("SELECT * EXCLUDE (extractor_version) FROM statistics").fetchall(), key=repr)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    corpus = tmp_path / "bai"
    corpus.mkdir()
    for doc, text in ARTICLES.items():
        (corpus / f"{doc}.txt").write_text(text, encoding="utf-8")
    return corpus


def test_ingest_on_dask_writes_the_same_statistics(scheduler: str, folder: Path, tmp_path: Path) -> None:
    local = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "local.duckdb")])
    remote = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "dask.duckdb"),
                                 "--engine", "dask", "--scheduler", scheduler])
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    rows = statistics(tmp_path / "dask.duckdb")
    assert len(rows) >= len(ARTICLES)
    assert rows == statistics(tmp_path / "local.duckdb")


def test_extract_on_dask_prints_the_same_jsonl(scheduler: str, folder: Path) -> None:
    local = runner.invoke(app, ["extract", str(folder)])
    remote = runner.invoke(app, ["extract", str(folder), "--engine", "dask", "--scheduler", scheduler])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


@pytest.mark.parametrize(("address", "problem"), [
    ("tcp://127.0.0.1:1", "Timed out trying to connect"),
    ("127.0.0.1", "missing port number"),
])
def test_cli_unreachable_scheduler_is_one_line_and_exit_1(folder: Path, tmp_path: Path, address: str, problem: str) -> None:
    result = thongke("ingest", str(folder), "--db", str(tmp_path / "x.duckdb"), "--engine", "dask", "--scheduler", address)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot reach the Dask scheduler at {address}: ")
    assert problem in line


def test_dask_engine_without_scheduler_is_a_clear_error(folder: Path) -> None:
    result = thongke("extract", str(folder), "--engine", "dask")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: --engine dask needs --scheduler tcp://HOST:PORT (the address of a running Dask scheduler)"
