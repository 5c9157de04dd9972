"""Hostile and unusual input: every probe is made here (no large file is checked in) and goes
through `extract` or `ingest`; each must end in records or in one clear line naming the input.

Also a fuzz of `annotate`: whatever the text, no exception and exact offsets.
"""

import codecs
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from typer.testing import CliRunner

from corpus.decoding import decode
from corpus.sources import read_sources
from pipeline.cli import app
from pipeline.nlp.annotate import annotate
from schemas import Article
from tests.local_web import LocalWeb, Page, to_windows_1258, web  # noqa: F401 (pytest fixture)

ROOT = Path(__file__).resolve().parents[1]
THONGKE = [sys.executable, "-c", "from pipeline.cli import main; main()"]
TITLE = "Huyện Đà Bắc kết nạp 74 đảng viên mới"
ARTICLE = (f"{TITLE}\n\nNăm 2023, Đảng bộ huyện Đà Bắc, tỉnh Hòa Bình kết nạp 74 đảng viên mới, đạt 105% chỉ tiêu. "
           "Toàn huyện có 3.120 đảng viên sinh hoạt tại 52 chi bộ.\n")
runner = CliRunner()


def extract(*args: str) -> tuple[int, list[dict], list[str]]:
    """Exit code, the JSON objects printed and the lines of stderr of `thongke extract`."""
    result = runner.invoke(app, ["extract", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr.splitlines()


def exact_offsets(obj: dict, text: str) -> bool:
    return bool(obj["records"]) and all(text[r["start"]:r["end"]] == r["text"] for r in obj["records"])


# ---- decoding ----


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (ARTICLE.encode("utf-16"), "utf-16"),  # Python writes the mark
        (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16"),
        (ARTICLE.encode("utf-32"), "utf-32"),
        (to_windows_1258(ARTICLE), "cp1258"),
    ],
)
def test_text_files_in_other_encodings_read_as_the_same_article(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "bai.txt"
    path.write_bytes(data)
    plain = tmp_path / "plain" / "bai.txt"
    plain.parent.mkdir()
    plain.write_text(ARTICLE, encoding="utf-8")
    code, (obj,), errors = extract(str(path))
    _, (reference,), _ = extract(str(plain))
    assert (code, errors) == (0, [])
    assert obj["article"]["title"] == TITLE  # no "\ufeff" before it
    assert obj["article"]["encoding"] == encoding and reference["article"]["encoding"] is None
    assert obj["records"] == reference["records"]
    assert exact_offsets(obj, ARTICLE)


def test_a_latin_1_file_is_read_as_windows_1252(tmp_path: Path) -> None:
    text = "Hoi nghi tong ket: ket nap 74 dang vien \u00abmoi\u00bb, dat 105% \u2013 nam 2023.\n"
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    (article,) = read_sources([str(tmp_path / "latin.txt")])
    assert isinstance(article, Article)
    assert (article.text, article.encoding) == (text, "cp1252")


def test_decoded_text_is_nfc() -> None:
    decoded = decode(to_windows_1258("Hội Cựu chiến binh"), source="x")
    assert decoded.text == "Hội Cựu chiến binh" and unicodedata.is_normalized("NFC", decoded.text)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (ARTICLE.encode("utf-8"), "text/html; charset=iso-8859-1"),  # says latin-1, is UTF-8
        (ARTICLE.encode("utf-8"), "text/html; charset=windows-1258"),  # says windows-1258, is UTF-8
        (to_windows_1258(ARTICLE), "text/html; charset=utf-8"),  # says UTF-8, is windows-1258
    ],
)
def test_a_wrong_http_charset_is_overruled_by_the_bytes(web: LocalWeb, body: bytes, content_type: str) -> None:
    paragraphs = b"".join(b"<p>" + line + b"</p>" for line in body.splitlines() if line.strip())
    web.pages["/bai.html"] = Page(b"<html><head><title>t</title></head><body><article>" + paragraphs + b"</article></body></html>",
                                  content_type)
    (article,) = read_sources([web.url("/bai.html")], allow_private=True)
    assert isinstance(article, Article)
    assert "Đảng bộ huyện Đà Bắc, tỉnh Hòa Bình kết nạp 74 đảng viên mới" in article.text
    assert annotate(article).records


def deep_page(levels: int, wrapper: tuple[str, str] = ("<div>", "</div>")) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in ARTICLE.splitlines() if line)
    return f"<html><body>{wrapper[0] * levels}{paragraphs}{wrapper[1] * levels}</body></html>".encode()


def test_html_nested_past_the_parser_limit_is_read(tmp_path: Path) -> None:
    (tmp_path / "sau.html").write_bytes(deep_page(400))
    code, (obj,), errors = extract(str(tmp_path / "sau.html"))
    assert (code, errors) == (0, [])
    assert obj["records"]


def test_html_too_deep_to_read_says_why(tmp_path: Path) -> None:
    (tmp_path / "sau.html").write_bytes(deep_page(300, ("<ul><li>", "</li></ul>")))
    code, objects, errors = extract(str(tmp_path / "sau.html"))
    assert (code, objects) == (1, [])
    assert errors == [f"error: {tmp_path / 'sau.html'}: no article text found in the page (only 0 characters of main text); "
                      "the page nests 603 elements deep, past the HTML parser's limit of 250"]  # html, body, 600, p


# ---- folders and names ----


def test_skipped_sub_folders_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bai.txt").write_text(ARTICLE, encoding="utf-8")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    (elsewhere / "khac.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "lien-ket").symlink_to(elsewhere, target_is_directory=True)
    (tmp_path / "khoa").mkdir()
    scandir = os.scandir

    def locked(path: object = ".") -> object:  # tests run as root, for whom no folder is unreadable
        if str(path).endswith("khoa"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", locked)
    code, objects, errors = extract(str(tmp_path))
    assert code == 1 and [o["doc"] for o in objects] == ["bai"]
    assert errors == [f"error: {tmp_path / 'khoa'}: folder skipped: cannot be read (Permission denied)",
                      f"error: {tmp_path / 'lien-ket'}: folder skipped: a symbolic link (name it to read it)"]


def test_escape_sequences_in_file_names_never_reach_the_terminal(tmp_path: Path) -> None:
    name = "bai\x1b]2;pwned\x07\x1b[31m\u202e.txt"
    (tmp_path / name).write_bytes(b"")
    code, _, errors = extract(str(tmp_path))
    assert code == 1
    assert errors == [f"error: {tmp_path}/bai\\x1b]2;pwned\\x07\\x1b[31m\\u202e.txt: the file is empty"]


# ---- limits ----


def test_an_article_over_the_size_limit_is_refused_and_the_limit_is_configurable(tmp_path: Path) -> None:
    (tmp_path / "bai.txt").write_text(ARTICLE, encoding="utf-8")
    size = len(ARTICLE.encode())
    code, objects, errors = extract(str(tmp_path / "bai.txt"), "--max-article-bytes", "100")
    assert (code, objects) == (1, [])
    assert errors == [f"error: {tmp_path / 'bai.txt'}: larger than the limit of 100 bytes ({size} bytes); see --max-article-bytes"]
    code, objects, errors = extract(str(tmp_path / "bai.txt"), "--max-article-bytes", str(size))
    assert (code, len(objects), errors) == (0, 1, [])


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "lon.txt"
    with huge.open("wb") as sparse:  # 3 GB on paper, nothing on disk
        sparse.truncate(3_000_000_000)
    code, objects, errors = extract(str(huge))
    assert (code, objects) == (1, [])
    assert errors == [f"error: {huge}: larger than the limit of 2.0 MB (3000.0 MB); see --max-article-bytes"]


def run_thongke(args: list[str], stdin: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*THONGKE, *args], stdin=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=os.environ | {"PYTHONPATH": str(ROOT)}, check=False)


def test_dev_zero_as_standard_input_is_one_line(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        done = run_thongke(["extract", "-"], zero)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["error: <stdin>: larger than the limit of 2.0 MB; see --max-article-bytes"]


def test_dev_zero_named_as_a_text_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    code, objects, errors = extract(str(tmp_path / "zero.txt"))
    assert (code, objects) == (1, [])
    assert errors == [f"error: {tmp_path / 'zero.txt'}: larger than the limit of 2.0 MB; see --max-article-bytes"]


# ---- JSON ----

JSON_PROBES = [
    ("surrogate", '{"text": "Kết nạp 74 \\ud800 đảng viên mới"}', "text: Value error, holds a lone surrogate (U+D800 at position 11), not text"),
    ("surrogate-title", '{"text": "Kết nạp 74 đảng viên", "title": "\\udfff"}', "title: Value error, holds a lone surrogate (U+DFFF at position 0), not text"),
    ("deep", "[" * 100_000 + "]" * 100_000, "not readable JSON: nested too deeply"),
    ("huge-integer", '{"text": "Kết nạp 74 đảng viên", "doc": ' + "7" * 5000 + "}",
     "not readable JSON: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits"),
]


@pytest.mark.parametrize(("name", "line", "problem"), JSON_PROBES, ids=[p[0] for p in JSON_PROBES])
def test_hostile_json_lines_are_one_line_errors_and_the_rest_is_ingested(tmp_path: Path, name: str, line: str, problem: str) -> None:
    good = json.dumps({"text": ARTICLE, "doc": "tot"}, ensure_ascii=False)
    (tmp_path / "bai.jsonl").write_text(f"{good}\n{line}\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", str(tmp_path / "bai.jsonl"), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"error: {tmp_path / 'bai.jsonl'}:2: {problem}"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT doc FROM articles").fetchall() == [("tot",)]
        assert con.execute("SELECT reason FROM ingest_errors").fetchall() == [(problem,)]


@pytest.mark.parametrize(("name", "line", "problem"), JSON_PROBES[2:], ids=[p[0] for p in JSON_PROBES[2:]])
def test_hostile_json_files_are_one_line_errors(tmp_path: Path, name: str, line: str, problem: str) -> None:
    (tmp_path / "bai.json").write_text(line, encoding="utf-8")
    code, objects, errors = extract(str(tmp_path / "bai.json"))
    assert (code, objects, errors) == (1, [], [f"error: {tmp_path / 'bai.json'}: {problem}"])


# ---- fuzz ----

WORDS = ["đảng viên", "kết nạp", "mới", "hội viên", "đoàn viên", "công đoàn", "cơ sở", "tỉnh", "Hòa Bình", "năm",
         "nhiệm kỳ", "tháng", "đạt", "tăng", "chỉ tiêu", "Đảng bộ", "xã", "huyện", "trên", "gần", "hơn", "nghìn", "triệu"]
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.integers(0, 10**7).map(str),
    st.sampled_from(list(".,%/-()[]") + [" ", " ", "\n", "\n\n", "1.250", "2020-2025", "6/2023", "12,5%"]),
    st.characters(codec=None, exclude_categories=["Cs"]),
    st.characters(categories=["Cs"]),
    st.text(max_size=3),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map(" ".join))
def test_annotate_never_raises_and_offsets_are_exact(text: str) -> None:
    """A lone surrogate never reaches annotate: the Article boundary refuses it (and the readers say so in one line)."""
    if any("\ud800" <= char <= "\udfff" for char in text):
        with pytest.raises(ValidationError, match="holds a lone surrogate"):
            Article(doc="fuzz", text=text, source="-")
        return
    result = annotate(Article(doc="fuzz", text=text, source="-"))
    assert result.article.text == text
    for record in result.records:
        assert text[record.start:record.end] == record.text
