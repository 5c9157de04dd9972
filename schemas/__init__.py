"""Pydantic models and codes shared by every stage: the one definition of a record's shape."""

from schemas.article import Article
from schemas.codes import Level, Measure, Qualifier, Subject, Unit
from schemas.errors import InputError, StoreError, ThongkeError
from schemas.mentions import NumberMention, Period
from schemas.record import AnnotatedArticle, StatisticRecord

__all__ = [
    "AnnotatedArticle",
    "Article",
    "InputError",
    "Level",
    "Measure",
    "NumberMention",
    "Period",
    "Qualifier",
    "StatisticRecord",
    "StoreError",
    "Subject",
    "ThongkeError",
    "Unit",
]
