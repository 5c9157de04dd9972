"""User-facing errors, kept together so every message reads the same way.

Each names the input and the problem; the CLI prints `str(error)` as one line
and never a traceback. A name may come from a hostile source (a file called
"\x1b]2;…", a URL): its control characters are shown escaped, never sent raw.
"""

import unicodedata

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """`text` with control characters (C0, C1, bidirectional overrides) written as escapes."""
    return "".join(char.encode("unicode_escape").decode("ascii")
                   if unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS else char for char in text)


class ThongkeError(Exception):
    """Base of every error the CLI reports to a user."""


class InputError(ThongkeError):
    """An input (file, URL, feed entry) that cannot be read as an article."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{printable(source)}: {printable(problem)}")
        self.source = source
        self.problem = problem


class StoreError(ThongkeError):
    """The DuckDB file cannot be opened or written."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
