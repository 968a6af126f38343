"""The people pool: the same names as Faker's own calls, drawn faster."""

from __future__ import annotations

import pytest
from faker import Faker

from fvkit.sim.people import build_people


@pytest.mark.req("SIM-1")
@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_pool_names_are_fakers_own(seed: int) -> None:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    first = tuple(fake.first_name() for _ in range(300))
    last = tuple(fake.last_name() for _ in range(300))
    company = fake.company()  # the random stream goes on where the names left it

    people = build_people(seed, size=300)

    assert people.first == first
    assert people.last == last
    assert people.companies[0] == company
