"""The one overlap rule for mentions found by several patterns: longest first, then leftmost."""

from collections.abc import Iterable
from typing import Protocol, TypeVar


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Span)


def longest_first(mentions: Iterable[S]) -> list[S]:
    """The mentions that survive overlaps (a longer one beats those it overlaps; ties go to the leftmost), left to right."""
    kept: list[S] = []
    for mention in sorted(mentions, key=lambda m: (m.start - m.end, m.start)):
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)
