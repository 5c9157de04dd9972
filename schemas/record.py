"""The statistic record: the one definition of its shape (SPEC.md).

JSON output, the DuckDB `statistics` table and the scorer's input are all
derived from `StatisticRecord`.
"""

from pydantic import BaseModel, ConfigDict, Field

from schemas.article import Article
from schemas.codes import Level, Measure, Qualifier, Subject, Unit


class StatisticRecord(BaseModel):
    model_config = ConfigDict(frozen=True, use_enum_values=False)

    value: float = Field(description="The figure, normalised: '1.549' → 1549, '28,75%' → 28.75")
    high: float | None = Field(default=None, description="Upper end of a range ('5-7' → 7)")
    unit: Unit = Field(default=Unit.count, description="count or percent")
    qualifier: Qualifier = Field(default=Qualifier.exact, description="How exact the figure is: exact, approx, more_than, at_least, less_than, range")
    subject: Subject = Field(description="What is counted (party_member, party_org, union_member, …)")
    measure: Measure = Field(description="What happened to it: count (a stock), admitted, established, trained, target, exceeded, share, achieved, other")
    target: float | None = Field(default=None, description="Planned figure of achieved/target ('103/80' → 80)")
    province: str | None = Field(default=None, description="Pre-2025 province (one of the 63), without 'tỉnh'/'thành phố'")
    province_2025: str | None = Field(default=None, description="The unit after the 2025 merger into 34")
    year_start: int | None = Field(default=None, description="First year of the period the figure covers")
    year_end: int | None = Field(default=None, description="Last year of the period (equal to year_start for one year)")
    month_start: int | None = Field(default=None, ge=1, le=12, description="First month of a part-year period ('6 tháng đầu năm' → 1); NULL for a whole year, a term or unknown")
    month_end: int | None = Field(default=None, ge=1, le=12, description="Last month of a part-year period ('6 tháng đầu năm' → 6, 'quý I' → 3); NULL for a whole year, a term or unknown")
    text: str = Field(description="The figure exactly as written")
    start: int = Field(description="Character offset of `text` in the article text")
    end: int = Field(description="End offset, exclusive: article.text[start:end] == text")
    sentence: str = Field(description="The sentence the figure was found in (evidence)")
    scope: str | None = Field(default=None, description="The body or unit the figure belongs to, as written")
    level: Level | None = Field(default=None, description="How much of its province the figure speaks for: national, province, sector, district, commune, unit; NULL when the text does not say")
    rule: str = Field(default="", description="The rules that produced the record, for provenance")


class AnnotatedArticle(BaseModel):
    """What `thongke annotate --format json` prints for one article."""

    doc: str
    article: Article
    records: list[StatisticRecord]

    def to_json_dict(self) -> dict:
        """The SPEC.md object: the article's metadata without its text."""
        data = self.model_dump(mode="json")
        data["article"].pop("text", None)
        return data
