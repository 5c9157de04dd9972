"""Expansions of the abbreviations an article uses, for the annotation view.

The table is data (`data/abbreviations.json`); an abbreviation counts only as
a whole word in its written case ("KCN", not "kcn" inside another word).
"""

from functools import cache

import regex

from corpus.datafiles import load


@cache
def _pattern() -> regex.Pattern:
    table = load("abbreviations")["abbreviations"]
    words = "|".join(regex.escape(a) for a in sorted(table, key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{words})(?![\p{{L}}\p{{N}}])")


def abbreviations_in(text: str) -> dict[str, str]:
    """Each abbreviation of `text` → its expansion, in order of first use."""
    table = load("abbreviations")["abbreviations"]
    return {match.group(): table[match.group()] for match in _pattern().finditer(text)}
