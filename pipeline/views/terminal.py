"""Terminal views of annotated articles and stored statistics (rich).

Everything a user or a source controls (paths, URLs, titles, values, error
messages) reaches the terminal through `plain`: a rich `Text`, so `[/]` is
never read as markup, with control characters and lone surrogates escaped.
Tables are laid out by `fitted_table`: a number is never cropped; text
columns wrap, and when even that does not fit, the lowest-priority columns
are left out and named under the table.

Query results go out through `emit`, row by row for csv and json, so a huge
result is never held in memory.
"""

import csv
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice

from rich import box
from rich.console import Console, Group, RenderableType
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


out = _console(soft_wrap=False, highlight=False)
err = _console(stderr=True, soft_wrap=True, highlight=False)

SUBJECT_STYLES = {
    "party_member": "bold red", "party_org": "red", "party_candidate": "magenta",
    "union_org": "blue", "union_member": "bold blue", "youth_org": "green", "youth_member": "bold green",
    "women_org": "bright_magenta", "women_member": "bold bright_magenta", "veterans_org": "yellow",
    "veterans_member": "bold yellow", "worker": "cyan", "enterprise": "bright_cyan", "class": "bright_blue",
    "indicator": "white", "other": "dim",
}

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_UNPRINTABLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
TEXT_MIN_WIDTH = 12


def escape_controls(text: str, *, keep_lines: bool = False) -> str:
    """Control, bidi and lone-surrogate characters as visible escapes (`\\x1b`, `\\u202e`); printable text unchanged."""
    pattern = _UNPRINTABLE if keep_lines else _UNPRINTABLE_LINE
    return pattern.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def plain(value: object, style: str = "", *, keep_lines: bool = False) -> Text:
    """A value as literal terminal text: never parsed as markup, control characters escaped."""
    return Text(escape_controls("" if value is None else str(value), keep_lines=keep_lines), style=style)


def print_error(message: object) -> None:
    """One line on stderr: 'error: ' and the message, as plain text."""
    err.print(Text.assemble(("error:", "bold red"), " ", plain(message)))


def print_note(message: object) -> None:
    err.print(plain(message))


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


def cell(value: object) -> str:
    """A value as a table shows it: decimals grouped, NULL empty."""
    if value is None:
        return ""
    return _number(value) if isinstance(value, float) else str(value)


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: numbers are never wrapped nor cropped; text wraps down to `TEXT_MIN_WIDTH`."""

    header: str
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class FittedTable:
    table: Table
    dropped: tuple[str, ...]

    def __rich__(self) -> RenderableType:
        if not self.dropped:
            return self.table
        note = plain(f"not shown at this width: {', '.join(self.dropped)} (widen the terminal or use --format csv)", "dim")
        return Group(self.table, note)


def _needed(column: Column, values: Sequence[str]) -> int:
    """The narrowest a column may be: its longest number, or its longest word up to TEXT_MIN_WIDTH for text."""
    words = [len(w) for w in column.header.split("_") if w] or [1]
    if column.numeric:
        return max([*words, *(len(v) for v in values)])
    longest = max([*(len(word) for v in values for word in v.split()), 1])
    return max(max(words), min(longest, TEXT_MIN_WIDTH))


def fitted_table(columns: Sequence[Column], rows: Sequence[Sequence[Text | str]], width: int,
                 title: str | None = None) -> FittedTable:
    """The columns that fit in `width`, leftmost first (a column's place is its priority), each value whole."""
    texts = [[plain(v) if isinstance(v, str) else v for v in row] for row in rows]
    needs = [_needed(c, [t[i].plain for t in texts]) for i, c in enumerate(columns)]
    keep: list[int] = []
    used = 1  # SIMPLE_HEAD draws an edge on each side and one rule between columns, each padded by one space
    for i, need in enumerate(needs):
        if used + need + 3 <= width or not keep:
            keep.append(i)
            used += need + 3
    table = Table(title=plain(title) if title else None, header_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1))
    for i in keep:
        column = columns[i]
        table.add_column(Text("\n").join(map(plain, column.header.split("_"))), min_width=needs[i], no_wrap=column.numeric,
                         overflow="fold", justify="right" if column.numeric else "left")
    for row in texts:
        table.add_row(*(row[i] for i in keep))
    return FittedTable(table, tuple(columns[i].header for i in range(len(columns)) if i not in keep))


def records_table(records: Sequence[StatisticRecord], width: int, title: str | None = None) -> FittedTable:
    """An article's records; the figure as written comes first so it is the last to go."""
    columns = [Column("text"), Column("value", True), Column("target", True), Column("subject"), Column("measure"),
               Column("province"), Column("years", True), Column("qualifier")]
    rows = []
    for r in records:
        style = SUBJECT_STYLES.get(r.subject.value, "")
        percent = "%" if r.unit.value == "percent" else ""
        value = _number(r.value) + percent + (f"–{_number(r.high)}{percent}" if r.high is not None else "")
        rows.append([plain(r.text, style), value, _number(r.target),
                     plain(r.subject.value, style), r.measure.value, r.province or "", _years(r), r.qualifier.value])
    return fitted_table(columns, rows, width, title=title)


def article_view(result: AnnotatedArticle, width: int) -> Group:
    """The article's metadata, its text with each figure highlighted and labelled, and the records."""
    article = result.article
    header = Table.grid(padding=(0, 2))
    header.add_column(no_wrap=True)
    header.add_column(overflow="fold")
    for label, value in (("title", article.title), ("published", article.published), ("outlet", article.outlet),
                         ("province", article.province), ("2025 unit", article.province_2025), ("source", article.source)):
        header.add_row(Text(label, style="bold"), plain(value if value else "—"))
    body = Text()
    cursor = 0
    for record in sorted(result.records, key=lambda r: r.start):
        style = SUBJECT_STYLES.get(record.subject.value, "reverse")
        body.append_text(plain(article.text[cursor:record.start], keep_lines=True))
        body.append_text(plain(record.text, f"{style} reverse"))
        body.append(f"[{record.subject.value}/{record.measure.value}]", style=f"{style} dim")
        cursor = record.end
    body.append_text(plain(article.text[cursor:], keep_lines=True))
    return Group(Panel(header, title=plain(result.doc)), Panel(body, title="article"),
                 records_table(result.records, width, title=f"{len(result.records)} statistics"))


def rows_table(columns: Sequence[str], rows: Sequence[Sequence[object]], width: int, title: str | None = None) -> FittedTable:
    """A query result; a column is numeric when every value in it is a number or NULL."""
    specs = [Column(name, all(isinstance(row[i], int | float) and not isinstance(row[i], bool) or row[i] is None
                              for row in rows) and bool(rows))
             for i, name in enumerate(columns)]
    return fitted_table(specs, [[cell(v) for v in row] for row in rows], width, title=title)


def print_rows(console: Console, columns: Sequence[str], rows: Sequence[Sequence[object]], title: str | None = None) -> None:
    console.print(rows_table(columns, rows, console.width, title=title))


TABLE_ROWS = 1000


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def emit(columns: Sequence[str], rows: Iterable[Sequence[object]], format: OutputFormat, title: str | None = None) -> None:
    """Print a query result the same way for every read command, row by row except for the table."""
    stream = iter(rows)
    if format == OutputFormat.table:
        shown = list(islice(stream, TABLE_ROWS + 1))
        print_rows(out, columns, shown[:TABLE_ROWS], title=title)
        if len(shown) > TABLE_ROWS:
            print_note(f"the first {TABLE_ROWS:,} rows are shown; --format csv (or json, jsonl) prints them all")
    elif format == OutputFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(stream)
    elif format == OutputFormat.jsonl:
        sys.stdout.writelines(json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=str) + "\n" for row in stream)
    else:
        sys.stdout.write("[")
        for n, row in enumerate(stream):
            sys.stdout.write(("," if n else "") + "\n  " + json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=str))
        sys.stdout.write("\n]\n")
