"""What the HTML pages share: Vietnamese labels and colours, number formatting, the template environment.

Labels and colours are data (templates/labels_vi.json) so the article view and
the report name a subject the same way.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from schemas import Measure, StatisticRecord, Subject, Unit

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
