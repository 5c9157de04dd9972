"""One article to its records: its context (worked out once), sentences, underthesea tokens as spaCy Docs, linked mentions, records.

May import schemas, corpus and extractors; never duckdb, rich, jinja2, typer or another pipeline room.
"""
