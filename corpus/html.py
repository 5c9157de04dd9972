"""Article text and metadata from an HTML page, offline: bytes or str in, `Article` out.

Decoding follows the order browsers use: a byte-order mark, then the charset
the HTTP header declared, then `<meta charset>`, then strict UTF-8, then
detection. Vietnamese windows-1258 pages spell tones as combining marks, so
the result is NFC-normalised before anything else sees it.
"""

import codecs
import re
import unicodedata
from datetime import date

import charset_normalizer
import trafilatura

from schemas.article import Article
from schemas.errors import InputError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_SNIFF_BYTES = 4096

# Less main text than this is page furniture (a menu, "page not found"), not an article.
MIN_TEXT_CHARS = 100

# WHATWG maps these labels to windows-1252, which is what such pages really are.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first few KB (`<meta charset>` or http-equiv)."""
    found = _META_CHARSET.search(data[:_SNIFF_BYTES])
    return found.group(1).decode("ascii") if found else None


def _codec(label: str) -> str | None:
    name = _WHATWG_ALIASES.get(label.strip().lower(), label.strip())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _candidates(data: bytes, declared: str | None) -> list[str]:
    bom = next((codec for mark, codec in _BOMS if data.startswith(mark)), None)
    if bom:
        return [bom]
    labels = [label for label in (declared, meta_charset(data), "utf-8") if label]
    codecs_in_order = [codec for codec in map(_codec, labels) if codec]
    return list(dict.fromkeys(codecs_in_order))


def decode_html(data: bytes, *, source: str, declared: str | None = None) -> str:
    """NFC text of a page; `declared` is the charset from the HTTP Content-Type, if any."""
    for codec in _candidates(data, declared):
        try:
            return unicodedata.normalize("NFC", data.decode(codec))
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(source, "cannot decode the page: no declared or detectable character encoding")
    return unicodedata.normalize("NFC", str(best))


def _paragraphs(text: str) -> str:
    """One blank line between paragraphs, as in the project's .txt articles."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def with_title(title: str | None, body: str) -> str:
    """Headlines often carry the main figure, so the title leads the text once."""
    if not title or body.startswith(title):
        return body
    return f"{title}\n\n{body}"


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def read_html(
    page: bytes | str,
    *,
    source: str,
    doc: str,
    url: str | None = None,
    charset: str | None = None,
) -> Article:
    """The main text of a page with its title, date, author and site name.

    `charset` is the one an HTTP header declared; raises InputError when the
    page cannot be decoded or has no main text.
    """
    html = unicodedata.normalize("NFC", page) if isinstance(page, str) else decode_html(page, source=source, declared=charset)
    found = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    body = _paragraphs(unicodedata.normalize("NFC", found.text or "")) if found else ""
    if len(body) < MIN_TEXT_CHARS:
        raise InputError(source, f"no article text found in the page (only {len(body)} characters of main text)")
    title = unicodedata.normalize("NFC", found.title) if found.title else None
    return Article(
        doc=doc,
        text=with_title(title, body),
        source=source,
        url=url,
        title=title,
        published=_iso_date(found.date),
        outlet=found.sitename or None,
        author=found.author or None,
    )


def html_fragment_text(fragment: str) -> str:
    """Plain paragraphs of an HTML fragment, e.g. a feed entry's full content."""
    found = trafilatura.extract(f"<html><body><article>{fragment}</article></body></html>", include_comments=False)
    return _paragraphs(unicodedata.normalize("NFC", found or ""))
