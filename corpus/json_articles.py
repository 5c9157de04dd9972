"""Articles exported as JSON: a `.json` file (one object or a list) or `.jsonl` (one per line).

Each object needs `text`; `url`, `title`, `published` (ISO date or datetime),
`outlet`, `author` and `doc` (or `id`) are optional, other keys are ignored.
A bad line or item becomes an InputError naming `file:line` (or `file#item`)
and the rest of the file is still read.

Doc ids: the object's `doc` or `id`; otherwise the file name without
extension, followed by `-LINE` (.jsonl) or `-ITEM` (a .json list).

JSON nested too deep for the parser, or with an integer longer than Python
reads (4,300 digits), is an InputError like any malformed line.
"""

import json
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from corpus.reading import MAX_FILE_BYTES, file_key, read_file_bytes
from schemas.article import Article
from schemas.errors import InputError


class _JsonArticle(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    text: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    author: str | None = None
    doc: str | None = None
    id: str | None = None

    @field_validator("published", mode="before")
    @classmethod
    def _date_part(cls, value: Any) -> Any:
        """Exports often carry a full timestamp; the article only needs its day."""
        if isinstance(value, str) and value.strip():
            return datetime.fromisoformat(value.strip()).date()
        return value or None

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty")
        return value


def _parsed(text: str) -> Any:
    """The JSON value of `text`; raises ValueError with a short reason."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except RecursionError:
        raise ValueError("not readable JSON: nested too deeply") from None
    except ValueError as error:  # an integer longer than int() reads
        raise ValueError(f"not readable JSON: {str(error).split(';')[0]}") from None


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "object"
    return f"{field}: {first['msg']}" if first["type"] != "missing" else f"missing field '{field}'"


def _nfc(value: str | None) -> str | None:
    return unicodedata.normalize("NFC", value) if value else None


def _article(obj: Any, *, source: str, default_doc: str, key: str) -> Article | InputError:
    """The article of one JSON object; errors name `source` as the user gave it, the article is stored under `key`."""
    if not isinstance(obj, dict):
        return InputError(source, f"expected a JSON object, found {type(obj).__name__}")
    try:
        fields = _JsonArticle.model_validate(obj)
        return Article(
            doc=fields.doc or fields.id or default_doc,
            text=unicodedata.normalize("NFC", fields.text),
            source=key,
            url=fields.url,
            title=_nfc(fields.title),
            published=fields.published,
            outlet=_nfc(fields.outlet),
            author=_nfc(fields.author),
        )
    except ValidationError as error:
        return InputError(source, _problem(error))


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """One article per non-blank line; `source` is `file:line`."""
    try:
        lines = read_file_bytes(path, MAX_FILE_BYTES).splitlines()
    except InputError as error:
        yield error
        return
    for number, raw in enumerate(lines, start=1):
        source = f"{path}:{number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            yield InputError(source, f"not UTF-8 text (byte {error.start + 1})")
            continue
        if not line.strip():
            continue
        try:
            obj = _parsed(line)
        except ValueError as error:
            yield InputError(source, str(error).replace(" at line 1 column", " at column"))
            continue
        yield _article(obj, source=source, default_doc=f"{path.stem}-{number}", key=f"{file_key(path)}:{number}")


def read_json(path: Path) -> Iterator[Article | InputError]:
    """One object (`source` is the file) or a list of them (`source` is `file#item`, from 1)."""
    try:
        obj = _parsed(read_file_bytes(path, MAX_FILE_BYTES).decode("utf-8-sig"))
    except InputError as error:
        yield error
        return
    except UnicodeDecodeError as error:
        yield InputError(str(path), f"not UTF-8 text (byte {error.start + 1})")
        return
    except ValueError as error:
        yield InputError(str(path), str(error))
        return
    if not isinstance(obj, list):
        yield _article(obj, source=str(path), default_doc=path.stem, key=file_key(path))
        return
    for number, item in enumerate(obj, start=1):
        yield _article(item, source=f"{path}#{number}", default_doc=f"{path.stem}-{number}", key=f"{file_key(path)}#{number}")
