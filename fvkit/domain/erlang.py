"""Erlang B: the blocking probability of a loss system (SIM-4)."""

from __future__ import annotations


def erlang_b(lines: int, offered_erlangs: float) -> float:
    """Return the probability that a call finds all `lines` busy at a load in erlangs.

    Uses the stable recurrence B(0) = 1, B(n) = A*B(n-1) / (n + A*B(n-1)).
    """
    if lines < 0 or offered_erlangs < 0:
        raise ValueError("lines and load must be non-negative")
    blocking = 1.0
    for n in range(1, lines + 1):
        blocking = offered_erlangs * blocking / (n + offered_erlangs * blocking)
    return blocking


def lines_for(offered_erlangs: float, target_blocking: float) -> int:
    """Return the fewest lines that keep blocking at or under the target."""
    lines = 0
    while erlang_b(lines, offered_erlangs) > target_blocking:
        lines += 1
    return lines
