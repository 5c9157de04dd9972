"""The article stage: one context per article, its furniture worked out once and read by every later stage."""

from datetime import date

import pytest

import corpus.metadata
import pipeline.nlp.context
from corpus.cleaning import furniture_spans
from pipeline.nlp.annotate import annotate
from pipeline.nlp.context import article_context
from schemas import Article

PAGE = """Huyện Quỳ Châu kết nạp đảng viên mới

Thứ sáu, 12/04/2024, 07:30:00
Huyện Quỳ Châu kết nạp đảng viên mới
Lượt xem: 4.321

Năm 2023, Đảng bộ huyện Quỳ Châu, tỉnh Nghệ An kết nạp 57 đảng viên, trong đó 9 đảng viên là người dân tộc thiểu số.

Hiện nay, Đảng bộ huyện có 3.210 đảng viên sinh hoạt tại 41 chi bộ.

TIN LIÊN QUAN
Tỉnh Hà Tĩnh kết nạp 880 đảng viên trong năm 2022"""


def page(**fields: object) -> Article:
    return Article(doc="quy-chau", text=PAGE, source="test", **fields)


def test_the_context_holds_the_metadata_and_the_province_the_text_gives():
    context = article_context(page())
    assert context.article.title == "Huyện Quỳ Châu kết nạp đảng viên mới"
    assert context.article.published == date(2024, 4, 12)
    assert (context.article.province, context.article.province_2025) == ("Nghệ An", "Nghệ An")
    assert context.places.article_province == "Nghệ An"
    assert context.number_style == "vi"
    assert context.orgs[0] == "party"


def test_the_context_furniture_covers_the_page_lines_and_the_related_list():
    context = article_context(page())
    pieces = [PAGE[start:end] for start, end in context.furniture]
    assert "Thứ sáu, 12/04/2024, 07:30:00" in pieces and "Lượt xem: 4.321" in pieces
    assert pieces[-1].startswith("TIN LIÊN QUAN")
    assert context.furniture == furniture_spans(PAGE)


def test_no_record_is_read_from_the_furniture():
    values = [record.value for record in annotate(page()).records]
    assert 57 in values and 3210 in values
    assert 4321 not in values and 880 not in values


@pytest.mark.parametrize("published", [None, date(2024, 4, 12)])
def test_furniture_is_worked_out_once_per_article(monkeypatch, published):
    calls: list[str] = []

    def counted(text: str) -> tuple[tuple[int, int], ...]:
        calls.append(text)
        return furniture_spans(text)

    monkeypatch.setattr(pipeline.nlp.context, "furniture_spans", counted)
    monkeypatch.setattr(corpus.metadata, "furniture_spans", counted)
    annotate(page(published=published))
    assert calls == [PAGE]
