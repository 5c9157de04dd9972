"""The one-pass lexicon rulers set exactly what spaCy's own span_ruler would, one ruler per lexicon."""

import pytest
import spacy

from extractors.lexicon import patterns
from pipeline.nlp.language import RULERS, load_nlp

SENTENCES = [
    "Năm 2023, Đảng bộ tỉnh kết nạp được 1.245 đảng viên mới, đạt 103,7% chỉ tiêu.",
    "Toàn tỉnh hiện có 512 tổ chức cơ sở đảng với 38.420 đảng viên; trong đó 4.113 đảng viên nữ.",
    "LĐLĐ huyện đã thành lập mới 14 CĐCS, phát triển 2.310 đoàn viên công đoàn.",
    "Tỉnh đoàn giới thiệu 860 đoàn viên ưu tú cho Đảng xem xét, kết nạp; 95% ĐVTN tham gia.",
    "Hội LHPN và Hội CCB xã có tổng số 327 hội viên, tăng 12 hội viên so với cùng kỳ.",
    "Số Chi, Đảng bộ được thành lập 17; 06 lớp bồi dưỡng với  420 học viên (đạt 100%).",
]


@pytest.fixture(scope="module")
def reference() -> spacy.language.Language:
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = load_nlp().tokenizer
    for key, lexicon in RULERS.items():
        ruler = nlp.add_pipe("span_ruler", name=f"{key}_ruler",
                             config={"spans_key": key, "phrase_matcher_attr": "LOWER", "spans_filter": None})
        ruler.add_patterns(list(patterns(lexicon)))
    return nlp


def groups(doc: spacy.tokens.Doc) -> dict[str, list[tuple[int, int, str, str]]]:
    return {key: [(s.start, s.end, s.label_, s.id_) for s in doc.spans[key]] for key in RULERS}


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_rulers_set_what_span_rulers_would(reference: spacy.language.Language, sentence: str) -> None:
    nlp = load_nlp()
    ours = nlp.get_pipe("thongke_rulers")(nlp.tokenizer(sentence))
    expected = groups(reference(sentence))
    assert any(expected.values())
    assert groups(ours) == expected
