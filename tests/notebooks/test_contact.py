"""NB-1: the Contact walkthrough's contacts, import report, export and block list are the store's."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from fvkit.portal import auth, block_list, contact, speed_dial
from fvkit.sim.classroom import CLASS_NOW, CLASS_PASSWORD
from fvkit.store import Store
from pipelines import contacts
from tests.notebooks.harness import BUDGET_S, run

NOW = CLASS_NOW


@pytest.mark.req("NB-1")
def test_contact_walkthrough_shows_the_services_results(notebook_env: Path) -> None:
    result = run("04-contact.ipynb", notebook_env)
    assert result.seconds < BUDGET_S

    data = notebook_env / "data"
    store = Store(data / "04-contact.duckdb")
    try:
        user = auth.sign_in(store, "7101", CLASS_PASSWORD, NOW)
        people = {c["display_name"]: c for c in contact.personal_contacts(store, user).to_pylist()}

        # add, edit, favorite: Wesley is stored as the notebook left him
        wesley = people["Wesley Brooks"]
        assert (wesley["main_number"], wesley["home_number"]) == ("+14085550100", "+16505550177")
        assert wesley["description"] == "plumber - call before 5 pm" and wesley["favorite"]
        assert "Temp Worker" not in people
        assert "+16505550177 | plumber - call before 5 pm" in result.text("edit")

        # a bad number is refused with the service's message
        with pytest.raises(contact.BadContact) as refused:
            contact.add_contact(store, user, "Bad Number", "555-CALL-ME")
        assert result.text("bad_number") == f"Refused: {refused.value}\n"

        # the import: the contacts the report counts are in the store, the skipped ones are not
        rows = list(csv.DictReader(io.StringIO((data / "class-contacts.csv").read_text())))
        names = [r["Name"] for r in rows]
        imported = [n for n in names if n in people]
        assert imported == ["Ava Patel", "Noah Kim", "Front desk"]
        assert result.text("import").splitlines()[0] == f"{len(imported)} of {len(rows)} imported"
        assert "skipped line 4: no main number" in result.text("import")
        assert people["Noah Kim"]["email"] == "" and people["Noah Kim"]["mobile_number"] == "+19175550456"

        # the export holds every contact and imports back as it is
        count = contact.contact_count(store, user)
        exported = (data / "personal-contacts.csv").read_bytes()
        assert result.text("export").splitlines()[0] == f"{count} contacts exported"
        assert contacts.import_preview(exported).rows == count
        assert exported.decode("utf-8-sig").splitlines()[0] == ",".join(contacts.EXPORT_HEADER)

        # speed dial added then removed; two numbers blocked, and the blocked caller was denied
        added = result.text("speed_dial").splitlines()[1]
        assert added.startswith("added: ") and added.endswith(" - Wesley Brooks (+14085550100)")
        assert all(d.display_name != "Wesley Brooks" for d in speed_dial.speed_dials(store, user))
        assert block_list.is_blocked(store, user, "+18005550199")
        assert block_list.is_blocked(store, user, people["Noah Kim"]["main_number"])
        assert result.text("blocked_call") == "18005550199 calls 7101: Denied\n"
    finally:
        store.close()
