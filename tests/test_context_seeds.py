"""The context stage on the five hand-annotated seeds (skipped without ../shared).

Checks the publication date (gold `published`), the article province (gold
`province`) and the period the tracker gives each gold record found at its
place in the text (`is_stock` = measure in {count, share}, as the pipeline
passes it).
"""

import json
from datetime import date
from pathlib import Path

import pytest
import regex

from corpus.metadata import read_metadata
from extractors.periods import PeriodTracker
from pipeline.nlp.context import article_context
from pipeline.nlp.sentences import split_sentences
from schemas import Article

PERIOD_ACCURACY = 0.9


def seeds(shared: Path) -> list[tuple[dict, Article]]:
    pairs = []
    for line in (shared / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        path = shared / "seeds" / f"{gold['doc']}.txt"
        pairs.append((gold, read_metadata(Article(doc=gold["doc"], text=path.read_text(encoding="utf-8"), source=str(path)))))
    return pairs


def test_published_dates(shared):
    for gold, article in seeds(shared):
        expected = date.fromisoformat(gold["published"]) if gold["published"] else None
        assert article.published == expected, gold["doc"]


def test_article_provinces(shared):
    for gold, article in seeds(shared):
        assert article_context(article).places.article_province == gold["province"], gold["doc"]


def _positions(text: str, records: list[dict]) -> list[int]:
    """Where each gold record's text stands: gold records follow the text, so each is searched after the last."""
    found, cursor = [], 0
    for record in records:
        match = regex.compile(rf"(?<![\p{{L}}\p{{N}}.,]){regex.escape(record['text'])}(?!\p{{N}})").search(text, cursor)
        assert match, record["text"]
        found.append(match.start())
        cursor = match.end()
    return found


@pytest.mark.parametrize("with_measure", [False, True])
def test_periods_of_gold_records(shared, with_measure):
    right = total = 0
    for gold, article in seeds(shared):
        tracker = PeriodTracker(article.text, article.published)
        sentences = split_sentences(article.text)
        for record, at in zip(gold["records"], _positions(article.text, gold["records"]), strict=True):
            sentence = next(s for s in sentences if s.start <= at < s.end)
            extra = {"measure": record["measure"], "unit": record["unit"]} if with_measure else {}
            got = tracker.period_for(sentence.start, sentence.end, at, record["measure"] in ("count", "share"), **extra)
            right += (got.year_start, got.year_end) == (record.get("year_start"), record.get("year_end"))
            total += 1
    assert right / total >= PERIOD_ACCURACY
