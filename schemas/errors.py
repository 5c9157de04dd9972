"""User-facing errors, kept together so every message reads the same way.

Each names the input and the problem; the CLI prints `str(error)` as one line
and never a traceback.
"""


class ThongkeError(Exception):
    """Base of every error the CLI reports to a user."""


class InputError(ThongkeError):
    """An input (file, URL, feed entry) that cannot be read as an article."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class StoreError(ThongkeError):
    """The DuckDB file cannot be opened or written."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
