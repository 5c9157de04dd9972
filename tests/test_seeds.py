"""The extractor against the hand gold of ../shared (skipped on a fresh clone without it)."""

import importlib.util
import json
from pathlib import Path

from corpus.sources import read_sources
from pipeline.nlp.annotate import annotate


def test_seed_score_and_offsets(shared: Path) -> None:
    spec = importlib.util.spec_from_file_location("score", shared / "gold" / "score.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    predicted = {}
    for article in read_sources([str(shared / "seeds")]):
        result = annotate(article)
        predicted[result.doc] = [r.model_dump(mode="json") for r in result.records]
        for record in result.records:
            assert article.text[record.start:record.end] == record.text
    gold = scorer.load(str(shared / "gold" / "seeds.jsonl"))
    score, _ = scorer.score(gold, predicted)
    assert score["f1"] >= 0.9, json.dumps(score)
    assert score["accuracy"]["measure"] >= 0.9
    assert score["accuracy"]["target"] >= 0.95
