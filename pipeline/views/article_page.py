"""One annotated article as a self-contained HTML page, drawn from character offsets over the article text.

The article is shown as written (its own spacing, its own line breaks): the
page cuts `article.text` at the offsets of what it marks, so nothing is
re-joined from tokens. Three kinds of mark, never overlapping (a statistic
wins over a number passed over, which wins over subject words): each
statistic, coloured by subject, with its label (row number, subject, measure,
value) set inline right after the figure so no two labels can ever cover
each other, linked to its row of the records table; figures found as numbers
but passed over (grey); and the subject words a figure was tied to (a lighter
tint, longest match). Passed-over numbers and subject words come from the
sentence Docs `analyse` made, their offsets moved by the sentence's start.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from spacy.util import filter_spans

from extractors.linking import NUMBERS, STATISTICS, SUBJECTS
from pipeline.nlp.annotate import SentenceDoc, annotate_with_docs
from pipeline.views.pages import (
    ink_on, labels, level_label, measure_label, period_label, record_value, render_page, subject_color, subject_label,
)
from schemas import AnnotatedArticle, Article, StatisticRecord

ROW_ANCHOR = "ban-ghi-{}"
SUBJECT_TINT = "55"  # alpha appended to a subject's colour: the words a figure was tied to
FIGURE_TINT = "40"  # alpha appended to a subject's colour: the figure itself, under its solid label


@dataclass(frozen=True, slots=True)
class Tag:
    """The label of one statistic: the number of its table row and what it says."""

    number: int
    text: str
    color: str
    ink: str


@dataclass(slots=True)
class Mark:
    """A marked stretch of the article text; `kind` is statistic, passed or subject."""

    start: int
    end: int
    kind: str
    color: str
    title: str
    tags: list[Tag] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of article text, marked or not."""

    text: str
    mark: Mark | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """A record as the table shows it: its number (the anchor its label links to) and its sentence cut in three."""

    number: int
    record: StatisticRecord
    before: str
    after: str
    value: str
    period: str
    level: str


def render_article(article: Article) -> str:
    """The page of one article, drawn from the Docs its annotation built (nothing is analysed twice)."""
    return article_page(*annotate_with_docs(article))


def article_page(result: AnnotatedArticle, items: list[SentenceDoc]) -> str:
    text = result.article.text
    marks = article_marks(result.records, items)
    subjects = labels()["subjects"]
    return render_page(
        "article.html.j2",
        article=result.article,
        doc_id=result.doc,
        paragraphs=paragraphs(text, marks),
        rows=[_row(text, n, record) for n, record in enumerate(result.records, 1)],
        passed=sum(1 for m in marks if m.kind == "passed"),
        legend=sorted({r.subject for r in result.records}, key=list(subjects).index),
        colors={code: subject_color(code) for code in subjects},
        passed_color=labels()["spans"]["passed"]["color"],
        anchor=ROW_ANCHOR,
    )


def article_marks(records: list[StatisticRecord], items: list[SentenceDoc]) -> list[Mark]:
    """Every mark of the page in text order, none overlapping another (statistic > passed > subject)."""
    kinds = labels()["spans"]
    candidates: list[Mark] = []
    by_offsets: dict[tuple[int, int], list[tuple[int, StatisticRecord]]] = defaultdict(list)
    for n, record in enumerate(records, 1):
        by_offsets[(record.start, record.end)].append((n, record))
    for (start, end), numbered in by_offsets.items():
        color = subject_color(numbered[0][1].subject)
        tags = [Tag(n, f"{subject_label(r.subject)} · {measure_label(r.measure)} · {record_value(r)}",
                    subject_color(r.subject), ink_on(subject_color(r.subject))) for n, r in numbered]
        candidates.append(Mark(start, end, "statistic", color + FIGURE_TINT, "", tags))
    for item in items:
        offset = item.sentence.start
        linked = {(s.start_char, s.end_char) for s in item.doc.spans.get(STATISTICS, [])}
        for span in item.doc.spans.get(NUMBERS, []):
            if (span.start_char, span.end_char) not in linked:
                candidates.append(Mark(offset + span.start_char, offset + span.end_char, "passed",
                                       kinds["passed"]["color"], kinds["passed"]["prefix"]))
        for span in filter_spans(item.doc.spans.get(SUBJECTS, [])):
            known = span.label_ in labels()["subjects"]
            candidates.append(Mark(
                offset + span.start_char, offset + span.end_char, "subject",
                subject_color(span.label_) + SUBJECT_TINT if known else kinds["subject"]["color"],
                subject_label(span.label_) if known else kinds["subject"]["prefix"]))
    taken: list[Mark] = []
    for mark in candidates:  # already in priority order
        if mark.end > mark.start and not any(mark.start < t.end and t.start < mark.end for t in taken):
            taken.append(mark)
    return sorted(taken, key=lambda m: m.start)


def paragraphs(text: str, marks: list[Mark]) -> list[list[Piece]]:
    """The article's lines (blank ones dropped), each cut into plain and marked pieces at the marks' offsets."""
    result: list[list[Piece]] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            pieces: list[Piece] = []
            cursor = start
            for mark in marks:
                if mark.start >= start and mark.end <= end:
                    if mark.start > cursor:
                        pieces.append(Piece(text[cursor:mark.start]))
                    pieces.append(Piece(text[mark.start:mark.end], mark))
                    cursor = mark.end
            if cursor < end:
                pieces.append(Piece(text[cursor:end]))
            result.append(pieces)
        start = end + 1
    return result


def _row(text: str, number: int, record: StatisticRecord) -> Row:
    """Cut the sentence around the figure at its true offset (the same figure may be written twice in it)."""
    sentence = record.sentence
    begins = text.find(sentence, max(0, record.end - len(sentence)))
    at = record.start - begins if 0 <= begins <= record.start else sentence.find(record.text)
    value, period, level = record_value(record), period_label(record), level_label(record.level)
    if at < 0:
        return Row(number, record, sentence + " — ", "", value, period, level)
    return Row(number, record, sentence[:at], sentence[at + len(record.text):], value, period, level)
