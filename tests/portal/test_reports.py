"""Reports service (ANL-3): the organisation's reports for analysts only."""

from __future__ import annotations

from datetime import date

import pytest

from fvkit.domain.org import Privilege
from fvkit.portal import reports
from fvkit.portal.auth import PermissionDenied, acting_as
from fvkit.store import Store


@pytest.mark.req("ANL-3")
def test_reports_open_to_the_operator_with_the_privilege(seeded_store: Store) -> None:
    user = acting_as(seeded_store, "7101")
    assert user.extension.can(Privilege.ORGANISATION_REPORTS)
    period = reports.default_period(seeded_store, user, date(2026, 12, 1))
    last = seeded_store.execute("SELECT max(local_date) FROM calls").fetchall()[0][0]
    assert period.last == last  # the last day with calls, not today
    result = reports.run(seeded_store, user, reports.Report.EXTENSION_SUMMARY, period.first, period.last)
    users = seeded_store.execute("SELECT count(*) FROM extensions WHERE ext_type = 'User'").fetchall()[0][0]
    assert result.rows.height == users
    assert result.rows["calls_in"].sum() + result.rows["calls_out"].sum() > 0
    assert reports.figure(result).layout.title.text == "Received calls of the 20 busiest extensions"


@pytest.mark.req("ANL-3")
@pytest.mark.parametrize("number", ["7102", "7105"])
def test_reports_refused_to_everyone_else(seeded_store: Store, number: str) -> None:
    user = acting_as(seeded_store, number)
    assert not user.extension.can(Privilege.ORGANISATION_REPORTS)
    with pytest.raises(PermissionDenied, match=f"Extension {number} may not open Reports"):
        reports.run(seeded_store, user, reports.Report.HOURLY, date(2026, 10, 5), date(2026, 10, 5))
    with pytest.raises(PermissionDenied):
        reports.default_period(seeded_store, user, date(2026, 12, 1))


@pytest.mark.req("ANL-3")
def test_migration_grants_the_privilege_to_an_existing_organisations_operator(seeded_store: Store) -> None:
    seeded_store.execute(
        "UPDATE extension SET privileges = list_filter(privileges, lambda p: p <> 'Organisation reports') "
        "WHERE number = '7101'"
    )
    seeded_store.execute("DELETE FROM schema_migration WHERE version = 13")
    assert seeded_store.migrate() == ["013_reports_privilege.sql"]
    rows = seeded_store.execute(
        "SELECT number FROM extensions WHERE list_contains(privileges, 'Organisation reports')"
    ).fetchall()
    assert rows == [("7101",)]
