"""Lists of feeds as users keep them: an OPML file (what every feed reader exports) or a text file of URLs.

A `.txt` file is a list of URLs only when every non-blank line is one http(s)
URL (lines starting with '#' are comments); anything else is an article.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from corpus.reading import MAX_FILE_BYTES, read_file_bytes
from schemas.errors import InputError

_URL_SCHEMES = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class Subscription:
    """One feed of a list: its URL and the title the list gave it, if any."""

    url: str
    title: str | None = None


def is_url(line: str) -> bool:
    """One http(s) URL and nothing else on the line."""
    line = line.strip()
    return line.lower().startswith(_URL_SCHEMES) and len(line.split()) == 1 and len(line) > len("https://")


def same_site(url: str, site: str) -> bool:
    """On the site's host or a subdomain of it, `www.` or not (a site's own feeds and pages, not another's)."""
    host, home = ((urlsplit(u).hostname or "").removeprefix("www.") for u in (url, site))
    return host == home or host.endswith("." + home) or home.endswith("." + host)


def url_list(text: str) -> list[str] | None:
    """The URLs of a text whose every non-blank, non-comment line is a URL; None when it is not such a list."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return lines if lines and all(map(is_url, lines)) else None


def is_opml(data: bytes) -> bool:
    return b"<opml" in data[:1024].lower()


def parse_opml(data: bytes, *, source: str) -> list[Subscription]:
    """The feeds of an OPML document: every `<outline>` with an `xmlUrl`, nested folders included, in order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise InputError(source, f"malformed OPML: {error}") from None
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise InputError(source, "not an OPML document (no <opml> root)")
    found = [Subscription(url.strip(), (outline.get("title") or outline.get("text") or "").strip() or None)
             for outline in root.iter("outline") if (url := outline.get("xmlUrl") or outline.get("xmlurl"))]
    feeds = [feed for feed in found if is_url(feed.url)]
    if not feeds:
        raise InputError(source, "the OPML file lists no feed (no <outline xmlUrl=\"http…\">)")
    return feeds


def read_opml(path: Path) -> list[Subscription]:
    """An OPML file on disk, refused unread when over the size limit of a file."""
    return parse_opml(read_file_bytes(path, MAX_FILE_BYTES), source=str(path))
