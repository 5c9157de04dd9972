"""Figure candidates in Vietnamese text (a first version; issue 3 deepens it)."""

import regex

from schemas import NumberMention, Qualifier, Unit

_QUAL = {
    "khoảng trên": Qualifier.more_than, "trên": Qualifier.more_than, "hơn": Qualifier.more_than,
    "khoảng": Qualifier.approx, "gần": Qualifier.approx, "xấp xỉ": Qualifier.approx, "chừng": Qualifier.approx,
    "ít nhất": Qualifier.at_least, "tối thiểu": Qualifier.at_least, "dưới": Qualifier.less_than,
    "chưa đến": Qualifier.less_than,
}
_SCALE = {"nghìn": 1000, "ngàn": 1000, "triệu": 1_000_000, "tỷ": 1e9, "tỉ": 1e9, "vạn": 10000}
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_FIGURE = regex.compile(
    rf"(?<![\w/.,:\-])(?:(?P<q>{'|'.join(sorted(_QUAL, key=len, reverse=True))})\s+)?"
    rf"(?:từ\s+)?(?P<a>{_NUM})(?:\s*(?P<sep>[-–/])\s*(?P<b>{_NUM}))?"
    rf"(?:\s+(?P<s>{'|'.join(_SCALE)})(?!\w))?(?P<p>\s?%)?(?![\w/\-]|[.,:]\d)",
    regex.IGNORECASE,
)
_NOT_AFTER = regex.compile(r"\s*(?:năm|tháng|ngày|tuổi|giờ|phút|đồng(?!\s+chí)|tiếng|lần|kỳ)\b", regex.IGNORECASE)
_NOT_BEFORE = regex.compile(r"(?:ngày|tháng|năm|sáng|chiều|tối|trưa|hôm|số|kỳ|khóa|thứ|lần|chi bộ|tổ|lúc)\s+$", regex.IGNORECASE)


def _value(digits: str) -> float:
    return float(digits.replace(".", "").replace(",", "."))


def find_numbers(text: str, offset: int = 0) -> list[NumberMention]:
    found: list[NumberMention] = []
    for m in _FIGURE.finditer(text):
        if _NOT_BEFORE.search(text[max(0, m.start() - 12):m.start()]) or _NOT_AFTER.match(text, m.end()):
            continue
        a = _value(m["a"])
        if not m["p"] and 1900 <= a <= 2100 and "." not in m["a"] and (not m["b"] or 1900 <= _value(m["b"]) <= 2100):
            continue
        scale = _SCALE[m["s"].lower()] if m["s"] else 1
        unit = Unit.percent if m["p"] else Unit.count
        qualifier = _QUAL[m["q"].lower()] if m["q"] else Qualifier.exact
        high = target = None
        start = m.start()
        if m["b"]:
            if m["sep"] == "/":
                target = _value(m["b"])
            else:
                high, qualifier = _value(m["b"]) * scale, Qualifier.range
                start = m.start("a")
        found.append(NumberMention(offset + start, offset + m.end(), text[start:m.end()], a * scale, unit,
                                   qualifier, high, target, "digits"))
    return found


def has_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text)
