"""Periods: every written form, and the tracker's rules on an invented report."""

import json
from datetime import date
from pathlib import Path

import pytest

from corpus.metadata import read_metadata
from extractors.periods import PeriodTracker, find_periods
from pipeline.nlp.annotate import annotate
from pipeline.nlp.context import article_context
from pipeline.nlp.sentences import split_sentences
from schemas import Article
from tests.test_context_seeds import _positions


@pytest.mark.parametrize(("text", "cue", "years", "kind"), [
    ("năm 2023 kết nạp", "năm 2023", (2023, 2023), "year"),
    ("Năm 2021 có 4 chi bộ", "Năm 2021", (2021, 2021), "year"),
    ("riêng năm 2018 kết nạp", "năm 2018", (2018, 2018), "year"),
    ("nhiệm kỳ 2020-2025 đề ra", "nhiệm kỳ 2020-2025", (2020, 2025), "term"),
    ("nhiệm kỳ 2017 - 2022về", "nhiệm kỳ 2017 - 2022", (2017, 2022), "term"),
    ("Trong nhiệm kỳ, Đảng bộ", "nhiệm kỳ", (None, None), "term"),
    ("giai đoạn 2016-2020", "giai đoạn 2016-2020", (2016, 2020), "range"),
    ("Trong 5 năm (2016 - 2021), chi bộ", "năm (2016 - 2021)", (2016, 2021), "range"),
    ("Từ năm 2019 đến tháng 10/2023, công đoàn", "Từ năm 2019 đến tháng 10/2023", (2019, 2023), "range"),
    ("Từ 2016 đến tháng 3-2021, Đảng ủy", "Từ 2016 đến tháng 3-2021", (2016, 2021), "range"),
    ("từ năm 2017 đến năm 2022", "từ năm 2017 đến năm 2022", (2017, 2022), "range"),
    ("từ năm 2020 đến nay", "từ năm 2020 đến nay", (2020, None), "since"),
    ("kể từ năm 2015", "kể từ năm 2015", (2015, None), "since"),
    ("hàng năm kết nạp", "hàng năm", (None, None), "every_year"),
    ("hằng năm", "hằng năm", (None, None), "every_year"),
    ("bình quân mỗi năm kết nạp", "bình quân mỗi năm", (None, None), "every_year"),
    ("trung bình mỗi năm", "trung bình mỗi năm", (None, None), "every_year"),
    ("hiện nay có", "hiện nay", (None, None), "now"),
    ("đến nay đã có", "đến nay", (None, None), "now"),
    ("hiện chi bộ có", "hiện", (None, None), "now"),
    ("và đang giới thiệu", "đang", (None, None), "ongoing"),
    ("6 tháng đầu năm 2024", "6 tháng đầu năm 2024", (2024, 2024), "months"),
    ("từ tháng 1 đến tháng 6/2022", "từ tháng 1 đến tháng 6/2022", (2022, 2022), "months"),
    ("quý I/2023", "quý I/2023", (2023, 2023), "quarter"),
    ("quý 3 năm 2022", "quý 3 năm 2022", (2022, 2022), "quarter"),
    ("tính đến tháng 6/2024, toàn tỉnh", "tính đến tháng 6/2024", (2024, 2024), "until"),
    ("đến cuối năm 2025 có", "đến cuối năm 2025", (2025, 2025), "until"),
    ("tháng 9/2021", "tháng 9/2021", (2021, 2021), "month"),
    ("Sáng 12/4, Đảng ủy", "Sáng 12/4", (None, None), "date"),
    ("dịp 2/9 vừa qua", "dịp 2/9", (None, None), "date"),
    ("từ ngày 20 đến ngày 24/3, các chi đoàn", "từ ngày 20 đến ngày 24/3", (None, None), "date"),
    ("Từ đầu nhiệm kỳ 2015-2020 đến nay", "Từ đầu nhiệm kỳ 2015-2020 đến nay", (2015, None), "since"),
    ("tăng 1,2 lần so với năm 2021", "năm 2021", (2021, 2021), "comparison"),
    ("tăng 40 người so với cuối năm 2020", "năm 2020", (2020, 2020), "comparison"),
    ("thấp hơn cùng kỳ năm 2019", "năm 2019", (2019, 2019), "comparison"),
    ("đến ngày 30-9-2021 có", "đến ngày 30-9-2021", (2021, 2021), "until"),
    ("tính đến 31/5/2022, tỉnh có", "tính đến 31/5/2022", (2022, 2022), "until"),
    ("Ba năm trước, chi bộ", "Ba năm trước", (None, None), "ago"),
    ("cách nay 12 năm về trước", "12 năm về trước", (None, None), "ago"),
    ("năm ngoái có", "năm ngoái", (None, None), "ago"),
    ("Tháng 4 vừa qua, xã", "Tháng 4", (None, None), "month"),
    ("Quý III, Đảng bộ", "Quý III", (None, None), "quarter"),
    ("xã nay đã có", "nay đã", (None, None), "now"),
    ("Sáu tháng đầu năm, huyện", "Sáu tháng đầu năm", (None, None), "months"),
    ("9 tháng năm 2019, khối", "9 tháng năm 2019", (2019, 2019), "months"),
    ("Trong 9 tháng, toàn tỉnh", "Trong 9 tháng", (None, None), "months"),
    ("Bảy tháng qua, huyện", "Bảy tháng qua", (None, None), "months"),
    ("kết nạp 120 đảng viên trong 6 tháng vừa qua.", "trong 6 tháng vừa qua", (None, None), "months"),
    ("tính đến ngày 31-5, toàn tỉnh", "tính đến ngày 31-5", (None, None), "until"),
    ("Từ đầu năm đến nay, huyện", "Từ đầu năm đến nay", (None, None), "since"),
    ("ngay từ đầu năm, các chi bộ", "ngay từ đầu năm", (None, None), "since"),
    ("Bên cạnh đó, trong năm đã thành lập", "trong năm", (None, None), "now"),
    ("Chiều 14.3, Huyện ủy", "Chiều 14.3", (None, None), "date"),
    ("(đầu nhiệm kỳ 2021-2026, Đảng bộ có", "nhiệm kỳ 2021-2026", (2021, 2021), "year"),
    ("đến cuối giai đoạn 2016-2020, xã có", "giai đoạn 2016-2020", (2020, 2020), "year"),
    ("tăng 12 chi bộ so với tổng số chi bộ cuối năm 2020", "năm 2020", (2020, 2020), "comparison"),
    ("đạt 105% so với kế hoạch năm 2021", "năm 2021", (2021, 2021), "year"),
])
def test_forms(text, cue, years, kind):
    found = find_periods(text)
    assert [(m.text, (m.year_start, m.year_end), m.kind) for m in found] == [(cue, years, kind)]
    assert text[found[0].start:found[0].end] == cue


@pytest.mark.parametrize("text", [
    "Những năm qua, công tác được quan tâm",
    "trong 5 năm, sau hơn 1 năm thành lập",
    "thực hiện tốt, xuất hiện nhiều, hiện đại hóa",
    "Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị",
    "Nghị định 98/2014/NĐ-CP ngày 24-10-2014 của Chính phủ",
    "Nghị quyết 20-NQ/TW/2008",
    "nhiệm kỳ tới",
    "độ tuổi dưới 30",
    "sinh hoạt mỗi tháng 2 lần",
    "những năm trước đây",
    "trong năm học vừa qua",
    "trong năm tới, huyện",
    "Chiều 1.500 người",
    "lớp học kéo dài 3 tháng, với 40 học viên",
    "Sau 3 tháng, chi bộ",
    "trong 3 tháng tới, huyện",
])
def test_not_periods(text):
    assert find_periods(text) == []


@pytest.mark.parametrize(("text", "months"), [
    ("6 tháng đầu năm 2024", (1, 6)),
    ("Sáu tháng cuối năm", (7, 12)),
    ("9 tháng năm 2020", (1, 9)),
    ("Trong 9 tháng, toàn tỉnh", (1, 9)),
    ("từ tháng 3 đến tháng 8/2022", (3, 8)),
    ("quý I/2021", (1, 3)),
    ("Quý III", (7, 9)),
    ("quý 4 năm 2019", (10, 12)),
    ("tháng 9/2021", (9, 9)),
    ("tính đến ngày 30-6", (1, 6)),
    ("tính đến hết tháng 10-2023", (1, 10)),
    ("năm 2022", (None, None)),
    ("nhiệm kỳ 2020-2025", (None, None)),
    ("đến cuối năm 2025", (None, None)),
])
def test_months_of_a_part_year_cue(text, months):
    found = find_periods(text)
    assert [(m.month_start, m.month_end) for m in found] == [months]


def test_offset():
    found = find_periods("năm 2020", offset=50)[0]
    assert (found.start, found.end) == (50, 58)


REPORT = (
    "Tiêu đề\n\n"
    "Chiều 5/3, Ban Tổ chức Tỉnh ủy tổng kết công tác năm 2023 và triển khai chương trình công tác năm 2024. "
    "Hiện nay, toàn tỉnh có 120 tổ chức đảng với 2.400 đảng viên. "
    "Các chi bộ có 35 quần chúng ưu tú. "
    "Năm 2023, công tác phát triển đảng viên đạt kết quả tốt. "
    "Kết nạp 150/120 đảng viên, vượt 25% chỉ tiêu. "
    "Trong 5 năm (2018 - 2023), Đảng bộ kết nạp 600 đảng viên, nâng tổng số đảng viên lên 2.400 đồng chí, "
    "trong đó 30% là nữ. "
    "Hàng năm, các chi bộ kết nạp trên 100 đảng viên; riêng năm 2022 kết nạp 130 đảng viên. "
    "Nhiệm kỳ 2020-2025, Đảng bộ đặt chỉ tiêu mỗi năm kết nạp ít nhất 120 đảng viên. "
    "Từ năm 2019 đến tháng 2/2024, công đoàn giới thiệu 500 đoàn viên, trong đó 200 người được kết nạp (40%) "
    "và đang bồi dưỡng 45 quần chúng. "
    "Trong nhiệm kỳ, Khối mở 12 lớp bồi dưỡng."
)


def sentence_of(text: str, at: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1)
    end = text.find(". ", at)
    return start, end + 1 if end >= 0 else len(text)


def period(tracker: PeriodTracker, text: str, figure: str, is_stock: bool, nth: int = 0, **kw) -> tuple:
    at = -1
    for _ in range(nth + 1):
        at = text.index(figure, at + 1)
    start, end = sentence_of(text, at)
    found = tracker.period_for(start, end, at, is_stock, **kw)
    return found.year_start, found.year_end


@pytest.mark.parametrize(("figure", "nth", "is_stock", "kw", "expected"), [
    ("120 tổ chức", 0, True, {}, (2024, 2024)),           # "hiện nay" → the publication year
    ("35 quần chúng", 0, True, {}, (2024, 2024)),         # an undated stock → the publication year
    ("150/120", 0, False, {}, (2023, 2023)),               # a flow → the running period of the sentence before
    ("25%", 0, False, {}, (2023, 2023)),
    ("600", 0, False, {}, (2018, 2023)),                   # a flow in a range
    ("2.400 đồng chí", 0, True, {}, (2023, 2023)),         # a stock at the end of a range → its end year
    ("30%", 0, True, {}, (2023, 2023)),                    # a share of the raised total → at the range's end
    ("100 đảng viên", 0, False, {}, (None, None)),         # "hàng năm" → no fixed year
    ("130", 0, False, {}, (2022, 2022)),                   # the nearest cue before the figure
    ("120 đảng viên", 1, False, {"measure": "target"}, (2020, 2025)),  # a yearly target under a named term
    ("500", 0, False, {}, (2019, 2024)),
    ("200", 0, False, {}, (2019, 2024)),
    ("40%", 0, True, {"unit": "percent"}, (2019, 2024)),
    ("45 quần chúng", 0, False, {}, (2024, 2024)),         # "đang" in its clause → now
    ("12 lớp", 0, False, {}, (2020, 2025)),                # a bare "nhiệm kỳ" → the article's term
])
def test_tracker_rules(figure, nth, is_stock, kw, expected):
    tracker = PeriodTracker(REPORT, date(2024, 3, 6))
    assert period(tracker, REPORT, figure, is_stock, nth, **kw) == expected


def test_unknown_publication_date_leaves_now_unknown_when_the_text_gives_no_year():
    text = "Tiêu đề\n\nHiện nay, toàn xã có 46 đảng viên. Từ đầu năm đến nay, chi bộ kết nạp 3 đảng viên."
    tracker = PeriodTracker(text, None)
    assert period(tracker, text, "46", True) == (None, None)
    assert period(tracker, text, "3", False) == (None, None)
    assert period(PeriodTracker(REPORT, None), REPORT, "600", False) == (2018, 2023)


@pytest.mark.parametrize(("text", "year"), [
    # "from the start of year X to now" is written in year X
    ("Tiêu đề\n\nTừ đầu năm 2022 đến nay, xã kết nạp 6 đảng viên. Hiện xã có 120 đảng viên. "
     "Chi bộ sẽ kết nạp thêm trong năm 2023.", 2022),
    # the latest year the text reports, not a plan's
    ("Tiêu đề\n\nNăm 2011, chi bộ có 4 đảng viên. Tháng 3-2020, chi bộ tách làm hai. Hiện nay có 120 đảng viên. "
     "Mục tiêu năm 2025 là 150 đảng viên.", 2020),
    # a date written in full (a document's too) was before the article
    ("Tiêu đề\n\nThực hiện Kế hoạch số 12-KH/ĐU ngày 05/01/2021, hiện nay chi bộ có 120 đảng viên.", 2021),
    # a term the text reports as done has ended; a new one has only begun
    ("Tiêu đề\n\nTrong nhiệm kỳ 2015-2020, các cấp ủy đã làm tốt công tác này. Hiện nay có 120 đảng viên.", 2020),
    ("Tiêu đề\n\nĐại hội bầu Ban Chấp hành nhiệm kỳ 2021-2026. Hiện nay đảng bộ có 120 đảng viên.", 2021),
    # only a plan's year: the year the plan is for
    ("Tiêu đề\n\nTỉnh giao chỉ tiêu năm 2023. Hiện nay có 120 đảng viên.", 2023),
])
def test_the_year_of_an_undated_article_from_its_text(text, year):
    assert period(PeriodTracker(text, None), text, "120", True) == (year, year)


def test_a_year_the_page_address_gives_stands_for_the_publication_year():
    text = "Tiêu đề\n\nNăm 2011, chi bộ có 4 đảng viên. Hiện nay chi bộ có 120 đảng viên."
    assert period(PeriodTracker(text, None, year=2024), text, "120", True) == (2024, 2024)


def test_cues_in_page_furniture_are_no_ones_period():
    text = "Hôm nay, ngày 5 tháng 6 năm 2024\n\nTiêu đề\n\nChi bộ kết nạp 7 đảng viên."
    furniture = ((0, text.index("\n")),)
    assert period(PeriodTracker(text, None, ignore=furniture), text, "7", False) == (None, None)
    assert period(PeriodTracker(text, None), text, "7", False) == (2024, 2024)


@pytest.mark.parametrize(("text", "figure", "expected"), [
    # a headline's figure is the lead's
    ("Huyện kết nạp 210 đảng viên mới\n\nCập nhật 10:20\n\nSáu tháng đầu năm, huyện kết nạp 210 đảng viên mới.",
     "210", (2021, 2021, 1, 6)),
    ("Xã kết nạp 4 đảng viên\n\nTừ năm 2019 đến nay, xã kết nạp 4 đảng viên.", "4", (2019, 2021, None, None)),
    # a flow with no cue before it and one later in its sentence
    ("Tiêu đề\n\nHuyện ủy công nhận 9 tổ chức đảng xuất sắc, 12 chi bộ hoàn thành tốt nhiệm vụ năm 2020.",
     "9", (2020, 2020, None, None)),
    # flows since the start of the year, up to a yearless date, within the year
    ("Tiêu đề\n\nTừ đầu năm đến nay, khối kết nạp 35 đảng viên.", "35", (2021, 2021, 1, 8)),
    ("Tiêu đề\n\nTính đến ngày 31-3, khối kết nạp 35 đảng viên.", "35", (2021, 2021, 1, 3)),
    ("Tiêu đề\n\nQuý II/2021, khối kết nạp 35 đảng viên.", "35", (2021, 2021, 4, 6)),
    ("Tiêu đề\n\nNăm 2020, khối kết nạp 30 đảng viên. Trong năm, khối kết nạp 35 đảng viên.", "35", (2021, 2021, None, None)),
    # a cue inside one item of a list is that item's only
    ("Tiêu đề\n\nTháng Thanh niên năm 2021 đề ra mục tiêu: 100% chi đoàn tổ chức ngày hội; "
     "học tập Nghị quyết Đại hội nhiệm kỳ 2017-2022; phát triển 600 đoàn viên mới.", "600", (2021, 2021, None, None)),
    # a comparison's year past its noun phrase is not the period
    ("Tiêu đề\n\nNăm 2021, xã có 300 đảng viên, tăng 2% so với tổng số đảng viên cuối năm 2020. Trong năm, xã "
     "thành lập 3 chi bộ.", "3 chi bộ", (2021, 2021, None, None)),
])
def test_flows_in_real_report_forms(text, figure, expected):
    at = text.index(figure, text.index("\n"))
    start, end = sentence_of(text, at)
    found = PeriodTracker(text, date(2021, 8, 20)).period_for(start, end, at, False)
    assert (found.year_start, found.year_end, found.month_start, found.month_end) == expected


def test_a_target_takes_months_only_from_a_part_year_cue():
    text = ("Tiêu đề\n\nTháng 1/2021, huyện mở lớp bồi dưỡng. Huyện giao chỉ tiêu kết nạp 60 đảng viên. "
            "Chỉ tiêu 6 tháng đầu năm 2021 là 30 đảng viên.")
    tracker = PeriodTracker(text, date(2021, 2, 1))
    for figure, months in (("60", (None, None)), ("30", (1, 6))):
        at = text.index(figure)
        found = tracker.period_for(*sentence_of(text, at), at, False, measure="target")
        assert (found.year_start, found.year_end, found.month_start, found.month_end) == (2021, 2021, *months)


def test_the_headline_of_a_stock_or_a_level_has_no_months():
    text = "Tiêu đề\n\n6 tháng đầu năm, huyện kết nạp 80 đảng viên, nâng tổng số đảng viên lên 5.200 đồng chí."
    at = text.index("5.200")
    found = PeriodTracker(text, date(2021, 7, 2)).period_for(*sentence_of(text, at), at, True)
    assert (found.year_start, found.year_end, found.month_start, found.month_end) == (2021, 2021, None, None)


def test_a_plan_period_is_not_the_running_period_of_a_result():
    text = "Tiêu đề\n\nHội nghị đánh giá kết quả năm 2021 và bàn kế hoạch năm 2022. Kết nạp 40 đảng viên mới."
    tracker = PeriodTracker(text, date(2022, 1, 10))
    assert period(tracker, text, "40", False) == (2021, 2021)
    assert period(tracker, text, "40", False, measure="target") == (2022, 2022)


def test_a_bare_term_takes_a_five_year_range_when_no_term_is_written():
    text = "Tiêu đề\n\nTrong nhiệm kỳ, chi bộ kết nạp 9 đảng viên. Giai đoạn 2015-2020 là giai đoạn khó khăn."
    assert period(PeriodTracker(text, None), text, "9", False) == (2015, 2020)


def test_a_cue_after_the_figure_in_its_clause():
    text = "Tiêu đề\n\nĐảng bộ kết nạp 64 đảng viên trong năm 2021, cao nhất từ trước đến nay."
    assert period(PeriodTracker(text, date(2022, 5, 1)), text, "64", False) == (2021, 2021)


def test_a_flow_with_no_cue_anywhere_is_unknown():
    text = "Tiêu đề\n\nĐảng bộ kết nạp 64 đảng viên."
    assert period(PeriodTracker(text, date(2022, 5, 1)), text, "64", False) == (None, None)


def test_a_comparison_year_is_never_the_period():
    text = "Tiêu đề\n\nNăm 2023, khu công nghiệp kết nạp 90 đảng viên, tăng so với năm 2022. Các chi đoàn kết nạp 300 đoàn viên."
    tracker = PeriodTracker(text, date(2024, 1, 5))
    assert period(tracker, text, "300", False) == (2023, 2023)


def test_since_the_start_of_a_term():
    text = "Tiêu đề\n\nTừ đầu nhiệm kỳ 2015-2020 đến nay, Đảng bộ kết nạp 480 đảng viên."
    assert period(PeriodTracker(text, date(2018, 12, 1)), text, "480", False) == (2015, 2018)


def test_a_bracketed_cue_belongs_to_the_figure_before_it_and_the_nearest_cue_wins():
    text = "Tiêu đề\n\nSố chi bộ tăng từ 15 chi bộ (năm 2019) lên 28 chi bộ hiện nay."
    tracker = PeriodTracker(text, date(2022, 6, 1))
    assert period(tracker, text, "15", True) == (2019, 2019)
    assert period(tracker, text, "28", True) == (2022, 2022)


def test_a_yearless_month_or_quarter_and_years_counted_back_from_publication():
    text = ("Tiêu đề\n\nNăm 2019, xã kết nạp 8 đảng viên. Tháng 4 vừa qua, xã kết nạp 2 đảng viên. "
            "Hai năm trước, chi bộ có 6 đảng viên, nay đã có 14 đảng viên. Năm ngoái, chi bộ kết nạp 3 đảng viên. "
            "Quý II, Đảng bộ phấn đấu kết nạp 30 đảng viên.")
    tracker = PeriodTracker(text, date(2020, 5, 4))
    assert period(tracker, text, "2 đảng viên", False) == (2020, 2020)
    assert period(tracker, text, "6 đảng viên", True) == (2018, 2018)
    assert period(tracker, text, "14", True) == (2020, 2020)
    assert period(tracker, text, "3 đảng viên", False) == (2019, 2019)
    assert period(tracker, text, "30", False, measure="target") == (2020, 2020)


@pytest.mark.parametrize(("text", "figure", "kw", "expected"), [
    # a year named as the next year's work is the targets', not the results'
    ("Tiêu đề\n\nHội nghị tổng kết công tác năm 2021, triển khai nhiệm vụ năm 2022. Các chi bộ kết nạp 75 đảng viên.",
     "75", {}, (2021, 2021)),
    ("Tiêu đề\n\nHội nghị tổng kết công tác năm 2021, triển khai nhiệm vụ năm 2022. Các chi bộ kết nạp 75 đảng viên.",
     "75", {"measure": "target"}, (2022, 2022)),
    ("Tiêu đề\n\nĐầu năm, huyện đề ra mục tiêu năm 2022. Các chi bộ kết nạp 75 đảng viên.", "75", {}, (None, None)),
    # ... unless it was achieved
    ("Tiêu đề\n\nHuyện đã hoàn thành chỉ tiêu năm 2021. Các chi bộ kết nạp 75 đảng viên.", "75", {}, (2021, 2021)),
    # a comparison year is never the figure's
    ("Tiêu đề\n\nSáu tháng đầu năm 2023, huyện kết nạp 64 đảng viên. Các chi bộ tăng 9 đảng viên so với cùng kỳ năm 2022.",
     "9", {}, (2023, 2023)),
    ("Tiêu đề\n\nNăm 2023, huyện có 4.100 đảng viên, tăng 50 so với cuối năm 2022. Hội Nông dân kết nạp 120 hội viên.",
     "120", {}, (2023, 2023)),
])
def test_plans_and_comparisons(text, figure, kw, expected):
    assert period(PeriodTracker(text, date(2023, 7, 20)), text, figure, False, **kw) == expected


def test_a_yearly_average_governs_only_its_own_figure():
    text = ("Tiêu đề\n\nTừ đầu nhiệm kỳ 2020-2025 đến nay, huyện kết nạp 900 đảng viên, bình quân mỗi năm 300 đảng viên, "
            "đạt 110% chỉ tiêu. Trong đó, đảng viên nữ 400 người, chiếm 44,4%.")
    tracker = PeriodTracker(text, date(2023, 4, 2))
    assert period(tracker, text, "300", False) == (2020, 2023)  # a per-year figure: the period it is set for
    assert period(tracker, text, "110%", False) == (2020, 2023)
    assert period(tracker, text, "44,4%", True) == (2020, 2023)  # a share of the term's admissions keeps the range


@pytest.mark.parametrize(("text", "figure", "expected"), [
    # the last cue of the stock's paragraph
    ("Tiêu đề\n\nNăm 2019, hội kết nạp 150 hội viên. Có 820 hội viên tham gia tổ hòa giải.\n\nHội có 2.400 hội viên.",
     "820", (2019, 2019)),
    ("Tiêu đề\n\nNăm 2019, hội kết nạp 150 hội viên. Có 820 hội viên tham gia tổ hòa giải.\n\nHội có 2.400 hội viên.",
     "2.400", (2021, 2021)),
    # a congress's new term has not ended: the stock is today's
    ("Tiêu đề\n\nĐại hội Đoàn nhiệm kỳ 2021-2026 khai mạc. Đại hội đại diện cho 5.000 đoàn viên.", "5.000", (2021, 2021)),
    # a report closed at a date, or named "Kết quả … năm X", carries over paragraphs
    ("Tiêu đề\n\nTính đến ngày 31/12/2020, toàn tỉnh có 300 chi đoàn.\n\n- Có 85 chi đoàn xếp loại vững mạnh.",
     "85", (2020, 2020)),
    ("Kết quả công tác đảng năm 2020\n\nToàn Đảng bộ có 410 tổ chức đảng.", "410", (2020, 2020)),
    ("Công tác đảng năm 2020\n\nToàn Đảng bộ có 410 tổ chức đảng.", "410", (2021, 2021)),
    # "Trong đó, …" is a part of what came before, in another paragraph too
    ("Tiêu đề\n\nNăm 2019, hội kết nạp 150 hội viên.\n\nTrong đó, hội viên trẻ chiếm 40%.", "40%", (2019, 2019)),
])
def test_undated_stocks(text, figure, expected):
    assert period(PeriodTracker(text, date(2021, 1, 15)), text, figure, True) == expected


REAL_PERIOD_ACCURACY = 0.92


def real_articles(shared: Path, *, with_address: bool) -> list[tuple[dict, Article]]:
    """The real development set as a feed gives it (text and page address), or as files give it (text alone)."""
    real = shared / "real"
    if not (real / "gold.jsonl").is_file():
        pytest.skip("../shared/real is not beside this checkout")
    golds = {gold["doc"]: gold for gold in map(json.loads, (real / "gold.jsonl").read_text(encoding="utf-8").splitlines())}
    pairs = []
    for item in map(json.loads, (real / "articles.jsonl").read_text(encoding="utf-8").splitlines()):
        url = item.get("url") if with_address else None
        pairs.append((golds[item["doc"]], read_metadata(Article(doc=item["doc"], text=item["text"], source="real", url=url))))
    return pairs


def test_publication_dates_of_the_real_set_as_a_feed_gives_them(shared):
    for gold, article in real_articles(shared, with_address=True):
        assert article.published == (date.fromisoformat(gold["published"]) if gold["published"] else None), gold["doc"]


@pytest.mark.parametrize("with_address", [True, False])
def test_periods_of_real_gold_records_hold_the_floor(shared, with_address):
    """The tracker alone, each gold record at its place with its gold measure: the period floor of the issue."""
    right = total = 0
    for gold, article in real_articles(shared, with_address=with_address):
        known = [r for r in gold["records"] if (r.get("year_start"), r.get("year_end")) != (None, None)]
        context = article_context(article)
        tracker, sentences = context.periods, split_sentences(article.text, context.furniture)
        for record, at in zip(gold["records"], _positions(article.text, gold["records"]), strict=True):
            sentence = next((s for s in sentences if s.start <= at < s.end), None)
            if record not in known or sentence is None:
                continue
            got = tracker.period_for(sentence.start, sentence.end, at, record["measure"] in ("count", "share"),
                                     measure=record["measure"], unit=record["unit"])
            right += (got.year_start, got.year_end) == (record["year_start"], record["year_end"])
            total += 1
    assert total and right / total >= REAL_PERIOD_ACCURACY


def test_a_congress_reports_the_results_of_the_term_before_its_own():
    text = ("Đại hội Hội Cựu chiến binh tỉnh lần thứ VII, nhiệm kỳ 2023-2028\n\n15/08/2023 09:00\n\n"
            "Nhiệm kỳ qua, các cấp Hội kết nạp 4.200 hội viên, thành lập 36 chi hội. "
            "Nhiệm kỳ 2023-2028, Hội phấn đấu kết nạp 5.000 hội viên.")
    records = annotate(Article(doc="t", text=text, source="test")).records
    assert sorted({(r.text, r.measure.value, r.year_start, r.year_end) for r in records}) == [
        ("36", "established", 2018, 2023), ("4.200", "admitted", 2018, 2023),
        ("5.000", "target", 2023, 2028)]


def test_a_bare_count_of_months_is_the_year_so_far_not_the_whole_year():
    text = ("Tỉnh kết nạp 1.020 đảng viên\n\n08/10/2024 09:30\n\n"
            "Trong 9 tháng, toàn tỉnh kết nạp 1.020 đảng viên mới. Năm 2023, toàn tỉnh kết nạp 1.300 đảng viên.")
    records = annotate(Article(doc="t", text=text, source="test")).records
    assert sorted({(r.text, r.year_start, r.month_start, r.month_end) for r in records}) == [
        ("1.020", 2024, 1, 9), ("1.300", 2023, None, None)]


def test_records_carry_the_months_of_a_part_year_flow():
    text = ("Huyện kết nạp 95 đảng viên mới\n\n12/07/2022 08:15\n\n"
            "6 tháng đầu năm, Đảng bộ huyện kết nạp 95 đảng viên mới. Quý II, các chi bộ kết nạp 40 đảng viên. "
            "Toàn Đảng bộ hiện có 4.210 đảng viên.")
    records = {(r.text, r.start): r for r in annotate(Article(doc="t", text=text, source="test")).records}
    periods = sorted((r.text, r.year_start, r.year_end, r.month_start, r.month_end) for r in records.values())
    assert periods == [("4.210", 2022, 2022, None, None), ("40", 2022, 2022, 4, 6),
                       ("95", 2022, 2022, 1, 6), ("95", 2022, 2022, 1, 6)]


@pytest.mark.parametrize(("text", "expected"), [
    # a yearly target is set for the article's term ...
    ("Tiêu đề\n\nĐại hội nhiệm kỳ 2020-2025 thành công. Năm 2022, khối giao mục tiêu hằng năm kết nạp 40 đảng viên.",
     (2020, 2025)),
    # ... or, with no term, for the one year it is applied to
    ("Kết nạp đảng viên năm 2022\n\nNghị quyết Đại hội đề ra mỗi năm phát triển 40 đảng viên mới.", (2022, 2022)),
])
def test_a_yearly_target_takes_the_period_it_is_set_for(text, expected):
    assert period(PeriodTracker(text, date(2022, 6, 1)), text, "40", False, measure="target") == expected
