"""The report's charts as a reader sees them in Chromium: order, bar widths, heights, colours per year, page size."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from pipeline.views import report as report_module
from pipeline.views.pages import vietnamese_key
from schemas import AnnotatedArticle, Article, Level, Measure, StatisticRecord, Subject
from tests.browser import PHONE, chromium, measure_page  # noqa: F401  (chromium is a fixture)
from tests.report_pages import write_report

DESKTOP = (1280, 900)
# (province, province_2025, year, subject, measure, value): invented figures, one article each.
# Bắc Giang and Bình Thuận tie, so their order is the alphabet's; Phú Thọ's 42 is a sliver next to 225.000.
FIGURES = [
    ("Thanh Hóa", "Thanh Hóa", 2019, "party_member", "count", 225000),
    ("Bình Thuận", "Lâm Đồng", 2022, "party_member", "count", 5136),
    ("Bắc Giang", "Bắc Ninh", 2022, "party_member", "count", 5136),
    ("Hà Nội", "Hà Nội", 2023, "party_member", "count", 1315),
    ("Phú Thọ", "Phú Thọ", 2024, "party_member", "count", 42),
    ("Nghệ An", "Nghệ An", 2022, "party_member", "admitted", 3412),
    ("Nghệ An", "Nghệ An", 2023, "party_member", "admitted", 612),
    ("Lạng Sơn", "Lạng Sơn", 2018, "party_member", "admitted", 118),
]
LATEST_ORDER = ["Thanh Hóa", "Bắc Giang", "Bình Thuận", "Hà Nội", "Phú Thọ"]


def _article(n: int, province: str, new: str, year: int, subject: str, measure: str, value: int) -> AnnotatedArticle:
    figure = f"{value:,}".replace(",", ".")
    text = f"Năm {year}, toàn tỉnh {province} có {figure} đảng viên."
    start = text.index(figure)
    record = StatisticRecord(value=value, subject=Subject(subject), measure=Measure(measure), province=province,
                             province_2025=new, level=Level.province, year_start=year, year_end=year,
                             text=figure, start=start, end=start + len(figure), sentence=text)
    article = Article(doc=f"bai-{n}", text=text, source=f"bai-{n}.txt", title=f"Bài {n}", published=date(year + 1, 1, 5),
                      province=province, province_2025=new)
    return AnnotatedArticle(doc=article.doc, article=article, records=[record])


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(tmp_path_factory.mktemp("report_charts"), (_article(n, *f) for n, f in enumerate(FIGURES, 1)))


@pytest.fixture(scope="module")
def layouts(page: Path, chromium: Path) -> dict:  # noqa: F811
    chart = "#chart-latest-party_member-63"
    selector = f"{chart} .ytick text, {chart} g.point path, #chart-admitted-63 g.point path, {chart} .main-svg"
    return {size: measure_page(chromium, page, page.parent / "browser", selector, size) for size in (PHONE, DESKTOP)}


def test_vietnamese_order_of_names() -> None:
    names = ["Bình Thuận", "Bắc Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Đà Nẵng", "Cà Mau", "Điện Biên", "Hải Phòng", "Hà Nội"]
    assert sorted(names, key=vietnamese_key) == [
        "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bình Thuận", "Cà Mau", "Đà Nẵng", "Điện Biên", "Hà Nội", "Hải Phòng"]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_bars_read_largest_first_with_ties_in_vietnamese_order(layouts, size) -> None:
    ticks = sorted((b for b in layouts[size].boxes if b.text in LATEST_ORDER), key=lambda b: b.top)
    assert [b.text for b in ticks] == LATEST_ORDER


def test_the_table_follows_the_chart(page: Path) -> None:
    panel = page.read_text(encoding="utf-8").split('data-chart="latest-party_member" data-level="63"', 2)[2]
    places = re.findall(r'<tr id="[^"]+">\s*<td>(.*?)</td>', panel.split("</table>", 1)[0])
    assert places == LATEST_ORDER


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_bar_is_visible_and_rows_fit_the_chart(layouts, size) -> None:
    layout = layouts[size]
    bars = [b for b in layout.boxes if not b.text and b.bottom - b.top < 100]
    assert len(bars) == len(FIGURES)
    assert min(b.drawn_width for b in bars) >= 3  # Phú Thọ's 42 next to Thanh Hóa's 225.000
    assert all(10 <= b.bottom - b.top <= 40 for b in bars)
    chart = max(layout.boxes, key=lambda b: b.bottom - b.top)  # the plot's own <svg>
    assert chart.bottom - chart.top <= 100 + 45 * len(LATEST_ORDER)  # five rows: no 1,800 px chart
    assert layout.scroll_width <= size[0]


def _traces(source: str, chart: str) -> list[dict]:
    script = source.split(f'"chart-{chart}"', 2)[2]
    return json.loads(re.search(r",\s*(\[.*?\]),\s*\{", script, re.S).group(1))


def test_one_colour_per_year_with_its_legend(page: Path) -> None:
    source = page.read_text(encoding="utf-8")
    colours: dict[str, set[str]] = {}
    for chart in ("latest-party_member-63", "admitted-63"):
        for trace in _traces(source, chart):
            colours.setdefault(trace["name"], set()).add(trace["marker"]["color"])
    assert set(colours) == {"2018", "2019", "2022", "2023", "2024"}
    assert all(len(c) == 1 for c in colours.values())  # a year keeps its colour in every chart
    assert len({c for cs in colours.values() for c in cs}) == len(colours)  # and no two years share one
    admitted = _traces(source, "admitted-63")
    assert sorted(t["name"] for t in admitted if t.get("showlegend", True)) == ["2018", "2022", "2023"]


def test_page_carries_the_basic_plotly_bundle(page: Path) -> None:
    source = page.read_text(encoding="utf-8")
    assert "plotly.js (basic - minified)" in source
    assert len(source.encode("utf-8")) < 1_500_000  # the full bundle alone is 4.8 MB


def test_a_different_plotly_release_gets_its_own_full_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_module, "get_plotlyjs_version", lambda: "0.0.1")
    monkeypatch.setattr(report_module, "get_plotlyjs", lambda: "/* full bundle */")
    assert report_module.plotly_bundle() == "/* full bundle */"
