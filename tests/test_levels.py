"""The level of a figure (SPEC.md, Levels), on sentences written for these tests (invented names and figures).

Each case is a text, the figure asked about (its first occurrence after
`after`, when given) and the level a careful reader gives it.
"""

import json
from pathlib import Path

import pytest

from extractors.lexicon import LEXICONS
from extractors.levels import LevelTracker, find_level_cues
from pipeline.nlp.annotate import annotate
from pipeline.nlp.sentences import split_sentences
from schemas import Article
from schemas.codes import Level

N, P, S, D, C, U = Level.national, Level.province, Level.sector, Level.district, Level.commune, Level.unit

CASES = [
    # whole province, whole country
    ("Năm 2024, toàn tỉnh kết nạp 1.420 đảng viên mới.", "1.420", P),
    ("Đến nay toàn Đảng bộ tỉnh có 52.300 đảng viên.", "52.300", P),
    ("Năm qua, các cấp công đoàn trong tỉnh thành lập mới 64 công đoàn cơ sở.", "64", P),
    ("Liên đoàn Lao động tỉnh Hòa Bình hiện quản lý 910 công đoàn cơ sở.", "910", P),
    ("Tỉnh đoàn giới thiệu 730 đoàn viên ưu tú cho Đảng.", "730", P),
    ("Trong năm, cả nước kết nạp hơn 180 nghìn đảng viên.", "hơn 180 nghìn", N),
    ("Trung ương Đoàn đã trao giải cho 60 cán bộ đoàn tiêu biểu.", "60", N),
    # centrally-run city and city under a province
    ("LĐLĐ TP Đà Nẵng quản lý 1.900 công đoàn cơ sở.", "1.900", P),
    ("Đảng bộ thành phố Thanh Hóa kết nạp 210 đảng viên.", "210", D),
    # sector: bloc, branch, armed forces, industrial parks, slices of the province
    ("Đảng bộ Khối các cơ quan tỉnh hiện có 81 tổ chức cơ sở đảng.", "81", S),
    ("Công đoàn ngành Giáo dục có 420 công đoàn cơ sở.", "420", S),
    ("Đảng bộ Công an tỉnh kết nạp 37 đảng viên.", "37", S),
    ("Đảng bộ Quân sự thành phố kết nạp 14 đảng viên.", "14", S),
    ("Công đoàn các KCN đã phát triển 2.600 đoàn viên.", "2.600", S),
    ("Toàn tỉnh có 144 tổ chức đảng trong doanh nghiệp ngoài nhà nước với 2.050 đảng viên.", "144", S),
    ("Toàn tỉnh có 144 tổ chức đảng trong doanh nghiệp ngoài nhà nước với 2.050 đảng viên.", "2.050", S),
    ("Khu kinh tế Quảng Trị hiện có 95 doanh nghiệp có tổ chức công đoàn.", "95", S),
    ("Các khu công nghiệp trên địa bàn tỉnh thu hút 76 nghìn lao động.", "76 nghìn", S),
    # a slice of its own figure, or after a breakdown, does not cover the figure before it
    ("Toàn tỉnh kết nạp 812 đảng viên, trong đó đảng viên khối doanh nghiệp 40 đồng chí.", "812", P),
    ("Toàn tỉnh kết nạp 812 đảng viên, trong đó đảng viên khối doanh nghiệp 40 đồng chí.", "40", S),
    ("Toàn tỉnh có 9.400 doanh nghiệp nhưng chỉ có 51 tổ chức đảng trong doanh nghiệp ngoài nhà nước.", "9.400", P),
    ("Toàn tỉnh có 9.400 doanh nghiệp nhưng chỉ có 51 tổ chức đảng trong doanh nghiệp ngoài nhà nước.", "51", S),
    # district
    ("Huyện ủy Krông Bông kết nạp 96 đảng viên.", "96", D),
    ("Trong năm, toàn huyện kết nạp được 74 đảng viên.", "74", D),
    ("Huyện Mộc Hóa đã kết nạp được 41 đảng viên.", "41", D),
    # commune and villages
    ("Đảng ủy xã Phú Lương kết nạp 6 đảng viên.", "6", C),
    ("Ở xã Tân Thạnh, Đảng bộ có 14 chi bộ.", "14", C),
    ("Chi bộ thôn Đồng Chằm có 23 đảng viên.", "23", C),
    ("Hội Cựu chiến binh phường Bình Minh có 305 hội viên.", "305", C),
    ("Tỉnh ủy giao mỗi chi bộ thôn kết nạp ít nhất 1 đảng viên.", "ít nhất 1", C),
    ("Huyện ủy giao chỉ tiêu: đối với các đảng bộ xã, thị trấn kết nạp ít nhất 5 đảng viên.", "ít nhất 5", C),
    # one unit
    ("Chi bộ Công ty TNHH Dệt may Kim Sơn có 18 đảng viên.", "18", U),
    ("Đảng bộ Công ty cổ phần Cơ khí Bạch Đằng kết nạp 7 đảng viên.", "7", U),
    ("Đảng bộ KCN Phú Nghĩa hiện có 5 chi bộ.", "5", U),
    ("Đảng bộ Trường Cao đẳng Kỹ thuật Lam Sơn có 96 đảng viên.", "96", U),
    ("LĐLĐ tỉnh đặt mục tiêu mỗi công đoàn cơ sở giới thiệu ít nhất 2 đoàn viên ưu tú.", "ít nhất 2", U),
    # not a body: what a figure counts, a member's title, many bodies, a parent, a list item without figures
    ("Toàn tỉnh thành lập mới 17 chi bộ thôn, bản.", "17", P),
    ("Toàn tỉnh kết nạp 940 đảng viên. Ông A, Ủy viên Ban Chấp hành Trung ương Đoàn, dự lễ trao 20 suất quà.",
     "20", P),
    ("Chi bộ Cơ khí trực thuộc Đảng bộ Khối đã chuyển đảng chính thức cho 9 đảng viên.", "9", U),
    # one unit named in a breakdown is a part: the next sentence speaks of the whole again
    ("Đảng ủy Khối Doanh nghiệp tỉnh kết nạp 140 đảng viên. Trong đó, Đảng bộ Công ty Cấp nước Hòa Phong kết nạp "
     "12 đảng viên. Tỷ lệ đảng viên nữ chiếm 38,6%.", "38,6%", S),
    ("Năm qua, Đảng bộ Công ty Cấp nước Hòa Phong kết nạp 12 đảng viên. Tỷ lệ đảng viên nữ chiếm 38,6%.",
     "38,6%", U),
    # where members or delegates go is not the body in hand
    ("LĐLĐ tỉnh bầu 21 đại biểu đi dự Đại hội Công đoàn Hưng Long. Đại hội đề ra mục tiêu kết nạp 9.000 đoàn viên.",
     "9.000", P),
    ("Năm qua, LĐLĐ huyện Mỹ Hào vận động 300 công nhân gia nhập Công đoàn Công ty Hòa Phong; thành lập 12 CĐCS.",
     "12", D),
    ("Toàn tỉnh thành lập 3 CĐCS, gồm: CĐCS Công ty Hưng Thịnh, CĐCS Trường Tiểu học Đông Hòa; kết nạp 45 đoàn viên.",
     "45", P),
    ("Ban Tổ chức Tỉnh ủy giao chỉ tiêu các huyện, thị, thành ủy kết nạp 1.500 đảng viên.", "1.500", P),
    ("Trung ương Đoàn nhận 120 hồ sơ từ 58/63 tỉnh, thành Đoàn. Hội đồng chọn 70 cán bộ Đoàn.", "70", N),
    # an abbreviation in brackets inside a body's name; a rubric line above a title is not a body
    ("Theo Hội Liên hiệp Phụ nữ (LHPN) tỉnh, năm qua các cấp Hội kết nạp 3.700 hội viên.", "3.700", P),
    ("Thời sự | Công đoàn\n\nTháng Công nhân sôi nổi\n\nNăm nay các cấp công đoàn thành lập 38 CĐCS.", "38", None),
    # a person's title names the body when the person reports for it
    ("Theo bà Lò Thị Xuân, Chủ tịch Hội LHPN tỉnh, năm qua Hội kết nạp 2.100 hội viên.", "2.100", P),
    # a dateline's month before a body counts nothing
    ("Tiêu đề\n\nThứ Hai, 08/10/2018 11:28\n\nĐảng bộ Công ty May Hòa Phong có 120 đảng viên.", "120", U),
    ("Tiêu đề\n\nLượt xem: 1.234\n\nĐảng bộ huyện Cam Lộ kết nạp 52 đảng viên.", "52", D),
    ("date 2024-11 Ban Tổ chức Tỉnh ủy giao chỉ tiêu kết nạp 1.260 đảng viên.", "1.260", P),
    # a province-wide force named bare as a list item with its figure; bare, elsewhere, it is no cue
    ("Chỉ tiêu kết nạp: Đảng bộ huyện Cam Lộ 70 đảng viên; Gio Linh 65; Công an 14; Quân sự 22.", "14", S),
    ("Chỉ tiêu kết nạp: Đảng bộ huyện Cam Lộ 70 đảng viên; Gio Linh 65; Công an 14; Quân sự 22.", "22", S),
    ("Chỉ tiêu kết nạp: Đảng bộ huyện Cam Lộ 70 đảng viên; Gio Linh 65; Công an 14; Quân sự 22.", "65", D),
    ("Đảng bộ huyện Cam Lộ phối hợp công an kết nạp 31 đảng viên.", "31", D),
    # a district's or commune's own force is of its level, not the province's sector
    ("Năm 2022, Đảng bộ Công an huyện Tân Kỳ kết nạp 8 đảng viên.", "8", D),
    ("Ban Chỉ huy Quân sự thị xã Hòa Phong có 12 đảng viên.", "12", D),
    ("Năm 2022, Công an xã Nghĩa Đồng có 5 đảng viên.", "5", C),
]


def _level(text: str, figure: str) -> Level | None:
    start = text.index(figure)
    sentence = next(s for s in split_sentences(text) if s.start <= start < s.end)
    return LevelTracker(text, "Quảng Trị").level_for(sentence.start, sentence.end, start, start + len(figure)).level


@pytest.mark.parametrize(("text", "figure", "level"), CASES, ids=[f"{c[1]}@{c[0][:40]}" for c in CASES])
def test_level_of_a_figure(text: str, figure: str, level: Level) -> None:
    assert _level(text, figure) is level


def test_each_figure_of_a_list_takes_its_own_units_level() -> None:
    text = ("Có 3 đảng bộ vượt chỉ tiêu, gồm: Đảng bộ huyện Cam Lộ kết nạp 61 đảng viên; "
            "Đảng bộ Quân sự tỉnh kết nạp 12 đảng viên; Đảng ủy xã Hải Ba kết nạp 8 đảng viên.")
    assert [_level(text, f) for f in ("61", "12", "8")] == [D, S, C]


def test_a_later_sentence_keeps_the_body_in_hand() -> None:
    text = "Đảng bộ xã Vĩnh Tú luôn chú trọng công tác tạo nguồn. Năm qua, đảng bộ kết nạp 9 đảng viên."
    assert _level(text, "9") is C


def test_all_levels_of_an_organisation_are_the_articles_body() -> None:
    text = ("Hội LHPN tỉnh có 120 cơ sở hội. Hội LHPN xã Ea Nam giới thiệu 4 hội viên. "
            "Trong năm, các cấp Hội phát triển 3.200 hội viên.")
    assert _level(text, "3.200") is P


def test_a_nameless_city_is_its_province_only_in_a_centrally_run_city() -> None:
    text = "Toàn thành phố hiện có 2.700 công đoàn cơ sở."
    start = text.index("2.700")
    assert LevelTracker(text, "Cần Thơ").level_for(0, len(text), start, start + 5).level is P
    assert LevelTracker(text, "Nam Định").level_for(0, len(text), start, start + 5).level is D


def test_no_cue_no_level() -> None:
    assert _level("Năm qua đã kết nạp 15 đảng viên.", "15") is None


def test_cues_are_read_from_the_lexicon() -> None:
    entries = [json.loads(line) for line in (LEXICONS / "levels.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all({"label", "pattern", "id"} <= set(e) for e in entries)
    assert {e["label"] for e in entries if not e["label"].startswith("@")} <= {lv.value for lv in Level}
    cue = find_level_cues("Huyện đoàn Lệ Thủy có 40 chi đoàn.")[0]
    assert (cue.level, cue.kind) == (D, "cue")


def test_records_carry_the_level_and_the_rule_that_decided_it() -> None:
    text = "Hà Tĩnh kết nạp đảng viên\n\nNăm 2024, Đảng bộ huyện Can Lộc kết nạp 88 đảng viên mới."
    records = annotate(Article(doc="t", text=text, source="test")).records
    record = next(r for r in records if r.text == "88")
    assert record.level is D
    assert record.rule.endswith("+level-sentence.place")


REAL = Path(__file__).resolve().parents[2] / "shared" / "real"


@pytest.mark.skipif(not (REAL / "gold.jsonl").is_file(), reason="../shared/real is not beside the repository")
def test_levels_on_the_real_articles_hold_their_floor() -> None:
    """Level accuracy over every gold record of ../shared/real, found by its text, independent of matching."""
    texts = {json.loads(line)["doc"]: json.loads(line)["text"] for line in (REAL / "articles.jsonl").open(encoding="utf-8")}
    right = total = 0
    for line in (REAL / "gold.jsonl").open(encoding="utf-8"):
        gold = json.loads(line)
        text = texts[gold["doc"]]
        tracker, sentences, cursor = LevelTracker(text, gold.get("province")), split_sentences(text), {}
        for record in gold["records"]:
            start = text.find(record["text"], cursor.get(record["text"], 0))
            if record["level"] is None or start < 0:
                continue
            cursor[record["text"]] = start + 1
            sentence = next(s for s in sentences if s.start <= start < s.end)
            decision = tracker.level_for(sentence.start, sentence.end, start, start + len(record["text"]))
            right += decision.level is not None and decision.level.value == record["level"]
            total += 1
    assert total > 300
    assert right / total >= 0.88
