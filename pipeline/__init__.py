"""An article's records, runs over many articles, the DuckDB store, and what people look at.

Layers, lowest first: nlp ← run | store ← views ← cli (tests/test_layers.py checks it).
"""
