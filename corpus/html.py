"""Article text and metadata from an HTML page, offline: bytes or str in, `Article` out.

Decoding is `corpus.decoding`'s: a byte-order mark, else strict UTF-8, else
detection among the charset the HTTP header declared, `<meta charset>` and
windows-1258/1252, so a wrong declaration is overruled by the bytes.
Vietnamese windows-1258 pages spell tones as combining marks, so the result
is NFC-normalised before anything else sees it.

libxml2 (under trafilatura) stops building the tree about 255 elements deep,
so a page nested deeper has its layout wrappers (div, span, …) removed and is
read again; when that finds no text either, the error says why.
"""

import re
import unicodedata
from datetime import date

import trafilatura
from trafilatura.settings import Document

from corpus.decoding import Decoded, decode
from schemas.article import Article
from schemas.errors import InputError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_SNIFF_BYTES = 4096

# Less main text than this is page furniture (a menu, "page not found"), not an article.
MIN_TEXT_CHARS = 100

#: How deep libxml2 nests elements before it gives up on the rest of the page.
PARSER_DEPTH = 250
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_WRAPPERS = re.compile(r"</?(?:div|span|section|article|font|center|main|aside|header|footer|nav|b|i|u|em|strong|table|tbody|thead|tr|td|th|blockquote)\b[^>]*>",
                       re.IGNORECASE)


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first few KB (`<meta charset>` or http-equiv)."""
    found = _META_CHARSET.search(data[:_SNIFF_BYTES])
    return found.group(1).decode("ascii") if found else None


def decode_html(data: bytes, *, source: str, declared: str | None = None) -> Decoded:
    """NFC text of a page and its encoding; `declared` is the charset from the HTTP Content-Type, if any."""
    return decode(data, source=source, declared=(declared, meta_charset(data)))


def nesting_depth(html: str) -> int:
    """How deep the page's elements nest (void elements and self-closing tags do not count)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if name.lower() in _VOID or self_closing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _main_text(html: str, url: str | None) -> tuple[str, Document | None]:
    found = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    return (_paragraphs(unicodedata.normalize("NFC", found.text or "")) if found else ""), found


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
    decoded = Decoded(unicodedata.normalize("NFC", page), None) if isinstance(page, str) else decode_html(page, source=source, declared=charset)
    html = decoded.text
    body, found = _main_text(html, url)
    depth = nesting_depth(html) if len(body) < MIN_TEXT_CHARS else 0
    if depth > PARSER_DEPTH:
        body, found = _main_text(_WRAPPERS.sub("", html), url)
    if len(body) < MIN_TEXT_CHARS or found is None:
        deep = f"; the page nests {depth} elements deep, past the HTML parser's limit of {PARSER_DEPTH}" if depth > PARSER_DEPTH else ""
        raise InputError(source, f"no article text found in the page (only {len(body)} characters of main text){deep}")
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
        encoding=decoded.encoding,
    )


def html_fragment_text(fragment: str) -> str:
    """Plain paragraphs of an HTML fragment, e.g. a feed entry's full content."""
    found = trafilatura.extract(f"<html><body><article>{fragment}</article></body></html>", include_comments=False)
    return _paragraphs(unicodedata.normalize("NFC", found or ""))
