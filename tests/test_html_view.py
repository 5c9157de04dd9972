"""`thongke annotate --format html`: the page a reviewer opens, checked in headless Chromium at phone width."""

import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.nlp.annotate import annotate_with_docs
from pipeline.cli import app
from pipeline.views.article_page import article_doc
from schemas import Article
from tests.browser import chromium, console_errors, external_resources, open_page  # noqa: F401  (chromium is a fixture)

ARTICLES = {
    "nghe-an": (
        "Nghệ An: kết nạp đảng viên vượt chỉ tiêu\n\n"
        "Năm 2023, Đảng bộ tỉnh Nghệ An kết nạp 1.250/1.100 đảng viên mới, vượt 13,6% chỉ tiêu; "
        "toàn tỉnh có 2.104 tổ chức cơ sở đảng với 152.300 đảng viên.\n"
        "Dịp này, các chi bộ đã hỗ trợ gần 300 hộ gia đình sửa nhà.\n"
    ),
    "ha-giang": (
        "Hà Giang chú trọng phát triển đảng viên ở vùng cao\n\n"
        "Trong năm 2023, Đảng bộ tỉnh Hà Giang kết nạp 512 đảng viên. Hiện toàn tỉnh có 61.800 đảng viên.\n"
    ),
    "tuyen-quang": (
        "Công đoàn Tuyên Quang lớn mạnh\n\n"
        "Liên đoàn Lao động tỉnh Tuyên Quang hiện có 72.400 đoàn viên công đoàn, "
        "năm qua thành lập mới 35 công đoàn cơ sở.\n"
    ),
}

# figure as written → words its label must carry (subject · measure · value), from the meaning of the sentence
LABELS = [
    ("nghe-an", "1.250/1.100", ["đảng viên", "kết nạp", "1.250", "chỉ tiêu 1.100"]),
    ("nghe-an", "13,6%", ["đảng viên", "vượt", "13,6%"]),
    ("nghe-an", "2.104", ["tổ chức đảng", "số lượng", "2.104"]),
    ("nghe-an", "152.300", ["đảng viên", "số lượng", "152.300"]),
    ("ha-giang", "512", ["đảng viên", "kết nạp", "512"]),
    ("ha-giang", "61.800", ["đảng viên", "số lượng", "61.800"]),
    ("tuyen-quang", "72.400", ["đoàn viên công đoàn", "số lượng", "72.400"]),
    ("tuyen-quang", "35", ["công đoàn cơ sở", "thành lập", "35"]),
]
PASSED_OVER = [("nghe-an", "gần 300")]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, chromium: Path) -> dict[str, tuple[str, object]]:  # noqa: F811
    """Each article written to disk, rendered with the CLI, and opened in the browser."""
    root = tmp_path_factory.mktemp("html_view")
    result = {}
    for name, text in ARTICLES.items():
        source, page = root / f"{name}.txt", root / f"{name}.html"
        source.write_text(text, encoding="utf-8")
        run = CliRunner().invoke(app, ["annotate", str(source), "--format", "html", "-o", str(page)])
        assert run.exit_code == 0, run.output
        workdir = root / f"{name}-browser"
        workdir.mkdir()
        result[name] = (page.read_text(encoding="utf-8"), open_page(chromium, page, workdir))
    return result


TOKEN = '<span style="font-weight: bold; display: inline-block; position: relative;'


def _labels(dom: str) -> list[str]:
    """The visible text of displaCy's span labels (the inner boxes holding the label text)."""
    boxes = re.findall(r'z-index: 10;[^>]*>(.*?)</span>', dom, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", box)).split()) for box in boxes]


def _labels_at(dom: str, word: str) -> list[str]:
    """Labels of the spans that start at a highlighted token with this text."""
    found = []
    for block in dom.split(TOKEN)[1:]:
        text = html.unescape(block.split(">", 1)[1].split("<", 1)[0]).strip()
        if text == word:
            found.extend(_labels(block))
    return found


def _first_token(figure: str) -> str:
    """Spans are drawn from their first token; figures are split at '/', '%' and spaces."""
    return re.match(r"\w+(?:[.,]\w+)*", figure).group()


@pytest.mark.parametrize(("name", "figure", "words"), LABELS)
def test_each_statistic_is_highlighted_with_its_label(pages, name: str, figure: str, words: list[str]) -> None:
    _, rendered = pages[name]
    labels = _labels_at(rendered.dom, _first_token(figure))
    assert any(all(word in label for word in words) for label in labels), labels


@pytest.mark.parametrize(("name", "figure"), PASSED_OVER)
def test_numbers_passed_over_are_shown_grey(pages, name: str, figure: str) -> None:
    _, rendered = pages[name]
    assert "bỏ qua" in _labels_at(rendered.dom, _first_token(figure))
    assert 'background: #bdbdbd' in rendered.dom


def test_subject_words_are_shown_under_the_statistics(pages) -> None:
    _, rendered = pages["tuyen-quang"]
    assert "đoàn viên công đoàn" in _labels(rendered.dom)


def test_header_and_records_table(pages) -> None:
    _, rendered = pages["nghe-an"]
    header = rendered.dom.split("</header>")[0]
    assert "Nghệ An: kết nạp đảng viên vượt chỉ tiêu" in header
    assert re.search(r"<dt>Tỉnh \(63 cũ\)</dt><dd>Nghệ An</dd>", header)
    rows = re.findall(r'<tr id="ban-ghi-(\d+)">(.*?)</tr>', rendered.dom, re.S)
    marked = {re.search(r"<mark>(.*?)</mark>", row).group(1) for _, row in rows}
    assert {"1.250/1.100", "13,6%", "2.104", "152.300"} <= marked
    assert "gần 300" not in marked


def test_labels_link_to_their_table_rows(pages) -> None:
    _, rendered = pages["nghe-an"]
    targets = set(re.findall(r'href="#(ban-ghi-\d+)"', rendered.dom))
    rows = set(re.findall(r'<tr id="(ban-ghi-\d+)"', rendered.dom))
    assert targets and targets == rows


@pytest.mark.parametrize("name", list(ARTICLES))
def test_page_is_self_contained_and_error_free(pages, name: str) -> None:
    source, rendered = pages[name]
    assert external_resources(source) == []
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in source
    assert '<html lang="vi">' in source
    assert console_errors(rendered) == []
    assert rendered.screenshot.stat().st_size > 10_000


def test_article_doc_keeps_the_text_and_offsets() -> None:
    article = Article(doc="nghe-an", text=ARTICLES["nghe-an"], source="nghe-an.txt")
    result, items = annotate_with_docs(article)
    doc = article_doc(article.text, items)
    assert doc.text == article.text
    statistics = {(s.start_char, s.end_char) for s in doc.spans["statistics"]}
    for record in result.records:
        span = doc.char_span(record.start, record.end)
        assert span is not None and span.text == record.text
        assert (record.start, record.end) in statistics
