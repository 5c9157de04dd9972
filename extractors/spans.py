"""The one overlap rule for mentions found by several patterns: longest first, then leftmost."""

from bisect import bisect_left, insort
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
