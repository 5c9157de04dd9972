"""Page furniture: whole lines reported as spans, the text itself never touched."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.cleaning import content_lines, furniture_spans, is_furniture_line

PAGE = """Truy cập nội dung luôn

Logo of Lào Cai Logo of Lào Cai

Huyện Bảo Thắng kết nạp thêm đảng viên trong doanh nghiệp

Thứ hai, 04/03/2024, 08:15:00
Print + | - Font Size: A
Huyện Bảo Thắng kết nạp thêm đảng viên trong doanh nghiệp

A Font Size: - | +

z4488112233445_0a1b2c3d4e5f.jpg
Quang cảnh buổi lễ kết nạp

>>> Kỳ 1: Những chi bộ đầu tiên trong doanh nghiệp

Năm 2023, Đảng bộ huyện kết nạp 45 đảng viên, trong đó 12 đảng viên là công nhân.

Hiện nay, toàn huyện có 8 chi bộ trong doanh nghiệp với 130 đảng viên.

Minh Khôi

Ý kiến bạn đọc ( 2 )
Bình luận bài viết
TIN LIÊN QUAN
Lào Cai: 200 đảng viên mới trong năm 2022
rss - Trở về đầu trang"""

FURNITURE = [
    "Truy cập nội dung luôn",
    "Logo of Lào Cai Logo of Lào Cai",
    "Thứ hai, 04/03/2024, 08:15:00",
    "Print + | - Font Size: A",
    "Huyện Bảo Thắng kết nạp thêm đảng viên trong doanh nghiệp",  # the repeated copy of the title
    "A Font Size: - | +",
    "z4488112233445_0a1b2c3d4e5f.jpg",
    ">>> Kỳ 1: Những chi bộ đầu tiên trong doanh nghiệp",
    "Ý kiến bạn đọc ( 2 )",
]
CONTENT = [
    "Huyện Bảo Thắng kết nạp thêm đảng viên trong doanh nghiệp",
    "Quang cảnh buổi lễ kết nạp",
    "Năm 2023, Đảng bộ huyện kết nạp 45 đảng viên, trong đó 12 đảng viên là công nhân.",
    "Hiện nay, toàn huyện có 8 chi bộ trong doanh nghiệp với 130 đảng viên.",
    "Minh Khôi",
]


def test_page_furniture_is_found_and_the_article_kept():
    spans = furniture_spans(PAGE)
    pieces = [PAGE[start:end] for start, end in spans]
    for line in FURNITURE:
        assert line in pieces
    assert pieces[-1].startswith("Bình luận bài viết") and PAGE.endswith(pieces[-1])
    assert [line for _, line in content_lines(PAGE, furniture_spans(PAGE))] == CONTENT


def test_offsets_point_into_the_unchanged_text():
    before = str(PAGE)
    for offset, line in content_lines(PAGE, furniture_spans(PAGE)):
        assert PAGE[offset:offset + len(line)] == line
    furniture_spans(PAGE)
    assert PAGE == before


def test_the_first_title_stays_content():
    title_at = PAGE.index("Huyện Bảo Thắng")
    assert not any(start <= title_at < end for start, end in furniture_spans(PAGE))


def test_a_closing_heading_near_the_top_is_a_link_not_the_end():
    text = "Tin liên quan\nTiêu đề bài viết về công đoàn\n" + "Nội dung bài viết rất dài. " * 20
    assert furniture_spans(text) == ()


@given(st.lists(st.sampled_from(FURNITURE + CONTENT + ["", "  ", "Tin cùng chuyên mục", "Xyz 12"]), max_size=25))
def test_spans_are_sorted_whole_lines_inside_the_text(lines):
    text = "\n".join(lines)
    spans = furniture_spans(text)
    assert list(spans) == sorted(spans)
    for (start, end), following in zip(spans, [*spans[1:], (len(text), len(text))], strict=False):
        assert 0 <= start < end <= following[0] <= len(text)
        assert start == 0 or text[start - 1] == "\n"
        assert end == len(text) or text[end] == "\n"


@pytest.mark.parametrize("line", [
    "Tiếng việt | English", "CAPTCHA Image security", "rss - Trở về đầu trang", "555555555-1508892134",
    "anh_bia_hoi_nghi.png", "17-07-2020 09:20", "Cập nhật: 14:05 ngày 03/04/2023", "Lượt xem: 1.204",
    "Logo Báo Quảng Ngãi",
])
def test_furniture_lines(line):
    assert is_furniture_line(line)


@pytest.mark.parametrize("line", [
    "Quang cảnh hội nghị",
    "Thực hiện Kế hoạch số 12-KH/TU ngày 05/01/2021 của Ban Thường vụ Tỉnh ủy, các cấp ủy đã kết nạp 80 đảng viên.",
    "Kỳ 2: Những giải pháp đồng bộ",
    "Logistics kết nối doanh nghiệp khu công nghiệp",
])
def test_not_furniture(line):
    assert not is_furniture_line(line)
