"""extractors.numbers: table-driven cases (tests/cases/numbers.jsonl), properties, and the seed gold."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.numbers import find_numbers, has_number, number_style, parse_number
from schemas import NumberMention, Qualifier, Unit

CASES = [json.loads(line) for line in (Path(__file__).parent / "cases" / "numbers.jsonl").open(encoding="utf-8")]
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"

PARSE = [(form, case["parse"], case.get("style")) for case in CASES if "parse" in case for form in case["forms"]]
FIND = [(case["find"], case["figures"], case.get("style")) for case in CASES if "find" in case]
NONE = [text for case in CASES if "none" in case for text in case["none"]]


def _as_dict(m: NumberMention) -> dict:
    return {
        "text": m.text,
        "value": m.value,
        "unit": m.unit.value,
        "qualifier": m.qualifier.value,
        "high": m.high,
        "target": m.target,
    }


def _expected(figure: dict) -> dict:
    return {"unit": "count", "qualifier": "exact", "high": None, "target": None, **figure}


def _check_offsets(text: str, mentions: list[NumberMention], offset: int = 0) -> None:
    last = offset
    for m in mentions:
        assert text[m.start - offset : m.end - offset] == m.text
        assert last <= m.start < m.end
        last = m.end


def test_the_table_is_big_enough() -> None:
    assert len(PARSE) + len(FIND) + len(NONE) >= 150


@pytest.mark.parametrize(("form", "value", "style"), PARSE)
def test_parse_number(form: str, value: float | None, style: str | None) -> None:
    got = parse_number(form, style=style)
    if value is None:
        assert got is None
    else:
        assert got == pytest.approx(value)


@pytest.mark.parametrize(("text", "figures", "style"), FIND)
def test_find_numbers(text: str, figures: list[dict], style: str | None) -> None:
    found = find_numbers(text, style=style)
    assert [_as_dict(m) for m in found] == [_expected(f) for f in figures]
    _check_offsets(text, found)


@pytest.mark.parametrize("text", NONE)
def test_not_a_figure(text: str) -> None:
    assert find_numbers(text) == []


def test_offsets_are_shifted_and_rules_named() -> None:
    text = "Có 12 chi bộ, 103/80 đảng viên và 5-7 tổ chức."
    found = find_numbers(text, 1000)
    assert [m.start for m in found] == [1003, 1014, 1034]
    assert [m.rule for m in found] == ["number.digits", "number.ratio", "number.range"]
    assert all(isinstance(m.unit, Unit) and isinstance(m.qualifier, Qualifier) for m in found)
    _check_offsets(text, found, 1000)


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("có 1.549 đảng viên", "vi"),
        ("vượt 15,4% kế hoạch", "vi"),
        ("có 1,549 đảng viên", "en"),
        ("tăng 1.5% so với năm trước", "en"),
        ("có 1,549 đảng viên, chiếm 15,4%", "vi"),
        ("2,125 triệu người", "vi"),
        ("ngày 12.12.2013", "vi"),
        ("không có số nào", "vi"),
    ],
)
def test_number_style(text: str, style: str) -> None:
    assert number_style(text) == style


@pytest.mark.parametrize(
    ("text", "expected"),
    [("có 12 người", True), ("Hai chi bộ", True), ("hàng trăm người", True), ("không có gì", False), ("", False)],
)
def test_has_number(text: str, expected: bool) -> None:
    assert has_number(text) is expected


def test_bad_style_is_named() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        find_numbers("12", style="fr")


# ---- properties: render numbers the ways a report writes them, read them back ------------------

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = [None, ("nghìn", "ngàn"), ("triệu",), ("tỷ", "tỉ")]


def _below_thousand(n: int, full: bool, draw) -> list[str]:
    """Words for 0 < n < 1000; `full` writes "không trăm"/"linh" as after a higher group."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words = [DIGITS[hundreds], "trăm"] if hundreds or full else []
    if tens == 0 and units:
        words += ([draw(st.sampled_from(["linh", "lẻ"]))] if words else []) + [DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append(draw(st.sampled_from(["lăm", "nhăm"])) if units == 5 else DIGITS[units])
    elif tens:
        words += [DIGITS[tens], "mươi"]
        if units:
            spoken = {1: ["mốt"], 4: ["tư", "bốn"], 5: ["lăm", "nhăm"]}.get(units, [DIGITS[units]])
            words.append(draw(st.sampled_from(spoken)))
    return words


def _in_words(n: int, draw) -> str:
    """Formal Vietnamese words for 0 ≤ n < 10¹²."""
    if n == 0:
        return "không"
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for level in range(len(groups) - 1, -1, -1):
        if groups[level]:
            words += _below_thousand(groups[level], bool(words), draw)
            if SCALES[level]:
                words.append(draw(st.sampled_from(SCALES[level])))
    return " ".join(words)


def _vi_digits(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@st.composite
def written_integers(draw) -> tuple[int, str, str]:
    """(value, how it is written, style) for a count a report could give."""
    n = draw(st.integers(min_value=1, max_value=999_999_999))
    form = draw(st.sampled_from(["vi", "plain", "zeros", "en", "words"]))
    if form == "plain":  # a run of more than seven digits is an id, not a figure
        n = n % 10_000_000 or 1
        return n, str(n), "vi"
    if form == "zeros":
        n = n % 10 or 1
        return n, f"0{n}", "vi"
    if form == "en":
        return n, f"{n:,}", "en"
    if form == "words":
        return n, _in_words(n, draw), "vi"
    return n, _vi_digits(n), "vi"


@st.composite
def written_decimals(draw) -> tuple[Decimal, str, str]:
    whole = draw(st.integers(min_value=0, max_value=99_999))
    decimals = draw(st.integers(min_value=1, max_value=99))
    value = Decimal(f"{whole}.{decimals:02d}".rstrip("0"))
    digits = str(value).split(".")[1]
    if draw(st.booleans()):
        return value, f"{_vi_digits(whole)},{digits}", "vi"
    return value, f"{whole:,}.{digits}", "en"


@settings(max_examples=300, deadline=None)
@given(written_integers(), st.sampled_from(["Toàn tỉnh có ", "Đã kết nạp ", ""]), st.integers(0, 10_000))
def test_counts_read_back(written: tuple[int, str, str], prefix: str, offset: int) -> None:
    n, form, style = written
    assert parse_number(form, style=style) == n
    text = f"{prefix}{form} đảng viên mới."
    found = find_numbers(text, offset, style=style)
    assert [(m.text, m.value, m.unit) for m in found] == [(form, n, Unit.count)]
    _check_offsets(text, found, offset)


@settings(max_examples=200, deadline=None)
@given(written_decimals(), st.sampled_from(["%", " %", " phần trăm"]))
def test_percentages_read_back(written: tuple[Decimal, str, str], sign: str) -> None:
    value, form, style = written
    assert parse_number(form, style=style) == pytest.approx(float(value))
    text = f"Tỷ lệ đạt {form}{sign} kế hoạch."
    found = find_numbers(text, style=style)
    assert [(m.text, m.unit) for m in found] == [(form + sign, Unit.percent)]
    assert found[0].value == pytest.approx(float(value))


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=999_999_999_999), st.data())
def test_words_read_back(n: int, data: st.DataObject) -> None:
    assert parse_number(_in_words(n, data.draw)) == n


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,/-–:% ()\nabcđêươ năm hai trên khoảng đảng viên", max_size=80))
def test_any_text_keeps_offsets(text: str) -> None:
    _check_offsets(text, find_numbers(text, 7), 7)


# ---- the hand-made gold of the seed articles (skipped without ../shared) ---------------------------


def test_seed_gold_figures_are_found() -> None:
    gold_path = SHARED / "gold" / "seeds.jsonl"
    if not gold_path.exists():
        pytest.skip("../shared/gold is not here")
    right = total = 0
    for line in gold_path.read_text("utf-8").splitlines():
        doc = json.loads(line)
        text = (SHARED / "seeds" / f"{doc['doc']}.txt").read_text("utf-8")
        found = find_numbers(text, style=number_style(text))
        _check_offsets(text, found)
        free = list(found)
        for record in doc["records"]:
            total += 1
            want = {k: record.get(k) for k in ("text", "value", "high", "unit", "qualifier", "target")}
            hit = next((m for m in free if _as_dict(m) == want), None)
            if hit is not None:
                free.remove(hit)
                right += 1
    assert right / total >= 0.97
