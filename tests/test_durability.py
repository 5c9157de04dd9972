"""Nothing stored is ever lost: a failed extraction, a reused source name, a bad item, a full disk, a second writer."""

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import pipeline.run.batch
from pipeline.cli import app, main
from pipeline.nlp.annotate import annotate
from pipeline.store.database import Store
from schemas import AnnotatedArticle, Article
from tests.local_web import LocalWeb, web  # noqa: F401 (pytest fixture)

runner = CliRunner()
THONGKE = Path(sys.executable).parent / "thongke"
SAMPLES = Path(__file__).parent.parent / "corpus" / "samples"


def article_text(commune: str, admitted: int) -> str:
    return (f"Đảng bộ xã {commune} kết nạp {admitted} đảng viên mới\n\n"
            f"Năm 2024, Đảng bộ xã {commune}, huyện Yên Thành đã kết nạp {admitted} đảng viên mới, "
            f"nâng tổng số đảng viên của xã lên {admitted * 20} đồng chí.\n")


def stored(db: Path, sql: str = "SELECT doc, source FROM articles ORDER BY doc") -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_page_whose_extraction_failed_is_fetched_in_full_and_stored_next_run(
        web: LocalWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, page = tmp_path / "t.duckdb", web.url("/articles/ket-nap-dang-vien.html")

    def broken(article: Article) -> AnnotatedArticle:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(pipeline.run.batch, "annotate", broken)
    first = runner.invoke(app, ["ingest", page, "--db", str(db), "--allow-private"])
    assert first.exit_code == 1 and "extraction failed (RuntimeError: extractor bug)" in first.stderr
    assert stored(db, "SELECT count(*) FROM fetch_log") == [(0,)]

    monkeypatch.setattr(pipeline.run.batch, "annotate", annotate)
    web.requests.clear()
    second = runner.invoke(app, ["ingest", page, "--db", str(db), "--allow-private"])
    assert second.exit_code == 0, second.output
    assert "1 new article(s)" in second.stdout
    assert [(r.conditional, r.status) for r in web.requests] == [(False, 200)]
    assert stored(db, "SELECT count(*) FROM statistics") != [(0,)]


def test_each_stdin_text_is_its_own_article(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    for commune, admitted in (("Tân Lập", 7), ("Hòa Bình", 11), ("Quỳnh Lưu", 5)):
        result = runner.invoke(app, ["ingest", "-", "--db", str(db)], input=article_text(commune, admitted))
        assert result.exit_code == 0, result.output
    assert stored(db, "SELECT count(*), count(DISTINCT id) FROM articles") == [(3, 3)]


def test_the_same_relative_name_in_two_folders_is_two_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "t.duckdb"
    for folder, admitted in (("a", 7), ("b", 9)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "bai.txt").write_text(article_text("Tân Lập", admitted), encoding="utf-8")
        monkeypatch.chdir(tmp_path / folder)
        assert runner.invoke(app, ["ingest", "bai.txt", "--db", str(db)]).exit_code == 0
    assert stored(db) == [("bai", str(tmp_path / "a" / "bai.txt")), ("bai", str(tmp_path / "b" / "bai.txt"))]
    # A changed file still replaces what it stored before.
    (tmp_path / "b" / "bai.txt").write_text(article_text("Tân Lập", 12), encoding="utf-8")
    assert runner.invoke(app, ["ingest", "bai.txt", "--db", str(db)]).exit_code == 0
    assert stored(db, "SELECT count(*) FROM articles") == [(2,)]
    assert stored(db, "SELECT DISTINCT value FROM statistics WHERE measure = 'admitted' ORDER BY value") == [(7.0,), (12.0,)]


def test_full_text_feed_entries_sharing_one_link_are_each_stored(tmp_path: Path) -> None:
    items = "".join(
        f"<item><title>Xã {commune} kết nạp {n} đảng viên</title><link>https://baomau.vn/tong-hop.html</link>"
        f"<guid isPermaLink=\"false\">tong-hop-{n}</guid>"
        f"<content:encoded><![CDATA[<p>{article_text(commune, n) * 3}</p>]]></content:encoded></item>"
        for n, commune in enumerate(("Tân Lập", "Hòa Bình", "Quỳnh Lưu", "Diễn Châu", "Nghi Lộc"), start=3))
    feed = tmp_path / "tong-hop.rss"
    feed.write_text('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Báo Mẫu</title>'
                    f"{items}</channel></rss>", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", str(feed), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "5 new article(s)" in result.stdout
    assert stored(db, "SELECT count(*) FROM articles") == [(5,)]


POISONS = {
    "surrogate.jsonl": '{"text": "Năm 2024, xã Tân Lập kết nạp 5 đảng viên \\ud800 mới."}\n',
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "huge-int.jsonl": '{"text": "Xã Tân Lập kết nạp 5 đảng viên.", "id": ' + "7" * 4_300 + "}\n",
    "[bold]markup[/]ket-nap.txt": article_text("Markup", 4),  # a folder "[bold]markup[", a file "]ket-nap.txt"
}


@pytest.mark.parametrize("poison", sorted(POISONS))
def test_one_poisoned_input_among_good_ones_stores_every_good_one(tmp_path: Path, poison: str) -> None:
    (tmp_path / poison).parent.mkdir(exist_ok=True)
    (tmp_path / poison).write_text(POISONS[poison], encoding="utf-8")
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", str(SAMPLES), str(tmp_path / poison), "http://[invalid", "--db", str(db)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # failures reported, no traceback
    assert "http://[invalid" in result.stderr
    assert stored(db, "SELECT count(*) FROM articles WHERE source LIKE '%/corpus/samples/%'") == [(14,)]


def test_a_batch_with_an_article_that_cannot_be_stored_keeps_the_others(tmp_path: Path) -> None:
    good = [annotate(Article(doc=f"bai-{n}", text=article_text(commune, n), source=f"/bai-{n}.txt"))
            for n, commune in enumerate(("Tân Lập", "Hòa Bình", "Quỳnh Lưu"), start=3)]
    bad = AnnotatedArticle.model_construct(doc="hong", records=[],
                                           article=Article.model_construct(doc="hong", text="x\ud800", source="/hong.txt"))
    with Store(tmp_path / "t.duckdb") as store:
        written = store.write_many([good[0], bad, good[1], good[2]])
    assert (written.articles, [error.source for error in written.failed]) == (3, ["/hong.txt"])
    assert stored(tmp_path / "t.duckdb", "SELECT doc FROM articles ORDER BY doc") == [("bai-3",), ("bai-4",), ("bai-5",)]


class _FullDisk:
    """A connection whose COMMIT of new articles fails as DuckDB's does when the disk is full."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._writing = False

    def execute(self, sql: str, *args: object) -> duckdb.DuckDBPyConnection:
        self._writing = self._writing or sql.startswith("INSERT INTO articles")
        if sql == "COMMIT" and self._writing:
            self._con.execute("ROLLBACK")
            raise duckdb.IOException("IO Error: Could not write file: No space left on device")
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


def test_a_full_disk_stops_in_one_line_and_leaves_the_database_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    db, first, second = tmp_path / "t.duckdb", tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(article_text("Tân Lập", 7), encoding="utf-8")
    second.write_text(article_text("Hòa Bình", 9), encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(first), "--db", str(db)]).exit_code == 0
    before = stored(db, "SELECT * FROM statistics ORDER BY article_id, seq")
    real_connect = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: _FullDisk(real_connect(*a, **k)))
    monkeypatch.setattr(sys, "argv", ["thongke", "ingest", str(second), "--db", str(db)])
    with pytest.raises(SystemExit) as exit_code:
        main()
    monkeypatch.setattr(duckdb, "connect", real_connect)
    assert exit_code.value.code == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert lines == [f"error: {db}: cannot write (disk is full); the database is as it was before this batch"]
    assert stored(db, "SELECT * FROM statistics ORDER BY article_id, seq") == before


def test_two_ingests_at_once_both_finish_with_every_article_once(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    runs = [subprocess.Popen([str(THONGKE), "ingest", str(SAMPLES), "--db", str(db)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    # Each holds the file only per transaction, so their batches interleave; between them they store each article once.
    new = [int(re.search(r"(\d+) new article", stdout).group(1)) for stdout, _ in outputs]
    assert sum(new) == 14, outputs
    assert stored(db, "SELECT count(*), count(DISTINCT source) FROM articles") == [(14, 14)]


@pytest.mark.parametrize("huge", [".".join(["999"] * 140), "9" * 400 + ",5%"])
def test_a_figure_too_large_to_represent_is_dropped_not_its_article(huge: str, caplog: pytest.LogCaptureFixture) -> None:
    text = f"Năm 2024, tỉnh Nghệ An kết nạp {huge} đảng viên mới. Toàn tỉnh có 1.200 đảng viên."
    records = annotate(Article(doc="lon", text=text, source="/lon.txt")).records
    assert [record.value for record in records] == [1200]
    assert "too large to represent was dropped" in caplog.text
