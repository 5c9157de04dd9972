"""Read `.txt` articles (a file or stdin) into `Article`s; `corpus.sources` dispatches the rest.

The bytes are decoded once, here (`corpus.decoding`: a byte-order mark is
dropped, UTF-16/32 with a mark, windows-1258 and windows-1252 files are
read, and the result is NFC); every offset in the project indexes that
string, counted from the first character after any mark. Nothing is read
without a size bound: a file larger than its limit, or a stream (stdin,
/dev/zero) that goes past it, is refused before it fills the memory.
Unreadable inputs raise `InputError`s naming the input and the problem.
"""

import os
import stat
import sys
import unicodedata
from pathlib import Path
from typing import BinaryIO

from corpus.decoding import Decoded, byte_order_mark, decode
from schemas import Article, InputError

STDIN = "-"

#: The largest article text, in bytes of UTF-8 (`--max-article-bytes`).
MAX_ARTICLE_BYTES = 2_000_000
#: A saved or fetched page may be this large (its article text is far smaller).
MAX_PAGE_BYTES = 10_000_000
#: A file that holds many articles (.json, .jsonl, a feed) may be this large.
MAX_FILE_BYTES = 200_000_000
# A .txt article may be in UTF-32: four bytes a character.
_BYTES_PER_CHAR = 4


def normalise(text: str) -> str:
    """NFC, so that a character has one spelling whatever the source wrote."""
    return unicodedata.normalize("NFC", text)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def too_large(source: str, limit: int, size: int | None = None) -> InputError:
    """The one message for an input over a size limit; `size` when it is known without reading it."""
    known = f" ({_megabytes(size)})" if size is not None else ""
    return InputError(source, f"larger than the limit of {_megabytes(limit)}{known}; see --max-article-bytes")


def file_key(path: Path) -> str:
    """A file's identity as a source: its absolute path, so the same relative name from two folders is two sources."""
    return str(path.resolve())


def checked_article(article: Article, max_bytes: int) -> Article:
    """The article, or an InputError when its text is over the size limit (bytes of UTF-8)."""
    size = len(article.text.encode("utf-8"))
    if size > max_bytes:
        raise too_large(article.source, max_bytes, size)
    return article


def read_bounded(stream: BinaryIO, source: str, limit: int, stated: int | None = None) -> bytes:
    """At most `limit` bytes of a stream; more is an InputError (saying `stated`, the user's limit, when
    given), and the rest is never read."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large(source, stated or limit)
    return data


def read_file_bytes(path: Path, limit: int, stated: int | None = None) -> bytes:
    """The bytes of a file, its size checked before any is read; a device or pipe is read up to `limit`."""
    source = str(path)
    try:
        with path.open("rb") as stream:
            status = os.fstat(stream.fileno())
            if stat.S_ISDIR(status.st_mode):
                raise InputError(source, "is a folder, not a file")
            if stat.S_ISREG(status.st_mode) and status.st_size > limit:
                raise too_large(source, stated or limit, status.st_size)
            return read_bounded(stream, source, limit, stated)
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a folder, not a file") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except OSError as err:
        raise InputError(source, f"cannot be read ({err.strerror})") from None


def decode_article_bytes(data: bytes, source: str) -> Decoded:
    """The text of an article file, or an InputError saying why it is not one."""
    if not data:
        raise InputError(source, "the file is empty")
    if b"\x00" in data and byte_order_mark(data) is None:
        raise InputError(source, "this is a binary file, not a text article")
    decoded = decode(data, source=source)
    if not decoded.text.strip():
        raise InputError(source, "the file holds only white space")
    return decoded


def doc_id(path: Path) -> str:
    """The SPEC.md document id: the file name without `.txt`."""
    return path.name.removesuffix(".txt")


def read_text_file(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    source = str(path)
    decoded = decode_article_bytes(read_file_bytes(path, max_bytes * _BYTES_PER_CHAR, max_bytes), source)
    return Article(doc=doc_id(path), text=decoded.text, source=file_key(path), encoding=decoded.encoding)


def read_stdin(max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    decoded = decode_article_bytes(read_bounded(sys.stdin.buffer, "<stdin>", max_bytes * _BYTES_PER_CHAR, max_bytes), "<stdin>")
    return Article(doc="stdin", text=decoded.text, source=STDIN, encoding=decoded.encoding)
