"""Article metadata read from the text (first version: the first line as title; issue 5 fills it)."""

from schemas import Article


def read_metadata(article: Article) -> Article:
    if article.title:
        return article
    first = next((line.strip() for line in article.text.splitlines() if line.strip()), None)
    return article.model_copy(update={"title": first})
