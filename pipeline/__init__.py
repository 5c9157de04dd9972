"""An article's records, runs over many articles, the DuckDB store, and what people look at.

Layers, lowest first: nlp ← run | store ← views ← cli (tests/test_layers.py checks it).
The Python API (`pipeline.api`) is importable from here: `from pipeline import annotate_text, open_db`;
it is loaded on first use, so `import pipeline.cli` stays quick.
"""

from typing import Any

API = ("annotate_text", "open_db", "Annotation", "Database", "Record")
__all__ = list(API)


def __getattr__(name: str) -> Any:
    if name in API:
        from pipeline import api  # noqa: PLC0415 — see the module docstring

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
