"""One article in, its statistic records out.

article → its context (`pipeline.nlp.context`: furniture, metadata, places,
periods, bodies, worked out once) → sentences → Doc per sentence that holds
a figure → linked mentions → records with province and period, read from the
context. Sentences with no figure are never segmented: segmentation is the
expensive step.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from extractors.linking import NUMBERS, STOCK, Link, carried_flow
from extractors.numbers import find_numbers, has_number
from extractors.places import province_2025
from pipeline.nlp.context import ArticleContext, article_context
from pipeline.nlp.language import load_nlp
from pipeline.nlp.sentences import Sentence, split_sentences
from schemas import AnnotatedArticle, Article, NumberMention, StatisticRecord


@dataclass(frozen=True, slots=True)
class SentenceDoc:
    """A sentence's Doc and where the sentence starts in the article."""

    sentence: Sentence
    doc: Doc


#: An invented article that reaches every extractor: annotating it builds each one's patterns.
_WARM_UP = Article(doc="warm-up", source="warm-up", text=(
    "Đảng bộ tỉnh Nghệ An kết nạp 1.200 đảng viên mới\n"
    "Năm 2024, toàn Đảng bộ tỉnh kết nạp được 1.200 đảng viên mới, đạt 105% chỉ tiêu; "
    "trong đó Đảng bộ huyện Nam Đàn kết nạp 52 đảng viên, Công đoàn cơ sở có 320 đoàn viên."))


def prepare() -> None:
    """Build the spaCy pipeline and every lexicon's patterns now, so that the first article of a batch
    costs no more than the others (each worker calls this before its first chunk)."""
    annotate(_WARM_UP)


def annotate(article: Article) -> AnnotatedArticle:
    """The records; each sentence's Doc is dropped once its records are made, so memory stays flat on long texts."""
    context = article_context(article)
    return _annotated(context, analyse(context))


def annotate_with_docs(article: Article) -> tuple[AnnotatedArticle, list[SentenceDoc]]:
    """The records, and the sentence Docs they were read from (what the HTML view draws)."""
    context = article_context(article)
    items = list(analyse(context))
    return _annotated(context, items), items


def _annotated(context: ArticleContext, items: Iterable[SentenceDoc]) -> AnnotatedArticle:
    records = [_record(link, item.sentence, context) for item in items for link in _links(item.doc)]
    return AnnotatedArticle(doc=context.article.doc, article=context.article, records=records)


def analyse(context: ArticleContext) -> Iterator[SentenceDoc]:
    """The Docs of the sentences that hold a figure candidate, with all span groups set, in order."""
    carried: Link | None = None
    for sentence in split_sentences(context.article.text, context.furniture):
        numbers = find_numbers(sentence.text, sentence.start, style=context.number_style) if has_number(sentence.text) else []
        if not numbers:
            carried = None
            continue
        body = context.bodies.scope_for(sentence.start)
        doc = link_sentence(sentence.text, sentence.start, numbers, body.org if body else None, context.orgs, carried)
        carried = carried_flow(doc)
        yield SentenceDoc(sentence, doc)


def link_sentence(text: str, offset: int, numbers: list[NumberMention], org_context: str | None = None,
                  orgs: tuple[str, ...] = (), carried: Link | None = None) -> Doc:
    """The Doc of one sentence at `offset` in the article, its `numbers` linked.

    `org_context` is the organisation the article last spoke of before the
    sentence ("union", "youth" …): it settles "đoàn viên" when the sentence
    names none; `orgs` (the article's organisations, most named first) settle
    it when no body was named before the sentence; `carried` is the last flow
    figure of the sentence just before, which a sentence opening with
    "Trong đó," breaks down.
    """
    nlp = load_nlp()
    cuts = [edge - offset for n in numbers for edge in (n.start, n.end)]
    doc = nlp.tokenizer.make_doc(text, cuts)
    doc._.org_context = org_context
    doc._.article_orgs = orgs
    doc._.carried = carried
    spans = []
    for number in numbers:
        span = doc.char_span(number.start - offset, number.end - offset)
        span._.number = number
        spans.append(span)
    doc.spans[NUMBERS] = spans
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def _links(doc: Doc) -> list[Link]:
    return [span._.link for span in doc.spans["statistics"]]


def _to_2025(province: str | None) -> str | None:
    return province_2025(province) if province else None


def _record(link: Link, sentence: Sentence, context: ArticleContext) -> StatisticRecord:
    number = link.number
    body = context.bodies.scope_for(number.start)
    scope = body.text if body else None
    province = context.places.province_for(sentence.start, sentence.end, number.start, scope)
    period = context.periods.period_for(sentence.start, sentence.end, number.start, link.measure in STOCK,
                                        measure=link.measure, unit=number.unit)
    level = context.levels.level_for(sentence.start, sentence.end, number.start, number.end)
    return StatisticRecord(
        value=number.value, high=number.high, unit=number.unit, qualifier=number.qualifier,
        subject=link.subject, measure=link.measure, target=number.target,
        province=province, province_2025=_to_2025(province),
        year_start=period.year_start, year_end=period.year_end,
        month_start=period.month_start, month_end=period.month_end,
        text=number.text, start=number.start, end=number.end, sentence=sentence.text, scope=scope,
        level=level.level, rule=f"{number.rule}+{link.rule}+{level.rule}",
    )
