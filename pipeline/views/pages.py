"""What the HTML pages share: Vietnamese labels and colours, number formatting, the template environment.

Labels and colours are data (templates/labels_vi.json) so the article view and
the report name a subject the same way.
"""

import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from schemas import Level, Measure, StatisticRecord, Subject, Unit

# The Vietnamese alphabet's letters in dictionary order (ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u),
# and its five tone marks in the order dictionaries list them (unmarked first).
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
TONES = "\u0300\u0309\u0303\u0301\u0323"  # huyền, hỏi, ngã, sắc, nặng
LETTER_MARKS = "\u0306\u0302\u031b"  # breve, circumflex, horn: part of the letter (ă, â, ê, ô, ơ, ư)
INK = ("#1d2733", "#ffffff")

TEMPLATES = Path(__file__).parent / "templates"


@cache
def labels() -> dict[str, Any]:
    return json.loads((TEMPLATES / "labels_vi.json").read_text(encoding="utf-8"))


def subject_label(subject: Subject | str) -> str:
    return labels()["subjects"][str(subject)]["label"]


def subject_color(subject: Subject | str) -> str:
    return labels()["subjects"][str(subject)]["color"]


def measure_label(measure: Measure | str) -> str:
    return labels()["measures"][str(measure)]


def level_label(level: Level | str | None) -> str:
    return labels()["levels"][str(level)] if level is not None else "—"


def period_label(record: StatisticRecord) -> str:
    """The period a figure covers as a Vietnamese reader writes it: "2023", "2021–2025", "tháng 1–6/2023"."""
    years = [str(y) if y is not None else "?" for y in (record.year_start, record.year_end)]
    if record.year_start is None and record.year_end is None:
        return "—"
    first, last = record.month_start, record.month_end
    if first is None and last is None:
        return years[0] if years[0] == years[1] else "–".join(years)
    if years[0] == years[1]:
        months = "–".join(dict.fromkeys(str(m) for m in (first, last) if m is not None))
        prefix = "tháng" if first is not None and last is not None else "từ tháng" if last is None else "đến tháng"
        return f"{prefix} {months}/{years[1]}"
    return f"{first or '?'}/{years[0]}–{last or '?'}/{years[1]}"


def vietnamese_key(name: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Sort key in Vietnamese dictionary order: word by word, letters first ("Bắc" before "Bình"), then tones."""
    letters: list[str] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", name.casefold()):
        if char in TONES and letters:
            tones[-1] = TONES.index(char) + 1
        elif char in LETTER_MARKS and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        else:
            letters.append(char)
            tones.append(0)
    order = tuple(ALPHABET.index(c) if c in ALPHABET else ord(c) - 0x110000 for c in letters)  # spaces, digits first
    return order, tuple(tones), name


def _luminance(color: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ink_on(color: str) -> str:
    """The text colour (dark or white) with the higher contrast on a '#rrggbb' background."""
    background = _luminance(color) + 0.05
    return max(INK, key=lambda ink: max(background, _luminance(ink) + 0.05) / min(background, _luminance(ink) + 0.05))


def vi_number(value: float | None, unit: Unit | str = Unit.count) -> str:
    """Vietnamese digits: '.' groups thousands, ',' marks decimals ("152.300", "13,6%")."""
    if value is None:
        return ""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text + ("%" if str(unit) == Unit.percent else "")


def record_value(record: StatisticRecord) -> str:
    """The normalised figure as a reader would write it, with its qualifier and target."""
    qualifier = labels()["qualifiers"][str(record.qualifier)]
    value = vi_number(record.value, record.unit)
    if record.high is not None:
        value += "–" + vi_number(record.high, record.unit)
    if record.target is not None:
        value += f" / chỉ tiêu {vi_number(record.target)}"
    return f"{qualifier} {value}".strip()


def is_web_url(url: object) -> bool:
    """Only an http(s) address becomes a link: a `javascript:` or `data:` URL from a feed stays text."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=vi_number, subject=subject_label, measure=measure_label)
    env.tests["web_url"] = is_web_url
    return env


def render_page(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
