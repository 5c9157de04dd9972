"""Places: the 63 old provinces from the text, the 2025 mapping, and the province of an article and a figure."""

import importlib.util
import json
from datetime import date

import pytest

from corpus.sources import read_sources
from extractors.places import (
    ProvinceResolver,
    article_province,
    find_places,
    province_2025,
    province_from_byline,
    province_from_domain,
    province_from_site,
    provinces,
)
from pipeline.nlp.annotate import annotate
from schemas import Article


def article(text: str, **fields) -> Article:
    return Article(doc="t", text=text, source="test", **fields)


@pytest.mark.parametrize(("text", "expected"), [
    ("Công đoàn ngành Giáo dục tỉnh Nghệ An có 900 công đoàn cơ sở.", ["Nghệ An"]),
    ("Đảng bộ Ngân hàng Nông nghiệp Chi nhánh Cao Bằng kết nạp 5 đảng viên.", ["Cao Bằng"]),
    ("Công đoàn Khu kinh tế Đà Nẵng họp.", ["Đà Nẵng"]),
    ("Tỉnh ủy Bắc Ninh và Thành ủy Cần Thơ", ["Bắc Ninh", "Cần Thơ"]),
    ("Lao động ở TP.HCM và Thành phố Hồ Chí Minh", ["Hồ Chí Minh", "Hồ Chí Minh"]),
    ("Đoàn công tác thăm Thừa Thiên - Huế và thành phố Huế", ["Thừa Thiên Huế", "Thừa Thiên Huế"]),
    ("chi bộ ở thành phố Việt Trì", ["Phú Thọ"]),
    ("doanh nghiệp trong KCN Thụy Vân", ["Phú Thọ"]),
    ("về công tác ở xứ Thanh và đất Cảng", ["Thanh Hóa", "Hải Phòng"]),
    ("Bà Rịa - Vũng Tàu và Hoà Bình", ["Bà Rịa - Vũng Tàu", "Hòa Bình"]),
    # not places
    ("học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", []),
    ("Đoàn TNCS Hồ Chí Minh", []),
    ("đồng chí Nguyễn Thái Bình, Phó Bí thư", []),
    ("chị Hà Giang là công nhân", []),
    ("vùng biển Thái Bình Dương", []),
    ("vì hòa bình và phát triển", []),
    ("huyện Châu Thành", []),          # a district name of several provinces
    ("Công ty Xi măng Tân Quang", []),  # a company named after a commune name found in several provinces
    ("Tỉnh ủy giao chỉ tiêu cho các huyện", []),
    # a district named by its own bodies, and a city written "TP.X" without a space
    ("Huyện ủy Lục Ngạn giao chỉ tiêu", ["Bắc Giang"]),
    ("Huyện đoàn Yên Thế và Quận ủy Ngô Quyền", ["Bắc Giang", "Hải Phòng"]),
    ("Đảng bộ TP.Việt Trì kết nạp", ["Phú Thọ"]),
    ("Thành ủy Vinh và Thành ủy Cần Thơ", ["Nghệ An", "Cần Thơ"]),  # a provincial city's committee; a city's
    ("Huyện ủy Hòa Bình", []),  # a district (Bạc Liêu) and a city (Hòa Bình) share the name; not the province
])
def test_find_places(text, expected):
    found = find_places(text)
    assert [p.province for p in found] == expected
    for place in found:
        assert text[place.start:place.end] == place.text


def test_offsets_are_shifted():
    place = find_places("ở tỉnh Sơn La", offset=100)[0]
    assert (place.start, place.end, place.text) == (102, 113, "tỉnh Sơn La")


def test_all_63_map_into_34():
    old = provinces()
    assert len(old) == 63 and len(set(old)) == 63
    new = {province_2025(p) for p in old}
    assert len(new) == 34 and None not in new


@pytest.mark.parametrize(("old", "new"), [
    ("Bình Thuận", "Lâm Đồng"), ("Hà Giang", "Tuyên Quang"), ("Thừa Thiên Huế", "Huế"), ("Hải Dương", "Hải Phòng"),
    ("Bình Dương", "Hồ Chí Minh"), ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"), ("Quảng Nam", "Đà Nẵng"),
    ("Kon Tum", "Quảng Ngãi"), ("Hà Nội", "Hà Nội"), ("Cao Bằng", "Cao Bằng"), ("Bắc Kạn", "Thái Nguyên"),
])
def test_2025_spot_checks(old, new):
    assert province_2025(old) == new


def test_matches_the_reference_table(shared):
    reference = json.loads((shared / "reference" / "provinces.json").read_text(encoding="utf-8"))
    assert {row["name"]: row["merged_into_2025"] for row in reference} == {p: province_2025(p) for p in provinces()}


@pytest.mark.parametrize(("domain", "province"), [
    ("thanhphohaiphong.gov.vn", "Hải Phòng"), ("sonoivu.binhthuan.gov.vn", "Bình Thuận"),
    ("tuyenquang.gov.vn", "Tuyên Quang"), ("hue.gov.vn", "Thừa Thiên Huế"), ("baobinhthuan.com.vn", None),
    ("chinhphu.gov.vn", None),
])
def test_province_government_domains(domain, province):
    assert province_from_domain(domain) == province


NO_PROVINCE = """Hội nghị toàn quốc về phát triển đảng viên trong doanh nghiệp

Các đại biểu đã thảo luận nhiều giải pháp. Cả nước có hơn 5.000 tổ chức đảng trong doanh nghiệp ngoài khu vực nhà nước."""


def test_an_article_naming_no_province_has_none():
    text = article(NO_PROVINCE, title="Hội nghị toàn quốc về phát triển đảng viên trong doanh nghiệp")
    assert article_province(text, find_places(text.text)) is None
    assert ProvinceResolver(text).article_province is None


def test_byline_only_province():
    text = "Kết nạp đảng viên trong doanh nghiệp\n\nBTO-Sáng 4/3, Ban Chỉ đạo của tỉnh tổ chức hội nghị; toàn tỉnh có 70 tổ chức đảng."
    plain = article(text)
    assert ProvinceResolver(plain).article_province is None
    assert ProvinceResolver(plain, outlet_province="Bình Thuận").article_province == "Bình Thuận"
    assert ProvinceResolver(article(text, outlet="Báo Bình Thuận")).article_province == "Bình Thuận"


def test_source_line_domain_names_the_province():
    text = "Tọa đàm về công tác phát triển đảng viên\n\nCác đại biểu thảo luận.\n\nNguồn: tinhbacgiang.gov.vn"
    assert ProvinceResolver(article(text, source_line="Nguồn: tinhbacgiang.gov.vn")).article_province == "Bắc Giang"


QUOTED = """Tỉnh Kiên Giang kết nạp 1.200 đảng viên mới

(HNM) - Năm 2023, Đảng bộ tỉnh Kiên Giang kết nạp 1.200 đảng viên. Tại hội nghị, đại biểu Hà Nội chia sẻ kinh nghiệm.
Kiên Giang hiện có 52.000 đảng viên."""


def test_a_figure_in_one_province_quoted_by_a_paper_of_another():
    resolver = ProvinceResolver(article(QUOTED, title=QUOTED.splitlines()[0], outlet="Báo Hànộimới (Hà Nội mới)"),
                                outlet_province="Hà Nội")
    assert resolver.article_province == "Kiên Giang"
    figure = QUOTED.index("52.000")
    sentence = QUOTED.rindex("\n") + 1
    assert resolver.province_for(sentence, len(QUOTED), figure) == "Kiên Giang"


def test_a_figure_takes_the_nearest_place_of_its_sentence_then_its_scope():
    text = "Tiêu đề\n\nTỉnh Yên Bái có 300 chi bộ, tỉnh Lào Cai có 250 chi bộ.\nToàn vùng có 550 chi bộ."
    resolver = ProvinceResolver(article(text), outlet_province="Yên Bái")
    first = text.index("Tỉnh Yên Bái")
    end = text.index(".\nToàn") + 1
    assert resolver.province_for(first, end, text.index("300")) == "Yên Bái"
    assert resolver.province_for(first, end, text.index("250")) == "Lào Cai"
    assert resolver.province_for(end + 1, len(text), text.index("550")) == resolver.article_province
    assert resolver.province_for(end + 1, len(text), text.index("550"), scope="Công đoàn tỉnh Lai Châu") == "Lai Châu"


def test_a_single_passing_mention_does_not_outvote_the_paper():
    text = "Hội nghị của tỉnh\n\nBTO-Đoàn công tác của tỉnh đi học tập kinh nghiệm tại Hà Nội. Tỉnh có 73 tổ chức đảng."
    assert ProvinceResolver(article(text), outlet_province="Bình Thuận").article_province == "Bình Thuận"


NEW_UNIT = """Tỉnh Lâm Đồng (mới) có hơn 4.000 tổ chức cơ sở đảng

Sau sắp xếp, tỉnh Lâm Đồng (mới) có hơn 4.000 tổ chức cơ sở đảng; riêng khu vực tỉnh Bình Thuận (cũ) có 1.500."""


def test_a_new_unit_figure_takes_the_old_province_of_the_same_name():
    resolver = ProvinceResolver(article(NEW_UNIT, published=date(2025, 8, 1)))
    marks = [(p.text, p.era) for p in resolver.places]
    assert ("Tỉnh Lâm Đồng", "2025") in marks and ("tỉnh Bình Thuận", "old") in marks
    sentence = NEW_UNIT.index("Sau sắp xếp")
    assert resolver.province_for(sentence, len(NEW_UNIT), NEW_UNIT.index("4.000", sentence)) == "Lâm Đồng"
    assert resolver.province_for(sentence, len(NEW_UNIT), NEW_UNIT.index("1.500")) == "Bình Thuận"
    assert resolver.article_province == "Lâm Đồng"
    assert resolver.article_province_2025 == "Lâm Đồng"


def test_after_the_reform_an_unmarked_merged_name_is_the_new_unit_read_as_its_namesake():
    text = "Tiêu đề\n\nToàn tỉnh Gia Lai có 3.000 tổ chức đảng."
    resolver = ProvinceResolver(article(text, published=date(2025, 9, 1)))
    assert [p.era for p in resolver.places] == ["2025"]
    assert resolver.article_province == "Gia Lai"
    assert ProvinceResolver(article(text, published=date(2024, 9, 1))).article_province == "Gia Lai"
    unmerged = "Tiêu đề\n\nToàn tỉnh Cao Bằng có 900 tổ chức đảng."
    assert ProvinceResolver(article(unmerged, published=date(2025, 9, 1))).article_province == "Cao Bằng"


def test_furniture_places_are_ignored():
    text = "Logo of Sơn La\n\nTiêu đề\n\nCác chi bộ kết nạp 20 đảng viên."
    assert ProvinceResolver(article(text), ignore=[(0, 14)]).article_province is None


def test_a_figure_takes_the_last_place_of_its_paragraph_before_the_article_default():
    text = ("Hai tỉnh trao đổi kinh nghiệm\n\n"
            "Báo cáo của tỉnh Hậu Giang cho biết toàn tỉnh có 400 công đoàn cơ sở. Từ năm 2019, các cấp công đoàn "
            "trong tỉnh thành lập 40 công đoàn cơ sở.\n\n"
            "Tại tỉnh Sóc Trăng, có 500 công đoàn cơ sở; tỉnh Sóc Trăng thành lập 60 công đoàn cơ sở.\n\n"
            "Các đại biểu thống nhất 5 giải pháp.")
    resolver = ProvinceResolver(article(text), outlet_province="Sóc Trăng")
    second = text.index("Từ năm 2019")
    assert resolver.province_for(second, text.index("\n\nTại"), text.index("40")) == "Hậu Giang"
    last = text.index("Các đại biểu")
    assert resolver.province_for(last, len(text), text.index("5 giải")) == resolver.article_province == "Sóc Trăng"


def test_after_2025_a_ward_is_read_as_a_new_ward():
    text = "Tiêu đề\n\nTại phường Phan Thiết, Đảng bộ công ty có 46 đảng viên."
    before = ProvinceResolver(article(text, published=date(2024, 5, 1))).article_province
    after = ProvinceResolver(article(text, published=date(2025, 8, 1))).article_province
    assert (before, after) == ("Tuyên Quang", "Bình Thuận")  # an old ward of Tuyên Quang city; a new ward of Lâm Đồng


def test_an_industrial_park_votes_but_does_not_place_a_figure():
    text = "Tiêu đề\n\nCác doanh nghiệp ở KCN Thụy Vân có 40 chi bộ."
    resolver = ProvinceResolver(article(text), outlet_province="Vĩnh Phúc")
    assert resolver.province_for(text.index("Các"), len(text), text.index("40")) == resolver.article_province


def test_a_scope_from_an_earlier_sentence_yields_to_a_place_before_the_figure():
    text = ("Tiêu đề\n\nCông đoàn tỉnh Tây Ninh có 400 công đoàn cơ sở. "
            "Cũng trong năm, tại tỉnh Long An các cấp công đoàn kết nạp 900 đoàn viên.")
    resolver = ProvinceResolver(article(text))
    second = text.index("Cũng")
    assert resolver.province_for(second, len(text), text.index("900"), "Công đoàn tỉnh Tây Ninh") == "Long An"
    assert resolver.province_for(7, second, text.index("400"), "Công đoàn tỉnh Tây Ninh") == "Tây Ninh"


def test_the_whole_province_after_a_merger_is_the_article_province():
    text = ("Tỉnh Gia Lai (mới) sau ba tháng hợp nhất\n\n"
            "Trước hợp nhất, Đảng bộ tỉnh Bình Định có 700 tổ chức cơ sở đảng. "
            "Sau sắp xếp, toàn tỉnh có 135 xã, phường.")
    resolver = ProvinceResolver(article(text, published=date(2025, 10, 2), title=text.split("\n")[0]))
    second = text.index("Sau sắp xếp")
    assert resolver.article_province == "Gia Lai"
    assert resolver.province_for(second, len(text), text.index("135"), "Đảng bộ tỉnh Bình Định") == "Gia Lai"
    assert resolver.province_for(text.index("Trước"), second, text.index("700"), "Đảng bộ tỉnh Bình Định") == "Bình Định"


@pytest.mark.parametrize(("domain", "province"), [
    ("tinhdoanvinhphuc.org.vn", "Vĩnh Phúc"), ("www.baoquangbinh.vn", "Quảng Bình"), ("quangbinhtv.vn", "Quảng Bình"),
    ("congdoanhaiphong.org.vn", "Hải Phòng"),
    ("baomoi.com", None), ("dangcongsan.vn", None), ("laodong.vn", None), ("dongthapmuoi.vn", None),
])
def test_provincial_sites_spell_their_province(domain, province):
    assert province_from_site(domain) == province


@pytest.mark.parametrize(("byline", "province"), [
    ("(HBĐT) -", "Hòa Bình"), ("(GLO)-", "Gia Lai"), ("BKT -", "Kon Tum"), ("(BBNĐT)", "Bắc Ninh"),
    ("(ĐN)-", None),    # Đồng Nai, Đà Nẵng and Đắk Nông share the initials
    ("(TTXVN)", None), ("(XYZ)", None),
])
def test_an_unknown_bylines_initials(byline, province):
    assert province_from_byline(byline) == province


def test_an_unknown_paper_is_placed_by_its_site_then_its_bylines_initials():
    text = "Kết nạp đảng viên trong đoàn viên\n\nToàn tỉnh giới thiệu 300 đoàn viên ưu tú cho Đảng."
    assert ProvinceResolver(article(text, url="http://tinhdoanbacgiang.org.vn/tin/12")).article_province == "Bắc Giang"
    assert ProvinceResolver(article(text, byline="(HBĐT) -")).article_province == "Hòa Bình"
    assert ProvinceResolver(article(text, byline="(HBĐT) -", outlet="Báo Nguồn")).article_province is None
    assert ProvinceResolver(article(text)).article_province is None


def test_an_address_votes_once():
    text = ("Chi bộ Công ty Minh Phát kết nạp 3 đảng viên\n\n"
            "Đảng ủy Công ty Minh Phát của tỉnh Bắc Ninh đưa 12 quần chúng ưu tú về thăm khu di tích "
            "tại xã Nam Cát, huyện Nam Đàn, tỉnh Nghệ An. Công ty là doanh nghiệp lớn của Bắc Ninh.")
    assert ProvinceResolver(article(text)).article_province == "Bắc Ninh"
    listed = text.replace("xã Nam Cát, huyện Nam Đàn, tỉnh Nghệ An", "xã Nam Cát và huyện Nam Đàn của tỉnh Nghệ An")
    assert ProvinceResolver(article(listed)).article_province is None  # three places, three votes: a tie


def test_the_last_place_of_a_list_is_not_carried_into_the_next_sentence():
    text = ("Tỉnh ủy Thái Bình mở lớp bồi dưỡng nhận thức về Đảng\n\n"
            "Lớp học trực tuyến có các điểm cầu Hà Nam, Ninh Bình, Nam Định. Có 40 quần chúng ưu tú dự lớp.")
    resolver = ProvinceResolver(article(text, title=text.split("\n")[0]))
    second = text.index("Có 40")
    assert resolver.article_province == "Thái Bình"
    assert resolver.province_for(second, len(text), text.index("40")) == "Thái Bình"
    single = text.replace("các điểm cầu Hà Nam, Ninh Bình, Nam Định", "điểm cầu Nam Định")
    resolver = ProvinceResolver(article(single, title=single.split("\n")[0]))
    assert resolver.province_for(single.index("Có 40"), len(single), single.index("40")) == "Nam Định"


def test_our_province_is_the_articles():
    text = ("Học tập kinh nghiệm phát triển đảng viên\n\n"
            "Đoàn công tác đã học tập mô hình của Đảng bộ tỉnh Hưng Yên. Hiện nay, tỉnh ta có 1.200 chi bộ trong doanh nghiệp.")
    resolver = ProvinceResolver(article(text), outlet_province="Thái Bình")
    second = text.index("Hiện nay")
    assert resolver.province_for(second, len(text), text.index("1.200"), "Đảng bộ tỉnh Hưng Yên") == "Thái Bình"


def test_the_whole_countrys_figure_has_no_province():
    text = ("Tỉnh Sơn La kết nạp 2.000 đảng viên\n\n"
            "Năm nay, cả nước kết nạp hơn 150.000 đảng viên; riêng tỉnh Sơn La kết nạp 2.000 đảng viên. "
            "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII được 300 chi bộ quán triệt.")
    resolver = ProvinceResolver(article(text, title=text.split("\n")[0]))
    first, second = text.index("Năm nay"), text.index("Nghị quyết")
    assert resolver.province_for(first, second, text.index("150.000")) is None
    assert resolver.province_for(first, second, text.index("2.000", first)) == "Sơn La"
    assert resolver.province_for(second, len(text), text.index("300")) == "Sơn La"


@pytest.mark.parametrize(("source", "floor"), [
    # four articles of the real set name no place, no byline and no outlet in their text: only their page's
    # address tells their province, so from the files alone about 0.09 of the matched figures stay unplaced
    ("articles", 0.90),
    ("articles.jsonl", 0.98),
])
def test_province_floors_on_the_real_set(shared, source, floor):
    real = shared / "real"
    if not (real / "gold.jsonl").is_file():
        pytest.skip("../shared/real is not here")
    spec = importlib.util.spec_from_file_location("score", shared / "gold" / "score.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    predicted = {}
    for item in read_sources([str(real / source)]):
        result = annotate(item)
        predicted[result.doc] = [r.model_dump(mode="json") for r in result.records]
    score, _ = scorer.score(scorer.load(str(real / "gold.jsonl")), predicted)
    assert score["accuracy"]["province"] >= floor, json.dumps(score["accuracy"])


def test_a_venue_in_another_province_does_not_place_the_figure():
    """"… dâng hương tại xã A, huyện B, tỉnh C và trao quyết định cho 12 …": an address after "tại" in another
    province is where the event was held; a venue in the article's own province still places the figure."""
    text = ("Đảng ủy Công ty Than Cẩm Phả kết nạp đảng viên\n\nĐảng ủy Công ty Than Cẩm Phả (tỉnh Quảng Ninh) "
            "có 900 đảng viên.\nĐoàn đến dâng hương tại xã Giao Thủy, huyện Giao Thủy, tỉnh Nam Định và trao "
            "quyết định kết nạp cho 12 quần chúng.")
    resolver = ProvinceResolver(article(text), outlet_province="Quảng Ninh")
    sentence = text.rindex("\n") + 1
    assert resolver.article_province == "Quảng Ninh"
    assert resolver.province_for(sentence, len(text), text.index("12 quần")) == "Quảng Ninh"
    home = text.replace("xã Giao Thủy, huyện Giao Thủy, tỉnh Nam Định", "phường Hồng Gai, thành phố Hạ Long")
    resolver = ProvinceResolver(article(home), outlet_province="Quảng Ninh")
    assert resolver.province_for(home.rindex("\n") + 1, len(home), home.index("12 quần")) == "Quảng Ninh"
