"""Figures in Vietnamese news text: find them (`find_numbers`) and read them (`parse_number`).

The words behind every rule are data in lexicons/numerals.json; this module holds the grammar.

Digit styles. Vietnamese style ("vi") writes thousands with dots and decimals with a comma
("1.549", "1.200.000", "28,75", "1.234,5"); English style ("en") is the reverse. `number_style`
sniffs a text: it is "en" only when the text has an English mark (a comma then exactly three digits,
"1,549", not before a scale word; or a dot decimal, "1.5") and no Vietnamese mark (a dot then
exactly three digits, "1.549"; a comma then one, two or four-plus digits, "15,4"). A literal that
only the other style can read and that has two or more separators ("1,200,000" in a vi text) is read
in that style. With `style=None`, `find_numbers` and `parse_number` sniff the text they are given, so
a caller holding a whole article should sniff it once and pass `style=`.

Words. "hai mươi mốt" (21), "ba mươi tư" (34), "mười lăm" (15), "một trăm linh/lẻ năm" (105),
"hai nghìn không trăm hai mươi" (2020), spoken tens "hai mốt" (21), "một tá" (12), "hai chục" (20),
"một phẩy năm" (1.5), "âm 5", scales after words or digits ("15 nghìn", "2,5 triệu", "hai nghìn tỷ"), and the colloquial
elision of a last digit after a scale ("hai nghìn hai" 2200, "một trăm hai" 120, "hai nghìn rưỡi"
2500). "hàng chục/trăm/nghìn …" reads as its scale (10/100/1000 …) with qualifier approx.

What find_numbers returns. Every figure candidate, left to right, not overlapping:
- digits, with scale words and "%"/"phần trăm" (unit percent); "(26,3%)" gives "26,3%";
- a qualifier written just before it is part of the text ("trên 15 nghìn", "khoảng trên 15 ngàn");
  "N trở lên" and "từ N trở lên" are at_least, also with a noun between ("từ 30 đảng viên trở lên"
  gives "từ 30": the noun is never part of the text);
- ranges "5-7", "5 – 7", "5 đến 7": value 5, high 7, qualifier range; a "từ" before a range is left
  out of the text ("từ 5-7" gives "5-7"); the low end must be below the high end;
- "a/b": a date when it looks like day/month (a ≤ 31, b ≤ 12) unless a ratio verb comes before it
  ("kết nạp", "thành lập được", "đạt", "Kết quả") or a count noun after it ("đảng viên", "chỉ tiêu");
  otherwise achieved/target (value a, target b); a share (percent a/b·100) when a < b and it reads
  "a/b số …", "chiếm a/b", or has a qualifier with b ≤ 10 ("khoảng 2/3");
- numbers in words only when they clearly count something: followed by a count noun ("hai chi bộ",
  "mười lăm đảng viên"), or by "phần trăm"; "một nửa" (50 percent) and "hai phần ba" (66.67 percent)
  stand alone. "một" after "là/như/mỗi…" is the article, "gấp đôi" is a relation: neither is returned.
Not returned: numbers glued to letters, "_", "@", a "/" or "-" code ("218-QĐ/TW", "COVID-19",
"z5199_….jpg"), dates ("12/12/2013", "tháng 9/2022", "24-10-2014"), times ("10:26"), phone numbers,
dotted literals that are not thousands groups ("4.0", "0252.3822"), leading zeros beyond two digits,
runs of more than seven digits, numbers next to other numbers ("Trang 1 2 3", "1900 1234"), bare
years 1900–2100 and year ranges (unless a count noun follows), zero (unless a percent or a count noun
follows), and numbers after or before the context words of the lexicon (dates, ordinals, names,
codes, ages, durations, money, measurements, multipliers, page counters). Words before a number
block it only when adjacent, except ages, prices and "gấp", which also block across a qualifier
("độ tuổi dưới 30"), and page labels, which also block across ":" or "(" ("Lượt xem: 1.234").
"""

import json
import logging
import math
import unicodedata
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import regex

from schemas import NumberMention, Qualifier, Unit

__all__ = ["alternation", "find_numbers", "has_number", "number_style", "parse_number"]

_log = logging.getLogger(__name__)
_LEX: dict = json.loads((Path(__file__).parent / "lexicons" / "numerals.json").read_text(encoding="utf-8"))

_SP = r"[^\S\n]+"  # spaces within one line
_WINDOW = 48  # characters of context looked at on each side of a number
_FLAGS = regex.IGNORECASE | regex.VERSION0
_BACKWARD = _FLAGS | regex.REVERSE  # for patterns anchored at the end of a window of text before a number


def alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, their words joined by any run of spaces."""
    unique = sorted({p.lower() for p in phrases}, key=len, reverse=True)
    return "|".join(_SP.join(regex.escape(w) for w in p.split()) for p in unique)


def _guarded_alt(words: Iterable[str], unless: dict[str, list[str]], *, after: bool) -> str:
    """An alternation where a word does not count next to its `unless` neighbours ("tổng số", "đồng chí")."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        body = _SP.join(regex.escape(w) for w in word.split())
        guard = unless.get(word)
        if guard and after:
            body = rf"{body}(?!{_SP}(?:{alternation(guard)})(?!\w))"
        elif guard:
            body = rf"(?<!(?<!\w)(?:{alternation(guard)}){_SP}){body}"
        parts.append(body)
    return "|".join(parts)


# ---- the word grammar -------------------------------------------------------------------------

_UNITS: dict[str, int] = _LEX["units"]
_AFTER_TENS: dict[str, int] = _LEX["units_after_tens"]
_TEN: str = _LEX["ten"]
_TENS: str = _LEX["tens"]
_TENS_MULTIPLIER: str = _LEX["tens_multiplier"]
_HUNDRED: str = _LEX["hundred"]
_ZERO_TENS = frozenset(_LEX["zero_tens"])
_SCALES: dict[str, int] = _LEX["scales"]
_DIGIT_SCALES: dict[str, int] = _LEX["digit_scales"]
_POINT = frozenset(_LEX["decimal_point"])
_HALF = frozenset(_LEX["half"])
_SUFFIXES: dict[str, int] = _LEX["suffixes"]
_HANG: str = _LEX["approx_scale_prefix"]

_NONZERO = {w: d for w, d in _UNITS.items() if d}
_ONE = next(w for w, d in _UNITS.items() if d == 1)
_DIGIT_WORDS = {**_UNITS, **_AFTER_TENS}  # every word that names one digit
_ELIDED = {**_NONZERO, **_AFTER_TENS}  # a last digit after a scale: "hai nghìn hai"
_AFTER_TEN = {w: d for w, d in _ELIDED.items() if w != "năm" and w != "mốt"}  # mười một … mười lăm, mười tư
_AFTER_LINH = {**_NONZERO, "tư": 4}
_WORDS = frozenset(
    [*_UNITS, *_AFTER_TENS, _TEN, _TENS, _TENS_MULTIPLIER, _HUNDRED, *_ZERO_TENS, *_SCALES, *_POINT, *_HALF, _HANG]
)


class _Lit(NamedTuple):
    """A digit literal inside a number expression: its value and its digits as written."""

    value: Fraction
    raw: str


_Token = str | _Lit

_VI_LITERAL = regex.compile(r"(?:\d{1,3}(?:\.\d{3})+|\d*)(?:,\d+)?")
_EN_LITERAL = regex.compile(r"(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?")
_LITERAL_TOKEN = regex.compile(r"(\d[\d.,]*|[.,]\d+)([kmgb])?", regex.IGNORECASE)


def _literal(raw: str, style: str, *, strict: bool) -> Fraction | None:
    """The value of digits as written; `strict` adds the running-text rules (no phone-like zeros, no ids)."""
    own, other, point = (_VI_LITERAL, _EN_LITERAL, ",") if style == "vi" else (_EN_LITERAL, _VI_LITERAL, ".")
    if not own.fullmatch(raw):
        if not (other.fullmatch(raw) and sum(raw.count(c) for c in ".,") >= 2):
            return None
        point = "." if point == "," else ","
    whole, _, decimals = raw.partition(point)
    whole = whole.replace("." if point == "," else ",", "")
    if strict and ((len(whole) > 2 and whole.startswith("0")) or (raw.isdigit() and len(raw) > 7) or not whole):
        return None
    return Fraction(int(whole or "0")) + (Fraction(int(decimals), 10 ** len(decimals)) if decimals else 0)


def _tokens(text: str, style: str, *, strict: bool) -> list[_Token] | None:
    """Words and digit literals of a lower-cased number expression, or None if a token is neither."""
    out: list[_Token] = []
    for raw in text.split():
        if raw in _WORDS:
            out.append(raw)
            continue
        m = _LITERAL_TOKEN.fullmatch(raw)
        if not m or (strict and m[2]):
            return None
        value = _literal(m[1], style, strict=strict)
        if value is None:
            return None
        out.append(_Lit(value * _SUFFIXES[m[2].lower()] if m[2] else value, m[1]))
    return out


def _at(toks: list[_Token], i: int) -> _Token | None:
    return toks[i] if i < len(toks) else None


def _is_scale(tok: _Token | None) -> bool:
    return isinstance(tok, str) and tok in _SCALES


def _read_group(toks: list[_Token], i: int, *, after_scale: bool) -> tuple[Fraction | None, int]:
    """A group below a thousand starting at toks[i] ("hai trăm linh năm", "ba mươi tư", "15")."""
    tok = toks[i]
    if isinstance(tok, _Lit):
        return tok.value, i + 1
    last = len(toks) - 1
    hundreds = None
    if tok in _UNITS and _at(toks, i + 1) == _HUNDRED:
        hundreds = _UNITS[tok] * 100
        i += 2
        tok = _at(toks, i)
        if isinstance(tok, str) and (i == last or _is_scale(_at(toks, i + 1))):
            if tok in _HALF:
                return Fraction(hundreds + 50), i + 1
            if tok in _ELIDED:  # "một trăm hai" = 120
                return Fraction(hundreds + _ELIDED[tok] * 10), i + 1
    base = hundreds or 0
    nxt = _at(toks, i + 1)
    if tok in _ZERO_TENS:
        if (hundreds is None and not after_scale) or nxt not in _AFTER_LINH:
            return None, i
        return Fraction(base + _AFTER_LINH[nxt]), i + 2
    if tok == _TEN:
        unit = _AFTER_TEN.get(nxt) if isinstance(nxt, str) else None
        return Fraction(base + 10 + (unit or 0)), i + (2 if unit is not None else 1)
    if tok in _UNITS and _UNITS[tok] >= 2 and nxt == _TENS:
        after = _at(toks, i + 2)
        unit = _ELIDED.get(after) if isinstance(after, str) else None
        return Fraction(base + _UNITS[tok] * 10 + (unit or 0)), i + (3 if unit is not None else 2)
    if hundreds is None and tok in _UNITS:
        if _UNITS[tok] >= 2 and nxt in _AFTER_TENS:  # spoken tens: "hai mốt" 21, "ba tư" 34
            return Fraction(_UNITS[tok] * 10 + _AFTER_TENS[nxt]), i + 2
        if nxt == _TENS_MULTIPLIER:
            return Fraction(_UNITS[tok] * 10), i + 2
        return Fraction(_UNITS[tok]), i + 1
    return (Fraction(hundreds), i) if hundreds is not None else (None, i)


def _read_integer(toks: list[_Token]) -> Fraction | None:
    """Groups joined by scale words, largest first; "nghìn tỷ" multiplies (a trillion)."""
    total, last_scale, i, n = Fraction(0), 0, 0, len(toks)
    while i < n:
        tok = toks[i]
        if last_scale and _is_scale(tok) and _SCALES[tok] > last_scale:
            total *= _SCALES[tok]
            last_scale = _SCALES[tok]
            i += 1
            continue
        if last_scale and i == n - 1 and isinstance(tok, str):
            if tok in _HALF:
                return total + Fraction(last_scale, 2)
            if tok in _ELIDED and last_scale >= 100 and last_scale % 10 == 0:
                return total + _ELIDED[tok] * Fraction(last_scale, 10)
        group, i = _read_group(toks, i, after_scale=bool(last_scale))
        if group is None:
            return None
        if i == n:
            return total + group
        tok = toks[i]
        scale = _SCALES.get(tok) if isinstance(tok, str) else None
        if scale is None and isinstance(toks[i - 1], _Lit) and isinstance(tok, str):
            scale = _DIGIT_SCALES.get(tok)
        if scale is None:
            return None
        total = (total + group) * scale if last_scale and scale > last_scale else total + group * scale
        last_scale = scale
        i += 1
    return total


def _fraction_digits(toks: list[_Token]) -> str | None:
    """The digits after "phẩy": spelled one by one ("bảy bảy" → 77) or as one number ("hai mươi lăm")."""
    if toks and all(isinstance(t, _Lit) and t.raw.isdigit() for t in toks):
        return "".join(t.raw for t in toks)  # type: ignore[union-attr]
    if toks and all(isinstance(t, str) and t in _DIGIT_WORDS for t in toks):
        return "".join(str(_DIGIT_WORDS[t]) for t in toks)  # type: ignore[index]
    value = _read_integer(toks) if toks else None
    return str(value.numerator) if value is not None and value.denominator == 1 else None


def _read(toks: list[_Token]) -> Fraction | None:
    """The value of a whole token list: "hàng" + scales, a "phẩy" decimal, or an integer expression."""
    if not toks:
        return None
    if toks[0] == _HANG:
        scales = [_SCALES.get(t) or _DIGIT_SCALES.get(t) for t in toks[1:] if isinstance(t, str)]
        if len(scales) != len(toks) - 1 or not scales or not all(scales):
            return None
        product = Fraction(1)
        for scale in scales:
            product *= scale  # type: ignore[operator]
        return product
    if toks[0] == _HUNDRED or _is_scale(toks[0]):  # "trăm rưỡi", "nghìn hai": one is implied
        toks = [_ONE, *toks]
    point = next((k for k, t in enumerate(toks) if t in _POINT), None)
    if point is None:
        return _read_integer(toks)
    whole = _read_integer(toks[:point]) if point else None
    end = next((k for k in range(point + 1, len(toks)) if _is_scale(toks[k])), len(toks))
    digits = _fraction_digits(toks[point + 1 : end])
    if whole is None or whole.denominator != 1 or digits is None:
        return None
    value = whole + Fraction(int(digits), 10 ** len(digits))
    for tok in toks[end:]:
        if not _is_scale(tok):
            return None
        value *= _SCALES[tok]  # type: ignore[index]
    return value


# ---- styles -------------------------------------------------------------------------------------

_SCALE_WORDS = alternation([*_SCALES, *_DIGIT_SCALES])
_STYLE_MARKS = regex.compile(
    r"(?P<vi>\d\.\d{3}(?!\d)|\d,(?:\d{1,2}|\d{4,})(?!\d))"
    rf"|(?<![\d.,])[1-9]\d{{0,2}}(?:,\d{{3}})+(?!\d|[.,]\d|\s*(?:{_SCALE_WORDS})(?!\w))"
    r"|(?<![\d.,])\d+\.\d{1,2}(?!\d|[.,]\d)",
    _FLAGS,
)


def number_style(text: str) -> str:
    """ "en" when `text` writes numbers the English way (1,549 / 1.5) and never the Vietnamese way, else "vi"."""
    english = False
    for mark in _STYLE_MARKS.finditer(text):
        if mark["vi"]:
            return "vi"
        english = True
    return "en" if english else "vi"


def _check_style(style: str | None, text: str) -> str:
    if style is None:
        return number_style(text)
    if style not in ("vi", "en"):
        raise ValueError(f"style must be 'vi' or 'en', not {style!r}")
    return style


# ---- parse_number -------------------------------------------------------------------------------

_NEGATIVE = regex.compile(rf"^(?:(?:{alternation(_LEX['negative'])}){_SP}|[-−–]\s*)")
_PERCENT_TAIL = regex.compile(rf"(?:\s*%|{_SP}(?:{alternation(_LEX['percent_words'])}))$")
_HALF_PHRASE = regex.compile(rf"^{alternation([_LEX['half_phrase']])}$")


def parse_number(text: str, *, style: str | None = None) -> float | None:
    """The value of a whole string that is a number expression, digits or words ("1.549", "28,75",
    "hai mươi mốt", "15 nghìn", "một trăm linh năm", "3 triệu", "1,2M", "âm 5"); None if it is not one.

    A trailing "%" or "phần trăm" is allowed and ignored; "một nửa" is 0.5. K/M/G/B suffixes are read
    here only. `style` as in `number_style` (None: sniffed from `text`).
    """
    expr = unicodedata.normalize("NFC", text).strip().lower()
    style = _check_style(style, expr)
    sign = 1
    negative = _NEGATIVE.match(expr)
    if negative:
        sign, expr = -1, expr[negative.end() :]
    expr = _PERCENT_TAIL.sub("", expr)
    if _HALF_PHRASE.match(expr):
        return sign * 0.5
    expr = _NUMBER_WORD_PREFIX.sub("", expr)
    toks = _tokens(expr, style, strict=False)
    value = _read(toks) if toks is not None else None
    if value is None:
        value = _spoken_two_digits(expr)
    return None if value is None else sign * float(value)


_NUMBER_WORD_PREFIX = regex.compile(r"^số\s+(?=\S)")


def _spoken_two_digits(expr: str) -> int | None:
    """A whole expression of two digit words is a spoken two-digit number ("ba ba" 33, "năm sáu" 56).

    Only for a string known to be one number: inside running text "hai ba người" means two or three.
    A last "năm" is "year" ("năm năm", five years), so it is not read as a digit here.
    """
    words = expr.split()
    if (len(words) == 2 and all(w in _DIGIT_WORDS for w in words) and words[1] != "năm"
            and _DIGIT_WORDS[words[0]] >= 2 and _DIGIT_WORDS[words[1]] >= 1):
        return _DIGIT_WORDS[words[0]] * 10 + _DIGIT_WORDS[words[1]]
    return None


# ---- find_numbers -------------------------------------------------------------------------------

_START_WORDS = [*_NONZERO, _TEN, _HANG]
_LITERAL = r"\d+(?:[.,]\d+)*"
_SCALE = rf"(?:{_SCALE_WORDS})(?!\w)(?!{_SP}(?:{alternation(_LEX['scale_not_before'])})(?!\w))"
_DIGITS_CORE = (
    rf"{_LITERAL}(?:{_SP}(?:{alternation(_POINT)}){_SP}{_LITERAL})?"
    rf"(?:{_SP}{_SCALE}(?:{_SP}(?:{alternation(_HALF)})(?!\w))?(?:{_SP}{_LITERAL}(?={_SP}{_SCALE}))?)*"
)
_PERCENT = rf"(?:[^\S\n]?%|{_SP}(?:{alternation(_LEX['percent_words'])})(?!\w))"
_COUNT_NOUN = rf"(?:{alternation(_LEX['count_nouns'])})(?!\w)"
_NEG = rf"(?:{alternation(_LEX['negative'])}){_SP}"
_DATE = (
    r"\d{1,2}(?P<dsep>[/.\-])\d{1,2}(?P=dsep)\d{2,4}(?!\d)(?:,?[^\S\n]+\d{1,2}:\d{2}(?::\d{2})?(?!\d))?"
    r"|\d{1,2}[^\S\n]*[-–][^\S\n]*\d{1,2}/\d{1,2}(?:/\d{2,4})?(?!\d)"
    r"|(?:0?[1-9]|1[0-2])[/\-.](?:19|20)\d{2}(?!\d)"
)
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?!\d)"
_PHONE = r"(?:\+84|\(0\d{2,3}\)|0\d{2,3})[ .]?\d{3,4}[ .]?\d{3,4}(?!\d)"
_MASTER = regex.compile(
    r"(?<![\w@#&=?/]|\w[./\-–+]|\d[,:])(?:"
    rf"(?P<skip>{_DATE}|{_TIME}|{_PHONE})"
    rf"|(?P<num>(?P<neg>{_NEG})?(?P<a>{_DIGITS_CORE})(?P<apct>{_PERCENT})?"
    rf"(?:(?P<sep>[^\S\n]*[-–—][^\S\n]*|{_SP}(?:{alternation(_LEX['range_joiners'])}){_SP}|/)"
    rf"(?P<b>{_DIGITS_CORE})(?P<bpct>{_PERCENT})?)?)"
    rf"(?![\w@]|/(?!(?:{alternation(_LEX['rate_periods'])})(?!\w))|[.,:\-–]\d|[.\-–:][^\W\d_])"
    rf"|(?P<half>{alternation([_LEX['half_phrase']])})(?!\w)"
    rf"|(?P<frac>(?:{alternation([*_NONZERO, _TEN])}){_SP}{alternation([_LEX['fraction_word']])}{_SP}"
    rf"(?:{alternation(_LEX['fraction_denominators'])}))(?!\w)"
    rf"|(?P<w>(?P<wneg>{_NEG})?(?:{alternation(_START_WORDS)})(?!\w)(?:{_SP}(?:{alternation(_WORDS - {_HANG})})(?!\w))*)"
    rf"(?:(?P<wpct>{_SP}(?:{alternation(_LEX['percent_words'])})(?!\w))|(?={_SP}{_COUNT_NOUN}))"
    r")",
    _FLAGS,
)
# Where _MASTER can start: scanning for these first and matching there is much faster than finditer.
_ANCHOR = regex.compile(rf"\d+|[+(](?=\d)|(?<!\w)(?:{alternation([*_START_WORDS, *_LEX['negative']])})(?!\w)", _FLAGS)
_HAS_NUMBER = regex.compile(rf"\d|(?<!\w)(?:{alternation(_START_WORDS)})(?!\w)", _FLAGS)

_QUALIFIERS: dict[str, Qualifier] = {
    " ".join(k.lower().split()): Qualifier(v) for k, v in _LEX["qualifiers_before"].items()
}
_QUALIFIER_BEFORE = regex.compile(rf"(?<!\w)(?P<q>{alternation(_QUALIFIERS)}){_SP}$", _BACKWARD)
_FROM_BEFORE = regex.compile(rf"(?<!\w){alternation([_LEX['range_from']])}{_SP}$", _BACKWARD)
_BLOCK_ACROSS = _LEX["not_figure_before_across"]
_BLOCKERS = _guarded_alt([*_LEX["not_figure_before"], *_BLOCK_ACROSS], _LEX["not_figure_before_unless"], after=False)
_BLOCK_BEFORE = regex.compile(
    rf"(?<!\w)(?:{_BLOCKERS}){_SP}$|(?<!\w)(?:{alternation(_LEX['labels_before'])})[^\S\n]*[:(]?[^\S\n]*$",
    _BACKWARD,
)
_THRESHOLD_BEFORE = regex.compile(
    rf"(?:\d%?|(?<!\w)(?:{alternation(_LEX['threshold_counted_by'])}))(?:{_SP}[^\s\d,.;:()]+){{1,8}}{_SP}"
    rf"(?:{alternation(_LEX['threshold_before'])}){_SP}$",
    _BACKWARD,
)
_BLOCK_BEFORE_QUALIFIER = regex.compile(rf"(?<!\w)(?:{alternation(_BLOCK_ACROSS)}){_SP}$", _BACKWARD)
_BLOCK_AFTER = regex.compile(
    rf"[^\S\n]*(?:{_guarded_alt(_LEX['not_figure_after'], _LEX['not_figure_after_unless'], after=True)})(?!\w)",
    _FLAGS,
)
_NOUN_AFTER = regex.compile(rf"{_SP}{_COUNT_NOUN}", _FLAGS)
_AT_LEAST_AFTER = regex.compile(rf"{_SP}(?:{alternation(_LEX['qualifiers_after'])})(?!\w)", _FLAGS)
_AT_LEAST_LATER = regex.compile(
    rf"(?:{_SP}[^\s,.;:()]+){{1,4}}?{_SP}(?:{alternation(_LEX['qualifiers_after'])})(?!\w)", _FLAGS
)
_RATIO_BEFORE = regex.compile(
    rf"(?<!\w)(?:{alternation(_LEX['ratio_before'])})(?:{_SP}(?:{alternation(_LEX['ratio_before_particles'])}))*"
    rf"[^\S\n]*:?[^\S\n]*$",
    _BACKWARD,
)
_FRACTION_AFTER = regex.compile(rf"{_SP}(?:{alternation(_LEX['fraction_after'])})(?!\w)", _FLAGS)
_FRACTION_BEFORE = regex.compile(rf"(?<!\w)(?:{alternation(_LEX['fraction_before'])}){_SP}$", _BACKWARD)
_WORD_NOT_NUMBER_AFTER = {
    word: regex.compile(rf"(?<!\w)(?:{alternation(before)}){_SP}$", _BACKWARD)
    for word, before in _LEX["word_not_number_after"].items()
}
_YEAR = regex.compile(r"(?:19|20)\d{2}|2100")
_BARE_LITERAL = regex.compile(_LITERAL)
_DIGITS_AFTER = regex.compile(rf"{_SP}\d")
_DIGITS_BEFORE = regex.compile(rf"\d{_SP}$", regex.REVERSE)


class _Figure(NamedTuple):
    """What the grammar read from a match, before the context decides on it."""

    value: float
    unit: Unit
    qualifier: Qualifier | None  # None: decided by the context (exact or a written qualifier)
    high: float | None
    target: float | None
    end: int
    rule: str


def has_number(text: str) -> bool:
    """Cheap pre-filter: a digit or a word that could start a figure."""
    return _HAS_NUMBER.search(text) is not None


def _value(raw: str, style: str) -> Fraction | None:
    toks = _tokens(raw.lower(), style, strict=True)
    return _read(toks) if toks is not None else None


def _share(part: Fraction, whole: Fraction) -> float:
    return round(float(part / whole * 100), 2)


def _read_digits(m: regex.Match, text: str, style: str, qualified: bool) -> _Figure | None:
    """The digits alternative: one number, a range or an a/b; None when it is not a figure."""
    a = _value(m["a"], style)
    if a is None:
        return None
    sign = -1 if m["neg"] else 1
    plain_year = _YEAR.fullmatch(m["a"]) is not None
    after = text[m.end() : m.end() + _WINDOW]
    bare = m["b"] is None and m["apct"] is None and _BARE_LITERAL.fullmatch(m["a"]) is not None
    if bare and (_DIGITS_AFTER.match(after) or _DIGITS_BEFORE.search(text, max(0, m.start() - 8), m.start())):
        return None  # a run of numbers: pages "1 2 3", phone parts "1900 1234"
    if m["b"] is None:
        percent = m["apct"] is not None
        if (plain_year or a == 0) and not percent and not _NOUN_AFTER.match(after):
            return None
        unit = Unit.percent if percent else Unit.count
        return _Figure(sign * float(a), unit, None, None, None, m.end(), "digits")
    b = _value(m["b"], style)
    if b is None:
        return None
    if m["sep"] == "/":
        return _read_slash(m, text, a, b, qualified)
    if a >= b or (plain_year and _YEAR.fullmatch(m["b"])):
        if m["sep"].strip() in ("-", "–", "—"):
            return None
        end = m.end("apct") if m["apct"] else m.end("a")  # "5 đến 3": keep the first number alone
        unit = Unit.percent if m["apct"] else Unit.count
        return None if plain_year else _Figure(sign * float(a), unit, None, None, None, end, "digits")
    unit = Unit.percent if (m["apct"] or m["bpct"]) else Unit.count
    return _Figure(sign * float(a), unit, Qualifier.range, float(b), None, m.end(), "range")


def _read_slash(m: regex.Match, text: str, a: Fraction, b: Fraction, qualified: bool) -> _Figure | None:
    """ "a/b": a share, an achieved/target ratio, or a day/month date (not a figure)."""
    if m["apct"] or m["bpct"] or b == 0 or a.denominator != 1 or b.denominator != 1:
        return None
    before = text[max(0, m.start() - _WINDOW) : m.start()]
    after = text[m.end() : m.end() + _WINDOW]
    if a < b and (_FRACTION_AFTER.match(after) or _FRACTION_BEFORE.search(before) or (qualified and b <= 10)):
        return _Figure(_share(a, b), Unit.percent, None, None, None, m.end(), "fraction")
    looks_like_date = 1 <= a <= 31 and 1 <= b <= 12
    if looks_like_date and not (_RATIO_BEFORE.search(before) or _NOUN_AFTER.match(after)):
        return None
    return _Figure(float(a), Unit.count, None, None, float(b), m.end(), "ratio")


def _read_words(m: regex.Match, text: str, style: str) -> _Figure | None:
    """The word alternatives: "một nửa", "hai phần ba", and numbers in words before a count noun."""
    if m["half"]:
        return _Figure(50.0, Unit.percent, None, None, None, m.end(), "words.half")
    if m["frac"]:
        words = m["frac"].lower().split()
        share = _share(Fraction(_NONZERO.get(words[0], 10)), Fraction(_LEX["fraction_denominators"][words[-1]]))
        return _Figure(share, Unit.percent, None, None, None, m.end(), "words.fraction")
    words = m["w"][m.end("wneg") - m.start("w") :] if m["wneg"] else m["w"]
    value = _value(words, style)
    if value is None:
        return None
    noun_reading = _WORD_NOT_NUMBER_AFTER.get(words.lower())
    if noun_reading and noun_reading.search(text[max(0, m.start() - _WINDOW) : m.start()]):
        return None
    if value == 1 and words.lower() in _UNITS and text[m.end() : m.end() + _WINDOW].lstrip()[:1].isupper():
        return None
    sign = -1 if m["wneg"] else 1
    approx = Qualifier.approx if words.lower().startswith(_HANG) else None
    unit = Unit.percent if m["wpct"] else Unit.count
    return _Figure(sign * float(value), unit, approx, None, None, m.end(), "words")


def _place(
    text: str, start: int, figure: _Figure, qual: regex.Match | None, from_: regex.Match | None
) -> tuple[int, int, Qualifier] | None:
    """Where the figure's text starts and ends and how it is qualified, or None when the words around
    it say it is not a figure. `qual`/`from_` matched the window of _WINDOW characters before `start`."""
    hedge = qual or from_
    context_start = start - min(start, _WINDOW) + hedge.start() if hedge else start
    blocker = _BLOCK_BEFORE_QUALIFIER if hedge else _BLOCK_BEFORE
    if blocker.search(text[max(0, context_start - _WINDOW) : context_start]):
        return None
    end, qualifier = figure.end, figure.qualifier
    after = text[end : end + _WINDOW]
    if figure.unit is Unit.count and figure.rule in ("digits", "range") and _BLOCK_AFTER.match(after):
        return None
    if qualifier is Qualifier.range:
        return start, end, qualifier
    at_least = _AT_LEAST_AFTER.match(after)
    later = at_least is None and _AT_LEAST_LATER.match(after)
    if from_ and (at_least or later) and _THRESHOLD_BEFORE.search(text[max(0, context_start - _WINDOW) : context_start]):
        return None  # "87% doanh nghiệp có từ 25 lao động trở lên": a condition on what is counted
    if at_least:
        return (context_start if from_ else start), end + at_least.end(), Qualifier.at_least
    if later:  # "(từ) 30 đảng viên trở lên": the noun stays out of the text
        return (context_start if from_ else start), end, Qualifier.at_least
    if qual is not None:
        return context_start, end, _QUALIFIERS[" ".join(qual["q"].lower().split())]
    return start, end, qualifier or Qualifier.exact


def _representable(m: regex.Match[str], text: str, style: str, qualified: bool) -> _Figure | None:
    """The figure `m` reads, unless it is too large for a float: that one figure is dropped (with a warning), not its article."""
    try:
        figure = _read_digits(m, text, style, qualified) if m["num"] is not None else _read_words(m, text, style)
    except OverflowError:
        figure = None
    else:
        if figure is None or all(math.isfinite(v) for v in (figure.value, figure.high, figure.target) if v is not None):
            return figure
    _log.warning("a figure too large to represent was dropped: %s…", m.group()[:40])
    return None


def find_numbers(text: str, offset: int = 0, *, style: str | None = None) -> list[NumberMention]:
    """Every figure candidate in `text` (a sentence or a whole article), left to right, non-overlapping.

    Offsets are `offset + index into text`. Numbers that are not figures (see the module docstring)
    are not returned. `style` is "vi" or "en" (see `number_style`); None sniffs `text`.
    """
    style = _check_style(style, text)
    found: list[NumberMention] = []
    last_end = consumed = 0
    for anchor in _ANCHOR.finditer(text):
        if anchor.start() < consumed:
            continue
        m = _MASTER.match(text, anchor.start())
        if m is None:
            continue
        consumed = m.end()
        if m["skip"] is not None:
            continue
        before = text[max(0, m.start() - _WINDOW) : m.start()]
        qual = _QUALIFIER_BEFORE.search(before)
        from_ = _FROM_BEFORE.search(before) if qual is None else None
        figure = _representable(m, text, style, qual is not None)
        placed = _place(text, m.start(), figure, qual, from_) if figure else None
        if figure is None or placed is None or placed[0] < last_end:
            continue
        start, last_end, qualifier = placed
        found.append(
            NumberMention(
                start=offset + start,
                end=offset + last_end,
                text=text[start:last_end],
                value=figure.value,
                unit=figure.unit,
                qualifier=qualifier,
                high=figure.high,
                target=figure.target,
                rule=f"number.{figure.rule}",
            )
        )
    return found
