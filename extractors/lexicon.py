"""Loading the lexicons kept as data in `extractors/lexicons/`.

Each file is SpanRuler-shaped JSONL: one `{"label": ..., "pattern": ...}` per
line. Labels are SPEC codes, or `@`-names for words whose meaning the linker
settles from context (`@member` is "đoàn viên": union or youth).
"""

import json
from functools import cache
from pathlib import Path

LEXICONS = Path(__file__).parent / "lexicons"


@cache
def patterns(name: str) -> tuple[dict, ...]:
    """The patterns of one lexicon file (`subjects`, `measures`, `org_cues`)."""
    path = LEXICONS / f"{name}.jsonl"
    with path.open(encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines if line.strip())


@cache
def table(name: str) -> dict:
    """A JSON lexicon (`places`, `periods`): one object of named lists and maps."""
    path = LEXICONS / f"{name}.json"
    with path.open(encoding="utf-8") as data:
        return json.load(data)
