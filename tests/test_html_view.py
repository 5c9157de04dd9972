"""`thongke annotate --format html`: the page a reviewer opens, checked in headless Chromium at phone and desktop width."""

import html
import re
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.views.article_page import article_page, render_article
from schemas import AnnotatedArticle, Article, Level, Measure, Qualifier, StatisticRecord, Subject
from tests.browser import PHONE, chromium, console_errors, external_resources, measure_page, open_page, overlapping  # noqa: F401

DESKTOP = (1280, 900)
MARKS = ".tag, .text mark"  # every figure, label, passed-over number and subject word drawn over the text

ARTICLES = {
    "nghe-an": (
        "Nghệ An: kết nạp đảng viên vượt chỉ tiêu\n\n"
        "Năm 2023, Đảng bộ tỉnh Nghệ An kết nạp 1.250/1.100 đảng viên mới, vượt 13,6% chỉ tiêu; "
        "toàn tỉnh có 2.104 tổ chức cơ sở đảng với 152.300 đảng viên.\n"
        "Dịp này, các chi bộ đã hỗ trợ gần 300 hộ gia đình sửa nhà.\n"
        "6 tháng đầu năm 2024, Đảng bộ huyện Yên Thành bồi dưỡng cho từ 80 đến 100 quần chúng ưu tú, "
        "kết nạp khoảng 45 đảng viên.\n"
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
def pages(tmp_path_factory: pytest.TempPathFactory, chromium: Path) -> dict[str, tuple[str, object, dict]]:  # noqa: F811
    """Each article written to disk, rendered with the CLI, opened in the browser and measured at both widths."""
    root = tmp_path_factory.mktemp("html_view")
    result = {}
    for name, text in ARTICLES.items():
        source, page = root / f"{name}.txt", root / f"{name}.html"
        source.write_text(text, encoding="utf-8")
        run = CliRunner().invoke(app, ["annotate", str(source), "--format", "html", "-o", str(page)])
        assert run.exit_code == 0, run.output
        workdir = root / f"{name}-browser"
        workdir.mkdir()
        layouts = {size: measure_page(chromium, page, workdir, MARKS, size) for size in (PHONE, DESKTOP)}
        result[name] = (page.read_text(encoding="utf-8"), open_page(chromium, page, workdir), layouts)
    return result


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _labels_at(dom: str, figure: str) -> list[str]:
    """The labels drawn right after a statistic's figure written as `figure`."""
    found = []
    for mark, tags in re.findall(r'<mark class="statistic"[^>]*>(.*?)</mark>((?:<a class="tag".*?</a>)+)', dom, re.S):
        if _text(mark) == figure:
            found.extend(" ".join(_text(tag).split()) for tag in re.findall(r'<a class="tag".*?</a>', tags, re.S))
    return found


@pytest.mark.parametrize(("name", "figure", "words"), LABELS)
def test_each_statistic_is_highlighted_with_its_label(pages, name: str, figure: str, words: list[str]) -> None:
    _, rendered, _ = pages[name]
    labels = _labels_at(rendered.dom, figure)
    assert any(all(word in label for word in words) for label in labels), labels


@pytest.mark.parametrize(("name", "figure"), PASSED_OVER)
def test_numbers_passed_over_are_shown_grey(pages, name: str, figure: str) -> None:
    _, rendered, _ = pages[name]
    assert re.search(rf'<mark class="passed" style="background: #bdbdbd" title="bỏ qua">{figure}</mark>', rendered.dom)


def test_subject_words_are_tinted_and_named(pages) -> None:
    _, rendered, _ = pages["tuyen-quang"]
    assert re.search(r'<mark class="subject" style="background: #1f6fb2\w*" title="đoàn viên công đoàn">', rendered.dom)


@pytest.mark.parametrize("name", list(ARTICLES))
def test_the_article_keeps_its_own_spacing(pages, name: str) -> None:
    """With the labels taken out, the drawn paragraphs are the article's lines exactly as written."""
    _, rendered, _ = pages[name]
    body = rendered.dom.split('<div class="text">', 1)[1].split("</div>", 1)[0]
    body = re.sub(r'<a class="tag".*?</a>', "", body, flags=re.S)
    drawn = [_text(p) for p in re.findall(r"<p>(.*?)</p>", body, re.S)]
    assert drawn == [line for line in ARTICLES[name].split("\n") if line.strip()]


def test_header_and_records_table(pages) -> None:
    _, rendered, _ = pages["nghe-an"]
    header = rendered.dom.split("</header>")[0]
    assert "Nghệ An: kết nạp đảng viên vượt chỉ tiêu" in header
    assert re.search(r"<dt>Tỉnh \(63 cũ\)</dt><dd>Nghệ An</dd>", header)
    rows = re.findall(r'<tr id="ban-ghi-(\d+)">(.*?)</tr>', rendered.dom, re.S)
    marked = {re.search(r"<mark>(.*?)</mark>", row).group(1) for _, row in rows}
    assert {"1.250/1.100", "13,6%", "2.104", "152.300"} <= marked
    assert "gần 300" not in marked


def _cells(dom: str, figure: str) -> dict[str, str]:
    """The cells of the table row of the figure written as `figure`, by column label."""
    for row in re.findall(r'<tr id="ban-ghi-\d+">(.*?)</tr>', dom, re.S):
        cells = dict(re.findall(r'<td[^>]*data-label="([^"]+)"[^>]*>(.*?)</td>', row, re.S))
        if _text(cells["Số liệu"]) == figure:
            return {label: _text(cell) for label, cell in cells.items()}
    raise AssertionError(f"no row for {figure}")


def test_table_shows_range_qualifier_scope_and_months(pages) -> None:
    _, rendered, _ = pages["nghe-an"]
    trained = _cells(rendered.dom, "80 đến 100")
    assert trained["Giá trị"] == "từ 80–100"
    assert trained["Thời gian"] == "tháng 1–6/2024"
    assert trained["Phạm vi"] == "Đảng bộ huyện Yên Thành"
    assert _cells(rendered.dom, "khoảng 45")["Giá trị"] == "khoảng 45"
    assert _cells(rendered.dom, "1.250/1.100")["Giá trị"] == "1.250 / chỉ tiêu 1.100"
    assert _cells(rendered.dom, "152.300")["Thời gian"] == "2023"


def test_table_shows_the_level_and_a_period_across_years() -> None:
    text = "Nhiệm kỳ 2020–2025, Đảng bộ xã Hưng Lộc kết nạp 64 đảng viên."
    record = StatisticRecord(value=64, subject=Subject.party_member, measure=Measure.admitted, qualifier=Qualifier.exact,
                             year_start=2020, year_end=2025, month_start=7, month_end=6, scope="Đảng bộ xã Hưng Lộc",
                             level=Level.commune, text="64", start=text.index("64"), end=text.index("64") + 2, sentence=text)
    article = Article(doc="hung-loc", text=text, source="hung-loc.txt")
    page = article_page(AnnotatedArticle(doc="hung-loc", article=article, records=[record]), [])
    cells = _cells(page, "64")
    assert cells["Cấp"] == "cấp xã"
    assert cells["Thời gian"] == "7/2020–6/2025"


def test_labels_link_to_their_table_rows(pages) -> None:
    _, rendered, _ = pages["nghe-an"]
    targets = set(re.findall(r'<a class="tag" href="#(ban-ghi-\d+)"', rendered.dom))
    rows = set(re.findall(r'<tr id="(ban-ghi-\d+)"', rendered.dom))
    assert targets and targets == rows


@pytest.mark.parametrize("name", list(ARTICLES))
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_label_covers_another_and_no_sideways_scroll(pages, name: str, size: tuple[int, int]) -> None:
    _, _, layouts = pages[name]
    layout = layouts[size]
    assert len({box.element for box in layout.boxes}) >= 4
    assert overlapping(layout.boxes) == []
    assert layout.scroll_width <= size[0]


@pytest.mark.parametrize("name", list(ARTICLES))
def test_page_is_self_contained_and_error_free(pages, name: str) -> None:
    source, rendered, _ = pages[name]
    assert external_resources(source) == []
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in source
    assert '<html lang="vi">' in source
    assert console_errors(rendered) == []
    assert rendered.screenshot.stat().st_size > 10_000


def test_drawing_a_page_warns_of_nothing() -> None:
    article = Article(doc="nghe-an", text=ARTICLES["nghe-an"], source="nghe-an.txt")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_article(article)
    assert [str(w.message) for w in caught] == []
