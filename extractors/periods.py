"""Periods of figures (first version: the publication year for stocks; issue 5 fills it)."""

from datetime import date

from schemas import Period


class PeriodTracker:
    def __init__(self, text: str, published: date | None) -> None:
        self.year = published.year if published else None

    def period_for(self, sentence_start: int, sentence_end: int, figure_start: int, is_stock: bool) -> Period:
        return Period(self.year, self.year) if is_stock else Period(None, None)
