"""The correctness oracle for offsets: over every bundled article, each record points at its own text.

Runs on the sample corpus and the held-out dev2 articles (both in this repository), so it
holds on a fresh clone; any speed change must keep it green.
"""

from pathlib import Path

import pytest

from corpus.sources import read_sources
from pipeline.nlp.annotate import annotate
from schemas import Article

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = [ROOT / "corpus" / "samples", ROOT / "tests" / "fixtures" / "dev2"]
ARTICLES = [item for item in read_sources([str(f) for f in FOLDERS]) if isinstance(item, Article)]


def test_every_bundled_article_is_read() -> None:
    assert len(ARTICLES) == len([p for f in FOLDERS for p in f.glob("*.txt")]) >= 26


@pytest.mark.parametrize("article", ARTICLES, ids=[a.doc for a in ARTICLES])
def test_records_index_the_article_text(article: Article) -> None:
    records = annotate(article).records
    assert records, "every bundled article has figures"
    for record in records:
        assert article.text[record.start:record.end] == record.text
        assert record.text in record.sentence
        assert record.sentence in article.text
