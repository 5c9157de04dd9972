"""The DuckDB file: tables and views (views.sql), the fetch log, and the analysts' queries.

May import schemas, corpus, extractors and pipeline.nlp; never pipeline.run, pipeline.views or typer.
"""
