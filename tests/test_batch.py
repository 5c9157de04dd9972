"""The batch runner and the fast paths give exactly what the plain path gives.

Every comparison is on the full JSON of every record: one process against two,
the batch runner against `annotate` one article at a time, the offset-built
tokenizer against spaCy's own `get_words_and_spaces` + `char_span`, and a
batched store write against writes of one article at a time.
"""

import json
import pickle
from concurrent.futures import Future
from pathlib import Path

import duckdb
import pytest
import regex
from spacy.util import get_words_and_spaces
from typer.testing import CliRunner
from underthesea import word_tokenize

import pipeline.run.batch as batch
from pipeline.nlp.annotate import annotate
from pipeline.run.batch import annotate_many
from pipeline.cli import app
from pipeline.nlp.language import load_nlp
from pipeline.store.database import Store
from pipeline.nlp.tokenizer import WORDS, _align_words
from schemas import AnnotatedArticle, Article, InputError
from tests.conftest import SAMPLES

WRITTEN = {
    "xa-tan-lap": "Đảng bộ xã Tân Lập kết nạp đảng viên mới\n\nNăm 2023, Đảng bộ xã có 17 chi bộ với 512 đảng viên. "
                  "Trong năm, Đảng bộ kết nạp 26/20 đảng viên mới, vượt 30% chỉ tiêu.\n",
    "cong-doan-kcn": "Công đoàn các khu công nghiệp tỉnh Bắc Ninh\n\nĐến nay có 214 công đoàn cơ sở với trên 61 nghìn "
                     "đoàn viên;  năm qua thành lập mới 23 công đoàn cơ sở, phát triển 4.870 đoàn viên.\n",
    "hoi-phu-nu": "Hội Phụ nữ huyện giới thiệu hội viên ưu tú cho Đảng\n\nHội có 9.315 hội viên, chiếm 81,4% số phụ nữ. "
                  "Năm 2022, Hội giới thiệu 57 hội viên ưu tú, trong đó 41 chị được kết nạp vào Đảng.\n",
    "khong-so-lieu": "Tin ngắn\n\nHội nghị sơ kết công tác xây dựng Đảng diễn ra sáng nay.\n",
}


def _articles() -> list[Article]:
    written = [Article(doc=doc, text=text, source=f"{doc}.txt") for doc, text in WRITTEN.items()]
    samples = [Article(doc=p.stem, text=p.read_text(encoding="utf-8"), source=str(p)) for p in sorted(SAMPLES.glob("*.txt"))]
    return written + samples


def _json(results: list[AnnotatedArticle | InputError]) -> list[str]:
    return [json.dumps(r.to_json_dict(), ensure_ascii=False, sort_keys=True) for r in results]


@pytest.fixture(scope="module")
def one_by_one() -> list[str]:
    return _json([annotate(article) for article in _articles()])


def test_one_process_equals_annotate_one_by_one(one_by_one: list[str]) -> None:
    assert _json(list(annotate_many(_articles(), workers=1))) == one_by_one


def test_two_workers_equal_one_process_in_input_order(one_by_one: list[str]) -> None:
    assert _json(list(annotate_many(_articles(), workers=2, chunk_size=2))) == one_by_one


def test_written_articles_give_records(one_by_one: list[str]) -> None:
    records = [json.loads(line)["records"] for line in one_by_one[:len(WRITTEN)]]
    assert [r["text"] for r in records[0]] == ["17", "512", "26/20", "30%"]
    assert records[-1] == []


def test_extractor_exception_becomes_an_error_for_that_article(monkeypatch: pytest.MonkeyPatch) -> None:
    def fragile(article: Article) -> AnnotatedArticle:
        if article.doc == "cong-doan-kcn":
            raise ValueError("bad figure")
        return annotate(article)

    monkeypatch.setattr(batch, "annotate", fragile)
    results = list(annotate_many(_articles()[:3], workers=1))
    assert [type(r).__name__ for r in results] == ["AnnotatedArticle", "InputError", "AnnotatedArticle"]
    assert str(results[1]) == "cong-doan-kcn.txt: extraction failed (ValueError: bad figure)"


def test_a_worker_error_crosses_the_process_boundary_with_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "annotate", lambda article: 1 / 0)
    future: Future = Future()
    future.set_result(pickle.loads(pickle.dumps(batch.annotate_chunk(tuple(_articles()[:2])))))
    errors = list(batch._unpack(future))
    assert [(e.source, e.problem) for e in errors] == [
        ("xa-tan-lap.txt", "extraction failed (ZeroDivisionError: division by zero)"),
        ("cong-doan-kcn.txt", "extraction failed (ZeroDivisionError: division by zero)"),
    ]


@pytest.mark.parametrize("text, cuts", [
    ("Đảng bộ có 386 đảng viên.", [11, 14]),
    ("có  17 chi bộ\tvà 512 đảng viên ", [4, 6, 17, 20]),
    (" trên 15 nghìn CNVCLĐ, 11.520 đoàn viên", [1, 14, 23, 29]),
    ("kết nạp 21/18 đảng viên, vượt 16,7%", [8, 13, 30, 35]),
    ("tỷ lệ 78,6%;\u00a0trong đó 2.915 chị", [6, 11, 22, 27]),
])
def test_tokenizer_equals_spacy_alignment(text: str, cuts: list[int]) -> None:
    """The Doc built from offsets has the tokens, spaces and word spans spaCy's own alignment gives."""
    nlp = load_nlp()
    doc = nlp.tokenizer.make_doc(text, cuts)
    words = _align_words(text, word_tokenize(text, use_token_normalize=False))
    pieces = _reference_pieces(text, words, cuts)
    tokens, spaces = get_words_and_spaces([text[s:e] for s, e in pieces], text)
    assert [t.text for t in doc] == tokens
    assert [bool(t.whitespace_) for t in doc] == spaces
    assert [(s.start, s.end) for s in doc.spans[WORDS]] == [(s.start, s.end) for a, b in words if (s := doc.char_span(a, b))]
    assert doc.text == text


def _reference_pieces(text: str, words: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    """Syllables of every word, split at every cut: the pre-optimisation algorithm, kept here as the reference."""
    piece = regex.compile(r"\w+(?:[.,:/'’\-]\w+)*|[^\w\s]")
    pieces = [(a + m.start(), a + m.end()) for a, b in words for m in piece.finditer(text[a:b])]
    result = []
    for start, end in pieces:
        bounds = [start, *[c for c in sorted(set(cuts)) if start < c < end], end]
        result.extend((x, y) for x, y in zip(bounds, bounds[1:]) if y > x)
    return result


def _tables(path: Path) -> tuple[list, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return (con.execute("SELECT * EXCLUDE (ingested_at) FROM articles ORDER BY id").fetchall(),
                con.execute("SELECT * FROM statistics ORDER BY article_id, seq").fetchall())
    finally:
        con.close()


def test_batched_write_equals_writes_one_by_one(tmp_path: Path) -> None:
    results = [annotate(article) for article in _articles()[:3]]
    changed = results[0].article.model_copy(update={"text": results[0].article.text.replace("512", "530")})
    stream = [*results, results[1], annotate(changed)]  # a repeat, then a new text from the same source
    with Store(tmp_path / "one.duckdb") as store:
        new_one = sum(store.write(item) for item in stream)
    with Store(tmp_path / "many.duckdb") as store:
        written = store.write_many(stream)
    assert new_one == 4  # one at a time, the first text of the changed source is stored, then replaced
    assert written.articles == 3  # in one batch, only the later text of that source is stored
    assert written.records == sum(len(r.records) for r in (results[1], results[2], annotate(changed)))
    assert _tables(tmp_path / "one.duckdb") == _tables(tmp_path / "many.duckdb")


def test_ingest_with_two_workers_stores_what_one_process_stores(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for doc, text in WRITTEN.items():
        (folder / f"{doc}.txt").write_text(text, encoding="utf-8")
    runner = CliRunner()
    for name, workers in (("one", "1"), ("two", "2")):
        result = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / f"{name}.duckdb"), "--workers", workers])
        assert result.exit_code == 0, result.output
        assert "4 new article(s)" in result.stdout
    articles_one, records_one = _tables(tmp_path / "one.duckdb")
    articles_two, records_two = _tables(tmp_path / "two.duckdb")
    assert records_one == records_two
    assert [row[:3] for row in articles_one] == [row[:3] for row in articles_two]


def test_ingest_skips_stored_articles_before_extraction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for doc, text in WRITTEN.items():
        (folder / f"{doc}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "t.duckdb"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(folder), "--db", str(db)]).exit_code == 0
    (folder / "moi.txt").write_text(WRITTEN["xa-tan-lap"].replace("512", "498"), encoding="utf-8")
    extracted: list[str] = []
    monkeypatch.setattr(batch, "annotate", lambda article: extracted.append(article.doc) or annotate(article))
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert extracted == ["moi"]
    assert "1 new article(s)" in result.stdout
    assert "4 unchanged, 0 failed; 4 record(s) written" in " ".join(result.stdout.split())


def _alive(pid: int) -> bool:
    try:
        return not Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    """Live child processes of `pid`, read from /proc."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid) and not fields.get("State", "").startswith("Z"):
            found.append(int(status.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc to find the workers")
def test_workers_leave_when_the_parent_is_killed(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    text = next(iter(_articles())).text
    for i in range(2000):
        (tmp_path / f"a{i}.txt").write_text(f"{text}\nBài {i}.\n", encoding="utf-8")
    parent = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "extract", str(tmp_path), "--workers", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(workers := _children(parent.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(workers) >= 2, "the pool did not start"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)]
