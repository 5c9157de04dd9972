"""Metadata read from an article's own lines: date, byline and outlet, author, source line."""

from datetime import date

import pytest

from corpus.cleaning import furniture_spans, is_today_line
from corpus.dates import date_of_line, labelled_date, lead_day_month, url_date
from corpus.metadata import outlet_of_domain, outlet_province, publication_year, read_byline, read_metadata
from schemas import Article


def article(text: str, **fields) -> Article:
    return Article(doc="t", text=text, source="test", **fields)


LEAD = "Đảng ủy Khối doanh nghiệp tổ chức hội nghị sơ kết công tác phát triển đảng viên trong công nhân lao động."


@pytest.mark.parametrize(("line", "expected"), [
    ("05-11-2021 14:30", date(2021, 11, 5)),
    ("Thứ sáu, 12/05/2023, 16:02:11", date(2023, 5, 12)),
    ("Xây dựng Đảng - Ngày đăng : 08:05, 01/12/2022", date(2022, 12, 1)),
    ("Cập nhật: 09:40 ngày 30/06/2019", date(2019, 6, 30)),
    ("Ngày 7 tháng 8 năm 2020", date(2020, 8, 7)),
    ("2022-09-21 07:45:00", date(2022, 9, 21)),
    ("2022-13-01 07:45", None),
    ("Cập nhật lúc 07:15, Thứ Năm, 14/03/2019 (GMT+7)", date(2019, 3, 14)),
    ("05.06.2016 - 14:05", date(2016, 6, 5)),
    ("CHỦ NHẬT, 09/05/2021 08:02:40", date(2021, 5, 9)),
    ("31/02/2020 10:00", None),
    ("Theo Kế hoạch số 15-KH/ĐU ngày 04/02/2021 của Đảng ủy Khối, các chi bộ đã kết nạp 30 đảng viên.", None),
])
def test_date_lines(line, expected):
    assert date_of_line(line) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tiêu đề bài báo\n\n05-11-2021 14:30\n\n" + LEAD, date(2021, 11, 5)),
    ("Tiêu đề bài báo\n\nThứ sáu, 12/05/2023, 16:02:11\n" + LEAD, date(2023, 5, 12)),
    ("Tiêu đề bài báo\nChính trị - Ngày đăng : 08:05, 01/12/2022\n" + LEAD, date(2022, 12, 1)),
    ("Tiêu đề bài báo\n" + LEAD + "\nCập nhật: 09:40 ngày 30/06/2019", date(2019, 6, 30)),
    # no year on the page: the year the text gives to the same month
    ("Tiêu đề bài báo\n\nChiều 14/8, Liên đoàn Lao động tỉnh tổ chức tọa đàm về công tác phát triển đảng viên. "
     "Từ năm 2019 đến tháng 8/2021, công đoàn đã giới thiệu 300 đoàn viên ưu tú.", date(2021, 8, 14)),
    ("Tiêu đề bài báo\n\nChiều 14/8, Liên đoàn Lao động tỉnh tổ chức tọa đàm về công tác phát triển đảng viên "
     "trong công nhân lao động.", None),
    ("Tiêu đề bài báo\n\n" + LEAD, None),
    # no year for the month: the latest year stated as the report's own, not a target's
    ("Tiêu đề bài báo\n\nSáng 20/11, Liên đoàn Lao động tỉnh tổ chức hội nghị sơ kết công tác phát triển đảng viên. "
     "Năm 2023, các công đoàn giới thiệu 400 đoàn viên; chỉ tiêu năm 2024 là 450 đoàn viên.", date(2023, 11, 20)),
])
def test_published(text, expected):
    assert read_metadata(article(text)).published == expected


def test_the_pages_own_clock_is_furniture_and_never_the_publication_date():
    clock = "Hôm nay, ngày 2 tháng 3 năm 2025"
    assert is_today_line(clock) and not is_today_line("Hôm nay 12/4, Huyện ủy tổ chức hội nghị")
    text = clock + "\nTiêu đề bài báo\n\n18.02.2024 - 9:10\n\n" + LEAD
    assert read_metadata(article(text)).published == date(2024, 2, 18)
    assert (0, len(clock)) in furniture_spans(text)
    assert read_metadata(article(clock + "\nTiêu đề bài báo\n\n" + LEAD)).published is None


@pytest.mark.parametrize(("line", "expected"), [
    ("date 2024-03-05 Đại hội Công đoàn tỉnh bế mạc.", (2024, 3, 5)),
    (" date 2022-11 Sáng 14/11, Đảng ủy Khối họp.", (2022, 11, None)),
    ("Ngày đăng: 2021-06-30 Các chi bộ", (2021, 6, 30)),
    ("date 2022-13 Sáng 14/11", None),
    ("Sáng 14/11, Đảng ủy Khối họp.", None),
])
def test_labelled_dates(line, expected):
    assert labelled_date(line) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://bao.example.vn/cong-doan/ket-nap-dang-20210317093015123.htm", (2021, 3, 17)),
    ("https://bao.example.vn/Print.aspx?NewsID=20180922101500412", (2018, 9, 22)),
    ("https://bao.example.vn/chinh-tri/202104/ket-nap-80-dang-vien-3129150/", (2021, 4, None)),
    ("https://bao.example.vn/2022/06/14/chi-bo-ket-nap-dang-vien/", (2022, 6, 14)),
    ("https://bao.example.vn/2022/06/chi-bo-ket-nap-dang-vien/", (2022, 6, None)),
    ("https://bao.example.vn/ket-nap-dang-vien-c50500211.epi", None),
    ("https://bao.example.vn/c/20475103.epi", None),
])
def test_dates_in_page_addresses(url, expected):
    assert url_date(url) == expected


@pytest.mark.parametrize(("text", "url", "published", "year"), [
    ("Tiêu đề bài báo\n\n date 2024-03-05 " + LEAD, None, date(2024, 3, 5), 2024),
    # a labelled year and month, and the lead's day in that month
    ("Tiêu đề bài báo\n\n date 2022-11 Sáng 14/11, " + LEAD, None, date(2022, 11, 14), 2022),
    ("Tiêu đề bài báo\n\n date 2022-11 " + LEAD, None, None, 2022),
    ("Tiêu đề bài báo\n\n" + LEAD, "https://bao.example.vn/x-20210317093015123.htm", date(2021, 3, 17), 2021),
    ("Tiêu đề bài báo\n\nChiều 9/4, " + LEAD, "https://bao.example.vn/chinh-tri/202104/x-31/", date(2021, 4, 9), 2021),
    ("Tiêu đề bài báo\n\n" + LEAD, "https://bao.example.vn/chinh-tri/202104/x-31/", None, 2021),
    # a yearless lead written with a dot
    ("Tiêu đề bài báo\n\nSáng 2.9, " + LEAD + " Từ đầu năm 2022 đến nay, xã kết nạp 6 đảng viên.", None,
     date(2022, 9, 2), 2022),
])
def test_publication_from_a_labelled_opening_or_the_address(text, url, published, year):
    read = read_metadata(article(text, url=url))
    assert (read.published, publication_year(read)) == (published, year)


@pytest.mark.parametrize(("lead", "expected"), [
    ("Sáng 2.9, Đảng ủy phường tổ chức lễ kết nạp", (2, 9)),
    ("Chiều 21/10, Công đoàn", (21, 10)),
    ("Sáng 10/12, Công đoàn", (10, 12)),
    ("Sáng 10/9/2023, Công đoàn", None),
    ("Ngày 1.500 đoàn viên", None),
])
def test_yearless_lead_dates(lead, expected):
    assert lead_day_month(lead) == expected


@pytest.mark.parametrize(("lead", "byline", "outlet", "province"), [
    ("BTO-Sáng 3/4, Ban Tổ chức Tỉnh ủy họp giao ban.", "BTO-", "Báo Bình Thuận", "Bình Thuận"),
    ("PTĐT-Thời gian qua, các chi bộ trong khu công nghiệp phát triển mạnh.", "PTĐT-", "Báo Phú Thọ", "Phú Thọ"),
    ("PTO- Thời gian qua, các chi bộ trong khu công nghiệp phát triển mạnh.", "PTO-", "Báo Phú Thọ", "Phú Thọ"),
    ("(GLO)- Chiều 2/5, Đảng ủy Khối tổ chức hội nghị.", "(GLO)-", "Báo Gia Lai", "Gia Lai"),
    ("(HNM) - Sáng nay, Thành ủy tổ chức hội nghị.", "(HNM) -", "Báo Hànộimới (Hà Nội mới)", "Hà Nội"),
    ("(VOV) - Ban Tổ chức Trung ương tổ chức hội nghị trực tuyến.", "(VOV) -", "Đài Tiếng nói Việt Nam (VOV)", None),
    ("XYZO - Các cấp công đoàn tích cực giới thiệu đoàn viên ưu tú.", "XYZO -", None, None),
    # a known byline with or without its brackets ("QBĐT -" is listed, "(QBĐT) -" is the same)
    ("(QBĐT) - Sáng 5/6, Ban Tổ chức Tỉnh ủy họp giao ban.", "(QBĐT) -", "Báo Quảng Bình", "Quảng Bình"),
    ("(ĐN)- Theo Ban Tổ chức Tỉnh ủy, toàn tỉnh có 700 chi bộ.", "(ĐN)-", "Báo Đồng Nai", "Đồng Nai"),
    # a national paper whose initials look like a province's ("LĐ", Lâm Đồng) has none
    ("(LĐO) - Liên đoàn Lao động tỉnh tổ chức hội nghị.", "(LĐO) -", "Báo Lao Động", None),
])
def test_bylines(lead, byline, outlet, province):
    found, named = read_byline(lead)
    assert found == byline
    assert (named.name if named else None) == outlet
    text = "Tiêu đề\n\n" + lead + " Nội dung tiếp theo của đoạn mở đầu để đủ dài cho một đoạn văn bản."
    read = read_metadata(article(text))
    assert (read.byline, read.outlet) == (byline, outlet)
    assert outlet_province(read) == province


def test_no_byline():
    assert read_byline("- Những năm qua, công tác phát triển đảng viên được quan tâm.") is None


@pytest.mark.parametrize(("last", "author"), [
    ("Lê Minh Châu", "Lê Minh Châu"),
    ("Hải Yến", "Hải Yến"),
    ("Bài, ảnh: Thanh Hương", "Thanh Hương"),
    ("Tin, ảnh: Đức Anh", "Đức Anh"),
    ("Quang cảnh hội nghị.", None),
    ("Các đại biểu dự lễ kết nạp đảng viên mới.", None),
    ("Toàn tỉnh có 45 chi bộ.", None),
])
def test_author(last, author):
    text = "Tiêu đề\n\n" + LEAD + "\n\n" + last + "\n\nTin cùng chuyên mục\nMột bài khác"
    assert read_metadata(article(text)).author == author


def test_source_line_names_the_outlet_or_the_province_site():
    gov = read_metadata(article("Tiêu đề\n\n" + LEAD + "\n\nNguồn: tinhbacgiang.gov.vn"))
    assert gov.source_line == "Nguồn: tinhbacgiang.gov.vn" and gov.outlet is None
    paper = read_metadata(article("Tiêu đề\n\n" + LEAD + "\n\nNguồn: baolangson.vn"))
    assert paper.outlet == "Báo Lạng Sơn" and outlet_province(paper) == "Lạng Sơn"


def test_title_is_the_first_line_that_is_not_furniture():
    text = "Tiếng việt | English\n\nPhát triển đảng viên trong doanh nghiệp\n\n05-11-2021 14:30\n\n" + LEAD
    assert read_metadata(article(text)).title == "Phát triển đảng viên trong doanh nghiệp"


def test_fields_the_source_set_are_kept():
    text = "Tiêu đề trên trang\n\n05-11-2021 14:30\n\nBTO-" + LEAD + "\n\nHải Yến"
    given = article(text, title="Tiêu đề của nguồn", published=date(2021, 11, 6), outlet="Báo Nguồn", author="Ai Đó")
    read = read_metadata(given)
    assert (read.title, read.published, read.outlet, read.author) == ("Tiêu đề của nguồn", date(2021, 11, 6), "Báo Nguồn", "Ai Đó")
    assert read.byline == "BTO-"


def test_a_known_byline_may_open_a_short_line():
    text = "Banner\n\n(TTV) Đoàn viên ưu tú được giới thiệu cho Đảng\n\n10:15, 02/06/2022\n" + LEAD
    read = read_metadata(article(text))
    assert (read.byline, read.outlet) == ("(TTV)", "Đài Phát thanh - Truyền hình Tuyên Quang")
    unknown = read_metadata(article(text.replace("(TTV)", "(XYZ)")))
    assert unknown.byline is None


@pytest.mark.parametrize(("url", "outlet"), [
    ("http://m.baohaiduong.vn/lao-dong/bai-1", "Báo Hải Dương"),
    ("https://www.baohaiduong.vn/bai-2", "Báo Hải Dương"),
    ("https://notbaohaiduong.vn/bai-3", None),
    ("https://nld.com.vn/cong-doan/bai-4.htm", "Báo Người Lao Động"),  # the city labour federation's paper
])
def test_an_outlets_subdomain_is_the_outlet(url, outlet):
    found = outlet_of_domain(url)
    assert (found.name if found else None) == outlet


@pytest.mark.parametrize(("last", "outlet", "province"), [
    ("(Theo Báo Lạng Sơn)", "Báo Lạng Sơn", "Lạng Sơn"),
    ("Nguồn: Báo Sóc Trăng", "Báo Sóc Trăng", "Sóc Trăng"),
    ("Nguồn: Báo Lao Động", "Báo Lao Động", None),
])
def test_the_outlet_a_source_line_names(last, outlet, province):
    read = read_metadata(article("Tiêu đề\n\n" + LEAD + "\n\n" + last))
    assert (read.source_line, read.outlet) == (last, outlet)
    assert outlet_province(read) == province
