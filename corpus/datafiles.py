"""The corpus side's data files (`corpus/data/*.json`), each read once."""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@cache
def load(name: str) -> dict:
    """One data file by name: `outlets`, `furniture`, `metadata`, `abbreviations`."""
    with (DATA / f"{name}.json").open(encoding="utf-8") as data:
        return json.load(data)
