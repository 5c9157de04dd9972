"""An article as read from a source, and what the context stage learns of it."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class Article(BaseModel):
    """One news article.

    `text` is the decoded, NFC-normalised text; every offset in the project
    indexes it. Fields other than `doc`, `text` and `source` are hints from
    the source (a feed entry, a JSON line) or are filled by the context stage.
    """

    model_config = ConfigDict(frozen=True)

    doc: str = Field(description="Document id: the file name without .txt, or a stable name for other sources")
    text: str
    source: str = Field(description="Where it was read from: a path, a URL or '-' for stdin")
    url: str | None = None
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    byline: str | None = None
    author: str | None = None
    source_line: str | None = Field(default=None, description="A 'Nguồn: …' credit line, as written")
    province: str | None = Field(default=None, description="The article's main pre-2025 province")
    province_2025: str | None = None
