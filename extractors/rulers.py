"""The lexicon rulers: every word list of `lexicons/` matched over a sentence Doc in one pass.

What three spaCy `span_ruler`s would set (one span group per lexicon, each a
sorted set of spans labelled as its entry, matched on the LOWER attribute,
phrases tokenized by the pipeline's own tokenizer), from one PhraseMatcher
and one Matcher: a sentence is scanned once instead of once per lexicon, and
without the warning filters a ruler sets around each call.
"""

from collections.abc import Mapping

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from extractors.lexicon import patterns


@Language.factory("thongke_rulers", default_config={"lexicons": {}})
def make_rulers(nlp: Language, name: str, lexicons: Mapping[str, str]) -> "LexiconRulers":
    return LexiconRulers(nlp, lexicons)


class LexiconRulers:
    """`lexicons` maps a span group key to the lexicon file (`extractors/lexicons/NAME.jsonl`) it is read from."""

    def __init__(self, nlp: Language, lexicons: Mapping[str, str]) -> None:
        self.keys = tuple(lexicons)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab)
        self.entries: dict[int, tuple[str, str, str]] = {}  # match id → (group key, label, id)
        for key, lexicon in lexicons.items():
            for entry in patterns(lexicon):
                entry_id = entry.get("id", "")
                match_name = repr((key, entry["label"], entry_id))
                self.entries[nlp.vocab.strings.add(match_name)] = (key, entry["label"], entry_id)
                if isinstance(entry["pattern"], str):
                    self.phrases.add(match_name, [nlp.tokenizer(entry["pattern"])])
                else:
                    self.tokens.add(match_name, [entry["pattern"]])

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, set[Span]] = {key: set() for key in self.keys}
        matches = list(self.phrases(doc)) + (list(self.tokens(doc)) if len(self.tokens) else [])
        for match_id, start, end in matches:
            if start != end:
                key, label, entry_id = self.entries[match_id]
                found[key].add(Span(doc, start, end, label=label, span_id=entry_id))
        for key in self.keys:
            doc.spans[key] = sorted(found[key])
        return doc
