"""`thongke report`: the analysts' page, from a store whose records are written here by hand, checked in Chromium."""

import html
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from schemas import AnnotatedArticle, Article, Measure, StatisticRecord, Subject
from tests.browser import chromium, console_errors, external_resources, open_page  # noqa: F401  (chromium is a fixture)
from tests.report_pages import write_report

# (province, province_2025, published, url, [(sentence, figure as written, value, target, subject, measure, year)])
# Hà Giang and Tuyên Quang merge into Tuyên Quang in 2025; Nghệ An stays as it is.
ARTICLES = [
    ("Nghệ An", "Nghệ An", date(2023, 1, 10), "https://baonghean.example/a1", [
        ("Năm 2022, toàn tỉnh có 150.000 đảng viên.", "150.000", 150000, None, "party_member", "count", 2022),
    ]),
    ("Nghệ An", "Nghệ An", date(2024, 1, 8), "https://baonghean.example/a2", [
        ("Năm 2023, Đảng bộ tỉnh kết nạp 1.250/1.100 đảng viên mới.", "1.250/1.100", 1250, 1100, "party_member", "admitted", 2023),
        ("Toàn tỉnh có 2.104 tổ chức cơ sở đảng với 152.300 đảng viên.", "152.300", 152300, None, "party_member", "count", 2023),
        ("Toàn tỉnh có 2.104 tổ chức cơ sở đảng với 152.300 đảng viên.", "2.104", 2104, None, "party_org", "count", 2023),
    ]),
    ("Nghệ An", "Nghệ An", date(2023, 12, 20), None, [
        ("Ước cả năm 2023 kết nạp 1.200 đảng viên.", "1.200", 1200, None, "party_member", "admitted", 2023),
    ]),
    ("Hà Giang", "Tuyên Quang", date(2024, 2, 1), None, [
        ("Năm 2023, Hà Giang kết nạp 500/400 đảng viên.", "500/400", 500, 400, "party_member", "admitted", 2023),
        ("Hà Giang hiện có 60.000 đảng viên.", "60.000", 60000, None, "party_member", "count", 2023),
        ("Công đoàn tỉnh có 40.000 đoàn viên công đoàn.", "40.000", 40000, None, "union_member", "count", 2023),
    ]),
    ("Tuyên Quang", "Tuyên Quang", date(2024, 2, 3), None, [
        ("Năm 2023, Tuyên Quang kết nạp 700/800 đảng viên.", "700/800", 700, 800, "party_member", "admitted", 2023),
        ("Tuyên Quang hiện có 80.000 đảng viên.", "80.000", 80000, None, "party_member", "count", 2023),
        ("Công đoàn tỉnh có 70.000 đoàn viên công đoàn.", "70.000", 70000, None, "union_member", "count", 2023),
    ]),
    ("Bình Thuận", "Lâm Đồng", date(2024, 2, 5), None, [  # Lâm Đồng took in three old provinces; only this one reports
        ("Toàn tỉnh có 1.100 tổ chức cơ sở đảng.", "1.100", 1100, None, "party_org", "count", 2023),
    ]),
    ("Tuyên Quang", "Tuyên Quang", date(2025, 9, 1), None, [
        ("Sau hợp nhất, Công đoàn tỉnh Tuyên Quang có 120.000 đoàn viên công đoàn.", "120.000", 120000, None, "union_member", "count", 2025),
    ]),
]

# chart → level → place → value shown in its table, worked out by hand from the articles above
EXPECTED = [
    ("latest-party_member", "63", "Nghệ An", "152.300"),  # 2023 figure beats the 2022 one
    ("latest-party_member", "63", "Hà Giang", "60.000"),
    ("latest-party_member", "34", "Tuyên Quang", "140.000"),  # Hà Giang 60.000 + Tuyên Quang 80.000, both before the merger
    ("latest-party_member", "34", "Nghệ An", "152.300"),
    ("latest-party_org", "63", "Nghệ An", "2.104"),
    ("latest-union_member", "63", "Tuyên Quang", "120.000"),
    ("latest-union_member", "63", "Hà Giang", "40.000"),
    ("latest-union_member", "34", "Tuyên Quang", "120.000"),  # a post-merger figure speaks for the whole new unit
    ("admitted", "63", "Nghệ An", "1.250"),  # two reports of 2023: the larger one
    ("admitted", "34", "Tuyên Quang", "1.200"),  # 500 + 700
    ("targets", "63", "Nghệ An", "113,6%"),  # 1.250 / 1.100
    ("targets", "63", "Tuyên Quang", "87,5%"),  # 700 / 800
    ("targets", "34", "Tuyên Quang", "100%"),  # (500 + 700) / (400 + 800)
]


def _article(n: int, province: str, new: str, published: date, url: str | None, facts: list) -> AnnotatedArticle:
    text = "\n".join(dict.fromkeys(sentence for sentence, *_ in facts))
    records = []
    for sentence, figure, value, target, subject, measure, year in facts:
        start = text.index(sentence) + sentence.index(figure)
        records.append(StatisticRecord(
            value=value, target=target, subject=Subject(subject), measure=Measure(measure),
            province=province, province_2025=new, level="province", year_start=year, year_end=year,
            text=figure, start=start, end=start + len(figure), sentence=sentence))
    article = Article(doc=f"bai-{n}", text=text, source=f"bai-{n}.txt", url=url, title=f"Bài {n} về {province}",
                      published=published, province=province, province_2025=new)
    return AnnotatedArticle(doc=article.doc, article=article, records=records)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, chromium: Path) -> tuple[str, object]:  # noqa: F811
    root = tmp_path_factory.mktemp("report")
    page = write_report(root, (_article(n, *spec) for n, spec in enumerate(ARTICLES, 1)))
    workdir = root / "browser"
    workdir.mkdir()
    return page.read_text(encoding="utf-8"), open_page(chromium, page, workdir)


def _panel(dom: str, chart: str, level: str) -> str:
    start = dom.index(f'<div class="panel" data-chart="{chart}" data-level="{level}"')
    return dom[start:dom.index("</table>", start)]


def _row(panel: str, place: str) -> str:
    rows = re.findall(r'<tr id="[^"]+">\s*<td>(.*?)</td>(.*?)</tr>', panel, re.S)
    return next(rest for name, rest in rows if name == place)


@pytest.mark.parametrize(("chart", "level", "place", "value"), EXPECTED)
def test_table_values(report, chart: str, level: str, place: str, value: str) -> None:
    _, rendered = report
    cell = re.search(r'<td class="num">(.*?)(?:<br>|</td>)', _row(_panel(rendered.dom, chart, level), place), re.S)
    assert html.unescape(cell.group(1)).strip() == value


@pytest.mark.parametrize(("chart", "level", "bars"), [
    ("latest-party_member", "63", 3), ("latest-party_member", "34", 2),
    ("admitted", "63", 3), ("admitted", "34", 2),
    ("targets", "63", 3), ("targets", "34", 2),
])
def test_charts_are_drawn_with_one_bar_per_place(report, chart: str, level: str, bars: int) -> None:
    _, rendered = report
    plot = _panel(rendered.dom, chart, level)
    assert 'class="main-svg"' in plot
    assert len(re.findall(r'<g class="point"', plot)) == bars


def test_each_bar_links_to_its_sources(report) -> None:
    _, rendered = report
    row = _row(_panel(rendered.dom, "latest-party_member", "34"), "Tuyên Quang")
    assert "<strong>Hà Giang</strong>" in row and "<mark>60.000</mark>" in row and "<mark>80.000</mark>" in row
    row = _row(_panel(rendered.dom, "latest-party_member", "63"), "Nghệ An")
    assert '<a href="https://baonghean.example/a2">Bài 2 về Nghệ An</a>' in row
    assert "với <mark>152.300</mark> đảng viên." in row


def test_level_switch_and_hidden_second_level(report) -> None:
    source, _ = report
    assert source.count('data-level="34" aria-pressed="false"') == 5
    assert source.count('data-level="34" hidden') == 5


def test_page_is_self_contained_vietnamese_and_error_free(report) -> None:
    source, rendered = report
    assert external_resources(source) == []
    assert '<html lang="vi">' in source and 'name="viewport"' in source
    assert "Kết nạp đảng viên theo năm" in rendered.dom
    assert console_errors(rendered) == []
    assert rendered.screenshot.stat().st_size > 10_000


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, ["report", "--db", str(tmp_path / "none.duckdb")])
    assert run.exit_code == 1
    assert "no such database" in str(run.exception) or "no such database" in run.output


def test_conflicting_figures_are_marked_with_every_value(report) -> None:
    _, rendered = report
    row = _row(_panel(rendered.dom, "admitted", "63"), "Nghệ An")  # 1.250 (latest article) and 1.200 for 2023
    assert "Số liệu lệch: 1.200 · 1.250" in html.unescape(row)
    assert "lệch" not in _row(_panel(rendered.dom, "admitted", "63"), "Hà Giang")


def test_a_new_unit_summing_fewer_old_provinces_than_it_took_in_is_marked(report) -> None:
    _, rendered = report
    assert re.search(r"<td>Lâm Đồng<br><small[^>]*>1/3 tỉnh cũ có số liệu</small></td>", _panel(rendered.dom, "latest-party_org", "34"))
    assert "<td>Tuyên Quang</td>" in _panel(rendered.dom, "latest-party_member", "34")  # both old provinces report


def test_coverage_panel_is_a_province_by_year_grid(report) -> None:
    _, rendered = report
    section = rendered.dom[rendered.dom.index('<section id="coverage"'):]
    section = section[:section.index("</section>")]
    assert "4/63 tỉnh, thành cũ" in section
    header = re.findall(r'<th class="num">(.*?)</th>', section)
    assert header == ["2022", "2023", "2025"]  # every fact here has a year: no "Chưa rõ năm" column
    rows = {cells[0]: cells[2:] for cells in (re.findall(r"<td[^>]*>(.*?)</td>", row)
                                              for row in re.findall(r"<tr><td>.*?</tr>", section, re.S))}
    assert len(rows) == 63
    assert rows["Nghệ An"] == ["1", '3 <span class="conflict">lệch</span>', ""]
    assert rows["Tuyên Quang"] == ["", "3", "1"]
    assert rows["Cà Mau"] == ["", "", ""]
