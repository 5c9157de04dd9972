"""What people look at: the terminal, the article page, the HTML report, and their templates.

May import every room below it (nlp, run, store) and the core; never pipeline.cli or typer.
"""
