"""Attacks on sign-in, sessions and secrets (issue 13 items 1, 2, 3, 7, 8, 14)."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from dashboards.session import store as portal_store
from fvkit.cli.main import main as cli
from fvkit.cli.main import serve
from fvkit.domain.limits import REMEMBER_ME_TTL, SIGNIN_MAX_FAILURES
from fvkit.portal import auth, preferences
from fvkit.sim import org as org_gen
from fvkit.sim.run import Options, simulate
from fvkit.store import Store
from fvkit.store.secrets import hash_secret
from tests.conftest import SEED_PASSWORD
from tests.dashboards.apptest import APP

NOW = datetime(2026, 10, 6, 9, 0)
NEW_PASSWORD = "a-new-passphrase"


def _signed_in(number: str = "7101") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(SEED_PASSWORD)
    at.button[0].click().run()
    assert "user" in at.session_state
    return at


@pytest.mark.req("AUTH-1")
def test_parallel_wrong_passwords_cannot_outrun_the_lockout(seeded_store: Store) -> None:
    def guess(i: int) -> str:
        try:
            auth.sign_in(seeded_store, "7101", f"guess-{i}", NOW)
        except auth.SignInError as err:
            return err.message
        return "signed in"

    # 8 real threads, real argon2: each check takes tens of ms, so many run at once
    with ThreadPoolExecutor(max_workers=8) as pool:
        messages = list(pool.map(guess, range(48)))
    checked = messages.count(auth.INVALID_CREDENTIALS)
    assert checked <= SIGNIN_MAX_FAILURES - 1, f"{checked} passwords checked before the lock"
    assert all(m == auth.INVALID_CREDENTIALS or m.startswith("Too many failed attempts") for m in messages)
    with pytest.raises(auth.SignInError, match="Too many failed attempts"):
        auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)


@pytest.mark.req("PREF-4")
@pytest.mark.req("AUTH-2")
def test_a_password_change_refuses_the_other_tokens(seeded_store: Store) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    stolen = auth.issue_token(seeded_store, user, NOW, REMEMBER_ME_TTL)
    mine = auth.issue_token(seeded_store, user, NOW, REMEMBER_ME_TTL)
    preferences.change_password(seeded_store, user, SEED_PASSWORD, NEW_PASSWORD, NEW_PASSWORD, now=NOW, keep_token=mine)
    assert auth.user_from_token(seeded_store, stolen, NOW) is None
    kept = auth.user_from_token(seeded_store, mine, NOW)
    assert kept is not None and kept.number == "7101"


@pytest.mark.req("AUTH-2")
def test_cli_set_password_refuses_every_token(seeded_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "fvkit.duckdb"
    shutil.copyfile(seeded_path, path)
    db = Store(path)
    token = auth.issue_token(db, auth.sign_in(db, "7101", SEED_PASSWORD, NOW), NOW, REMEMBER_ME_TTL)
    db.close()
    result = CliRunner().invoke(cli, ["users", "set-password", "--db", str(path), "7101", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert "sessions and Remember-me tokens are ended" in result.output
    db = Store(path)
    try:
        assert auth.user_from_token(db, token, NOW) is None
    finally:
        db.close()


@pytest.mark.req("AUTH-3")
@pytest.mark.req("PREF-4")
def test_a_password_change_ends_the_other_open_sessions(portal_db: Path) -> None:
    first, second = _signed_in(), _signed_in()
    user = first.session_state["user"]
    preferences.change_password(
        portal_store(),
        user,
        SEED_PASSWORD,
        NEW_PASSWORD,
        NEW_PASSWORD,
        now=NOW,
        keep_token=first.session_state["auth_token"],
    )
    second.run()
    assert [t.label for t in second.text_input] == ["Extension", "Password"]
    assert "user" not in second.session_state
    first.run()
    assert "user" in first.session_state and not first.text_input


@pytest.mark.req("AUTH-3")
def test_log_out_ends_every_tab_bound_to_the_token(portal_db: Path) -> None:
    tab = _signed_in()
    # a second tab of the same browser is restored from the same cookie, so the same token
    other = AppTest.from_file(str(APP), default_timeout=30)
    other.session_state["user"] = tab.session_state["user"]
    other.session_state["auth_token"] = tab.session_state["auth_token"]
    other.run()
    assert not other.text_input
    tab.button(key="hdr_logout").click().run()
    other.run()
    assert [t.label for t in other.text_input] == ["Extension", "Password"]
    assert "user" not in other.session_state


@pytest.mark.req("PREF-4")
def test_current_password_guesses_are_throttled_like_sign_in(seeded_store: Store) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    for i in range(SIGNIN_MAX_FAILURES - 1):
        with pytest.raises(preferences.BadPreference, match="current password is wrong"):
            preferences.change_password(seeded_store, user, f"guess-{i}", NEW_PASSWORD, NEW_PASSWORD, now=NOW)
    with pytest.raises(preferences.BadPreference, match="Too many failed attempts"):
        preferences.change_password(seeded_store, user, "guess-last", NEW_PASSWORD, NEW_PASSWORD, now=NOW)
    # even the right one is refused now, and the sign-in form is locked too
    with pytest.raises(preferences.BadPreference, match="Too many failed attempts"):
        preferences.change_password(seeded_store, user, SEED_PASSWORD, NEW_PASSWORD, NEW_PASSWORD, now=NOW)
    with pytest.raises(auth.SignInError, match="Too many failed attempts"):
        auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    assert auth.sign_in(seeded_store, "7102", SEED_PASSWORD, NOW).number == "7102"


def _simulated_secrets(monkeypatch: pytest.MonkeyPatch, password: str | None) -> list[str]:
    """Simulate a small organisation with seed 1; return the clear secrets it hashed."""
    seen: list[str] = []

    def recording(secret: str, salt: bytes | None = None) -> str:
        seen.append(secret)
        return hash_secret(secret, salt)

    monkeypatch.setattr(org_gen, "hash_secret", recording)
    db = Store(None)
    try:
        simulate(db, NOW, seed=1, extensions=8, password=password, options=Options(days=0.05, calls_per_user_day=1))
    finally:
        db.close()
    return seen


@pytest.mark.req("PREF-3")
@pytest.mark.req("AUTH-1")
def test_the_same_seed_gives_different_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = _simulated_secrets(monkeypatch, None), _simulated_secrets(monkeypatch, None)
    assert len(first) == len(second) > 0
    # password, PIN, personal code of each user: none can be recomputed from the seed
    for kind in range(3):
        assert first[kind::3] != second[kind::3]
    assert all(a != b for a, b in zip(first[0::3], second[0::3], strict=True))  # 16 random characters
    shared = _simulated_secrets(monkeypatch, "demo-password")
    assert shared[0::3] == ["demo-password"] * (len(shared) // 3)  # the demo's --password stays


@pytest.mark.req("PREF-3")
@pytest.mark.parametrize("pin", ["111111", "123456", "654321", "0000", "7101"])
def test_weak_voicemail_pins_are_refused(seeded_store: Store, pin: str) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    before = seeded_store.execute("SELECT vm_pin_hash FROM extension WHERE number = '7101'").fetchone()
    with pytest.raises(preferences.BadPreference, match="choose a harder one"):
        preferences.change_vm_pin(seeded_store, user, pin, pin)
    assert seeded_store.execute("SELECT vm_pin_hash FROM extension WHERE number = '7101'").fetchone() == before


@pytest.mark.req("PREF-3")
def test_the_pin_hint_reveals_no_digit(seeded_store: Store) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    hint = preferences.change_vm_pin(seeded_store, user, "928374", "928374")
    assert not any(ch.isdigit() for ch in hint)
    assert not any(ch.isdigit() for ch in preferences.user_setting(seeded_store, user).pin_hint)
    stored = seeded_store.execute("SELECT vm_pin_hint FROM extension WHERE ext_type = 'User'").fetchall()
    assert all(not any(ch.isdigit() for ch in row[0]) for row in stored)


@pytest.mark.req("AUTH-1")
def test_serve_listens_on_localhost_unless_told() -> None:
    address = next(p for p in serve.params if p.name == "address")
    assert address.default == "127.0.0.1"
