"""Terminal views of annotated articles and stored statistics (rich), and query results as csv or json."""

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from schemas import AnnotatedArticle, StatisticRecord

def _console(**options: object) -> Console:
    """A console; a pipe or a log (not a terminal) gets a page wide enough that tables do not wrap."""
    console = Console(**options)
    if not console.is_terminal:
        console.width = max(console.width, 120)
    return console


out = _console(soft_wrap=False)
err = _console(stderr=True, soft_wrap=True)

SUBJECT_STYLES = {
    "party_member": "bold red", "party_org": "red", "party_candidate": "magenta",
    "union_org": "blue", "union_member": "bold blue", "youth_org": "green", "youth_member": "bold green",
    "women_org": "bright_magenta", "women_member": "bold bright_magenta", "veterans_org": "yellow",
    "veterans_member": "bold yellow", "worker": "cyan", "enterprise": "bright_cyan", "class": "bright_blue",
    "indicator": "white", "other": "dim",
}


def _years(record: StatisticRecord) -> str:
    if record.year_start is None and record.year_end is None:
        return ""
    if record.year_start == record.year_end:
        return str(record.year_start)
    return f"{record.year_start or '?'}–{record.year_end or '?'}"


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def records_table(records: Sequence[StatisticRecord], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in ("text", "value", "target", "qualifier", "subject", "measure", "province", "years"):
        table.add_column(column, no_wrap=column != "text")
    for r in records:
        style = SUBJECT_STYLES.get(r.subject.value, "")
        table.add_row(Text(r.text, style=style), _number(r.value) + ("%" if r.unit.value == "percent" else ""),
                      _number(r.target), r.qualifier.value, Text(r.subject.value, style=style), r.measure.value,
                      r.province or "", _years(r))
    return table


def article_view(result: AnnotatedArticle) -> Group:
    """The article's metadata, its text with each figure highlighted and labelled, and the records."""
    article = result.article
    header = Table.grid(padding=(0, 2))
    for label, value in (("title", article.title), ("published", article.published), ("outlet", article.outlet),
                         ("province", article.province), ("2025 unit", article.province_2025), ("source", article.source)):
        header.add_row(Text(label, style="bold"), str(value) if value else "—")
    body = Text()
    cursor = 0
    for record in sorted(result.records, key=lambda r: r.start):
        style = SUBJECT_STYLES.get(record.subject.value, "reverse")
        body.append(article.text[cursor:record.start])
        body.append(record.text, style=f"{style} reverse")
        body.append(f"[{record.subject.value}/{record.measure.value}]", style=f"{style} dim")
        cursor = record.end
    body.append(article.text[cursor:])
    return Group(Panel(header, title=result.doc), Panel(body, title="article"),
                 records_table(result.records, title=f"{len(result.records)} statistics"))


def print_rows(console: Console, columns: Sequence[str], rows: Sequence[Sequence[object]], title: str | None = None) -> None:
    table = Table(title=title, header_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1))
    for i, column in enumerate(columns):
        numeric = all(isinstance(row[i], int | float) or row[i] is None for row in rows)
        table.add_column(column.replace("_", "\n"), overflow="fold", no_wrap=numeric or i == 0,
                         justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*("" if v is None else _number(v) if isinstance(v, float) else str(v) for v in row))
    console.print(table)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def emit(columns: Sequence[str], rows: Sequence[Sequence[object]], format: OutputFormat, title: str | None = None) -> None:
    """Print a query result the same way for every read command."""
    if format == OutputFormat.table:
        print_rows(out, columns, rows, title=title)
    elif format == OutputFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        objects = [dict(zip(columns, row)) for row in rows]
        if format == OutputFormat.json:
            sys.stdout.write(json.dumps(objects, ensure_ascii=False, indent=2, default=str) + "\n")
        else:
            sys.stdout.writelines(json.dumps(obj, ensure_ascii=False, default=str) + "\n" for obj in objects)
