"""Figures tied to subject and measure, on sentences written for these tests (invented figures)."""

import pytest

from pipeline.annotate import annotate
from schemas import Article


def records(text: str) -> list[tuple]:
    article = Article(doc="t", text=text, source="test")
    return [(r.text, r.value, r.subject.value, r.measure.value, r.target, r.unit.value, r.qualifier.value)
            for r in annotate(article).records]


CASES = [
    ("Toàn Đảng bộ huyện có 41 tổ chức cơ sở đảng với 2.310 đảng viên.",
     [("41", 41, "party_org", "count", None, "count", "exact"), ("2.310", 2310, "party_member", "count", None, "count", "exact")]),
    ("Năm 2022, Đảng bộ kết nạp 57/50 đảng viên mới, vượt 14% chỉ tiêu.",
     [("57/50", 57, "party_member", "admitted", 50, "count", "exact"), ("14%", 14, "party_member", "exceeded", None, "percent", "exact")]),
    ("Thành lập được 9/8 công đoàn cơ sở, vượt 12,5% kế hoạch.",
     [("9/8", 9, "union_org", "established", 8, "count", "exact"), ("12,5%", 12.5, "union_org", "exceeded", None, "percent", "exact")]),
    ("Công đoàn ngành quản lý 24 công đoàn cơ sở với trên 9 nghìn đoàn viên công đoàn.",
     [("24", 24, "union_org", "count", None, "count", "exact"), ("trên 9 nghìn", 9000, "union_member", "count", None, "count", "more_than")]),
    ("Có 58 chi đoàn với 1.204 đoàn viên.",
     [("58", 58, "youth_org", "count", None, "count", "exact"), ("1.204", 1204, "youth_member", "count", None, "count", "exact")]),
    ("Có 6 chi hội phụ nữ với 215 hội viên; có 4 chi hội cựu chiến binh với 88 hội viên.",
     [("6", 6, "women_org", "count", None, "count", "exact"), ("215", 215, "women_member", "count", None, "count", "exact"),
      ("4", 4, "veterans_org", "count", None, "count", "exact"), ("88", 88, "veterans_member", "count", None, "count", "exact")]),
    ("Đảng ủy đã mở 7 lớp bồi dưỡng nhận thức về Đảng cho 430 quần chúng ưu tú.",
     [("7", 7, "class", "trained", None, "count", "exact"), ("430", 430, "party_candidate", "trained", None, "count", "exact")]),
    ("Số được kết nạp vào Đảng là 64 người (21,5%).",
     [("64", 64, "party_member", "admitted", None, "count", "exact"), ("21,5%", 21.5, "party_member", "share", None, "percent", "exact")]),
    ("Số chi bộ được thành lập mới 12, trong đó 5 chi bộ được thành lập trong doanh nghiệp.",
     [("12", 12, "party_org", "established", None, "count", "exact"), ("5", 5, "party_org", "established", None, "count", "exact")]),
    ("Nghị quyết xác định chỉ tiêu mỗi năm kết nạp ít nhất 30 đảng viên, thành lập từ 2-3 tổ chức đảng.",
     [("ít nhất 30", 30, "party_member", "target", None, "count", "at_least"), ("2-3", 2, "party_org", "target", None, "count", "range")]),
    ("Kết nạp được 140 đảng viên, vượt 20 đảng viên so với kế hoạch, trong đó có 33 đảng viên là công nhân.",
     [("140", 140, "party_member", "admitted", None, "count", "exact"), ("20", 20, "party_member", "exceeded", None, "count", "exact"),
      ("33", 33, "party_member", "admitted", None, "count", "exact")]),
    ("Khu công nghiệp thu hút gần 12 nghìn công nhân, người lao động.",
     [("gần 12 nghìn", 12000, "worker", "count", None, "count", "approx")]),
    ("Hiện chi bộ có 35 đảng viên, nâng tổng số đảng viên toàn Đảng bộ lên 412 đồng chí.",
     [("35", 35, "party_member", "count", None, "count", "exact"), ("412", 412, "party_member", "count", None, "count", "exact")]),
    ("Có 19 doanh nghiệp có tổ chức công đoàn, chiếm tỷ lệ 42,2%.",
     [("19", 19, "enterprise", "count", None, "count", "exact"), ("42,2%", 42.2, "enterprise", "share", None, "percent", "exact")]),
    ("Năm 2021 có 03 đồng chí đảng viên được khen thưởng.",
     [("03", 3, "party_member", "other", None, "count", "exact")]),
    ("Kết quả 5/5 chỉ tiêu đều đạt.", [("5/5", 5, "indicator", "achieved", 5, "count", "exact")]),
]

NEGATIVES = [
    "Thực hiện Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị.",
    "Đại hội lần thứ IV, nhiệm kỳ 2020-2025 đã thành công tốt đẹp.",
    "Sau hơn 2 năm thành lập, công ty có khoảng 10 sáng kiến được áp dụng.",
    "Hỗ trợ 150 triệu đồng xây nhà cho đoàn viên khó khăn.",
    "Chiều 27/2, Ban Chỉ đạo tổ chức họp trực tuyến.",
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_frames(text: str, expected: list[tuple]) -> None:
    assert records(text) == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_statistic(text: str) -> None:
    assert records(text) == []
