"""Import 100,000 personal contacts from one CSV file into a fresh store (CT-6, PIPE-1).

Run: .venv/bin/python benchmarks/contacts_import.py [--rows N]. The last line reads
`rows/s: N` (contacts imported per second, reading and validating included; the small
organisation the contacts belong to is built first and not timed).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime

from fvkit.portal.auth import acting_as
from fvkit.sim.run import Options, simulate
from fvkit.store import Store
from pipelines.contacts import import_contacts

AREAS = (212, 305, 408, 415, 617, 650, 702, 757, 919, 972)
FIRST = ("Ada", "Grace", "Alan", "Joan", "Tommy", "Mary", "Katherine", "Dorothy", "Zoë", "José")
LAST = ("Lovelace", "Hopper", "Turing", "Clarke", "Flowers", "Jackson", "Johnson", "Vaughan", "Ångström", "Núñez")


def build_csv(rows: int, seed: int = 7) -> bytes:
    """Return a CSV of `rows` contacts in the formats people type numbers in."""
    rng = random.Random(seed)
    styles = ("+1 {a} {e} {n}", "({a}) {e}-{n}", "{a}.{e}.{n}", "1{a}{e}{n}")
    lines = ["Name,Phone,Mobile,Email,Notes"]
    for i in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        number = rng.choice(styles).format(a=rng.choice(AREAS), e=rng.randint(200, 999), n=f"{i % 10_000:04d}")
        mobile = f"+1 {rng.choice(AREAS)} {rng.randint(200, 999)} {rng.randint(0, 9999):04d}" if i % 3 else ""
        email = f"{first}.{last}{i}@example.com".lower() if i % 2 else ""
        notes = f'"met {i % 28 + 1} May, ""conf"""' if i % 5 == 0 else ""
        lines.append(f"{first} {last},{number},{mobile},{email},{notes}")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    store = Store()
    simulate(store, datetime(2026, 10, 5, 7), seed=1, extensions=12, options=Options(days=0.0))
    user = acting_as(store, "7101")
    data = build_csv(args.rows)
    print(f"file: {len(data) / 1e6:.1f} MB, {args.rows:,} rows")
    began = time.perf_counter()
    report = import_contacts(store, user, data)
    elapsed = time.perf_counter() - began
    print(f"{report.message}; skipped {len(report.skipped):,}; seconds: {elapsed:.2f}")
    print(f"rows/s: {report.imported / elapsed:,.0f}")


if __name__ == "__main__":
    main()
