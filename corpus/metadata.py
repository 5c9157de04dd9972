"""Article metadata read from the text: title, date, outlet, byline, author, source line.

A field the source already set (a feed entry, a JSON line) is never
overwritten. Outlets, their web domains and the byline prefixes they put at
the start of the lead ("BTO-" Báo Bình Thuận, "PTĐT-" Báo Phú Thọ, "(GLO)-"
Báo Gia Lai) are data: `data/outlets.json`. A byline matches with or without its
brackets, a known one also at the start of a short opening line ("(TTV) Tiêu
đề"); a subdomain ("m.", "www.") is its outlet's; a source line may name the
outlet ("(Theo Báo Lạng Sơn)").
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from urllib.parse import urlparse

import regex

from corpus.cleaning import content_lines, furniture_spans, is_today_line
from corpus.dates import after_label, date_of_line, labelled_date, lead_day_month, url_date, year_for
from corpus.datafiles import load
from schemas import Article

#: A title is one line of at most this many words; a longer first line is the lead itself.
TITLE_MAX_WORDS = 40
#: Bylines and yearless dates open a paragraph of at least this many words among the first lines.
LEAD_MIN_WORDS = 12
OPENING_LINES = 6
_NAME = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]*(?:\s+\p{Lu}[\p{Ll}\p{M}]*){1,4}")
_DOMAIN = regex.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", regex.IGNORECASE)
_GENERIC_BYLINE = regex.compile(r"\s*(?P<b>\([\p{L}\d.]{2,20}\)\s*[-–—]?|\p{Lu}[\p{Lu}Đ]{1,5}\s*[-–—])\s*(?=\p{Lu})")


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    province: str | None
    verified: bool


@cache
def _outlets() -> tuple[dict[str, Outlet], list[tuple[regex.Pattern, Outlet]], dict[str, Outlet]]:
    """Lookups by domain, by byline prefix (longest first) and by name."""
    by_domain, bylines, by_name = {}, [], {}
    for entry in load("outlets")["outlets"]:
        outlet = Outlet(entry["outlet"], entry["province"], entry["verified"])
        by_name[outlet.name] = outlet
        by_domain.update(dict.fromkeys((d.lower().removeprefix("www.") for d in entry["domains"]), outlet))
        for byline in entry["bylines"] + entry["bylines_unverified"]:
            core = regex.escape(byline.strip().rstrip("-–— ").strip().removeprefix("(").removesuffix(")"))
            bylines.append((regex.compile(rf"\s*(?:\({core}\)|{core}(?![\p{{L}}\d]))\s*[-–—:]?\s*"), outlet))
    bylines.sort(key=lambda item: len(item[0].pattern), reverse=True)
    return by_domain, bylines, by_name


def outlet_of_domain(url_or_domain: str) -> Outlet | None:
    """The outlet of a web address or a bare domain ("baobinhthuan.com.vn/chinh-tri/…"); a subdomain
    ("m.baohaiduong.vn", a mobile or print edition) is its parent's."""
    by_domain, _, _ = _outlets()
    host = urlparse(url_or_domain).netloc or url_or_domain.split("/")[0]
    labels = host.lower().split(":")[0].split(".")
    return next((by_domain[name] for i in range(len(labels) - 1) if (name := ".".join(labels[i:])) in by_domain), None)


def read_byline(lead: str) -> tuple[str, Outlet | None] | None:
    """The byline prefix at the start of a lead, as written, and the outlet it names (None when unknown)."""
    if known := _known_byline(lead):
        return known
    if match := _GENERIC_BYLINE.match(lead):
        return match.group("b").strip(), None
    return None


def _known_byline(line: str) -> tuple[str, Outlet] | None:
    """A byline of a known outlet ("(QBĐT) -" and "QBĐT -" are one) at the start of a line."""
    _, bylines, _ = _outlets()
    for pattern, outlet in bylines:
        if match := pattern.match(line):
            return match.group().strip(), outlet
    return None


def _outlet_named(line: str | None) -> Outlet | None:
    """The outlet a source line names ("(Theo Báo Lạng Sơn)"), the longest name first."""
    _, _, by_name = _outlets()
    folded = (line or "").casefold()
    return next((by_name[name] for name in sorted(by_name, key=len, reverse=True) if name.casefold() in folded), None)


def outlet_province(article: Article) -> str | None:
    """The province of the article's paper, from its outlet name, byline, source line or URL; None if national or unknown."""
    _, _, by_name = _outlets()
    candidates = [by_name.get(article.outlet or "")]
    if article.byline:
        candidates.append((read_byline(article.byline) or ("", None))[1])
    for field in (article.source_line, article.url):
        candidates += [outlet_of_domain(d) for d in _DOMAIN.findall(field or "")]
    return next((c.province for c in candidates if c and c.province), None)


def read_metadata(article: Article, *, furniture: tuple[tuple[int, int], ...] | None = None) -> Article:
    """Copy of `article` with title, published (datetime.date), outlet, byline, author, source_line filled from the text
    where the source did not give them (never overwrite a field the source set).

    `furniture` is the text's `furniture_spans`, when the caller has them already."""
    text = article.text
    furniture = furniture_spans(text) if furniture is None else furniture
    lines = content_lines(text, furniture)
    title = _title(lines)
    opening = _opening(lines, title)
    byline = next((found for line in opening if (found := read_byline(line))), None) or next(
        (found for _, line in lines[:OPENING_LINES] if (found := _known_byline(line))), None)
    source_line, author = _footer(lines)
    outlet = (byline[1] if byline else None) or next(
        (o for o in (outlet_of_domain(d) for field in (source_line, article.url) for d in _DOMAIN.findall(field or "")) if o),
        None,
    ) or _outlet_named(source_line)
    found = {
        "title": title,
        "published": _published(text, furniture, lines, opening, article.url),
        "outlet": outlet.name if outlet else None,
        "byline": byline[0] if byline else None,
        "author": author,
        "source_line": source_line,
    }
    update = {field: value for field, value in found.items() if getattr(article, field) is None and value is not None}
    return article.model_copy(update=update)


def _title(lines: list[tuple[int, str]]) -> str | None:
    first = lines[0][1] if lines else None
    return first if first and len(first.split()) <= TITLE_MAX_WORDS else None


def _opening(lines: list[tuple[int, str]], title: str | None) -> list[str]:
    """The paragraphs that may open the article (a byline, a yearless date): after the title, up to OPENING_LINES."""
    body = lines[1:] if title else lines
    return [line for _, line in body[:OPENING_LINES] if len(line.split()) >= LEAD_MIN_WORDS]


def _published(text: str, furniture: tuple[tuple[int, int], ...], lines: list[tuple[int, str]], opening: list[str],
               url: str | None) -> date | None:
    """The dateline's date (not the page's clock, "Hôm nay, ngày …"); else a labelled date opening the text, or the
    date in the page's address; else a lead opening "Sáng 10/9," in the month those give, or with the year the text
    makes plain; else None."""
    for start, end in furniture:
        line = text[start:end]
        if "\n" not in line and not is_today_line(line) and (found := date_of_line(line)):
            return found
    labelled = _labelled_line(lines)
    stated = _stated(labelled, url)
    if stated and stated[2]:
        return date(*stated)
    leads = ([after_label(labelled)] if labelled else []) + opening
    day_month = next((found for line in leads if (found := lead_day_month(line))), None)
    if not day_month:
        return None
    if stated and stated[1] == day_month[1]:
        return date(stated[0], day_month[1], day_month[0])
    year = year_for(text, *day_month)
    return date(year, day_month[1], day_month[0]) if year else None


def _stated(labelled: str | None, url: str | None) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of a labelled opening date, else of the page's address."""
    return (labelled_date(labelled) if labelled else None) or (url_date(url) if url else None)


def _labelled_line(lines: list[tuple[int, str]]) -> str | None:
    """The first line that opens with a labelled date ("date 2023-07 Sáng 30/7, …"), among the opening `content_lines`."""
    return next((line for _, line in lines[:OPENING_LINES] if labelled_date(line)), None)


def publication_year(article: Article, *, furniture: tuple[tuple[int, int], ...] | None = None) -> int | None:
    """The year the article was published: its date, else the year a labelled opening or its address gives.

    `furniture` as in `read_metadata`; it is read only for an undated article."""
    if article.published:
        return article.published.year
    text = article.text
    lines = content_lines(text, furniture_spans(text) if furniture is None else furniture)
    stated = _stated(_labelled_line(lines), article.url)
    return stated[0] if stated else None


def _footer(lines: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    """The source line ("Nguồn: …") and the author (a last short line of 2–5 capitalised words)."""
    cues = load("metadata")
    source_line = author = None
    for _, line in reversed(lines[-3:]):
        if source_line is None and len(line) <= cues["source_line_max_length"] and line.startswith(tuple(cues["source_prefixes"])):
            if line.startswith("Theo") and not _DOMAIN.search(line) and len(line.split()) > 8:
                continue
            source_line = line
            continue
        name = line
        for prefix in cues["credit_prefixes"]:
            if name.startswith(prefix):
                name = name[len(prefix):].strip()
                break
        if _NAME.fullmatch(name):
            author = name
        break
    return source_line, author
