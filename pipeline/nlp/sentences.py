"""Sentences with their character offsets in the article.

underthesea's `sent_tokenize` returns strings, not offsets, and runs across
line breaks (an image name and the caption below it become one sentence), so
the text is cut into lines first (a line break always ends a sentence in
news copy) and each returned sentence is located in its line.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import regex
from underthesea import sent_tokenize

from extractors.spans import Covered

_LINE = regex.compile(r"[^\n]+")
_SPACE = regex.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[Sentence]:
    """Sentences of `text`, left to right; lines that start inside a `skip` span are left out."""
    skipped = Covered(skip)
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text):
        if not line.group().strip() or skipped(line.start()):
            continue
        sentences.extend(_locate(text, line.start(), line.end(), sent_tokenize(line.group())))
    return sentences


def _locate(text: str, start: int, end: int, pieces: list[str]) -> list[Sentence]:
    """Find each piece in text[start:end] in order; a piece that cannot be found ends at the next one."""
    found: list[Sentence] = []
    cursor = start
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = text.find(piece, cursor, end)
        if at < 0:
            at = _find_loose(text, piece, cursor, end)
        if at < 0:
            continue
        stop = min(end, at + len(piece))
        found.append(Sentence(at, stop, text[at:stop]))
        cursor = stop
    if not found:
        line = text[start:end]
        lead = len(line) - len(line.lstrip())
        found.append(Sentence(start + lead, start + len(line.rstrip()), line.strip()))
    return found


def _find_loose(text: str, piece: str, start: int, end: int) -> int:
    """Find a piece whose white space the splitter changed."""
    pattern = r"\s+".join(regex.escape(part) for part in _SPACE.split(piece))
    match = regex.compile(pattern).search(text, start, end)
    return match.start() if match else -1
