"""The spaCy pipeline: underthesea tokens, lexicon rulers, the statistic linker.

Built once per process (`load_nlp` is cached): the rulers compile their
patterns at load time, which is the expensive part.
"""

from functools import cache

import spacy
from spacy.language import Language

import extractors.linking  # noqa: F401  (registers the "thongke_linker" factory)
from extractors.lexicon import patterns
from extractors.linking import CUES, MEASURES, SUBJECTS
from pipeline.nlp.tokenizer import UndertheseaTokenizer

RULERS = {SUBJECTS: "subjects", MEASURES: "measures", CUES: "org_cues"}


@cache
def load_nlp() -> Language:
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = UndertheseaTokenizer(nlp.vocab)
    for key, lexicon in RULERS.items():
        ruler = nlp.add_pipe("span_ruler", name=f"{key}_ruler",
                             config={"spans_key": key, "phrase_matcher_attr": "LOWER", "spans_filter": None})
        ruler.add_patterns(list(patterns(lexicon)))
    nlp.add_pipe("thongke_linker")
    return nlp
