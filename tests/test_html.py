"""HTML pages to articles: decoding (declared, meta, BOM, fallback), main text and metadata."""

import codecs
import unicodedata
from datetime import date

import pytest

from corpus.html import decode_html, html_fragment_text, meta_charset, read_html
from schemas.errors import InputError
from tests.local_web import FIXTURES, to_windows_1258

SENTENCE = "Đảng bộ xã kết nạp 12 đảng viên mới, đạt 120% chỉ tiêu."


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><p>{body}</p></body></html>"


# (bytes, charset declared by HTTP, expected text) — the decoder must reach the same NFC string.
DECODING = [
    (page(SENTENCE).encode("utf-8"), None, page(SENTENCE)),
    (page(SENTENCE).encode("utf-8"), "utf-8", page(SENTENCE)),
    (to_windows_1258(page(SENTENCE)), "windows-1258", page(SENTENCE)),
    (to_windows_1258(page(SENTENCE, '<meta charset="windows-1258">')), None, page(SENTENCE, '<meta charset="windows-1258">')),
    # The header is wrong (claims UTF-8), the page's own meta is right.
    (
        to_windows_1258(page(SENTENCE, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">')),
        "utf-8",
        page(SENTENCE, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'),
    ),
    # A BOM outranks any declaration.
    (codecs.BOM_UTF8 + page(SENTENCE).encode("utf-8"), "windows-1258", page(SENTENCE)),
    # WHATWG: a page labelled latin-1 is windows-1252 (curly quotes at 0x93/0x94).
    (page("\u201cTin vắn\u201d").replace("ắ", "a").encode("cp1252"), "iso-8859-1", page("\u201cTin van\u201d")),
    # Unknown label: ignored, UTF-8 still tried.
    (page(SENTENCE).encode("utf-8"), "x-no-such-charset", page(SENTENCE)),
]


@pytest.mark.parametrize(("data", "declared", "expected"), DECODING)
def test_decode_html(data: bytes, declared: str | None, expected: str) -> None:
    text = decode_html(data, source="test.html", declared=declared).text
    assert text == unicodedata.normalize("NFC", expected)


def test_windows_1258_decodes_to_precomposed_nfc() -> None:
    data = to_windows_1258("Hội Cựu chiến binh")
    assert len(data) > len("Hội Cựu chiến binh".encode("cp1258", errors="ignore"))  # tones are separate bytes
    text = decode_html(data, source="x", declared="windows-1258").text
    assert text == "Hội Cựu chiến binh"
    assert unicodedata.is_normalized("NFC", text)
    assert not any(unicodedata.combining(c) for c in text)


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (b'<meta charset="windows-1258">', "windows-1258"),
        (b"<meta charset=utf-8>", "utf-8"),
        (b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=ISO-8859-1">', "ISO-8859-1"),
        ('<meta name="description" content="Tin tức">'.encode(), None),
        (b"", None),
    ],
)
def test_meta_charset(head: bytes, charset: str | None) -> None:
    assert meta_charset(b"<html><head>" + head + b"</head><body></body></html>") == charset


def test_read_html_main_text_and_metadata() -> None:
    data = (FIXTURES / "ket-nap-dang-vien.html").read_bytes()
    article = read_html(data, source="pages/ket-nap-dang-vien.html", doc="ket-nap-dang-vien", url="https://example.vn/a.html")
    assert article.doc == "ket-nap-dang-vien"
    assert article.source == "pages/ket-nap-dang-vien.html"
    assert article.url == "https://example.vn/a.html"
    assert article.title == "Huyện Đà Bắc kết nạp 74 đảng viên mới trong 6 tháng đầu năm"
    assert article.published == date(2024, 7, 12)
    assert article.outlet == "Báo Hòa Bình điện tử"
    assert article.author == "Minh Khuê"
    assert article.text.startswith(article.title + "\n\n")
    assert "Đảng bộ huyện có 41 tổ chức cơ sở đảng với tổng số 3.265 đảng viên." in article.text
    assert "kết nạp ít nhất 120 đảng viên" in article.text
    for furniture in ("Trang chủ", "Tin liên quan", "Giấy phép"):
        assert furniture not in article.text
    assert unicodedata.is_normalized("NFC", article.text)


def test_read_html_puts_the_title_first_once() -> None:
    data = (FIXTURES / "thanh-lap-cong-doan.html").read_bytes()
    article = read_html(data, source="p.html", doc="p")
    assert article.text.count("Liên đoàn Lao động tỉnh thành lập mới 15 công đoàn cơ sở") == 1
    assert article.text.startswith("Liên đoàn Lao động tỉnh thành lập mới 15 công đoàn cơ sở\n\nTừ đầu năm đến nay")
    # Paragraphs are separated by one blank line, as in .txt articles.
    assert "vượt 17% kế hoạch năm. Phần lớn" in article.text
    assert "khu kinh tế cửa khẩu.\n\nToàn tỉnh hiện có 1.086 công đoàn cơ sở" in article.text


def test_page_without_article_text_is_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        read_html(b"<html><body><nav><a href='/'>Trang ch\xe1\xbb\xa7</a></nav></body></html>", source="empty.html", doc="empty")
    assert caught.value.source == "empty.html"
    assert caught.value.problem == "no article text found in the page (only 9 characters of main text)"


def test_html_fragment_text_keeps_paragraphs() -> None:
    fragment = "<p>Chi hội có <b>38</b> hội viên.</p>\n<p>Kết nạp 5 hội viên mới.</p>"
    assert html_fragment_text(fragment) == "Chi hội có 38 hội viên.\n\nKết nạp 5 hội viên mới."
