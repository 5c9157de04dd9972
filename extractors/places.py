"""Provinces of figures (first version: the first province named in the text; issue 5 fills it)."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex
import underthesea.address

from schemas import Article

MAPPING = Path(underthesea.address.__file__).parent / "data" / "mapping.json"


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    text: str
    province: str


@cache
def _index() -> tuple[regex.Pattern, dict[str, str]]:
    data = json.loads(MAPPING.read_text(encoding="utf-8"))
    names = {info["short"]: key for key, info in data["old_province_names"].items()}
    new = {key: data["province_names"][data["province_mapping"][key]]["short"] for key in data["old_province_names"]}
    to_2025 = {short: new[key] for short, key in names.items()}
    pattern = regex.compile(r"\b(" + "|".join(sorted(map(regex.escape, names), key=len, reverse=True)) + r")\b")
    return pattern, to_2025


def find_places(text: str, offset: int = 0) -> list[PlaceMention]:
    pattern, _ = _index()
    return [PlaceMention(offset + m.start(), offset + m.end(), m.group(), m.group()) for m in pattern.finditer(text)]


def province_2025(province: str) -> str | None:
    return _index()[1].get(province)


def article_province(article: Article, places: list[PlaceMention]) -> str | None:
    return places[0].province if places else None


class ProvinceResolver:
    def __init__(self, article: Article) -> None:
        self.article_province = article_province(article, find_places(article.text))

    def province_for(self, sentence_start: int, sentence_end: int, figure_start: int, scope: str | None = None) -> str | None:
        return self.article_province
