"""Backfill from a site's sitemaps, politely: robots.txt honoured, one host spaced, re-runs conditional.

The sitemaps are found as trafilatura's `sitemaps` module finds them (the
`Sitemap:` lines of robots.txt, else its usual guesses) and recognised by its
checks, but every byte is fetched by our `Fetcher`: its per-host limit and
delay, retries and validators apply, and a sitemap answered 304 on a re-run
is not walked again. trafilatura's own link handling needs a registrable
domain and drops `<lastmod>`, so the `<loc>`/`<lastmod>` pairs are read here.
robots.txt is read with `urllib.robotparser` on every run (RFC 9309 lets it
be cached a day at most): a page or sitemap it disallows is not fetched, and
its Crawl-delay (up to MAX_CRAWL_DELAY) spaces the requests.
"""

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from lxml import etree
from trafilatura.sitemaps import DETECT_LINKS, GUESSES, SITEMAP_FORMAT, extract_robots_sitemaps, is_plausible_sitemap

from corpus.fetching import USER_AGENT, Fetcher
from corpus.sources import Note, read_sources, silent
from corpus.subscriptions import is_url, same_site
from schemas.article import Article
from schemas.errors import InputError

MAX_SITEMAPS = 200
MAX_CRAWL_DELAY = 30.0
_SITEMAP_SUFFIXES = (".xml", ".xml.gz", ".txt")


@dataclass
class Robots:
    """What a site's robots.txt says to thongke; a site without one (HTTP 4xx) allows everything."""

    rules: RobotFileParser | None
    sitemaps: list[str] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        return self.rules is None or self.rules.can_fetch(USER_AGENT, url)

    @property
    def crawl_delay(self) -> float:
        delay = self.rules.crawl_delay(USER_AGENT) if self.rules is not None else None
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0


def read_robots(site: str, fetcher: Fetcher) -> Robots:
    """The site's robots.txt, fetched in full; raises InputError when it cannot be read (a 5xx or no answer: RFC 9309 says crawl nothing)."""
    root = _root(site)
    try:
        fetched = fetcher.fetch(urljoin(root, "/robots.txt"), conditional=False)
    except InputError as error:
        if error.problem.startswith("HTTP 4"):
            return Robots(None)
        raise InputError(site, f"robots.txt cannot be read ({error.problem}), so the site is not crawled") from None
    text = fetched.content.decode("utf-8", errors="replace")
    rules = RobotFileParser()
    rules.parse(text.splitlines())
    return Robots(rules, extract_robots_sitemaps(text, root.rstrip("/")))


@dataclass(frozen=True, slots=True)
class Entry:
    loc: str
    lastmod: date | None


def read_site(site: str, fetcher: Fetcher, *, since: date | None = None, note: Note = silent) -> Iterator[Article | InputError]:
    """The article pages of a site's sitemaps (modified on or after `since` when they say so), fetched and read."""
    try:
        robots = read_robots(site, fetcher)
    except InputError as error:
        yield error
        return
    if robots.crawl_delay:
        fetcher.slow_down(urlsplit(site).netloc, robots.crawl_delay)
    pages: list[str] = []
    refused = 0
    for item in sitemap_pages(site, fetcher, robots, since):
        if isinstance(item, InputError):
            yield item
        elif robots.allows(item):
            pages.append(item)
        else:
            refused += 1
    note(f"{site}: {len(pages)} page(s) to read from its sitemaps"
         + (f"; {refused} left out because robots.txt disallows them" if refused else ""))
    yield from read_sources(pages, fetcher=fetcher, note=note)


def sitemap_pages(site: str, fetcher: Fetcher, robots: Robots, since: date | None = None) -> Iterator[str | InputError]:
    """Page URLs of the site's sitemaps, each once, in sitemap order; sitemaps unchanged since the last run (304) are skipped."""
    given = site if urlsplit(site).path.lower().endswith(_SITEMAP_SUFFIXES) else None
    queue = [given] if given else robots.sitemaps
    guesses = [] if queue else [urljoin(_root(site), guess) for guess in GUESSES]
    seen: set[str] = set()
    pages: set[str] = set()
    while (queue or guesses) and len(seen) < MAX_SITEMAPS:
        guessing = not queue
        url = queue.pop(0) if queue else guesses.pop(0)
        if url in seen or not robots.allows(url):
            continue
        seen.add(url)
        try:
            fetched = fetcher.fetch(url)
        except InputError as error:
            if not guessing:
                yield error
            continue
        if guessing:
            guesses = []  # one sitemap found is the site's; the other guesses would list it again
        if fetched.unchanged:
            continue
        content = _unzipped(fetched.content, url)
        if isinstance(content, InputError) or not is_plausible_sitemap(url, content):
            yield content if isinstance(content, InputError) else InputError(url, "not a sitemap (neither sitemap XML nor a list of URLs)")
            continue
        children, entries = _entries(content, url)
        queue += [child.loc for child in children if _recent(child, since) and same_site(child.loc, site)]
        for entry in entries:
            if entry.loc not in pages and _recent(entry, since) and same_site(entry.loc, site):
                pages.add(entry.loc)
                yield entry.loc


def _entries(content: str, url: str) -> tuple[list[Entry], list[Entry]]:
    """The child sitemaps and the pages a sitemap lists (a text sitemap lists pages only)."""
    if not SITEMAP_FORMAT.match(content):
        return [], [Entry(link, None) for link in DETECT_LINKS.findall(content) if is_url(link)]
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    root = etree.fromstring(content.encode("utf-8"), parser)
    children: list[Entry] = []
    pages: list[Entry] = []
    for element in root.iter() if root is not None else ():
        kind = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if kind in ("sitemap", "url"):
            fields = {etree.QName(child).localname: (child.text or "").strip() for child in element if isinstance(child.tag, str)}
            loc = urljoin(url, fields.get("loc", ""))
            if is_url(loc):
                (children if kind == "sitemap" else pages).append(Entry(loc, _day(fields.get("lastmod") or fields.get("publication_date"))))
    return children, pages


def _unzipped(data: bytes, url: str) -> str | InputError:
    if data[:2] == b"\x1f\x8b":
        try:
            data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 50_000_000)
        except zlib.error as error:
            return InputError(url, f"a broken gzip sitemap ({error})")
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _recent(entry: Entry, since: date | None) -> bool:
    """Kept unless it says it was last modified before `since` (no date: kept)."""
    return since is None or entry.lastmod is None or entry.lastmod >= since


def _root(site: str) -> str:
    parts = urlsplit(site)
    return f"{parts.scheme}://{parts.netloc}/"
