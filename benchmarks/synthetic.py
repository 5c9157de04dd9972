"""A large, varied corpus made on the fly from a few hand-written articles.

Each synthetic article takes the header of one source article and a body of
paragraphs drawn from all of them, with sentences shuffled, every figure
redrawn and every province name swapped, all from one seeded RNG: the stream
is the same on every run, yet no two articles repeat a sentence, so no cache
(underthesea's, the lexicon matchers', the store's content hash) makes it cheap.
Articles are generated one at a time and never kept.
"""

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import regex
import underthesea.address

from corpus.reading import decode_article_bytes
from schemas import Article

HEADER_LINES = 3
GAZETTEER = Path(underthesea.address.__file__).parent / "data" / "mapping.json"
_DIGITS = regex.compile(r"\d+")
_SENTENCE_END = regex.compile(r"(?<=[.;!?])\s+(?=\p{Lu})")


@dataclass(frozen=True)
class SourcePool:
    """The paragraphs of the source articles, split once."""

    headers: list[list[str]]
    paragraphs: list[str]

    @classmethod
    def read(cls, folder: Path) -> "SourcePool":
        files = sorted(folder.glob("*.txt"))
        if not files:
            raise SystemExit(f"{folder}: no .txt article to build the benchmark corpus from")
        headers, paragraphs = [], []
        for path in files:
            lines = [line.strip() for line in decode_article_bytes(path.read_bytes(), str(path)).text.splitlines() if line.strip()]
            headers.append(lines[:HEADER_LINES])
            paragraphs.extend(lines[HEADER_LINES:])
        return cls(headers, paragraphs)


def synthetic_articles(pool: SourcePool, count: int, seed: int = 8, paragraphs: int = 10) -> Iterator[Article]:
    """`count` articles, made one at a time from `pool` with a seeded RNG."""
    rng = random.Random(seed)
    provinces = _province_names()
    swap = regex.compile(r"\b(" + "|".join(sorted(map(regex.escape, provinces), key=len, reverse=True)) + r")\b")
    for index in range(count):
        places = {name: rng.choice(provinces) for name in provinces}
        body = [_shuffle_sentences(p, rng) for p in rng.sample(pool.paragraphs, min(paragraphs, len(pool.paragraphs)))]
        lines = [*rng.choice(pool.headers), *body]
        text = "\n\n".join(lines)
        text = swap.sub(lambda m: places[m.group()], text)
        text = _DIGITS.sub(lambda m: _redraw(m.group(), rng), text)
        yield Article(doc=f"bench-{index:05d}", text=text + "\n", source=f"bench/{index:05d}.txt")


def _shuffle_sentences(paragraph: str, rng: random.Random) -> str:
    sentences = _SENTENCE_END.split(paragraph)
    rng.shuffle(sentences)
    return " ".join(sentences)


def _redraw(digits: str, rng: random.Random) -> str:
    """A new figure of the same shape: years stay years, day and month numbers stay small."""
    if len(digits) == 4 and digits[:2] in ("19", "20"):
        return str(rng.randint(2005, 2025))
    if len(digits) <= 2:
        value = rng.randint(1, 28)
        return f"{value:02d}" if digits.startswith("0") else str(value)
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in digits[1:])


def _province_names() -> list[str]:
    """The 63 pre-2025 province names, from underthesea's gazetteer (what the place extractor reads)."""
    data = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    return sorted(info["short"] for info in data["old_province_names"].values())
