"""One annotated article as a self-contained HTML page, drawn by displaCy's span style.

The article-wide Doc is `Doc.from_docs` of the per-sentence Docs that
`analyse` made, with the text between them (sentences without a figure, line
breaks) filled in by plain white-space-split Docs, so `doc.text` is the
article text and every span keeps its true character offsets. Its `view`
span group holds what a reviewer needs to see, overlapping where they
overlap: each statistic (labelled with subject, measure and value, coloured
by subject, linked to its row of the records table), the subject words
(longest match, in a lighter tint), and figures found as numbers but passed
over (grey).
"""

from dataclasses import dataclass

from spacy import displacy
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, get_words_and_spaces
from spacy.vocab import Vocab

from extractors.linking import NUMBERS, STATISTICS, SUBJECTS
from pipeline.nlp.annotate import SentenceDoc, annotate_with_docs
from pipeline.views.pages import labels, measure_label, record_value, render_page, subject_color, subject_label
from schemas import AnnotatedArticle, Article, StatisticRecord

VIEW = "view"
ROW_ANCHOR = "#ban-ghi-{}"
SUBJECT_TINT = "66"  # alpha appended to a subject's colour for the word a figure was tied to


@dataclass(frozen=True, slots=True)
class Row:
    """A record as the table shows it: its number (the anchor its highlight links to) and its sentence cut in three."""

    number: int
    record: StatisticRecord
    before: str
    after: str


def render_article(article: Article) -> str:
    """The page of one article, drawn from the Docs its annotation built (nothing is analysed twice)."""
    return article_page(*annotate_with_docs(article))


def article_page(result: AnnotatedArticle, items: list[SentenceDoc]) -> str:
    doc = article_doc(result.article.text, items)
    colors = set_view_spans(doc, result.records)
    return render_page(
        "article.html.j2",
        article=result.article,
        doc_id=result.doc,
        body=render_spans(doc, colors),
        rows=[_row(result.article.text, n, record) for n, record in enumerate(result.records, 1)],
        passed=len(passed_numbers(doc)),
        legend=sorted({r.subject for r in result.records}, key=list(labels()["subjects"]).index),
        colors={code: subject_color(code) for code in labels()["subjects"]},
        passed_color=labels()["spans"]["passed"]["color"],
    )


def article_doc(text: str, items: list[SentenceDoc]) -> Doc:
    """One Doc of the whole article text, keeping the sentence Docs' tokens and span groups."""
    vocab = items[0].doc.vocab if items else Vocab()
    docs: list[Doc] = []
    cursor = 0
    for item in items:
        if item.sentence.start > cursor:
            docs.append(_plain_doc(vocab, text[cursor:item.sentence.start]))
        docs.append(item.doc)
        cursor = item.sentence.end
    if cursor < len(text):
        docs.append(_plain_doc(vocab, text[cursor:]))
    doc = Doc.from_docs(docs, ensure_whitespace=False, exclude=["user_data"])  # per-sentence context (W101) is not drawn
    if doc.text != text:
        raise ValueError("the sentence Docs do not tile the article text")
    return doc


def set_view_spans(doc: Doc, records: list[StatisticRecord]) -> dict[str, str]:
    """Fill `doc.spans[VIEW]`: statistics, subject words, passed-over numbers; return each label's colour."""
    numbered = {(r.start, r.end): (n, r) for n, r in enumerate(records, 1)}
    kinds = labels()["spans"]
    view: list[Span] = []
    colors: dict[str, str] = {}

    def add(span: Span, label: str, color: str, kb_id: str = "") -> None:
        view.append(Span(doc, span.start, span.end, label=label, kb_id=kb_id))
        colors[label] = color

    for span in doc.spans.get(STATISTICS, []):
        if (found := numbered.get((span.start_char, span.end_char))) is not None:
            n, record = found
            label = f"{subject_label(record.subject)} · {measure_label(record.measure)} · {record_value(record)}"
            add(span, label, subject_color(record.subject), str(n))
    for span in passed_numbers(doc):
        add(span, kinds["passed"]["prefix"], kinds["passed"]["color"])
    for span in filter_spans(doc.spans.get(SUBJECTS, [])):
        known = span.label_ in labels()["subjects"]
        label = subject_label(span.label_) if known else kinds["subject"]["prefix"]
        add(span, label, subject_color(span.label_) + SUBJECT_TINT if known else kinds["subject"]["color"])
    doc.spans[VIEW] = view
    return colors


def passed_numbers(doc: Doc) -> list[Span]:
    """Figure candidates the linker did not turn into statistics."""
    linked = {(s.start_char, s.end_char) for s in doc.spans.get(STATISTICS, [])}
    return [s for s in doc.spans.get(NUMBERS, []) if (s.start_char, s.end_char) not in linked]


def render_spans(doc: Doc, colors: dict[str, str]) -> str:
    """displaCy span markup, one block per line of the article (displaCy itself drops line breaks)."""
    options = {"spans_key": VIEW, "colors": colors, "kb_url_template": ROW_ANCHOR}
    parsed = displacy.parse_spans(doc, options)
    return displacy.render(_paragraphs(parsed), style="span", manual=True, options=options)


def _paragraphs(parsed: dict) -> list[dict]:
    """displaCy's parse cut at line-break tokens; spans never cross a line, sentences being cut at lines first."""
    paragraphs: list[dict] = []
    start = 0
    tokens = parsed["tokens"]
    for i, token in enumerate(tokens + ["\n"]):
        if "\n" not in token:
            continue
        if any(t.strip() for t in tokens[start:i]):
            spans = [{**s, "start_token": s["start_token"] - start, "end_token": s["end_token"] - start}
                     for s in parsed["spans"] if start <= s["start_token"] < i]
            paragraphs.append({"tokens": tokens[start:i], "spans": spans, "settings": parsed["settings"]})
        start = i + 1
    return paragraphs


def _plain_doc(vocab: Vocab, text: str) -> Doc:
    """Text between sentence Docs: only shown, so split at white space, not segmented."""
    words, spaces = get_words_and_spaces(text.split(), text)
    return Doc(vocab, words=words, spaces=spaces)


def _row(text: str, number: int, record: StatisticRecord) -> Row:
    """Cut the sentence around the figure at its true offset (the same figure may be written twice in it)."""
    sentence = record.sentence
    begins = text.find(sentence, max(0, record.end - len(sentence)))
    at = record.start - begins if 0 <= begins <= record.start else sentence.find(record.text)
    if at < 0:
        return Row(number, record, sentence + " — ", "")
    return Row(number, record, sentence[:at], sentence[at + len(record.text):])
