"""An article as read from a source, and what the context stage learns of it."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Article(BaseModel):
    """One news article.

    `text` is the decoded, NFC-normalised text; every offset in the project
    indexes it. Fields other than `doc`, `text` and `source` are hints from
    the source (a feed entry, a JSON line) or are filled by the context stage.
    """

    model_config = ConfigDict(frozen=True)

    doc: str = Field(description="Document id: the file name without .txt, or a stable name for other sources")
    text: str = Field(description="The decoded, NFC-normalised article text; every offset indexes it")
    source: str = Field(description="Where it was read from: a path, a URL or '-' for stdin")
    url: str | None = Field(default=None, description="The web address of the article, when known (after redirects, without credentials)")
    requested_url: str | None = Field(default=None, description="The address asked for, when a redirect led elsewhere")
    encoding: str | None = Field(default=None, description="The character encoding the bytes were decoded from, when not plain UTF-8")
    title: str | None = Field(default=None, description="The headline")
    published: date | None = Field(default=None, description="Publication date")
    outlet: str | None = Field(default=None, description="The newspaper or site that published it")
    byline: str | None = Field(default=None, description="The byline prefix as written ('BTO-', '(GLO)-')")
    author: str | None = Field(default=None, description="The author's name, as written")
    source_line: str | None = Field(default=None, description="A 'Nguồn: …' credit line, as written")
    province: str | None = Field(default=None, description="The article's main pre-2025 province")
    province_2025: str | None = Field(default=None, description="The unit `province` belongs to after the 2025 merger into 34")

    @field_validator("*")
    @classmethod
    def _encodable(cls, value: object) -> object:
        """A lone surrogate (from a JSON escape such as \\ud800) is not text: it could be neither hashed nor stored."""
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                raise ValueError(f"holds a lone surrogate (U+{ord(value[error.start]):04X} at position {error.start}), not text") from None
        return value
