"""The analysts' report: one self-contained HTML page of per-province charts from the store.

Charts are drawn with plotly and the page inlines plotly.js once, so it
needs no network when opened and no second tool (altair would need
vl-convert or separately fetched vega bundles to inline its scripts). Bar
charts need only plotly.js's basic bundle (vendor/, MIT, 1.2 MB) rather than
the full one plotly ships (4.8 MB). Every chart comes twice, for the 63 old
provinces and for the 34 units after the 2025 merger, each over a table that
ties every bar to the articles and sentences it was read from.

Going from 63 to 34: a figure from an article published after the merger
(1 July 2025) speaks for the whole new unit, so the latest such figure is
used; otherwise the unit's value is the sum of its old provinces' figures,
and the table lists each one it added, marked when some old provinces
reported nothing. Only province-level facts are drawn (view facts): a figure
reported by several articles counts once, and one they disagree on is marked
with every value seen. A coverage panel shows, per old province and year, how
many province-level facts there are, so what is missing is visible too.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from pipeline.views.pages import TEMPLATES, labels, render_page, subject_label, vi_number, vietnamese_key
from pipeline.store.database import Store

MERGER = date(2025, 7, 1)
LEVELS = {"63": "63 tỉnh cũ", "34": "34 tỉnh mới (2025)"}
STOCKS = ("party_member", "party_org", "union_member")
BASIC_BUNDLE = Path(__file__).parent / "vendor" / "plotly-basic.min.js"
ROW_PX = 30  # one bar's row; a row of several years' bars grows by 60% of that per extra bar
CHART_MARGIN_PX = 90  # axis, its title and the legend
BAND = 0.76  # share of a row its bars take
MIN_BAR_PX = 3  # outline drawn round every bar, so the smallest value still shows


@dataclass(frozen=True, slots=True)
class Fact:
    """One stored statistic with the article it came from."""

    article_id: str
    seq: int
    subject: str
    measure: str
    value: float
    target: float | None
    province: str
    province_2025: str | None
    year: int | None
    single_year: bool
    published: date | None
    title: str | None
    url: str | None
    source: str
    text: str
    sentence: str
    start: int
    conflict: bool
    values: list[float]

    @property
    def before(self) -> str:
        return self.sentence.partition(self.text)[0]

    @property
    def after(self) -> str:
        return self.sentence.partition(self.text)[2]


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: a place (old province or new unit) in one series, and the facts that make its value."""

    place: str
    series: str
    value: float
    target: float | None
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    note: str
    axis: str
    levels: dict[str, list[Bar]]
    shown: Callable[[Bar], float]


@dataclass(frozen=True, slots=True)
class Coverage:
    """The coverage grid: years across (None: unknown period, last), one row per old province with its province-level facts per year."""

    years: list[int | None]
    rows: list[tuple[str, str, list[tuple[int, int]]]]

    @property
    def reporting(self) -> int:
        return sum(1 for _, _, cells in self.rows if any(facts for facts, _ in cells))


def render_report(store: Store) -> str:
    charts = build_charts(read_facts(store))
    colors = year_colors(charts)
    sizes = dict(store.query("SELECT name_2025, provinces FROM units_2025")[1])
    return render_page(
        "report.html.j2",
        charts=[_chart_view(chart, colors, sizes) for chart in charts],
        coverage=read_coverage(store),
        levels=LEVELS,
        plotly_js=plotly_bundle(),
        articles=store.query("SELECT count(*) FROM articles")[1][0][0],
    )


def _rows(store: Store, query: str) -> list[dict]:
    columns, rows = store.query((TEMPLATES / query).read_text(encoding="utf-8"))
    return [dict(zip(columns, row)) for row in rows]


def plotly_bundle() -> str:
    """plotly.js for the page: the basic bundle (bar, scatter, pie: 1.2 MB) shipped in vendor/ when it is the
    same plotly.js release as the installed plotly's full bundle (4.8 MB), which is used otherwise."""
    basic = BASIC_BUNDLE.read_text(encoding="utf-8")
    release = re.search(r"plotly\.js \(basic - minified\) v(\S+)", basic[:200])
    return basic if release and release.group(1) == get_plotlyjs_version() else get_plotlyjs()


def read_facts(store: Store) -> list[Fact]:
    return [Fact(**row) for row in _rows(store, "report.sql")]


def read_coverage(store: Store) -> Coverage:
    cells = _rows(store, "coverage.sql")
    years = list(dict.fromkeys(cell["year"] for cell in cells))
    rows = []
    for province, group in groupby(cells, key=lambda c: c["province"]):
        group = list(group)
        rows.append((province, group[0]["province_2025"], [(c["facts"], c["conflicts"]) for c in group]))
    return Coverage(years, rows)


def build_charts(facts: list[Fact]) -> list[Chart]:
    def of(subject: str, measure: str) -> list[Fact]:
        return [f for f in facts if f.subject == subject and f.measure == measure]

    admitted = [f for f in of("party_member", "admitted") if f.year is not None and f.single_year]
    with_target = [f for f in facts if f.target and f.year is not None and f.single_year]
    charts = [
        Chart(f"latest-{subject}", f"Số {subject_label(subject)} mới nhất theo tỉnh",
              "Con số gần nhất (theo năm của số liệu, rồi ngày đăng bài) của mỗi tỉnh.", subject_label(subject),
              {level: bars(of(subject, "count"), level, lambda f: subject, _latest) for level in LEVELS},
              lambda bar: bar.value)
        for subject in STOCKS
    ]
    charts.append(Chart(
        "admitted", "Kết nạp đảng viên theo năm",
        "Số đảng viên kết nạp trong cả năm, số liệu toàn tỉnh; các bài đưa số khác nhau thì lấy bài đăng sau cùng và đánh dấu.", "đảng viên kết nạp",
        {level: bars(admitted, level, lambda f: str(f.year), _largest) for level in LEVELS},
        lambda bar: bar.value))
    charts.append(Chart(
        "targets", "Kết quả so với chỉ tiêu",
        "Đạt được chia cho chỉ tiêu (%), theo năm; trên 100% là vượt chỉ tiêu.", "% chỉ tiêu",
        {level: bars(with_target, level, lambda f: f"{f.subject}|{f.year}", _largest) for level in LEVELS},
        lambda bar: 100 * bar.value / bar.target))
    return charts


def bars(facts: Iterable[Fact], level: str, series: Callable[[Fact], str], pick: Callable[[list[Fact]], Fact]) -> list[Bar]:
    """One bar per place and series: the picked fact of an old province, or a new unit's figure (module doc)."""
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        place = fact.province if level == "63" else fact.province_2025
        if place:
            groups[(place, series(fact))].append(fact)
    result = []
    for (place, name), group in sorted(groups.items()):
        after = [f for f in group if f.published and f.published >= MERGER]
        if level == "63" or after:
            chosen = [pick(after or group)]
        else:
            by_province = groupby(sorted(group, key=lambda f: f.province), key=lambda f: f.province)
            chosen = [pick(list(items)) for _, items in by_province]
        targets = [f.target for f in chosen]
        result.append(Bar(place, name, sum(f.value for f in chosen),
                          None if None in targets else sum(targets), tuple(chosen)))
    return result


def _latest(facts: list[Fact]) -> Fact:
    return max(facts, key=lambda f: (f.year or 0, f.published or date.min, f.value))


def _largest(facts: list[Fact]) -> Fact:
    return max(facts, key=lambda f: (f.value, f.published or date.min))


def _series_label(series: str) -> str:
    """Series are a subject code, a year, or 'subject|year'."""
    subject, _, year = series.partition("|")
    if subject.isdigit():
        return subject
    return f"{subject_label(subject)} {year}".strip()


def _reporting(bar: Bar, level: str, sizes: dict[str, int]) -> str | None:
    """'1/2' when a new unit's bar adds up fewer old provinces than it took in (not a whole-unit figure)."""
    if level == "63" or any(f.published and f.published >= MERGER for f in bar.facts):
        return None
    reporting = len({f.province for f in bar.facts})
    return f"{reporting}/{sizes[bar.place]}" if reporting < sizes.get(bar.place, 0) else None


def _years(bar: Bar) -> str:
    """The year or years a bar's figures are of: what its colour says."""
    years = sorted({f.year for f in bar.facts if f.year is not None})
    return "–".join(dict.fromkeys(str(y) for y in (years[0], years[-1]))) if years else "?"


def year_colors(charts: list[Chart]) -> dict[str, str]:
    """One colour per year (or span of years) in the whole report, the latest first, so a year looks the same in every chart."""
    spans = {_years(bar) for chart in charts for level_bars in chart.levels.values() for bar in level_bars}
    palette = labels()["years"]
    latest_first = sorted(spans, key=lambda years: (years.rpartition("–")[2], years), reverse=True)
    return {years: palette[i % len(palette)] for i, years in enumerate(latest_first)}


def _chart_view(chart: Chart, colors: dict[str, str], sizes: dict[str, int]) -> dict:
    panels = {}
    for level, level_bars in chart.levels.items():
        subjects = {bar.facts[0].subject for bar in level_bars}
        rows = [{"bar": bar, "shown": chart.shown(bar), "series": _series_label(bar.series), "years": _years(bar),
                 "reporting": _reporting(bar, level, sizes),
                 "row": bar.place if len(subjects) == 1 else f"{bar.place} · {subject_label(bar.facts[0].subject)}"}
                for bar in level_bars]
        top: dict[str, float] = defaultdict(float)
        for row in rows:
            top[row["row"]] = max(top[row["row"]], row["shown"])
        rows.sort(key=lambda r: (-top[r["row"]], vietnamese_key(r["row"]), r["years"]))
        for i, row in enumerate(rows, 1):
            row["id"] = f"{chart.key}-{level}-{i}"
        panels[level] = {"rows": rows, "plot": _plot(chart, level, rows, colors) if rows else ""}
    return {"key": chart.key, "title": chart.title, "note": chart.note, "panels": panels,
            "percent": chart.key == "targets"}


def _plot(chart: Chart, level: str, rows: list[dict], colors: dict[str, str]) -> str:
    """A horizontal bar chart, largest first, one colour per year; clicking a bar's row jumps to its table row.

    Rows come sorted (largest first, ties in Vietnamese order). A bar keeps a
    visible, clickable width however small its value (an outline of its own
    colour, and hovering anywhere on its row picks it); the chart is as tall
    as its rows need, and values outside a bar are never cut off.
    """
    figure = go.Figure()
    per_row: dict[str, list[dict]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r["years"]):
        per_row[r["row"]].append(r)
    band: dict[str, tuple[float, float]] = {}  # bar id → (offset, thickness) in its row
    for bars_of_row in per_row.values():  # a row's bars share its band, the latest year on top; one bar fills it
        thickness = BAND / len(bars_of_row)
        band.update((r["id"], (-BAND / 2 + i * thickness, thickness)) for i, r in enumerate(bars_of_row))
    for years, items in groupby(sorted(rows, key=lambda r: r["years"]), key=lambda r: r["years"]):
        items = list(items)
        color = colors[years]
        figure.add_bar(
            orientation="h", name=years, marker={"color": color, "line": {"color": color, "width": MIN_BAR_PX}},
            y=[r["row"] for r in items], x=[r["shown"] for r in items], customdata=[r["id"] for r in items],
            offset=[band[r["id"]][0] for r in items], width=[band[r["id"]][1] for r in items],
            text=[vi_number(round(r["shown"], 1)) + ("%" if chart.key == "targets" else "") for r in items],
            textposition="outside", cliponaxis=False, constraintext="inside",
            hovertemplate="%{y}: %{text}<extra>" + years + "</extra>",
        )
    order = list(dict.fromkeys(r["row"] for r in rows))
    slots = max(len(bars_of_row) for bars_of_row in per_row.values())
    widest = max([r["shown"] for r in rows] + ([100] if chart.key == "targets" else []))
    figure.update_layout(
        barmode="overlay", separators=",.", hovermode="y",
        height=CHART_MARGIN_PX + len(order) * ROW_PX * (1 + (slots - 1) * 0.6),
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        xaxis={"title": chart.axis, "tickformat": ",.0f", "nticks": 5, "range": [0, widest * 1.25], "fixedrange": True},
        yaxis={"automargin": True, "categoryorder": "array", "categoryarray": order[::-1], "fixedrange": True},
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom", "title": {"text": "Năm: "}},
        showlegend=True, plot_bgcolor="#fff",
    )
    if chart.key == "targets":
        figure.add_vline(x=100, line_dash="dash", line_color="#b3261e")
    return figure.to_html(
        full_html=False, include_plotlyjs=False, div_id=f"chart-{chart.key}-{level}",
        config={"responsive": True, "displaylogo": False, "displayModeBar": False},
        post_script="document.getElementById('{plot_id}').on('plotly_click', function (e) { location.hash = e.points[0].customdata; });",
    )
