"""Read `.txt` articles from files, folders and stdin into `Article`s.

The text is decoded as UTF-8 and NFC-normalised once, here; every offset in
the project indexes that string. Unreadable inputs become `InputError`s so a
batch can report them and go on.
"""

import sys
import unicodedata
from collections.abc import Iterable, Iterator
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
    return Article(doc=doc_id(path), text=decode_article_bytes(data, source), source=source)


def read_stdin() -> Article:
    return Article(doc="stdin", text=decode_article_bytes(sys.stdin.buffer.read(), "<stdin>"), source=STDIN)


def text_files(path: Path) -> list[Path]:
    """The `.txt` files below a folder, in a stable order."""
    return sorted(p for p in path.rglob("*.txt") if p.is_file())


def read_paths(specs: Iterable[str]) -> Iterator[Article | InputError]:
    """Every article named by the given files, folders or '-', in order; bad ones as errors."""
    for spec in specs:
        if spec == STDIN:
            yield _attempt(read_stdin)
            continue
        path = Path(spec)
        if path.is_dir():
            files = text_files(path)
            if not files:
                yield InputError(spec, "the folder holds no .txt article")
            for file in files:
                yield _attempt(read_text_file, file)
        else:
            yield _attempt(read_text_file, path)


def _attempt(reader, *args) -> Article | InputError:
    try:
        return reader(*args)
    except InputError as err:
        return err
