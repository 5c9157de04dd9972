"""Periods: the years a figure covers, and the months of a part of one year.

`find_periods` reads every period cue of a text; `PeriodTracker` decides, for
one figure, which cue governs it. The rules follow how the seed gold assigns
periods:

1. The nearest cue before the figure in its sentence governs it ("năm 2019
   có 02 …", "riêng năm 2019 kết nạp 7", "Từ năm 2018 đến tháng 9/2022, …
   976 …; trong đó có 116 …"). "đang" ("và đang giới thiệu 8 …") counts only
   inside the figure's own clause; a cue inside one item of a list ("…: a;
   b … nhiệm kỳ 2017-2022; c 6.500 …") only inside that item.
2. A per-year figure ("mỗi năm", "hàng năm", "bình quân mỗi năm") takes the
   period it is set for (SPEC): the multi-year period its sentence names
   ("nhiệm kỳ 2020-2025 đã xác định chỉ tiêu mỗi năm phát triển ít nhất 50" →
   2020-2025, "Từ đầu nhiệm kỳ … đến nay, … bình quân mỗi năm 300" → the
   term's start to now); a target with none, the article's term, else the
   running period (the one year it is applied to); else no fixed year. It
   governs only its own figure: in "bình quân mỗi năm hơn 1.280 đảng viên,
   đạt 106,8% chỉ tiêu" the share reads the cue before it.
3. "hiện nay"/"đến nay"/"hiện"/"đang"/"trong năm", a yearless "tháng 3"/"quý
   II"/"6 tháng đầu năm"/"tính đến ngày 30-6"/"từ đầu năm (đến nay)", and an
   undated stock (see 8), take the publication year; "năm ngoái", "ba năm
   trước" count back from it. When the publication date is unknown, the year
   the page's address or a labelled opening gives stands for it, else the
   year the text makes plain (9), else None.
4. A stock governed by a multi-year period is the level at its end: "Trong 5
   năm (2015 - 2020) … nâng số đảng viên lên 88" → 2020. A percentage in such
   a sentence is a ratio of the period's flows and keeps the range: "kết nạp
   257 người (26,3%)" after "Từ năm 2018 đến tháng 9/2022" → 2018-2022.
5. A cue after the figure in its clause counts when none precedes it ("kết
   nạp 50 đảng viên trong năm 2023").
6. A flow with no cue in its sentence takes the running period: the last
   dated cue of the preceding sentences ("Năm 2023, …" then "Kết quả 6/6 chỉ
   tiêu …" → 2023), skipping a plan's period ("chương trình công tác năm
   2024") unless the figure is itself a target. A stock never inherits it.
7. A bare "nhiệm kỳ" takes the article's term: an explicit "nhiệm kỳ X-Y", else
   a five-year range the article names ("Trong 5 năm (2015 - 2020)").
8. An undated stock is read at the last cue of its paragraph ("Năm 2017, hội
   kết nạp … Có 1.052 hội viên …" → 2017; a share after "Từ đầu nhiệm kỳ
   2015-2020 đến nay" keeps the range), unless that cue ends after
   publication (a congress's new term); else at a running date that closes a
   report ("Tính đến ngày 31/12/2022", a title "Kết quả … năm 2022") in an
   earlier paragraph; else at the publication year.
9. An undated article was written in year X when it reports "từ đầu năm X
   đến nay"; else in the latest year it reports (a year, month, date, quarter,
   "tính đến …", the start of a term or range, the end of one its clause says
   is done ("Trong nhiệm kỳ 2015-2020, … đã …"), a date written in full, a
   document's included); else in the first year a plan of it names; "từ năm
   2016 đến nay" alone says only that it is later.
10. A flow no dated cue precedes (a headline's, an opening figure's) takes the
   first cue after it: "Toàn tỉnh kết nạp 603 đảng viên" above "6 tháng đầu
   năm, toàn tỉnh kết nạp được 603 …".

Months (`month_start`, `month_end`) are a flow's part of one year: "6 tháng
đầu năm" → 1-6, "6 tháng cuối năm" → 7-12, "9 tháng năm 2020" → 1-9, "quý
II" → 4-6, "tháng 9/2021" → 9-9, "tính đến ngày 30-6" → 1-6, "từ đầu năm đến
nay" → January to the publication month; None for a whole year, several
years, a stock (a level at a point) or when unknown.

Plans and comparisons. A year introduced by a plan word ("triển khai nhiệm vụ
năm 2023", "phấn đấu", "chỉ tiêu", "kế hoạch", "dự kiến") is a target's, never
the running period of results, unless an achievement word precedes ("đạt 98%
kế hoạch năm 2022"). A year after "so với (cùng kỳ) (cuối)" or "cùng kỳ",
also past a noun phrase ("so với tổng số đảng viên cuối năm 2017", not "so
với kế hoạch năm 2022"), is a point of comparison: the figure keeps its own
period. An event's dates ("từ ngày 22 đến ngày 26/3") are a date, not a
flow since January.
"đầu nhiệm kỳ 2020-2025" is the term's first year, "cuối giai đoạn 2016-2020"
its last; a share after "nâng tổng số … lên" is the raised total's, read at
the period's end like the total.

Conflicts noticed in the gold: a yearly average whose sentence names no
period stays None (the seeds), while a yearly target takes the year it is
applied to (rule 2); rule 4 distinguishes a count stock (end year) from a
share (range) in the same kind of sentence, unless the share is of the
raised total.
Years inside document numbers ("98/2014/NĐ-CP", "ngày 09/9/2015" after
"61-KH/ĐU") are not periods; neither are durations ("trong 5 năm", "sau
hơn 1 năm").
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import regex

from extractors.lexicon import table
from extractors.numbers import parse_number
from extractors.spans import longest_first
from schemas import Measure, Period

_Y = r"(?:19[4-9]\d|20\d\d)(?!\d)"
_M = r"\d{1,2}"
_EDGE = r"(?<![\p{L}\p{N}])"
_END = r"(?![\p{L}\p{N}])"
_BOUND = r"(?:(?:hết|cuối|đầu|giữa)\s+)?"
_OPENING = r"(?:^|[\n.!?,;:(])\s*"  # what a cue that opens a clause stands after
_POINT = rf"(?:năm\s+|tháng\s+{_M}\s*[/-]\s*|ngày\s+{_M}\s*/\s*{_M}\s*/\s*)?"
_NOW_END = r"nay|hiện nay|hiện tại|thời điểm (?:này|hiện tại)"
#: A document number right before a date makes it the document's date: "Kế hoạch số 61-KH/ĐU ngày 09/9/2015".
_DOCUMENT = regex.compile(r"[\p{L}\d]+[-/]\p{Lu}[\p{Lu}\p{L}/-]*\s*$")
_CLAUSE_BREAK = regex.compile(r"[,;:()]")
_PERCENT = regex.compile(r"[\d.,]+\s*%")
#: The figure itself (its words, digits and signs), so that what follows it can be read.
_FIGURE = regex.compile(r"\D*?[\d.,/%–-]*")
#: Where a figure's forward context stops: a clause break, or another figure before the cue.
_FORWARD_STOP = regex.compile(r"[,;:]")
_DIGIT = regex.compile(r"\d")
#: A list item opens after ":" or ";" and ends at ";".
_ITEM = regex.compile(r"[:;]")
_ITEM_END = regex.compile(r";")
#: A date written in full (a document's included): the article was written after it.
_FULL_DATE = regex.compile(r"(?<![\d/.])\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?P<y>19[4-9]\d|20\d\d)(?!\d)")
#: "tính đến …" closes a report at a past date; a bare "đến năm 2025" may be a target's.
_CLOSING = regex.compile(r"tính\s", regex.IGNORECASE)
#: "đầu nhiệm kỳ 2020-2025" is the term's first year, "cuối giai đoạn 2016-2020" its last.
_BOUND_BEFORE = regex.compile(r"(đầu|cuối)\s+$", regex.IGNORECASE)

#: Measures that are results of a period gone by (a committee elected or an award given at a congress is not).
_RESULTS = frozenset({Measure.admitted, Measure.established, Measure.trained, Measure.achieved, Measure.exceeded})
#: Kinds that name years, and so can be a running period.
DATED = frozenset({"year", "range", "term", "since", "until", "month", "months", "quarter", "date", "ago"})
#: Kinds that may govern a figure from after it ("ongoing" only reads backwards).
FORWARD = DATED | {"now", "every_year"}
#: Kinds whose period spans several years.
MULTI_YEAR = frozenset({"range", "term", "since"})


@dataclass(frozen=True, slots=True)
class PeriodMention:
    """A period cue as written. Years the text leaves to context are None
    (a bare "nhiệm kỳ", "hiện nay", "từ năm 2018 đến nay"'s end); `ago` counts
    the years back from publication of "Ba năm trước", "năm ngoái"."""

    start: int
    end: int
    text: str
    year_start: int | None
    year_end: int | None
    kind: str
    ago: int = 0
    month_start: int | None = None
    month_end: int | None = None


def _words(name: str) -> str:
    return "|".join(regex.escape(w) for w in sorted(table("periods")[name], key=len, reverse=True))


@cache
def _patterns() -> tuple[tuple[str, regex.Pattern], ...]:
    lex = table("periods")
    hien_before = "".join(rf"(?<!{regex.escape(w)}\s)" for w in lex["not_now_before"])
    numeral = rf"\d{{1,2}}|{_words('month_counts')}"
    count = rf"(?P<n>{numeral})"
    forms = [
        ("from", rf"(?:kể\s+)?từ\s+{_BOUND}{_POINT}(?P<a>{_Y})"
                 rf"(?:\s*(?:đến|tới|-|–)\s*(?:(?P<now>{_NOW_END}){_END}|{_BOUND}{_POINT}(?P<b>{_Y})|(?P<mon>tháng\s+{_M}(?![\d/]))))?"),
        ("since", rf"(?:kể\s+|ngay\s+)?từ\s+đầu\s+năm(?:\s+nay)?(?:\s+(?:đến|tới)\s+(?:{_NOW_END}){_END})?(?!\s*\d)"),
        ("since", rf"(?:kể\s+)?từ\s+(?:đầu\s+)?nhiệm\s+kỳ(?:\s+(?P<a>{_Y})\s*[-–]\s*{_Y})?\s+(?:đến|tới)\s+(?:{_NOW_END}){_END}"),
        ("term", rf"nhiệm\s+kỳ\s*\(?\s*(?P<a>{_Y})\s*[-–]\s*(?P<b>{_Y})(?:\s*\))?"),
        ("term", rf"nhiệm\s+kỳ(?!\s*\(?\s*\d){_END}(?!\s+(?:{_words('term_next')}){_END})"),
        ("range", rf"(?:giai\s+đoạn|(?:các\s+)?năm)\s*\(?\s*(?P<a>{_Y})\s*[-–]\s*(?P<b>{_Y})(?:\s*\))?"),
        ("range", rf"(?<![\d/.,-])(?P<a>{_Y})\s*[-–]\s*(?P<b>{_Y})(?![/])"),
        ("months", rf"từ\s+tháng\s+(?P<m1>{_M})\s+(?:đến|tới)\s+{_BOUND}tháng\s+(?P<m2>{_M})\s*(?:[/-]\s*|năm\s+)(?P<a>{_Y})"),
        ("months", rf"{count}\s+tháng\s+(?:(?P<half>đầu|cuối)\s+)?năm\s+(?P<a>{_Y})"),
        ("months", rf"{count}\s+tháng\s+(?P<half>đầu|cuối)\s+năm{_END}(?!\s*\d)"),
        # a bare count of months, opening a clause ("Trong 9 tháng, …", "9 tháng qua, …") or "trong 6 tháng qua"
        ("months", rf"trong\s+{count}\s+tháng(?:\s+(?:vừa\s+)?qua{_END}|(?<={_OPENING}trong\s+(?:{numeral})\s+tháng)(?=\s*,))"),
        ("months", rf"{count}(?<={_OPENING}(?:{numeral}))\s+tháng(?:\s+(?:vừa\s+)?qua)?(?=\s*,)"),
        ("quarter", rf"quý\s+(?P<q>I{{1,3}}|IV|[1-4])\s*(?:[/-]\s*|năm\s+)(?P<a>{_Y})"),
        ("until", rf"(?:tính\s+)?(?:đến|tới)\s+{_BOUND}(?:năm\s+|tháng\s+(?P<m>{_M})\s*[/-]\s*|(?:ngày\s+)?{_M}\s*[/-]\s*(?P<m>{_M})\s*[/-]\s*)(?P<a>{_Y})"),
        ("until", rf"(?:tính\s+)?(?:đến|tới)\s+{_BOUND}(?:tháng\s+(?P<m>{_M})|ngày\s+{_M}\s*[/.-]\s*(?P<m>{_M}))(?![\d/-]|\.\d|\s+năm\s+\d)"),
        ("month", rf"tháng\s+(?P<m>{_M})\s*(?:[/-]\s*|năm\s+)(?P<a>{_Y})"),
        ("month", rf"(?<!(?:{_words('not_month_before')})\s)tháng\s+(?P<m>{_M})(?![\d/-]|\s+năm\s+\d|\s+(?:{_words('not_month_after')}){_END})"),
        ("quarter", rf"quý\s+(?P<q>I{{1,3}}|IV|[1-4]){_END}(?!\s*[/-]\s*\d|\s+năm\s+\d)"),
        ("ago", rf"(?P<ago>\d{{1,2}}|{_words('ago_counts')})\s+năm\s+(?:{_words('ago_words')}){_END}"),
        ("ago", rf"(?:{_words('last_year')}){_END}"),
        ("year", rf"năm\s+(?P<a>{_Y})(?![/-]\d)"),
        ("date", rf"từ\s+ngày\s+{_M}(?:\s*[/.-]\s*{_M})?\s+(?:đến|tới)\s+(?:hết\s+)?ngày\s+{_M}\s*[/.-]\s*{_M}"
                 rf"(?:\s*[/.-]\s*(?P<a>{_Y}))?(?![\d/-]|\.\d)"),
        ("date", rf"(?:{_words('part_of_day')})\s+(?:ngày\s+)?{_M}\s*[/.-]\s*{_M}(?:\s*[/.-]\s*(?P<a>{_Y}))?(?![\d/-]|\.\d)"),
        ("now", rf"trong\s+năm(?:\s+qua)?(?!\s*\d|\s+(?:{_words('not_this_year_after')}){_END})"),
        ("every_year", rf"(?:{_words('every_year')}){_END}"),
        ("now", rf"(?:{_words('now')}){_END}"),
        ("ongoing", rf"(?:{_words('ongoing')}){_END}"),
    ]
    compiled = []
    for kind, body in forms:
        guard = hien_before if kind == "now" else ""
        after = rf"(?!\s+(?:{_words('not_now_after')}){_END})" if kind == "now" else ""
        compiled.append((kind, regex.compile(rf"{_EDGE}{guard}(?:{body}){after}", regex.IGNORECASE)))
    return tuple(compiled)


def find_periods(text: str, offset: int = 0) -> list[PeriodMention]:
    """Every period cue of `text`, left to right; overlapping readings keep the longest."""
    found = []
    for kind, pattern in _patterns():
        for match in pattern.finditer(text):
            mention = _read(kind, match, text)
            if mention:
                found.append(mention)
    return [replace(m, start=m.start + offset, end=m.end + offset) for m in longest_first(found)]


def _read(kind: str, match: regex.Match, text: str) -> PeriodMention | None:
    groups = match.groupdict()
    a = int(groups["a"]) if groups.get("a") else None
    b = int(groups["b"]) if groups.get("b") else None
    ago = int(parse_number(groups["ago"]) or 0) if groups.get("ago") else 1 if kind == "ago" else 0
    if kind == "from":
        kind, b = ("range", b or a) if b or groups.get("mon") else ("since", None)
    if kind in ("range", "term") and a is not None and not (b is not None and a < b <= a + 10):
        return None
    bound = _BOUND_BEFORE.search(text, max(0, match.start() - 8), match.start()) if kind in ("range", "term") else None
    if bound and a is not None:
        kind, a, b = ("year", a, a) if bound.group(1).lower() == "đầu" else ("year", b, b)
    if kind == "date" and _DOCUMENT.search(text, max(0, match.start() - 30), match.start()):
        return None
    if kind in ("year", "month", "until", "months", "quarter", "date"):
        b = a
    if _comparison().search(text, max(0, match.start() - 60), match.start()):
        kind = "comparison"
    months = _months(kind, groups, match.group())
    return PeriodMention(match.start(), match.end(), match.group(), a, b, kind, ago, *months)


_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR_TO_DATE = regex.compile(r"(?:kể\s+|ngay\s+)?từ\s+đầu\s+năm", regex.IGNORECASE)


def _months(kind: str, groups: dict, written: str) -> tuple[int | None, int | None]:
    """The months of a part-year cue: "6 tháng đầu năm" → 1, 6; "6 tháng cuối năm" → 7, 12; "quý II" → 4, 6;
    "tháng 9/2021" → 9, 9; "tính đến ngày 30-6" → 1, 6 (a flow since January); "từ đầu năm" → 1 (to the
    publication month)."""
    if kind == "months" and groups.get("m1"):
        first, last = int(groups["m1"]), int(groups["m2"])
    elif kind == "months":
        count = int(parse_number(groups["n"]) or 0)
        first, last = (13 - count, 12) if (groups.get("half") or "").lower() == "cuối" else (1, count)
    elif kind == "quarter":
        quarter = _QUARTERS.get(groups["q"].lower()) or int(groups["q"])
        first, last = 3 * quarter - 2, 3 * quarter
    elif kind in ("month", "until") and groups.get("m"):
        first, last = (int(groups["m"]) if kind == "month" else 1), int(groups["m"])
    elif kind == "since" and _YEAR_TO_DATE.match(written):
        return 1, None
    else:
        return None, None
    return (first, last) if 1 <= first <= last <= 12 else (None, None)


@cache
def _comparison() -> regex.Pattern:
    """ "so với năm 2022", "so với cùng kỳ năm 2022", "so với tổng số đảng viên cuối năm 2017": a point of
    comparison, not the figure's period; "so với kế hoạch năm 2022" names the plan the figure is measured against."""
    plan = _words("plan_words")
    return regex.compile(rf"(?:{_words('comparison_words')})(?:\s+(?!(?:{plan}){_END})\p{{L}}+){{0,7}}\s*$",
                         regex.IGNORECASE)


@cache
def _plan() -> regex.Pattern:
    """ "triển khai nhiệm vụ năm 2023", "phấn đấu năm 2024": a target's year, not that of results;
    "đạt 98% kế hoạch năm 2022" is a result's."""
    achieved = rf"(?<!(?:{_words('achieved_words')})[^.;:]{{0,16}})"
    return regex.compile(rf"{achieved}(?:{_words('plan_words')})(?:\s+\p{{L}}+){{0,3}}\s*$", regex.IGNORECASE)


@cache
def _done() -> regex.Pattern:
    """ "Trong nhiệm kỳ 2015-2020, các cấp ủy … đã thực hiện": a period its clause reports as done."""
    return regex.compile(rf"[^.;]{{0,80}}?{_EDGE}(?:{_words('done')}){_END}", regex.IGNORECASE)


@cache
def _phrase(name: str) -> regex.Pattern:
    """One of the lexicon's lists as whole words: "nâng tổng số" (`stock_raise`), "Trong đó" (`part_of_previous`)."""
    return regex.compile(rf"{_EDGE}(?:{_words(name)}){_END}", regex.IGNORECASE)


@cache
def _report() -> regex.Pattern:
    """ "Kết quả công tác xây dựng Đảng năm 2022", "tổng kết … năm 2022": the year a report closes."""
    return regex.compile(rf"(?:{_words('report_words')})(?:\s+\p{{L}}+){{0,8}}\s*$", regex.IGNORECASE)


class PeriodTracker:
    """Running period context across the sentences of one article (see the module's rules).

    `year` is the article's year when its date is unknown but its address or a labelled opening gives the year;
    cues inside `ignore` (page furniture) are no one's period.
    """

    def __init__(self, text: str, published: date | None, *, year: int | None = None,
                 ignore: tuple[tuple[int, int], ...] = ()) -> None:
        self.text = text
        self.published = published
        self.ignore = ignore
        self.mentions = [m for m in find_periods(text) if not self._ignored(m.start)]
        self._starts = [m.start for m in self.mentions]  # ordered: find_periods returns cues left to right
        self._first_dated_end = min((m.end for m in self.mentions if m.kind in DATED), default=None)
        self.plans = self._introduced_by(_plan())
        self.reports = self._introduced_by(_report())
        self.now = published.year if published else year or self._text_year()
        self.term = self._article_term()

    def _ignored(self, at: int) -> bool:
        return any(start <= at < end for start, end in self.ignore)

    def _introduced_by(self, words: regex.Pattern) -> frozenset[int]:
        """Starts of the cues that `words` introduce, a few words before them."""
        return frozenset(m.start for m in self.mentions if words.search(self.text[max(0, m.start - 60):m.start]))

    def _text_year(self) -> int | None:
        """The year an undated article was written in, when its text makes it plain (rule 9)."""
        to_date = [m.year_start for m in self.mentions if m.kind == "since" and m.month_start == 1 and m.year_start]
        if to_date:
            return to_date[0]
        past, planned = [], []
        for m in self.mentions:
            if m.year_start is None or m.kind in ("since", "every_year") or (m.kind == "until" and not _CLOSING.match(m.text)):
                continue
            (planned if m.start in self.plans else past).append(m.year_start)
            if m.kind in MULTI_YEAR and m.start not in self.plans and _done().match(self.text, m.end):
                past.append(m.year_end)
        past += [int(d.group("y")) for d in _FULL_DATE.finditer(self.text) if not self._ignored(d.start())]
        return max(past) if past else min(planned) if planned else None

    def _article_term(self) -> Period | None:
        """The term a bare "nhiệm kỳ" means: the article's explicit term, else a five-year range it names."""
        terms = [m for m in self.mentions if m.kind == "term" and m.year_start]
        spans = [m for m in self.mentions if m.kind == "range" and m.year_start and m.year_end == m.year_start + 5]
        chosen = (terms or spans or [None])[0]
        return Period(chosen.year_start, chosen.year_end) if chosen else None

    def resolve(self, mention: PeriodMention) -> Period:
        """The years (and months, for a part of one year) of one cue, filling what the text leaves to context."""
        if mention.kind == "term" and mention.year_start is None:
            return self.term or Period(None, None)
        if mention.kind == "since":
            start = mention.year_start or (self.term.year_start if "kỳ" in mention.text and self.term else self.now)
            if mention.month_start and start is not None and start == self.now:
                known = self.published is not None and self.published.year == start
                return Period(start, start, *((1, self.published.month) if known else (None, None)))
            return Period(start, self.now)
        if mention.kind in ("now", "ongoing") or (mention.kind in DATED and mention.year_start is None):
            year = self.now - mention.ago if self.now and mention.kind == "ago" else self.now
            return Period(year, year, *((mention.month_start, mention.month_end) if year else (None, None)))
        return Period(mention.year_start, mention.year_end, mention.month_start, mention.month_end)

    def period_for(self, sentence_start: int, sentence_end: int, figure_start: int, is_stock: bool,
                   *, measure: str | None = None, unit: str | None = None) -> Period:
        """The period of the figure at `figure_start`; `measure` and `unit` refine rules 2 and 4."""
        is_target = measure == "target"
        is_percent = unit == "percent" if unit else bool(_PERCENT.match(self.text, figure_start))
        candidates = self.mentions[bisect_left(self._starts, sentence_start):bisect_right(self._starts, sentence_end)]
        inside = [m for m in candidates if m.end <= sentence_end and m.kind != "comparison"]
        before = [m for m in inside if m.end <= figure_start and not self._attached(m, sentence_start)
                  and (m.kind != "ongoing" or not _CLAUSE_BREAK.search(self.text, m.end, figure_start))
                  and (m.kind != "every_year" or not self._past_its_figure(m, figure_start))
                  and not self._in_another_item(m, sentence_start, figure_start)]
        figure_end = _FIGURE.match(self.text, figure_start).end()
        after = self._after(inside, figure_end, sentence_end)
        if before and (after is None or figure_start - before[-1].end <= after.start - figure_end):
            cue = before[-1]
            if cue.kind == "every_year":
                return self._yearly(before, sentence_start, is_target)
        else:
            cue = after
        if cue:
            if is_stock:
                return self._as_stock(cue, is_percent and not self._raised(cue, figure_start))
            return self._flow(cue, is_target, measure)
        if is_stock:
            anchor = self._stock_anchor(sentence_start)
            return self._as_stock(anchor, is_percent) if anchor else Period(self.now, self.now)
        running = self._running(sentence_start, is_target) or self._lead(figure_end, is_target)
        return self._flow(running, is_target, measure) if running else Period(None, None)

    def _flow(self, cue: PeriodMention, is_target: bool, measure: str | None = None) -> Period:
        """A flow's period; a target is set for a year or a term, so only a part-year cue gives it months
        ("chỉ tiêu 6 tháng đầu năm"), not the month it was set in. A result cannot be of a term that begins
        when it is published: a congress of "nhiệm kỳ 2023-2028" reports what the term before it did
        ("Nhiệm kỳ qua, các cấp Hội kết nạp …")."""
        period = self.resolve(cue)
        if is_target:
            return Period(period.year_start, period.year_end) if cue.kind not in ("months", "quarter") else period
        start, end = period.year_start, period.year_end
        if measure in _RESULTS and self.published and start and end and end > start >= self.published.year:
            return Period(2 * start - end, start)
        return period

    def _last_before(self, position: int, keep: Callable[[PeriodMention], bool]) -> PeriodMention | None:
        """The last cue ending by `position` that `keep` accepts, searched back from there (not from the article's start)."""
        for index in range(bisect_left(self._starts, position) - 1, -1, -1):
            mention = self.mentions[index]
            if mention.end <= position and keep(mention):
                return mention
        return None

    def _running(self, sentence_start: int, is_target: bool) -> PeriodMention | None:
        """The last dated cue of the preceding sentences, a plan's only for a target (rule 6)."""
        return self._last_before(sentence_start, lambda m: m.kind in DATED and (is_target or m.start not in self.plans))

    def _yearly(self, before: list[PeriodMention], sentence_start: int, is_target: bool) -> Period:
        """A per-year figure takes the period it is set for (rule 2): the multi-year period its sentence names, else,
        for a target, the article's term, else the running period; else none."""
        terms = [m for m in before if m.kind in MULTI_YEAR and m.year_start]
        if terms:
            return self.resolve(terms[-1])
        if not is_target:
            return Period(None, None)
        running = self._running(sentence_start, True)
        return self.term or (self._flow(running, True) if running else Period(None, None))

    def _lead(self, figure_end: int, is_target: bool) -> PeriodMention | None:
        """The first cue after a flow that no cue precedes: a headline's or an opening figure is the lead's (rule 10)."""
        if self._first_dated_end is not None and self._first_dated_end <= figure_end:
            return None
        later = (self.mentions[i] for i in range(bisect_left(self._starts, figure_end), len(self.mentions)))
        return next((m for m in later if (m.kind in DATED or m.kind == "now") and (is_target or m.start not in self.plans)), None)

    def _stock_anchor(self, sentence_start: int) -> PeriodMention | None:
        """The cue an undated stock is read at (rule 8): the last cue of its paragraph ("Năm 2017, hội kết nạp …
        Có 1.052 hội viên …") unless it ends after publication (a congress's new term), else a running date a
        report is closed at ("Tính đến ngày 31/12/2022"). A sentence opening "Trong đó, …" is a part of what came
        before it, read at the last cue before it."""
        last = self._last_before(sentence_start, lambda m: m.start not in self.plans and (m.kind in DATED or m.kind == "now"))
        if last and _phrase("part_of_previous").match(self.text, sentence_start):
            return last
        paragraph = self.text.rfind("\n", 0, sentence_start) + 1
        if last and last.start >= paragraph:
            ends = self.resolve(last).year_end
            return None if ends and self.now and ends > self.now else last
        running = self._last_before(sentence_start, lambda m: m.start not in self.plans and m.kind in DATED)
        closing = running and (running.kind == "until" or running.start in self.reports)
        return running if closing else None

    def _past_its_figure(self, cue: PeriodMention, figure_start: int) -> bool:
        """ "bình quân mỗi năm hơn 1.280 đảng viên, đạt 106,8%": a yearly cue is its own figure's, not the next clause's."""
        return bool(_DIGIT.search(self.text, cue.end, figure_start) and _CLAUSE_BREAK.search(self.text, cue.end, figure_start))

    def _in_another_item(self, cue: PeriodMention, sentence_start: int, figure_start: int) -> bool:
        """A cue inside one item of a list ("…: a; b nhiệm kỳ 2017-2022; c 6.500 …") is that item's only."""
        return bool(_ITEM.search(self.text, sentence_start, cue.start) and _ITEM_END.search(self.text, cue.end, figure_start))

    def _raised(self, cue: PeriodMention, figure_start: int) -> bool:
        """ "từ năm 2021 … nâng tổng số đảng viên lên 46.000 … (chiếm 60%)": a share of the raised total is at the end."""
        return bool(_phrase("stock_raise").search(self.text, cue.end, figure_start))

    def _attached(self, cue: PeriodMention, sentence_start: int) -> bool:
        """A bracketed cue right after another figure is that figure's own: "từ 21 doanh nghiệp (năm 2018) lên 35 …"."""
        opening = self.text.rfind("(", sentence_start, cue.start + 1)
        if opening < 0 or self.text[opening + 1:cue.start].strip():
            return False
        clause = _FORWARD_STOP.search(self.text[sentence_start:opening][::-1])
        since = opening - clause.start() if clause else sentence_start
        return bool(_DIGIT.search(self.text, since, opening))

    def _after(self, inside: list[PeriodMention], figure_end: int, sentence_end: int) -> PeriodMention | None:
        """The first cue after the figure in its clause, before any other figure: "21 doanh nghiệp (năm 2018)"."""
        clause_end = _FORWARD_STOP.search(self.text, figure_end, sentence_end)
        limit = clause_end.start() if clause_end else sentence_end
        cue = next((m for m in inside if figure_end <= m.start and m.end <= limit and m.kind in FORWARD), None)
        return cue if cue and not _DIGIT.search(self.text, figure_end, cue.start) else None

    def _as_stock(self, cue: PeriodMention, is_percent: bool) -> Period:
        """A level at the end of a multi-year period; a share keeps the period (rule 4); a level has no months."""
        period = self.resolve(cue)
        if cue.kind in MULTI_YEAR and not is_percent:
            return Period(period.year_end, period.year_end)
        return Period(period.year_start, period.year_end)
