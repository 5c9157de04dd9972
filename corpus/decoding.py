"""Bytes to the NFC text a reader sees, whatever encoding a file or a server used.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32; the mark itself is dropped,
so offsets count from the first character after it); else strict UTF-8,
which other encodings almost never pass by accident, so a page that declares
windows-1258 but is UTF-8 reads right; else detection (charset-normalizer)
among the declared encodings and the two Vietnamese copy is really found in
besides UTF-8: windows-1258, whose tones are combining marks, and
windows-1252 (what "latin-1" means on the web). A wrong declaration is thus
overruled by the bytes. The result is NFC-normalised once, here.
"""

import codecs
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import charset_normalizer

from schemas.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its mark starts with UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
DETECTED = ("cp1258", "cp1252")
# WHATWG maps these labels to windows-1252, which is what such pages really are.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}


@dataclass(frozen=True)
class Decoded:
    """NFC text, and the encoding it was read from (None for plain UTF-8 without a mark)."""

    text: str
    encoding: str | None


def codec_name(label: str) -> str | None:
    """Python's name for a charset label, or None when no codec has that name."""
    name = _WHATWG_ALIASES.get(label.strip().lower(), label.strip())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def byte_order_mark(data: bytes) -> str | None:
    """The codec a byte-order mark at the start names, if any."""
    return next((codec for mark, codec in _BOMS if data.startswith(mark)), None)


def decode(data: bytes, *, source: str, declared: Iterable[str | None] = ()) -> Decoded:
    """The text of `data` (see the module for the order); raises InputError when no encoding fits."""
    marked = byte_order_mark(data)
    if marked:
        try:
            return Decoded(unicodedata.normalize("NFC", data.decode(marked)), marked)
        except UnicodeDecodeError as error:
            raise InputError(source, f"starts with a {marked} byte-order mark but is not {marked} "
                                     f"(bad bytes at position {error.start})") from None
    try:
        return Decoded(unicodedata.normalize("NFC", data.decode("utf-8")), None)
    except UnicodeDecodeError as error:
        not_utf8 = f"byte 0x{data[error.start]:02x} at position {error.start}"
    named = [codec for codec in map(codec_name, (label for label in declared if label)) if codec and codec != "utf-8"]
    candidates = list(dict.fromkeys([*named, *DETECTED]))
    best = charset_normalizer.from_bytes(data, cp_isolation=candidates).best()
    if best is None:
        raise InputError(source, f"not valid UTF-8 ({not_utf8}) and no other character encoding fits; save it as UTF-8")
    return Decoded(unicodedata.normalize("NFC", str(best)), codec_name(best.encoding))
