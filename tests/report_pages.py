"""A report page written by `thongke report` from a store of hand-written articles, for the report tests."""

from collections.abc import Iterable
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.store.database import Store
from schemas import AnnotatedArticle


def write_report(root: Path, articles: Iterable[AnnotatedArticle]) -> Path:
    """Store the articles in a fresh database under `root` and write its report beside it."""
    db, page = root / "thongke.duckdb", root / "report.html"
    with Store(db) as store:
        store.write_all(articles)
    run = CliRunner().invoke(app, ["report", "--db", str(db), "-o", str(page)])
    assert run.exit_code == 0, run.output
    return page
