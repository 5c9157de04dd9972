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

from bisect import bisect_right
from collections.abc import Iterable

import regex
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab
from underthesea import word_tokenize

WORDS = "words"
_PIECE = regex.compile(r"\w+(?:[.,:/'’\-]\w+)*|[^\w\s]", regex.UNICODE)
_NON_SPACE = regex.compile(r"\S+")
_SINGLE_SPACED = regex.compile(r"\S+(?: \S+)*")


class UndertheseaTokenizer:
    """Callable as a spaCy tokenizer: `nlp.tokenizer = UndertheseaTokenizer(nlp.vocab)`."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return self.make_doc(text)

    def make_doc(self, text: str, cuts: Iterable[int] = ()) -> Doc:
        words = _align_words(text, word_tokenize(text, use_token_normalize=False))
        cuts = sorted(set(cuts))
        tokens: list[str] = []
        spaces: list[bool] = []
        word_tokens: list[tuple[int, int]] = []
        cursor = 0
        for start, end in words:
            first = len(tokens)
            for piece_start, piece_end in _split_at(_pieces(text, start, end), cuts):
                cursor = _add_token(text, cursor, piece_start, piece_end, tokens, spaces)
                if piece_start == start:
                    first = len(tokens) - 1
            word_tokens.append((first, len(tokens)))
        if cursor < len(text):
            tokens.append(text[cursor:])
            spaces.append(False)
        doc = Doc(self.vocab, words=tokens, spaces=spaces)
        doc.spans[WORDS] = [Span(doc, first, last) for first, last in word_tokens]
        return doc


def _add_token(text: str, cursor: int, start: int, end: int, tokens: list[str], spaces: list[bool]) -> int:
    """Append text[start:end] as a token after any white space before it, as `get_words_and_spaces` would."""
    if start > cursor:
        tokens.append(text[cursor:start])
        spaces.append(False)
    tokens.append(text[start:end])
    at_space = end < len(text) and text[end] == " "
    spaces.append(at_space)
    return end + at_space


def _align_words(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Character spans of underthesea's words; white space inside a word may differ from the text."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for word in words:
        at = _skip_space(text, cursor)
        if text.startswith(word, at) and _SINGLE_SPACED.fullmatch(word):  # the usual case: the word as written
            spans.append((at, at + len(word)))
            cursor = at + len(word)
            continue
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
        if text[cursor:start] not in ("", " "):
            filled.extend(m.span() for m in _NON_SPACE.finditer(text, cursor, start))
        if end > start:
            filled.append((start, end))
        cursor = end
    return filled


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Syllables and punctuation marks of one word."""
    word = text[start:end]
    if word.isalpha():
        return [(start, end)]
    if word.replace(" ", "").isalpha() and "  " not in word:  # syllables of letters only, one space apart
        pieces = []
        for syllable in word.split(" "):
            pieces.append((start, start + len(syllable)))
            start += len(syllable) + 1
        return pieces
    return [m.span() for m in _PIECE.finditer(text, start, end)]


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _split_at(pieces: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    """The pieces, split at every cut that falls inside one (`cuts` sorted)."""
    if not pieces or not _cut_inside(cuts, pieces[0][0], pieces[-1][1]):
        return pieces
    result: list[tuple[int, int]] = []
    for start, end in pieces:
        inner = [c for c in cuts if start < c < end]
        bounds = [start, *inner, end]
        result.extend((a, b) for a, b in zip(bounds, bounds[1:]) if b > a)
    return result


def _cut_inside(cuts: list[int], start: int, end: int) -> bool:
    at = bisect_right(cuts, start)
    return at < len(cuts) and cuts[at] < end
