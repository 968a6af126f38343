"""Phone numbers as the PBX compares them."""

from __future__ import annotations


def digits(number: str) -> str:
    """Return a number as the digits the PBX sees ("+1 (408) 555-0100" -> 14085550100).

    CDRs record bare digits, as Asterisk does; contacts and block lists may hold E.164
    ("+14085550100") or what the user typed. Compare numbers through this.
    """
    return "".join(ch for ch in number if ch.isdigit())
