"""Dates as news pages write them, for the publication date and the date line.

Forms: "17-07-2020 09:20", "Thứ tư, 25/10/2017, 07:41:05", "Ngày đăng : 10:26,
28/02/2024", "Cập nhật: 14:05 ngày 03/04/2023", "ngày 3 tháng 4 năm 2023",
"2023-07-14 09:52:00", "23.11.2017 - 8:20", "Cập nhật lúc 22:38, Thứ Hai,
08/10/2018 (GMT+7)"; a labelled ISO date opening the text ("date 2025-10-02 …",
"date 2023-07 …": a saved page's metadata); the date in a page's address
("…-20190902220114388.htm", "/2021/03/17/…", "/chinh-tri/201512/…"); and a lead that opens
"Sáng 10/9," or "Sáng 2.9," with no year.
"""

from datetime import date
from functools import cache

import regex

from corpus.datafiles import load

_FULL = regex.compile(
    r"(?<!\d)(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d\d)(?!\d)"
    r"|ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>(?:19|20)\d\d)(?!\d)"
    r"|(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)",
    regex.IGNORECASE,
)
#: A date in a web address: a run of 14+ digits opening with yyyymmdd (a timestamp), or a yyyymm folder.
_URL_STAMP = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)\d{6,}(?!\d)")
_URL_DAY = regex.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>\d\d)/(?P<d>\d\d)/")
_URL_MONTH = regex.compile(r"/(?P<y>(?:19|20)\d\d)/?(?P<m>\d\d)/")
_TIME = regex.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
_WORD = regex.compile(r"\p{L}+")


@cache
def _stated_year() -> regex.Pattern:
    """ "năm 2024" as the year of the report, not a target's or an end point's ("chỉ tiêu năm 2025", "đến năm 2025")."""
    before = "|".join(regex.escape(w) for w in load("metadata")["not_current_year_before"])
    return regex.compile(rf"(?<!(?:{before})\s+)năm\s+(?P<y>(?:19|20)\d\d)(?![\d/-])", regex.IGNORECASE)


def _date(day: str, month: str, year: int) -> date | None:
    try:
        return date(year, int(month), int(day))
    except ValueError:
        return None


def date_of_line(line: str) -> date | None:
    """The date of a short line that is mostly a date (a dateline), else None.

    A sentence that cites a date ("Quyết định số 218-QĐ/TW ngày 12/12/2013 của
    Bộ Chính trị …") is longer or holds more words, and is not a dateline.
    """
    cues = load("metadata")
    line = line.strip()
    match = _FULL.search(line)
    if not match or len(line) > cues["date_line_max_length"]:
        return None
    rest = _TIME.sub(" ", line[:match.start()] + " " + line[match.end():])
    for weekday in cues["weekdays"]:
        rest = rest.replace(weekday, " ")
    if len(_WORD.findall(rest)) > cues["date_line_max_words"]:
        return None
    return _date(match.group("d"), match.group("m"), int(match.group("y")))


def lead_day_month(lead: str) -> tuple[int, int] | None:
    """(day, month) of a lead that opens with a yearless date: "Sáng 10/9, …", "BTO-Chiều 27/2, …", "Sáng 2.9, …"."""
    parts = "|".join(regex.escape(w) for w in sorted(load("metadata")["part_of_day"], key=len, reverse=True))
    match = regex.match(
        rf"\s*(?:\S{{0,12}}?[-–]\s*)?(?:{parts})\s+(?:ngày\s+)?(?P<d>\d{{1,2}})\s*[/.]\s*(?P<m>\d{{1,2}})(?!\d|[/.]\d)", lead
    )
    if not match or not (1 <= int(match.group("m")) <= 12 and 1 <= int(match.group("d")) <= 31):
        return None
    return int(match.group("d")), int(match.group("m"))


@cache
def _labelled() -> regex.Pattern:
    labels = "|".join(regex.escape(w) for w in sorted(load("metadata")["date_labels"], key=len, reverse=True))
    return regex.compile(rf"\s*(?:{labels})\s*:?\s*(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)(?:-(?P<d>\d\d))?(?![\d-])", regex.IGNORECASE)


def labelled_date(line: str) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of a labelled ISO date opening a line: "date 2025-10-02 Đại hội …", "date 2023-07 Sáng 30/7, …"."""
    match = _labelled().match(line)
    return _parts(match) if match else None


def after_label(line: str) -> str:
    """The line without a labelled date opening it ("date 2023-07 Sáng 30/7, …" → "Sáng 30/7, …")."""
    match = _labelled().match(line)
    return line[match.end():] if match else line


def url_date(url: str) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) a page's address carries: a yyyymmddhhmmss… stamp or /yyyy/mm/dd/ folders, else a
    /yyyymm/ or /yyyy/mm/ folder."""
    match = _URL_STAMP.search(url) or _URL_DAY.search(url) or _URL_MONTH.search(url)
    return _parts(match) if match else None


def _parts(match: regex.Match) -> tuple[int, int, int | None] | None:
    year, month = int(match.group("y")), int(match.group("m"))
    day = int(match.group("d")) if match.groupdict().get("d") else None
    if not 1 <= month <= 12 or (day is not None and _date(str(day), str(month), year) is None):
        return None
    return year, month, day


def year_for(text: str, day: int, month: int) -> int | None:
    """The year a yearless date belongs to, when the text makes it plain.

    The latest year the text gives to the same month ("đến tháng 9/2022") or
    to the same day and month ("10/9/2022"); else the latest year it states as
    "năm 2024" (a report on the current year: "năm 2024, các công đoàn …"),
    leaving out end points such as "đến năm 2025"; None when it gives none.
    """
    pattern = regex.compile(
        rf"tháng\s+0?{month}\s*(?:[/-]\s*|\s+năm\s+)(?P<y>(?:19|20)\d\d)(?!\d)"
        rf"|(?<!\d)0?{day}\s*/\s*0?{month}\s*/\s*(?P<y>(?:19|20)\d\d)(?!\d)",
        regex.IGNORECASE,
    )
    years = [int(m.group("y")) for m in pattern.finditer(text)] or [int(m.group("y")) for m in _stated_year().finditer(text)]
    return max(years) if years and _date(str(day), str(month), max(years)) else None
