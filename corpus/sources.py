"""One entry point from the specs a user types to articles: files, folders, stdin, URLs, feeds.

A spec is '-' (stdin), a folder (read recursively), a file (by suffix), or an
http(s) URL (a feed when the response is one by media type or root element,
else an article page). A feed's entries become articles from their own
content when it is the full text, else from the page their link names.
A list of feeds (an OPML file, or a `.txt` whose every line is a URL: see
`corpus.subscriptions`) is read as the URLs it lists. In a folder saved by a
browser ("Save page as": `page.html` beside `page_files/`) the assets folder
is not read.

Doc ids: a file's name without extension (see json_articles for .json/.jsonl);
a URL's `url_doc` slug: lower-case host without 'www.', then path and query,
each run of characters other than ASCII letters, digits, '.' and '-' turned
into '_' (`https://www.baohoabinh.com.vn/xay-dung-dang/a-1.htm?id=7` →
`baohoabinh.com.vn_xay-dung-dang_a-1.htm_id_7`); slugs longer than 120
characters keep 100 and a 12-digit hash of the URL.

A fetched page is stored under the URL it was finally served from (after
redirects), with the URL asked for kept as `requested_url` when they differ;
credentials (`user:password@`) are removed from both.
"""

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

from corpus.feeds import Feed, FeedEntry, looks_like_feed, parse_feed, read_feed_file
from corpus.fetching import Fetched, Fetcher, without_credentials
from corpus.html import read_html, with_title
from corpus.json_articles import read_json, read_jsonl
from corpus.reading import (MAX_ARTICLE_BYTES, MAX_FILE_BYTES, MAX_PAGE_BYTES, STDIN, checked_article, file_key,
                             read_file_bytes, read_stdin, read_text_file)
from corpus.subscriptions import is_opml, read_opml, url_list
from schemas.article import Article
from schemas.errors import InputError

_HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_UNSAFE = re.compile(r"[^A-Za-z0-9.\-]+")
_MAX_SLUG = 120


def url_doc(url: str) -> str:
    """A stable, file-name-safe doc id for a URL (see the module docstring)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    slug = _UNSAFE.sub("_", host + parts.path + (f"?{parts.query}" if parts.query else "")).strip("_.")
    if len(slug) <= _MAX_SLUG:
        return slug
    return f"{slug[:100].rstrip('_.')}_{hashlib.sha1(url.encode()).hexdigest()[:12]}"


Note = Callable[[str], None]


def silent(message: str) -> None:
    """The default `note`: a library says nothing unless asked."""


class _Web:
    """The fetcher the caller gave, or one made on first need and closed at the end; and where notes go."""

    def __init__(self, fetcher: Fetcher | None, allow_private: bool, max_bytes: int, note: Note = silent) -> None:
        self._given = fetcher
        self._made: Fetcher | None = None
        self._allow_private = allow_private
        self.max_bytes = max_bytes
        self.note = note

    def fetcher(self) -> Fetcher:
        if self._given is not None:
            return self._given
        if self._made is None:
            self._made = Fetcher(allow_private=self._allow_private)
        return self._made

    def close(self) -> None:
        if self._made is not None:
            self._made.close()


def read_sources(specs: Iterable[str], *, fetcher: Fetcher | None = None, allow_private: bool = False,
                 max_bytes: int = MAX_ARTICLE_BYTES, note: Note = silent) -> Iterator[Article | InputError]:
    """Every article the specs name, in order; what cannot be read comes as InputError.

    `fetcher` carries timeouts, politeness, the ETag cache and whether private
    addresses may be fetched; without one a default Fetcher (in-memory cache,
    `allow_private` as given) is made when a URL first needs it.
    Pages a conditional request finds unchanged (304) yield nothing. An
    article over `max_bytes` of UTF-8 text, or whose text is not valid
    Unicode, comes as an InputError; no file is read past its size limit.
    `note` hears how an input was taken when it could be taken two ways (a
    `.txt` read as a list of URLs, a saved page's assets left out).
    """
    web = _Web(fetcher, allow_private, max_bytes, note)
    try:
        for is_url, group in groupby(specs, key=_is_url):
            if is_url:
                urls = list(group)
                items = _isolated(_read_urls(urls, web), ", ".join(urls))
            else:
                items = (item for spec in group for item in _isolated(_read_local(spec, web), spec))
            for item in items:
                yield item if isinstance(item, InputError) else _attempt(checked_article, item, max_bytes)
    finally:
        web.close()


def _isolated(items: Iterator[Article | InputError], spec: str) -> Iterator[Article | InputError]:
    """A reader's items until it breaks: a bug on one hostile input becomes that input's error, and the run goes on."""
    try:
        yield from items
    except Exception as error:  # noqa: BLE001 — one unreadable input must not end the batch
        yield InputError(spec, f"cannot be read ({type(error).__name__}: {error})")


def count_articles(specs: Iterable[str]) -> int | None:
    """How many articles the specs hold, from file names alone (nothing is read); None when that cannot be told.

    Only files of one article each can be counted so: stdin, URLs, JSON
    and feeds make the count unknown.
    """
    total = 0
    for spec in specs:
        if spec == STDIN or _is_url(spec):
            return None
        path = Path(spec)
        files = _folder_files(path)[0] if path.is_dir() else [path]
        if any(file.suffix.lower() not in _ONE_ARTICLE or _may_list_urls(file) for file in files):
            return None
        total += len(files)
    return total


def _is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def _attempt(reader: Callable[..., Article], *args: object, **kwargs: object) -> Article | InputError:
    try:
        return reader(*args, **kwargs)
    except InputError as error:
        return error


# ---- local files ----


def _read_html_file(path: Path, web: _Web) -> Iterator[Article | InputError]:
    yield _attempt(lambda: read_html(read_file_bytes(path, MAX_PAGE_BYTES), source=file_key(path), doc=path.stem))


def _head(path: Path, size: int = 1024) -> bytes:
    """The first bytes of a file, to tell what it holds without reading it all (nothing when unreadable)."""
    try:
        with path.open("rb") as file:
            return file.read(size)
    except OSError:
        return b""


def _may_list_urls(path: Path) -> bool:
    """A `.txt` whose first line is a URL may be a list of them."""
    return path.suffix.lower() == ".txt" and _head(path, 256).lstrip().lower().startswith((b"http://", b"https://"))


def _read_text_file(path: Path, web: _Web) -> Iterator[Article | InputError]:
    """A `.txt` article, or the URLs it lists when every line is one (and the user is told)."""
    read = _attempt(read_text_file, path, web.max_bytes)
    urls = url_list(read.text) if isinstance(read, Article) else None
    if urls is None:
        yield read
        return
    web.note(f"{path}: every line is a URL, so it is read as a list of {len(urls)} URL(s), not as an article")
    yield from _read_urls(urls, web)


def _read_opml_file(path: Path, web: _Web) -> Iterator[Article | InputError]:
    try:
        feeds = read_opml(path)
    except InputError as error:
        yield error
        return
    web.note(f"{path}: an OPML list of {len(feeds)} feed(s)")
    yield from _read_urls([feed.url for feed in feeds], web)


def _read_feed_file(path: Path, web: _Web) -> Iterator[Article | InputError]:
    if is_opml(_head(path)):
        yield from _read_opml_file(path, web)
        return
    try:
        feed = read_feed_file(path, MAX_FILE_BYTES)
    except InputError as error:
        yield error
        return
    yield from _read_entries(feed, path.stem, web)


FileReader = Callable[[Path, _Web], Iterator[Article | InputError]]


def _offline(reader: Callable[[Path], Iterator[Article | InputError]]) -> FileReader:
    def read(path: Path, web: _Web) -> Iterator[Article | InputError]:
        return reader(path)

    return read


_FILE_READERS: dict[str, FileReader] = {
    ".txt": _read_text_file,
    ".html": _read_html_file,
    ".htm": _read_html_file,
    ".json": _offline(read_json),
    ".jsonl": _offline(read_jsonl),
    ".xml": _read_feed_file,
    ".rss": _read_feed_file,
    ".atom": _read_feed_file,
    ".opml": _read_opml_file,
}


_ONE_ARTICLE = frozenset({".txt", ".html", ".htm"})


def _read_local(spec: str, web: _Web) -> Iterator[Article | InputError]:
    if spec == STDIN:
        yield _attempt(read_stdin, web.max_bytes)
        return
    path = Path(spec)
    if path.is_dir():
        files, skipped = _folder_files(path)
        if assets := _saved_assets_folders(path):
            web.note(f"{spec}: saved pages' assets left out ({', '.join(assets)})")
        yield from skipped
        if not files and not skipped:
            yield InputError(spec, f"the folder holds no article file ({', '.join(_FILE_READERS)})")
        for file in files:
            yield from _FILE_READERS[file.suffix.lower()](file, web)
    elif not path.exists():
        yield InputError(spec, "no such file or folder")
    elif path.suffix.lower() not in _FILE_READERS:
        yield InputError(spec, f"unsupported file type '{path.suffix}' (expected {', '.join(_FILE_READERS)})")
    else:
        yield from _FILE_READERS[path.suffix.lower()](path, web)


def _folder_files(folder: Path) -> tuple[list[Path], list[InputError]]:
    """Article files below `folder`, in path order, and the sub-folders skipped (unreadable, or
    symbolic links, which are not followed: one could loop or lead anywhere on the disk)."""
    files: list[Path] = []
    skipped: list[InputError] = []

    def unreadable(error: OSError) -> None:
        skipped.append(InputError(str(error.filename), f"folder skipped: cannot be read ({error.strerror})"))

    for top, folders, names in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not _is_saved_assets(Path(top) / name)]
        for name in folders:
            if (Path(top) / name).is_symlink():
                skipped.append(InputError(str(Path(top) / name), "folder skipped: a symbolic link (name it to read it)"))
        files += [Path(top) / name for name in names
                  if Path(name).suffix.lower() in _FILE_READERS and not name.startswith(".") and (Path(top) / name).is_file()]
    return sorted(files), sorted(skipped, key=lambda error: error.source)


def _is_saved_assets(folder: Path) -> bool:
    """A browser's `X_files/` folder saved beside its page `X.html` (scripts, styles, ads' frames)."""
    return folder.name.endswith("_files") and any(
        (folder.parent / (folder.name.removesuffix("_files") + suffix)).is_file() for suffix in (".html", ".htm"))


def _saved_assets_folders(top: Path) -> list[str]:
    return sorted(str(folder.relative_to(top)) for folder in top.rglob("*_files") if folder.is_dir() and _is_saved_assets(folder))


# ---- the web ----


def _read_urls(urls: list[str], web: _Web) -> Iterator[Article | InputError]:
    for result in web.fetcher().fetch_all(urls):
        if isinstance(result, InputError):
            yield result
        elif not result.unchanged:
            yield from _read_response(result, web)


def _read_response(fetched: Fetched, web: _Web) -> Iterator[Article | InputError]:
    if not looks_like_feed(fetched.content, fetched.content_type):
        yield _attempt(_page_article, fetched)
        return
    try:
        feed = parse_feed(fetched.content, source=without_credentials(fetched.url))
    except InputError as error:
        yield error
        return
    yield from _read_entries(feed, url_doc(feed.source), web)


def _page_article(fetched: Fetched) -> Article:
    url = without_credentials(fetched.url)
    media_type = (fetched.content_type or "text/html").split(";")[0].strip().lower()
    if media_type not in _HTML_MEDIA_TYPES:
        raise InputError(url, f"not an HTML page or a feed (Content-Type {media_type})")
    requested = without_credentials(fetched.requested)
    article = read_html(fetched.content, source=url, doc=url_doc(url), url=url, charset=fetched.charset)
    return article if requested == url else article.model_copy(update={"requested_url": requested})


def _read_entries(feed: Feed, feed_doc: str, web: _Web) -> Iterator[Article | InputError]:
    """Entries in feed order; the pages to fetch are fetched together, politely."""
    links = [entry.link for entry in feed.entries if entry.full_text is None and entry.link]
    pages = web.fetcher().fetch_all(links) if links else iter(())
    for number, entry in enumerate(feed.entries, start=1):
        if entry.full_text is not None:
            link = without_credentials(entry.link) if entry.link else None
            yield _entry_article(entry, url=link, source=_entry_key(entry, feed, number), doc=url_doc(link) if link else f"{feed_doc}-{number}")
        elif entry.link:
            page = next(pages)
            if isinstance(page, InputError):
                yield page
            elif not page.unchanged:
                yield _with_entry_metadata(_attempt(_page_article, page), entry)
        else:
            yield InputError(f"{feed.source}#{number}", "feed entry has neither a link nor its full text")


def _entry_key(entry: FeedEntry, feed: Feed, number: int) -> str:
    """A full-text entry's identity: its link and its own id (or its text's hash), since several entries may share a link."""
    if not entry.link:
        return f"{feed.source}#{number}"
    own = entry.id or hashlib.sha256((entry.full_text or "").encode("utf-8")).hexdigest()[:16]
    return entry.link if own == entry.link else f"{entry.link}#{own}"


def _entry_article(entry: FeedEntry, *, url: str | None, source: str, doc: str) -> Article:
    return Article(
        doc=doc,
        text=with_title(entry.title, entry.full_text or ""),
        source=source,
        url=url,
        title=entry.title,
        published=entry.published,
    )


def _with_entry_metadata(read: Article | InputError, entry: FeedEntry) -> Article | InputError:
    """A feed's title and date are structured data; they win over what was scraped from the page."""
    if isinstance(read, InputError):
        return read
    return read.model_copy(update={"title": entry.title or read.title, "published": entry.published or read.published})
