"""Spans of text: the one overlap rule for mentions found by several patterns (longest first, then leftmost),
and offsets looked up in a set of spans."""

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from typing import Protocol, TypeVar


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Span)


def longest_first(mentions: Iterable[S]) -> list[S]:
    """The mentions that survive overlaps (a longer one beats those it overlaps; ties go to the leftmost), left to right.

    Two mentions overlap when each starts before the other ends. The kept ones
    never overlap, so ordered by (start, end) their ends rise too: a candidate
    overlaps a kept mention exactly when the last kept one starting before its
    end reaches past its start. One bisection per mention: O(n log n).
    """
    kept: list[S] = []
    edges: list[tuple[int, int]] = []  # (start, end) of the kept mentions, ordered
    for mention in sorted(mentions, key=lambda m: (m.start - m.end, m.start)):
        before = bisect_left(edges, (mention.end,))
        if before and edges[before - 1][1] > mention.start:
            continue
        kept.append(mention)
        insort(edges, (mention.start, mention.end))
    return sorted(kept, key=lambda m: m.start)


class Covered:
    """Whether an offset falls inside any of some spans, in O(log n): a long page has many furniture lines."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(span for span in spans if span[0] < span[1]):
            if self._ends and start <= self._ends[-1]:
                self._ends[-1] = max(self._ends[-1], end)
            else:
                self._starts.append(start)
                self._ends.append(end)

    def __call__(self, offset: int) -> bool:
        at = bisect_right(self._starts, offset) - 1
        return at >= 0 and offset < self._ends[at]
