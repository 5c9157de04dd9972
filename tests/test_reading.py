"""Reading articles: bad inputs give one clear error naming the file, never a traceback."""

import unicodedata
from pathlib import Path

import pytest

from corpus.reading import read_text_file
from corpus.sources import read_sources
from schemas import InputError

ARTICLE = "Năm 2023, Đảng bộ xã kết nạp 12 đảng viên mới.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n", "white space"),
        ("binary.txt", bytes(range(256)) * 3, "binary"),
        ("undecodable.txt", b"K\x81t n\x8dp \x90\x9dng", "no other character encoding fits"),
    ],
)
def test_bad_file_names_file_and_problem(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as caught:
        read_text_file(path)
    assert str(path) in str(caught.value)
    assert problem in caught.value.problem


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text_file(tmp_path / "nowhere.txt")


def test_text_is_nfc_and_doc_is_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, "bai-01.txt", unicodedata.normalize("NFD", ARTICLE).encode("utf-8"))
    article = read_text_file(path)
    assert article.doc == "bai-01"
    assert article.text == unicodedata.normalize("NFC", ARTICLE)


def test_batch_reports_bad_file_and_goes_on(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", ARTICLE.encode("utf-8"))
    write(tmp_path, "b.txt", b"")
    write(tmp_path, "c.txt", ARTICLE.replace("12", "7").encode("utf-8"))
    items = list(read_sources([str(tmp_path), str(tmp_path / "missing.txt")]))
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article", "InputError"]
    assert [i.doc for i in items if not isinstance(i, InputError)] == ["a", "c"]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    (items,) = list(read_sources([str(tmp_path)]))
    assert isinstance(items, InputError) and "no article file" in items.problem
