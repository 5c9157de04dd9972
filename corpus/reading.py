"""Read `.txt` articles (a file or stdin) into `Article`s; `corpus.sources` dispatches the rest.

The text is decoded as UTF-8 and NFC-normalised once, here; every offset in
the project indexes that string. Unreadable inputs raise `InputError`s naming the input and the problem.
"""

import sys
import unicodedata
from pathlib import Path

from schemas import Article, InputError

STDIN = "-"


def normalise(text: str) -> str:
    """NFC, so that a character has one spelling whatever the source wrote."""
    return unicodedata.normalize("NFC", text)


def decode_article_bytes(data: bytes, source: str) -> str:
    """UTF-8 text of an article file, or an InputError saying why it is not one."""
    if not data:
        raise InputError(source, "the file is empty")
    if b"\x00" in data:
        raise InputError(source, "this is a binary file, not a text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            source, f"not valid UTF-8 (byte 0x{data[err.start]:02x} at position {err.start}); save it as UTF-8"
        ) from None
    if not text.strip():
        raise InputError(source, "the file holds only white space")
    return normalise(text)


def doc_id(path: Path) -> str:
    """The SPEC.md document id: the file name without `.txt`."""
    return path.name.removesuffix(".txt")


def file_key(path: Path) -> str:
    """A file's identity as a source: its absolute path, so the same relative name from two folders is two sources."""
    return str(path.resolve())


def read_text_file(path: Path) -> Article:
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a folder, not a file") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except OSError as err:
        raise InputError(source, f"cannot be read ({err.strerror})") from None
    return Article(doc=doc_id(path), text=decode_article_bytes(data, source), source=file_key(path))


def read_stdin() -> Article:
    return Article(doc="stdin", text=decode_article_bytes(sys.stdin.buffer.read(), "<stdin>"), source=STDIN)
