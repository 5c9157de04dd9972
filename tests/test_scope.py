"""Body names and the scope of a figure, on sentences written for these tests."""

import pytest

from extractors.scope import ScopeTracker, find_bodies
from pipeline.nlp.annotate import annotate
from schemas import Article

BODIES = [
    ("Công đoàn ngành Giao thông tỉnh Nam Định hiện quản lý 40 công đoàn cơ sở.",
     [("Công đoàn ngành Giao thông tỉnh Nam Định", "union")]),
    ("Đảng bộ Công ty cổ phần Gạch men Hòa Bình có 120 đảng viên.", [("Đảng bộ Công ty cổ phần Gạch men Hòa Bình", "party")]),
    ("Chi bộ Ngân hàng Nông nghiệp Chi nhánh Bắc Ninh kết nạp 4 đảng viên.",
     [("Chi bộ Ngân hàng Nông nghiệp Chi nhánh Bắc Ninh", "party")]),
    ("Hội nghị do Đảng bộ Khu kinh tế tổ chức.", [("Đảng bộ Khu kinh tế", "party")]),
    ("Hội Cựu chiến binh xã Tân Lập có 210 hội viên.", [("Hội Cựu chiến binh xã Tân Lập", "veterans")]),
    ("Đảng bộ kết nạp được 12 đảng viên.", []),
    ("Hiện chi bộ có 20 đảng viên; Công đoàn ngành đã thực hiện nhiều giải pháp.", []),
]


@pytest.mark.parametrize(("text", "expected"), BODIES, ids=[b[0][:40] for b in BODIES])
def test_body_names(text: str, expected: list[tuple[str, str]]) -> None:
    bodies = find_bodies(text)
    assert [(b.text, b.org) for b in bodies] == expected
    assert all(text[b.start:b.end] == b.text for b in bodies)


def test_scope_is_the_last_body_before_the_figure() -> None:
    text = ("Đảng bộ Công ty Than Hà Lầm luôn quan tâm phát triển đảng viên. Năm qua, Đảng bộ kết nạp 9 đảng viên. "
            "Trong khi đó, Chi bộ Trường Tiểu học Kim Đồng có 14 đảng viên.")
    tracker = ScopeTracker(text)
    assert tracker.scope_for(text.index("9 đảng")).text == "Đảng bộ Công ty Than Hà Lầm"
    assert tracker.scope_for(text.index("14 đảng")).text == "Chi bộ Trường Tiểu học Kim Đồng"
    assert tracker.scope_for(0) is None
    records = annotate(Article(doc="t", text=text, source="test")).records
    assert [(r.text, r.scope) for r in records] == [
        ("9", "Đảng bộ Công ty Than Hà Lầm"), ("14", "Chi bộ Trường Tiểu học Kim Đồng")]
