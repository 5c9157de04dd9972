"""read_sources: files, folders, stdin, JSON/JSONL, feeds and URLs, end to end on a local server."""

import io
import json
import shutil
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from corpus.fetching import Fetcher, MemoryValidatorCache
from corpus.sources import read_sources, url_doc
from schemas.article import Article
from schemas.errors import InputError
from tests.local_web import FIXTURES, LocalWeb, web  # noqa: F401 (pytest fixture)

RSS = "/feeds/xay-dung-dang.rss"
ATOM = "/feeds/doan-the.atom"


def quick(cache: MemoryValidatorCache | None = None) -> Fetcher:
    return Fetcher(cache=cache, timeout=0.5, backoff=0.01, allow_private=True)


def read(specs: list[str], fetcher: Fetcher | None = None) -> list[Article | InputError]:
    """Read with the given fetcher, or a default one allowed to reach the loopback test server."""
    return list(read_sources(specs, fetcher=fetcher, allow_private=True))


def articles(items: list[Article | InputError]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def errors(items: list[Article | InputError]) -> list[tuple[str, str]]:
    return [(item.source, item.problem) for item in items if isinstance(item, InputError)]


def assert_clean(article: Article) -> None:
    """What every produced article promises."""
    assert article.source
    assert article.doc
    assert unicodedata.is_normalized("NFC", article.text)
    assert article.text.strip()


# ---- doc ids for URLs ----


@pytest.mark.parametrize(
    ("url", "doc"),
    [
        ("https://www.baohoabinh.com.vn/xay-dung-dang/a-1.htm?id=7", "baohoabinh.com.vn_xay-dung-dang_a-1.htm_id_7"),
        ("http://BaoLangSon.vn/cong-doan/", "baolangson.vn_cong-doan"),
        ("https://baodienbienphu.info.vn:8443/tin/12345#binh-luan", "baodienbienphu.info.vn_tin_12345"),
        ("https://bao.vn/%C4%91ang-vien", "bao.vn_C4_91ang-vien"),
    ],
)
def test_url_doc_is_a_safe_stable_slug(url: str, doc: str) -> None:
    assert url_doc(url) == doc


def test_long_url_doc_is_shortened_with_a_hash() -> None:
    long_url = "https://bao.vn/" + "tin-tuc-" * 30
    doc = url_doc(long_url)
    assert len(doc) == 113 and doc.startswith("bao.vn_tin-tuc-tin-tuc")
    assert doc == url_doc(long_url) != url_doc(long_url + "x")


# ---- local files ----

JSONL_LINES = [
    # (line, doc, title, published) for good lines; (line, None, problem, None) for bad ones
    ('{"text": "Kết nạp 9 đảng viên.", "doc": "ba-be-1", "title": "Ba Bể", "published": "2024-02-01"}', "ba-be-1", "Ba Bể", date(2024, 2, 1)),
    ('{"text": "Có 14 chi bộ.", "id": 4411, "published": "2024-02-03T09:15:00+07:00"}', "4411", None, date(2024, 2, 3)),
    ('{"text": "Có 3 công đoàn cơ sở.", "url": "https://bao.vn/a", "outlet": "Báo Bắc Kạn"}', "tin-3", None, None),
    ("", None, None, None),  # blank lines are skipped
    ('{"text": "Thiếu ngoặc"', None, "not valid JSON: Expecting ',' delimiter at column 23", None),
    ('{"title": "Không có nội dung"}', None, "missing field 'text'", None),
    ('{"text": "   "}', None, "text: Value error, is empty", None),
    ('{"text": "Có 5 chi đoàn.", "published": "03/02/2024"}', None, "published: Value error, Invalid isoformat string: '03/02/2024'", None),
    ('["không phải đối tượng"]', None, "expected a JSON object, found list", None),
]


def test_jsonl_reads_good_lines_and_reports_bad_ones_by_line(tmp_path: Path) -> None:
    path = tmp_path / "tin.jsonl"
    path.write_text("\n".join(line for line, *_ in JSONL_LINES) + "\n", encoding="utf-8")
    items = read([str(path)])
    expected_articles = [(doc, title, published) for _, doc, title, published in JSONL_LINES if doc]
    assert [(a.doc, a.title, a.published) for a in articles(items)] == expected_articles
    expected_errors = [(f"{path}:{n}", problem) for n, (_, doc, problem, _) in enumerate(JSONL_LINES, 1) if not doc and problem]
    assert errors(items) == expected_errors
    third = articles(items)[2]
    assert (third.source, third.url, third.outlet) == (f"{path}:3", "https://bao.vn/a", "Báo Bắc Kạn")


def test_jsonl_bad_bytes_spoil_only_their_line(tmp_path: Path) -> None:
    path = tmp_path / "hon-hop.jsonl"
    path.write_bytes(b'{"text": "T\xf4i"}\n' + '{"text": "Hội viên mới: 27."}\n'.encode())
    items = read([str(path)])
    assert errors(items) == [(f"{path}:1", "not UTF-8 text (byte 12)")]
    assert [a.text for a in articles(items)] == ["Hội viên mới: 27."]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"text": "Có 21 chi hội.", "title": "Chi hội"}, [("bai", "bai.json", "Có 21 chi hội.")]),
        (
            [{"text": "Một."}, {"doc": "hai", "text": "Hai."}],
            [("bai-1", "bai.json#1", "Một."), ("hai", "bai.json#2", "Hai.")],
        ),
    ],
)
def test_json_object_or_list(tmp_path: Path, content: object, expected: list[tuple[str, str, str]]) -> None:
    path = tmp_path / "bai.json"
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    got = [(a.doc, a.source.removeprefix(f"{tmp_path}/"), a.text) for a in articles(read([str(path)]))]
    assert got == expected


def test_json_list_with_a_bad_item(tmp_path: Path) -> None:
    path = tmp_path / "ds.json"
    path.write_text('[{"text": "Có 8 tổ hội."}, 17, {"text": "Có 2 chi bộ."}]', encoding="utf-8")
    items = read([str(path)])
    assert [a.doc for a in articles(items)] == ["ds-1", "ds-3"]
    assert errors(items) == [(f"{path}#2", "expected a JSON object, found int")]


def test_json_text_is_nfc(tmp_path: Path) -> None:
    path = tmp_path / "nfd.json"
    decomposed = unicodedata.normalize("NFD", "Đoàn viên ưu tú")
    path.write_text(json.dumps({"text": decomposed, "title": decomposed}, ensure_ascii=False), encoding="utf-8")
    (article,) = articles(read([str(path)]))
    assert article.text == article.title == "Đoàn viên ưu tú"


def test_folder_reads_every_kind_recursively(tmp_path: Path, web: LocalWeb) -> None:
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / "bac-kan.txt").write_text("Huyện kết nạp 15 đảng viên mới.\n", encoding="utf-8")
    shutil.copy(FIXTURES / "ket-nap-dang-vien.html", tmp_path / "da-bac.html")
    (tmp_path / "tin.jsonl").write_text('{"text": "Có 6 chi đoàn.", "doc": "chi-doan"}\n', encoding="utf-8")
    (tmp_path / "doan-the.atom").write_text(web.fixture("doan-the.atom"), encoding="utf-8")
    (tmp_path / "ghi-chu.pdf").write_bytes(b"%PDF")  # not an article kind: ignored inside a folder
    (tmp_path / ".an.txt").write_text("tệp ẩn", encoding="utf-8")
    with quick() as fetcher:
        items = read([str(tmp_path)], fetcher)
    assert errors(items) == []
    docs = [a.doc for a in articles(items)]
    assert docs == [
        "da-bac",
        "127.0.0.1_articles_hoi-vien-phu-nu.html",
        "127.0.0.1_articles_cuu-chien-binh.html",
        "chi-doan",
        "bac-kan",
    ]
    for article in articles(items):
        assert_clean(article)
    assert web.hits("/articles/cuu-chien-binh.html") == []  # its full text came in the feed


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("khong-co.txt", "no such file or folder"),
        ("bao-cao.pdf", "unsupported file type '.pdf' (expected .txt, .html, .htm, .json, .jsonl, .xml, .rss, .atom, .opml)"),
        ("trong/", "the folder holds no article file (.txt, .html, .htm, .json, .jsonl, .xml, .rss, .atom, .opml)"),
        ("hong.rss", "malformed feed: <unknown>:7:2: mismatched tag"),
        ("rong.txt", "the file holds only white space"),
        ("undecodable.txt", "not valid UTF-8 (byte 0x81 at position 1) and no other character encoding fits; save it as UTF-8"),
    ],
)
def test_bad_local_inputs_are_errors(tmp_path: Path, name: str, problem: str) -> None:
    (tmp_path / "bao-cao.pdf").write_bytes(b"%PDF")
    (tmp_path / "trong").mkdir()
    shutil.copy(FIXTURES / "hong.rss", tmp_path / "hong.rss")
    (tmp_path / "rong.txt").write_text(" \n", encoding="utf-8")
    (tmp_path / "undecodable.txt").write_bytes(b"H\x81\x8d\x90i")  # undefined in windows-1258 and 1252 alike
    spec = str(tmp_path / name)
    assert errors(read([spec])) == [(spec, problem)]


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    decomposed = unicodedata.normalize("NFD", "Toàn huyện có 1.204 hội viên.")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(decomposed.encode())))
    (article,) = read(["-"])
    assert (article.doc, article.source, article.text) == ("stdin", "-", "Toàn huyện có 1.204 hội viên.")


# ---- the web ----


def test_article_urls_in_utf8_and_windows_1258(web: LocalWeb) -> None:
    paths = ["/articles/ket-nap-dang-vien.html", "/articles/thanh-lap-cong-doan.html", "/articles/doan-vien-uu-tu.html"]
    with quick() as fetcher:
        items = read([web.url(p) for p in paths], fetcher)
    assert errors(items) == []
    got = {a.url: a for a in articles(items)}
    assert list(got) == [web.url(p) for p in paths]
    expected = [
        # (path, title, published, outlet, a sentence of the body)
        (paths[0], "Huyện Đà Bắc kết nạp 74 đảng viên mới trong 6 tháng đầu năm", date(2024, 7, 12), "Báo Hòa Bình điện tử",
         "Trong số đảng viên mới được kết nạp có 29 đảng viên là người dân tộc thiểu số"),
        # windows-1258 declared only in the HTTP header
        (paths[1], "Liên đoàn Lao động tỉnh thành lập mới 15 công đoàn cơ sở", date(2024, 5, 3), "Báo Lạng Sơn điện tử",
         "Toàn tỉnh hiện có 1.086 công đoàn cơ sở với trên 38 nghìn đoàn viên."),
        # windows-1258 declared only in <meta http-equiv>
        (paths[2], "Tỉnh đoàn giới thiệu 312 đoàn viên ưu tú cho Đảng", date(2024, 3, 26), "Báo Điện Biên Phủ",
         "trong đó 205 đoàn viên đã được kết nạp vào Đảng, chiếm 65,7%."),
    ]
    for path, title, published, outlet, sentence in expected:
        article = got[web.url(path)]
        assert_clean(article)
        assert (article.title, article.published, article.outlet, article.source) == (title, published, outlet, web.url(path))
        assert article.doc == "127.0.0.1_articles_" + path.rsplit("/", 1)[1]
        assert sentence in article.text
        assert not any(unicodedata.combining(c) for c in article.text)


def test_rss_feed_entries_are_fetched_with_feed_metadata(web: LocalWeb) -> None:
    with quick() as fetcher:
        items = read([web.url(RSS)], fetcher)
    assert [(type(i).__name__, getattr(i, "title", None), getattr(i, "published", None)) for i in items] == [
        ("Article", "Huyện Đà Bắc kết nạp 74 đảng viên mới trong 6 tháng đầu năm", date(2024, 7, 12)),
        ("Article", "Liên đoàn Lao động tỉnh thành lập mới 15 công đoàn cơ sở", date(2024, 5, 3)),
        ("Article", "Tỉnh đoàn giới thiệu 312 đoàn viên ưu tú cho Đảng", date(2024, 3, 26)),
        ("InputError", None, None),
    ]
    assert errors(items) == [(web.url("/articles/da-go.html"), "HTTP 404 Not Found")]
    assert [a.outlet for a in articles(items)] == ["Báo Hòa Bình điện tử", "Báo Lạng Sơn điện tử", "Báo Điện Biên Phủ"]
    for article in articles(items):
        assert_clean(article)


def test_atom_feed_served_as_plain_text_is_recognised(web: LocalWeb) -> None:
    with quick() as fetcher:
        items = read([web.url(ATOM)], fetcher)
    assert errors(items) == []
    women, veterans = articles(items)
    assert (women.doc, women.published, women.outlet) == ("127.0.0.1_articles_hoi-vien-phu-nu.html", date(2024, 8, 20), "Báo Hòa Bình điện tử")
    assert "nâng tổng số hội viên toàn huyện lên 21.604 người" in women.text
    # The second entry carries its full text: used as is, its link never fetched; it is stored under its link and id.
    assert veterans.url == web.url("/articles/cuu-chien-binh.html")
    assert veterans.source == veterans.url + "#urn:thongke:test:cuu-chien-binh"
    assert veterans.text.startswith("Hội Cựu chiến binh xã kết nạp 27 hội viên\n\nNăm 2024, Hội Cựu chiến binh xã Tân Lập")
    assert "nâng tổng số hội viên lên 412 người, sinh hoạt ở 9 chi hội." in veterans.text
    assert veterans.published == date(2024, 8, 15)
    assert web.hits("/articles/cuu-chien-binh.html") == []


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/feeds/hong.rss", "malformed feed: <unknown>:7:2: mismatched tag"),
        ("/files/bao-cao.pdf", "not an HTML page or a feed (Content-Type application/pdf)"),
        ("/khong-co", "HTTP 404 Not Found"),
    ],
)
def test_bad_urls_are_errors(web: LocalWeb, path: str, problem: str) -> None:
    with quick() as fetcher:
        assert errors(read([web.url(path)], fetcher)) == [(web.url(path), problem)]


def test_second_poll_fetches_nothing_new(web: LocalWeb) -> None:
    """The validators outlive the Fetcher: a re-poll only asks 'changed?' and hears 304."""
    cache = MemoryValidatorCache()
    feeds = [web.url(RSS), web.url(ATOM)]
    with quick(cache) as fetcher:
        first = read(feeds, fetcher)
    assert len(articles(first)) == 5  # 3 from RSS (and a 404), 2 from Atom
    web.requests.clear()
    with quick(cache) as next_run:
        assert read(feeds, next_run) == []
    assert sorted((r.path, r.conditional, r.status) for r in web.requests) == [(ATOM, True, 304), (RSS, True, 304)]
    # The entries' pages, named directly, are unchanged too.
    web.requests.clear()
    pages = ["/articles/ket-nap-dang-vien.html", "/articles/thanh-lap-cong-doan.html", "/articles/doan-vien-uu-tu.html"]
    with quick(cache) as next_run:
        assert read([web.url(p) for p in pages], next_run) == []
    assert sorted((r.path, r.conditional, r.status) for r in web.requests) == sorted((p, True, 304) for p in pages)


def test_changed_feed_fetches_only_its_new_entry(web: LocalWeb) -> None:
    cache = MemoryValidatorCache()
    with quick(cache) as fetcher:
        read([web.url(RSS)], fetcher)
    feed = web.pages[RSS]
    new_item = f"<item><title>Bài mới</title><link>{web.url('/articles/hoi-vien-phu-nu.html')}</link></item>"
    feed.body = feed.body.replace(b"<item>", new_item.encode() + b"<item>", 1)
    feed.etag = '"rss-2"'
    web.requests.clear()
    with quick(cache) as next_run:
        items = read([web.url(RSS)], next_run)
    assert [a.title for a in articles(items)] == ["Bài mới"]
    answered = {r.path: (r.conditional, r.status) for r in web.requests}
    assert answered == {
        RSS: (True, 200),
        "/articles/hoi-vien-phu-nu.html": (False, 200),
        "/articles/ket-nap-dang-vien.html": (True, 304),
        "/articles/thanh-lap-cong-doan.html": (True, 304),
        "/articles/doan-vien-uu-tu.html": (True, 304),
        "/articles/da-go.html": (False, 404),
    }
