"""The spaCy pipeline: underthesea tokens, lexicon rulers, the statistic linker.

Built once per process (`load_nlp` is cached): the rulers compile their
patterns at load time, which is the expensive part.
"""

from functools import cache

import spacy
from spacy.language import Language

import extractors.linking  # noqa: F401  (registers the "thongke_linker" factory)
import extractors.rulers  # noqa: F401  (registers the "thongke_rulers" factory)
from extractors.linking import CUES, MEASURES, SUBJECTS
from pipeline.nlp.tokenizer import UndertheseaTokenizer

RULERS = {SUBJECTS: "subjects", MEASURES: "measures", CUES: "org_cues"}


@cache
def load_nlp() -> Language:
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = UndertheseaTokenizer(nlp.vocab)
    nlp.add_pipe("thongke_rulers", config={"lexicons": RULERS})
    nlp.add_pipe("thongke_linker")
    return nlp
