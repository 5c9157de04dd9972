"""The reporting body a figure belongs to: "Công đoàn ngành Công Thương tỉnh Thái Nguyên".

News copy names the body once ("Đảng bộ Công ty cổ phần Xi măng Tân
Quang luôn quan tâm …") and then gives its figures, often sentences later
("Đảng bộ kết nạp được 11 đảng viên"). So a figure's scope is the last body
name written before it in the article: the nearest one in its sentence,
else the most recent one. A body name is a head ("Đảng bộ", "Công đoàn",
"Hội Cựu chiến binh" …) followed by a proper-noun run, which may hold the
lowercase words names carry ("ngành", "tỉnh", "cổ phần", "kinh tế"); a head
alone ("Đảng bộ kết nạp …") names no body. Heads and inner words are data in
`lexicons/bodies.json`. The scan is a regex over the article text, which is
far cheaper than segmenting sentences that hold no figure; underthesea's NER
is not used: it is slow and its ORG spans add nothing to these head-led names.
"""

import bisect
import json
from collections import Counter
from dataclasses import dataclass
from functools import cache

import regex
from underthesea import word_tokenize

from extractors.lexicon import LEXICONS, patterns

_WINDOW = 120
_SYLLABLE = regex.compile(r"\S+")
_CONTEXT = 2  # syllables the segmenter sees past the end of a name (its features reach two tokens each way)
_NAME_STOP = regex.compile(r"[\n,;:()]|\.(?:\s|$)")  # a name never runs past these
_PUNCT = ".,;:!?()[]\"'“”‘’…-–"


@dataclass(frozen=True, slots=True)
class BodyMention:
    """A body name as written, and the organisation it belongs to (a key of ORG_BY_CUE)."""

    start: int
    end: int
    text: str
    org: str


@dataclass(frozen=True, slots=True)
class _Bodies:
    heads: regex.Pattern
    orgs: dict[str, str]
    inner: frozenset[str]
    not_final: frozenset[str]
    first_inner: frozenset[str]
    inner_syllables: frozenset[str]


@cache
def _bodies() -> _Bodies:
    data = json.loads((LEXICONS / "bodies.json").read_text(encoding="utf-8"))
    heads = sorted(data["heads"], key=len, reverse=True)
    pattern = regex.compile(rf"(?<!\w)(?:{'|'.join(map(regex.escape, heads))})(?!\w)")
    inner = frozenset(data["inner"])
    return _Bodies(pattern, data["heads"], inner, frozenset(data["not_final"]), frozenset(w.split()[0] for w in inner),
                   frozenset(s for w in inner for s in w.split()))


def find_bodies(text: str, offset: int = 0) -> list[BodyMention]:
    """Body names in `text`, left to right; offsets are shifted by `offset`."""
    bodies = _bodies()
    return [body for m in bodies.heads.finditer(text) if (body := _body_at(text, m, bodies, offset)) is not None]


def _body_at(text: str, head: regex.Match, bodies: _Bodies, offset: int = 0) -> BodyMention | None:
    """The body named from this head, or None when the head stands alone ("Đảng bộ kết nạp …")."""
    end = _name_end(text, head.end(), bodies)
    if end <= head.end():
        return None
    return BodyMention(offset + head.start(), offset + end, text[head.start():end], bodies.orgs[head.group()])


def _name_end(text: str, start: int, bodies: _Bodies) -> int:
    """Where the proper-noun run after a head ends; `start` when there is none.

    underthesea's words keep "Công ty", "Ngân hàng" whole, so a capitalised
    word carries its lowercase syllables; other lowercase words continue the
    run only when names hold them, and never end it.
    """
    window = _NAME_STOP.split(text[start:start + _WINDOW], maxsplit=1)[0]
    if not _may_continue(window, bodies):
        return start
    end = cursor = start
    for word in word_tokenize(_past_the_run(window, bodies), use_token_normalize=False):
        at = text.find(word, cursor)
        if at < 0 or text[cursor:at].strip():
            break
        cursor = at + len(word)
        if word[0].isupper():
            end = cursor
        elif word.lower() not in bodies.inner:
            break
        elif word.lower() not in bodies.not_final and end > start:
            end = cursor
    return end


def _past_the_run(window: str, bodies: _Bodies) -> str:
    """The window up to two syllables past the first one that surely ends the run: a lowercase syllable of
    no inner word, not after a capital (which it could belong to: "Công ty"). Segmenting the rest of the
    clause costs time and cannot change where the name ends."""
    syllables = list(_SYLLABLE.finditer(window))
    for k in range(1, len(syllables)):
        syllable = syllables[k].group()
        if not (syllable[0].isupper() or syllable.lower() in bodies.inner_syllables
                or syllables[k - 1].group()[0].isupper()):
            return window[:syllables[min(k + _CONTEXT, len(syllables) - 1)].end()]
    return window


def _may_continue(window: str, bodies: _Bodies) -> bool:
    """Whether a name can follow at all: most heads are followed by a verb ("Đảng bộ kết nạp …"),
    which is seen without segmenting the window."""
    first = window.split(maxsplit=1)[0] if window.strip() else ""
    return bool(first) and (first[0].isupper() or first.lower().strip(_PUNCT) in bodies.first_inner)


class ScopeTracker:
    """Answers "which body does the figure at this offset belong to?" for one article.

    Heads are found by a regex up front; a name is segmented only when a
    figure asks for it, so the sentences with no figure cost nothing.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._heads = list(_bodies().heads.finditer(text))
        self._starts = [head.start() for head in self._heads]
        self._named: dict[int, BodyMention | None] = {}

    def scope_for(self, position: int) -> BodyMention | None:
        """The last body name that ends before `position`, or None."""
        for index in range(bisect.bisect_left(self._starts, position) - 1, -1, -1):
            body = self._body(index)
            if body is not None and body.end <= position:
                return body
        return None

    def _body(self, index: int) -> BodyMention | None:
        if index not in self._named:
            self._named[index] = _body_at(self._text, self._heads[index], _bodies())
        return self._named[index]


@cache
def _org_cues() -> tuple[regex.Pattern, dict[str, str]]:
    cues = {p["pattern"].lower(): p["label"] for p in patterns("org_cues")}
    words = sorted(cues, key=len, reverse=True)
    return regex.compile(rf"(?<!\w)(?:{'|'.join(map(regex.escape, words))})(?!\w)", regex.IGNORECASE), cues


def article_orgs(text: str) -> tuple[str, ...]:
    """The organisations an article speaks of, most often named first.

    A figure of "hội viên" in a sentence that names no organisation belongs
    to the one the whole article is about (a veterans' report says "Hội" and
    "hội viên" for paragraphs), even when no full body name was written.
    """
    pattern, cues = _org_cues()
    counts = Counter(cues[m.group().lower()] for m in pattern.finditer(text))
    return tuple(org for org, _ in counts.most_common())
