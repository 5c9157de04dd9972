"""Corpus-level checks of the bundled samples and their hand gold; no extractor needed.

The gold (tests/fixtures/samples_gold.jsonl) is what the extractor is measured
against on text that is not the seeds, so its shape and its coverage of codes,
provinces and years are checked here.
"""

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from schemas.codes import Measure, Qualifier, Subject, Unit

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLD = FIXTURES / "samples_gold.jsonl"
PROVINCES = ROOT.parent / "shared" / "reference" / "provinces.json"

SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))
GOLD_DOCS = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
RECORDS = [(d["doc"], r) for d in GOLD_DOCS for r in d["records"]]
MERGER = date(2025, 7, 1)

REQUIRED_SUBJECTS = {s.value for s in Subject} - {Subject.other.value}
REQUIRED_MEASURES = {m.value for m in Measure}


def article(doc: str) -> str:
    return (SAMPLES / f"{doc}.txt").read_text(encoding="utf-8")


def record_id(item: tuple[str, dict]) -> str:
    doc, rec = item
    return f"{doc[:2]}:{rec['text']}@{rec.get('start')}"


def gold_years() -> set[int]:
    return {y for _, r in RECORDS for y in (r["year_start"], r["year_end"]) if y is not None}


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_is_nonempty_utf8_nfc(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    assert text.strip()
    assert not text.startswith("\ufeff")
    assert unicodedata.is_normalized("NFC", text)
    assert 1500 <= len(text) <= 5000
    assert re.fullmatch(r"\d{2}_[a-z0-9-]+\.txt", path.name)


def test_there_are_fourteen_samples() -> None:
    assert len(SAMPLE_FILES) == 14


def test_gold_covers_every_sample_once() -> None:
    docs = [d["doc"] for d in GOLD_DOCS]
    assert sorted(docs) == sorted(p.stem for p in SAMPLE_FILES)
    assert all(d["records"] for d in GOLD_DOCS)


@pytest.mark.parametrize("item", RECORDS, ids=record_id)
def test_gold_record_text_is_in_its_article(item: tuple[str, dict]) -> None:
    doc, rec = item
    text = article(doc)
    assert rec["text"] in text
    assert text[rec["start"]:rec["end"]] == rec["text"]


@pytest.mark.parametrize("item", RECORDS, ids=record_id)
def test_gold_record_uses_the_codes(item: tuple[str, dict]) -> None:
    _, rec = item
    assert rec["subject"] in {s.value for s in Subject}
    assert set(rec.get("subject_alt", [])) <= {s.value for s in Subject} - {rec["subject"]}
    assert rec["measure"] in {m.value for m in Measure}
    assert rec["qualifier"] in {q.value for q in Qualifier}
    assert rec["unit"] in {u.value for u in Unit}


@pytest.mark.parametrize("item", RECORDS, ids=record_id)
def test_gold_record_is_consistent(item: tuple[str, dict]) -> None:
    _, rec = item
    assert (rec["high"] is not None) == (rec["qualifier"] == "range")
    if rec["high"] is not None:
        assert rec["high"] > rec["value"]
    if rec["target"] is not None:
        assert "/" in rec["text"]
    assert (rec["unit"] == "percent") == ("%" in rec["text"] or "nửa" in rec["text"])
    start, end = rec["year_start"], rec["year_end"]
    assert (start is None) == (end is None)
    if start is not None:
        assert 2010 <= start <= end <= 2027


def test_gold_spans_provinces_and_years() -> None:
    provinces = {r["province"] for _, r in RECORDS} - {None}
    assert len(provinces) >= 8
    assert len(gold_years()) >= 5


def test_gold_has_every_subject_and_measure() -> None:
    assert REQUIRED_SUBJECTS <= {r["subject"] for _, r in RECORDS}
    assert REQUIRED_MEASURES <= {r["measure"] for _, r in RECORDS}


def test_gold_has_the_hard_article_kinds() -> None:
    no_province = [d for d in GOLD_DOCS if d["province"] is None]
    assert no_province and all(r["province"] is None for d in no_province for r in d["records"])
    assert any(len({r["province"] for r in d["records"]} - {None}) >= 2 for d in GOLD_DOCS)
    after_merger = [d for d in GOLD_DOCS if d["published"] and date.fromisoformat(d["published"]) >= MERGER]
    assert any("(cũ)" in article(d["doc"]) and "(mới)" in article(d["doc"]) for d in after_merger)


def test_gold_provinces_are_pre_2025_names() -> None:
    if not PROVINCES.exists():
        pytest.skip("../shared/reference is not available")
    names = {p["name"] for p in json.loads(PROVINCES.read_text(encoding="utf-8"))}
    used = {d["province"] for d in GOLD_DOCS} | {r["province"] for _, r in RECORDS}
    assert used - {None} <= names


EDGE_CASES = [
    # (file, is valid UTF-8, NFC once decoded, has text)
    ("empty.txt", True, True, False),
    ("blank.txt", True, True, False),
    ("binary.txt", False, None, None),
    ("latin1.txt", False, None, None),
    ("bom.txt", True, True, True),
    ("nfd.txt", True, False, True),
]


@pytest.mark.parametrize(("name", "utf8", "nfc", "has_text"), EDGE_CASES)
def test_edge_case_fixture_is_what_it_claims(name: str, utf8: bool, nfc: bool | None, has_text: bool | None) -> None:
    raw = (FIXTURES / "articles" / name).read_bytes()
    if not utf8:
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        return
    text = raw.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text) is nfc
    assert bool(text.strip()) is has_text


def test_edge_case_fixture_bytes() -> None:
    articles = FIXTURES / "articles"
    assert (articles / "empty.txt").stat().st_size == 0
    assert b"\x00" in (articles / "binary.txt").read_bytes()
    assert (articles / "bom.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    latin = (articles / "latin1.txt").read_bytes().decode("cp1258")
    assert "kết nạp" in unicodedata.normalize("NFC", latin)
