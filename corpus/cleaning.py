"""Page furniture to ignore (first version: nothing; issue 5 fills it)."""


def furniture_spans(text: str) -> list[tuple[int, int]]:
    return []
