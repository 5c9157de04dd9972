"""Page furniture: lines of a saved web page that are not the article.

The text is never rewritten (every offset in the project indexes it as read);
cleaning only reports spans for later stages to skip. A span is always a
whole line, or everything from a closing heading ("Tin cùng chuyên mục",
"TIN LIÊN QUAN") to the end. The phrases are data: `data/furniture.json`.
"""

from functools import cache

import regex

from corpus.dates import date_of_line
from corpus.datafiles import load

_LINE = regex.compile(r"[^\n]+")
_SPACE = regex.compile(r"\s+")
#: A closing heading ends the article only in its second half: above that it is a navigation link.
TAIL_FROM = 0.5


def _key(line: str) -> str:
    return _SPACE.sub(" ", line).strip().casefold()


@cache
def _lexicon() -> tuple[frozenset[str], regex.Pattern, frozenset[str]]:
    data = load("furniture")
    patterns = regex.compile("|".join(f"(?:{p})" for p in data["line_patterns"] + data["today_lines"]), regex.IGNORECASE)
    return frozenset(map(_key, data["lines"])), patterns, frozenset(map(_key, data["tail"]))


@cache
def _today() -> regex.Pattern:
    return regex.compile("|".join(f"(?:{p})" for p in load("furniture")["today_lines"]), regex.IGNORECASE)


def is_furniture_line(line: str) -> bool:
    """A navigation, control, image-name, counter or date line."""
    lines, patterns, _ = _lexicon()
    stripped = _SPACE.sub(" ", line).strip()
    return _key(stripped) in lines or bool(patterns.fullmatch(stripped)) or date_of_line(stripped) is not None


def is_today_line(line: str) -> bool:
    """The page's own clock ("Hôm nay, ngày 13 tháng 11 năm 2018"): furniture, and never the publication date."""
    return bool(_today().fullmatch(_SPACE.sub(" ", line).strip()))


def furniture_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of page furniture to ignore, offsets into `text` unchanged.

    Metadata, places, periods and sentences all skip an article's furniture:
    it is worked out once per article, by its context (`pipeline.nlp.context`),
    and handed to each of them.

    Besides the listed lines: the date line, later copies of the title (the
    first line that is not furniture), and everything after a closing heading.
    """
    _, _, tail = _lexicon()
    spans: list[tuple[int, int]] = []
    title: str | None = None
    for line in _LINE.finditer(text):
        content = line.group().strip()
        if not content:
            continue
        if _key(content) in tail and line.start() >= len(text) * TAIL_FROM:
            spans.append((line.start(), len(text)))
            break
        if is_furniture_line(content) or (title is not None and _key(content) == _key(title)):
            spans.append(line.span())
        elif title is None:
            title = content
    return tuple(spans)


def content_lines(text: str, spans: tuple[tuple[int, int], ...]) -> list[tuple[int, str]]:
    """(offset, stripped line) of every non-empty line outside the furniture `spans` (`furniture_spans(text)`), in order.

    A furniture span is a whole line or the tail, so a line is furniture when
    a span starts where it does or the tail holds it: no scan of the spans.
    """
    line_starts = {start for start, _ in spans}
    tail = spans[-1] if spans else (len(text), len(text))
    lines = []
    for line in _LINE.finditer(text):
        content = line.group().strip()
        if content and line.start() not in line_starts and not tail[0] <= line.start() < tail[1]:
            lines.append((line.start() + line.group().index(content), content))
    return lines
