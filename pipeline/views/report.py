"""The analysts' report: one self-contained HTML page of per-province charts from the store.

Charts are drawn with plotly: its Python package ships plotly.js, which the
page inlines once (about 4.8 MB), so the page needs no network when opened
and no second tool (altair would need vl-convert or separately fetched vega
bundles to inline its scripts). Every chart comes twice, for the 63 old
provinces and for the 34 units after the 2025 merger, each over a table that
ties every bar to the articles and sentences it was read from.

Going from 63 to 34: a figure from an article published after the merger
(1 July 2025) speaks for the whole new unit, so the latest such figure is
used; otherwise the unit's value is the sum of its old provinces' figures,
and the table lists each one it added.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from pipeline.views.pages import TEMPLATES, render_page, subject_color, subject_label, vi_number
from pipeline.store.database import Store

MERGER = date(2025, 7, 1)
LEVELS = {"63": "63 tỉnh cũ", "34": "34 tỉnh mới (2025)"}
STOCKS = ("party_member", "party_org", "union_member")


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
    color: Callable[[str], str | None]


def render_report(store: Store) -> str:
    charts = build_charts(read_facts(store))
    return render_page(
        "report.html.j2",
        charts=[_chart_view(chart) for chart in charts],
        levels=LEVELS,
        plotly_js=get_plotlyjs(),
        articles=store.query("SELECT count(*) FROM articles")[1][0][0],
    )


def read_facts(store: Store) -> list[Fact]:
    columns, rows = store.query((TEMPLATES / "report.sql").read_text(encoding="utf-8"))
    return [Fact(**dict(zip(columns, row))) for row in rows]


def build_charts(facts: list[Fact]) -> list[Chart]:
    def of(subject: str, measure: str) -> list[Fact]:
        return [f for f in facts if f.subject == subject and f.measure == measure]

    admitted = [f for f in of("party_member", "admitted") if f.year is not None and f.single_year]
    with_target = [f for f in facts if f.target and f.year is not None]
    charts = [
        Chart(f"latest-{subject}", f"Số {subject_label(subject)} mới nhất theo tỉnh",
              "Con số gần nhất (theo năm của số liệu, rồi ngày đăng bài) của mỗi tỉnh.", subject_label(subject),
              {level: bars(of(subject, "count"), level, lambda f: subject, _latest) for level in LEVELS},
              lambda bar: bar.value, lambda series: subject_color(series))
        for subject in STOCKS
    ]
    charts.append(Chart(
        "admitted", "Kết nạp đảng viên theo năm",
        "Số đảng viên kết nạp trong từng năm; nhiều bài nói cùng một năm thì lấy con số lớn nhất.", "đảng viên kết nạp",
        {level: bars(admitted, level, lambda f: str(f.year), _largest) for level in LEVELS},
        lambda bar: bar.value, lambda series: None))
    charts.append(Chart(
        "targets", "Kết quả so với chỉ tiêu",
        "Đạt được chia cho chỉ tiêu (%), theo năm; trên 100% là vượt chỉ tiêu.", "% chỉ tiêu",
        {level: bars(with_target, level, lambda f: f"{f.subject}|{f.year}", _largest) for level in LEVELS},
        lambda bar: 100 * bar.value / bar.target, lambda series: subject_color(series.split("|")[0])))
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


def _chart_view(chart: Chart) -> dict:
    panels = {}
    for level, level_bars in chart.levels.items():
        rows = [{"id": f"{chart.key}-{level}-{i}", "bar": bar, "shown": chart.shown(bar),
                 "series": _series_label(bar.series)} for i, bar in enumerate(level_bars, 1)]
        panels[level] = {"rows": rows, "plot": _plot(chart, level, rows) if rows else ""}
    return {"key": chart.key, "title": chart.title, "note": chart.note, "panels": panels,
            "percent": chart.key == "targets"}


def _plot(chart: Chart, level: str, rows: list[dict]) -> str:
    """A horizontal bar chart (place names stay readable on a phone); a bar click jumps to its table row."""
    figure = go.Figure()
    for series, items in groupby(sorted(rows, key=lambda r: r["bar"].series), key=lambda r: r["bar"].series):
        items = list(items)
        figure.add_bar(
            orientation="h", name=_series_label(series), marker_color=chart.color(series),
            y=[r["bar"].place for r in items], x=[r["shown"] for r in items],
            customdata=[r["id"] for r in items],
            text=[vi_number(round(r["shown"], 1)) for r in items], textposition="auto",
            hovertemplate="%{y}: %{text}<extra>%{fullData.name}</extra>",
        )
    places = len({r["bar"].place for r in rows})
    series = len({r["bar"].series for r in rows})
    figure.update_layout(
        barmode="group", separators=",.", height=max(240, 110 + places * (14 + 14 * series)),
        margin={"l": 8, "r": 8, "t": 8, "b": 40}, xaxis={"title": chart.axis, "tickformat": ",.0f", "nticks": 5},
        yaxis={"automargin": True, "categoryorder": "category descending"},
        legend={"orientation": "h", "y": -0.15}, showlegend=series > 1, plot_bgcolor="#fff",
    )
    if chart.key == "targets":
        figure.add_vline(x=100, line_dash="dash", line_color="#b3261e")
    return figure.to_html(
        full_html=False, include_plotlyjs=False, div_id=f"chart-{chart.key}-{level}",
        config={"responsive": True, "displaylogo": False, "displayModeBar": False},
        post_script="document.getElementById('{plot_id}').on('plotly_click', function (e) { location.hash = e.points[0].customdata; });",
    )

