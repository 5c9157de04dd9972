"""Finding a site's feeds: the `<link rel="alternate">` of its page, and the usual feed paths.

trafilatura's `feeds` module reads the links out of a page (`determine_feed`);
every byte is fetched by our own `Fetcher` (its limits, politeness and
validators), never by trafilatura. Vietnamese papers often keep an HTML page
at `/rss` listing one feed per section, so a usual path that answers with a
page is read for the feed links it holds. Each candidate is fetched and kept
only when it parses as a feed.
"""

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from trafilatura.feeds import FeedParameters, determine_feed

from corpus.feeds import looks_like_feed, parse_feed
from corpus.fetching import Fetched, Fetcher
from corpus.html import decode_html
from corpus.subscriptions import same_site
from schemas.errors import InputError

#: Where sites commonly keep a feed or a page listing their feeds.
USUAL_PATHS = ("/rss", "/feed", "/rss.xml", "/feed.xml", "/atom.xml", "/rss.html")
#: At most this many candidates are fetched to check that they are feeds.
MAX_CANDIDATES = 40


@dataclass(frozen=True, slots=True)
class FoundFeed:
    url: str
    title: str | None
    entries: int


def discover_feeds(site: str, fetcher: Fetcher) -> list[FoundFeed]:
    """The feeds a site offers, in the order found; raises InputError when the site's page cannot be fetched."""
    page = fetcher.fetch(site, conditional=False)
    if looks_like_feed(page.content, page.content_type):
        return [feed] if (feed := _feed(page)) else []
    candidates = _feed_links(page)
    root = urljoin(page.url, "/")
    for usual in fetcher.fetch_all((urljoin(root, path) for path in USUAL_PATHS), conditional=False):
        if isinstance(usual, Fetched):
            candidates += [usual.url] if looks_like_feed(usual.content, usual.content_type) else _feed_links(usual)
    unique = [url for url in dict.fromkeys(candidates) if same_site(url, page.url)][:MAX_CANDIDATES]
    found: dict[str, FoundFeed] = {}
    for fetched in fetcher.fetch_all(unique, conditional=False):
        if isinstance(fetched, Fetched) and (feed := _feed(fetched)) and feed.url not in found:
            found[feed.url] = feed
    return list(found.values())


def _feed_links(page: Fetched) -> list[str]:
    """Feed URLs a page links to, read by trafilatura from the content we fetched."""
    if not page.content or "html" not in (page.content_type or "text/html"):
        return []
    parts = urlsplit(page.url)
    html = decode_html(page.content, source=page.url, declared=page.charset).text
    return determine_feed(html, FeedParameters(f"{parts.scheme}://{parts.netloc}", parts.hostname or "", page.url))


def _feed(fetched: Fetched) -> FoundFeed | None:
    """What a response is as a feed; None when it does not parse as one."""
    try:
        feed = parse_feed(fetched.content, source=fetched.url)
    except InputError:
        return None
    return FoundFeed(fetched.url, feed.title, len(feed.entries))
