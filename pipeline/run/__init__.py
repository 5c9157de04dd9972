"""Many articles at once: the local engine (one or more processes) and the Dask engine, behind one interface.

May import schemas, corpus, extractors and pipeline.nlp; never pipeline.store, pipeline.views or typer.
"""
