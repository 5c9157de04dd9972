"""The article stage: what every sentence of one article reads about the whole article, worked out once.

The corpus side comes first: the page's furniture, found once and handed to
each reader that skips it (metadata, places, periods, then the sentence
splitter), and the metadata the text gives, with the paper's province and
the publication year, which places and periods need. Then each article-wide
scan of the extractors runs once: places, period cues, body names, level
cues, the organisations spoken of, the way numbers are written. The sentence
stage reads only this object, and never goes back to corpus/.
"""

from dataclasses import dataclass

from corpus.cleaning import furniture_spans
from corpus.metadata import outlet_province, publication_year, read_metadata
from extractors.levels import LevelTracker
from extractors.numbers import number_style
from extractors.periods import PeriodTracker
from extractors.places import ProvinceResolver
from extractors.scope import ScopeTracker, article_orgs
from schemas import Article


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """One article and what its figures' sentences read about it.

    `article` has its metadata and province filled in; `furniture` holds the
    spans of page furniture (offsets into `article.text`); `orgs` are the
    organisations the article speaks of, most named first; `number_style` is
    "vi" or "en".
    """

    article: Article
    furniture: tuple[tuple[int, int], ...]
    places: ProvinceResolver
    periods: PeriodTracker
    bodies: ScopeTracker
    levels: LevelTracker
    orgs: tuple[str, ...]
    number_style: str


def article_context(article: Article) -> ArticleContext:
    """The context of `article`, each article-wide scan run once, in the order the module gives."""
    furniture = furniture_spans(article.text)
    article = read_metadata(article, furniture=furniture)
    paper_province = outlet_province(article)
    year = publication_year(article, furniture=furniture)
    places = ProvinceResolver(article, ignore=furniture, outlet_province=paper_province)
    article = article.model_copy(update={
        "province": article.province or places.article_province,
        "province_2025": article.province_2025 or places.article_province_2025,
    })
    text = article.text
    return ArticleContext(article=article, furniture=furniture, places=places,
                          periods=PeriodTracker(text, article.published, year=year, ignore=furniture),
                          bodies=ScopeTracker(text), levels=LevelTracker(text, article.province),
                          orgs=article_orgs(text), number_style=number_style(text))
