"""What extractors hand to each other before a record exists.

Offsets are character offsets into the article text (end exclusive), the same
convention as the final record, so a mention can be checked against the text
at any stage.
"""

from dataclasses import dataclass

from schemas.codes import Qualifier, Unit


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A figure as written: "trên 15 nghìn", "103/80", "28,75%", "5-7".

    `target` is the planned figure of an achieved/target ratio ("103/80" → 80).
    `rule` names the grammar rule that read it, for provenance.
    """

    start: int
    end: int
    text: str
    value: float
    unit: Unit = Unit.count
    qualifier: Qualifier = Qualifier.exact
    high: float | None = None
    target: float | None = None
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Period:
    """The years a figure covers; either end may be unknown (None). The months are those of a part-year period
    ("6 tháng đầu năm" → 1, 6; "quý III" → 7, 9), None for a whole year, a term, or when unknown."""

    year_start: int | None
    year_end: int | None
    month_start: int | None = None
    month_end: int | None = None
