"""A spaCy `Doc` from underthesea's word segmentation, with true offsets.

As in spaCy's own Vietnamese tokenizer, the Doc is rebuilt so that
`doc.text` equals the input exactly and every span keeps its character
offsets. Tokens are the syllables of underthesea's words, and the words are
kept in `doc.spans["words"]`: underthesea's segmentation changes with context
("chỉ | tiêu đề | ra", "11.520 đoàn viên" as one word), so lexicon phrases
match on syllables, where they are stable, while the words stay available.
Extra cut points (a figure's edges) split tokens so that every mention is a
whole-token span.
"""

from collections.abc import Iterable

import regex
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab
from underthesea import word_tokenize

WORDS = "words"
_PIECE = regex.compile(r"\w+(?:[.,:/'’\-]\w+)*|[^\w\s]", regex.UNICODE)


class UndertheseaTokenizer:
    """Callable as a spaCy tokenizer: `nlp.tokenizer = UndertheseaTokenizer(nlp.vocab)`."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return self.make_doc(text)

    def make_doc(self, text: str, cuts: Iterable[int] = ()) -> Doc:
        words = _align_words(text, word_tokenize(text, use_token_normalize=False))
        pieces = _split_at([p for start, end in words for p in _pieces(text, start, end)], sorted(set(cuts)))
        tokens, spaces = get_words_and_spaces([text[s:e] for s, e in pieces], text)
        doc = Doc(self.vocab, words=tokens, spaces=spaces)
        doc.spans[WORDS] = [span for s, e in words if (span := doc.char_span(s, e)) is not None]
        return doc


def _align_words(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Character spans of underthesea's words; white space inside a word may differ from the text."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for word in words:
        start = end = -1
        for syllable in word.split():
            at = text.find(syllable, cursor)
            if at < 0 or text[cursor:at].strip():
                break
            start = at if start < 0 else start
            end = cursor = at + len(syllable)
        else:
            if start >= 0:
                spans.append((start, end))
    return _fill_gaps(text, spans)


def _fill_gaps(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Any text the segmenter dropped or changed becomes words of its own, so no character is lost."""
    filled: list[tuple[int, int]] = []
    cursor = 0
    for start, end in spans + [(len(text), len(text))]:
        filled.extend((m.start() + cursor, m.end() + cursor) for m in regex.finditer(r"\S+", text[cursor:start]))
        if end > start:
            filled.append((start, end))
        cursor = end
    return filled


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Syllables and punctuation marks of one word."""
    return [(start + m.start(), start + m.end()) for m in _PIECE.finditer(text[start:end])]


def _split_at(pieces: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    if not cuts:
        return pieces
    result: list[tuple[int, int]] = []
    for start, end in pieces:
        inner = [c for c in cuts if start < c < end]
        bounds = [start, *inner, end]
        result.extend((a, b) for a, b in zip(bounds, bounds[1:]) if b > a)
    return result
