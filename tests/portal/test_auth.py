"""Signing in and out (AUTH-1, AUTH-3, AUTH-4, AUTH-5) and sign-in throttling."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from fvkit.domain.limits import SIGNIN_LOCKOUT, SIGNIN_MAX_FAILURES, SIGNIN_WINDOW
from fvkit.domain.org import AccessLevel, Privilege
from fvkit.domain.prefs import DEFAULT_TIME_ZONE
from fvkit.domain.screens import Screen
from fvkit.portal import auth
from fvkit.store import accounts
from fvkit.store.db import Store

UserOf = Callable[[str], auth.User]


def _fail(store: Store, number: str, times: int, now: datetime) -> str:
    """Sign in with a wrong password `times` times; return the last message."""
    message = ""
    for _ in range(times):
        with pytest.raises(auth.SignInError) as err:
            auth.sign_in(store, number, "wrong password", now)
        message = err.value.message
    return message


@pytest.mark.req("AUTH-1")
def test_sign_in_returns_the_users_extension(store: Store, now: datetime) -> None:
    user = auth.sign_in(store, " 7101 ", "juliet-7101", now)
    assert user.number == "7101"
    assert user.extension.display_name == "Juliet Higgins"
    assert user.extension.access_level is AccessLevel.STANDARD
    assert user.extension.privileges == frozenset({Privilege.USER_PORTAL})
    assert user.time_zone == DEFAULT_TIME_ZONE


@pytest.mark.req("AUTH-1")
def test_sign_in_reads_the_users_time_zone(store: Store, now: datetime) -> None:
    assert auth.sign_in(store, "7104", "sam-7104", now).time_zone == "Europe/Paris"


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize(
    ("number", "password"),
    [
        pytest.param("7101", "juliet-7102", id="wrong password"),
        pytest.param("7101", "", id="empty password"),
        pytest.param("7199", "juliet-7101", id="unknown extension"),
        pytest.param("", "juliet-7101", id="empty extension"),
        pytest.param("7103", "nora-7103", id="no portal privilege", marks=pytest.mark.req("AUTH-4")),
        pytest.param("7190", "fax-7190", id="fax extension", marks=pytest.mark.req("AUTH-4")),
        pytest.param("7105", "", id="no password set"),
    ],
)
def test_sign_in_refuses_with_one_generic_message(store: Store, now: datetime, number: str, password: str) -> None:
    with pytest.raises(auth.SignInError) as err:
        auth.sign_in(store, number, password, now)
    assert str(err.value) == "Invalid extension or password."
    assert err.value.retry_after is None


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize("number", ["7101", "7199", "7103", "7105"])
def test_sign_in_verifies_a_hash_even_when_the_extension_cannot_sign_in(
    store: Store, now: datetime, number: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str | None] = []
    real = auth.verify_secret

    def spy(stored: str | None, secret: str) -> bool:
        checked.append(stored)
        return real(stored, secret)

    monkeypatch.setattr(auth, "verify_secret", spy)
    with pytest.raises(auth.SignInError):
        auth.sign_in(store, number, "guess", now)
    assert len(checked) == 1
    assert checked[0] is not None and checked[0].startswith("$argon2id$")


@pytest.mark.req("AUTH-1")
def test_failures_lock_the_extension_even_for_the_right_password(store: Store, now: datetime) -> None:
    assert _fail(store, "7101", SIGNIN_MAX_FAILURES - 1, now) == "Invalid extension or password."
    last = _fail(store, "7101", 1, now)
    assert last == f"Too many failed attempts. Try again in {SIGNIN_LOCKOUT.seconds // 60} minutes."
    later = now + SIGNIN_LOCKOUT - timedelta(seconds=30)
    with pytest.raises(auth.SignInError) as err:
        auth.sign_in(store, "7101", "juliet-7101", later)
    assert err.value.message == "Too many failed attempts. Try again in 1 minute."
    assert err.value.retry_after == timedelta(seconds=30)


@pytest.mark.req("AUTH-1")
def test_the_lock_ends_after_the_lockout(store: Store, now: datetime) -> None:
    _fail(store, "7101", SIGNIN_MAX_FAILURES, now)
    user = auth.sign_in(store, "7101", "juliet-7101", now + SIGNIN_LOCKOUT)
    assert user.number == "7101"
    # After the lock the count starts again: one more failure does not re-lock.
    assert _fail(store, "7101", 1, now + SIGNIN_LOCKOUT) == "Invalid extension or password."


@pytest.mark.req("AUTH-1")
def test_a_success_resets_the_failure_count(store: Store, now: datetime) -> None:
    _fail(store, "7101", SIGNIN_MAX_FAILURES - 1, now)
    auth.sign_in(store, "7101", "juliet-7101", now)
    assert accounts.signin_state(store, "7101") == accounts.SigninState()
    assert _fail(store, "7101", SIGNIN_MAX_FAILURES - 1, now) == "Invalid extension or password."
    assert auth.sign_in(store, "7101", "juliet-7101", now).number == "7101"


@pytest.mark.req("AUTH-1")
def test_failures_outside_the_window_do_not_add_up(store: Store, now: datetime) -> None:
    _fail(store, "7101", SIGNIN_MAX_FAILURES - 1, now)
    after_window = now + SIGNIN_WINDOW + timedelta(seconds=1)
    assert _fail(store, "7101", 1, after_window) == "Invalid extension or password."
    assert auth.sign_in(store, "7101", "juliet-7101", after_window).number == "7101"


@pytest.mark.req("AUTH-1")
def test_unknown_extensions_lock_the_same_way(store: Store, now: datetime) -> None:
    # Otherwise the lock-out message would tell which extensions exist.
    assert _fail(store, "7199", SIGNIN_MAX_FAILURES, now).startswith("Too many failed attempts.")


@pytest.mark.req("AUTH-1")
def test_one_extensions_lock_does_not_lock_another(store: Store, now: datetime) -> None:
    _fail(store, "7101", SIGNIN_MAX_FAILURES, now)
    assert auth.sign_in(store, "7104", "sam-7104", now).number == "7104"


@pytest.mark.req("AUTH-1")
def test_passwords_are_stored_only_as_argon2id_hashes(store: Store, now: datetime, passwords: dict[str, str]) -> None:
    auth.sign_in(store, "7101", "juliet-7101", now)
    _fail(store, "7102", 2, now)
    for number, password in passwords.items():
        stored = accounts.password_hash(store, number)
        assert stored is not None and stored.startswith("$argon2id$")
        assert password not in stored
    dump = str(store.execute("SELECT * FROM extension").fetchall())
    dump += str(store.execute("SELECT * FROM signin_state").fetchall())
    assert not any(p in dump for p in passwords.values())
    with pytest.raises(ValueError, match="argon2"):
        accounts.set_password_hash(store, "7101", "juliet-7101")


@pytest.mark.req("AUTH-4")
def test_portal_users_lists_only_extensions_that_may_sign_in(store: Store) -> None:
    table = accounts.portal_users(store).to_pydict()
    assert table["number"] == ["7101", "7102", "7104", "7105"]
    assert table["has_password"] == [True, True, True, False]
    assert table["access_level"] == ["Standard", "Basic", "Premium", "Standard"]


@pytest.mark.req("AUTH-3")
def test_sign_out_deletes_the_session_token(store: Store, now: datetime, user_of: UserOf) -> None:
    user = user_of("7101")
    token = auth.issue_token(store, user, now, timedelta(days=7))
    assert auth.user_from_token(store, token, now + timedelta(days=1)) == user
    stored = store.execute("SELECT token_sha256 FROM session_token").fetchall()
    assert len(stored) == 1 and stored[0][0] != token and len(stored[0][0]) == 64

    auth.sign_out(store, user, token)
    assert auth.user_from_token(store, token, now) is None
    assert store.execute("SELECT count(*) FROM session_token").fetchone() == (0,)


@pytest.mark.req("AUTH-3")
def test_sign_out_cannot_end_another_users_session(store: Store, now: datetime, user_of: UserOf) -> None:
    token = auth.issue_token(store, user_of("7104"), now, timedelta(days=7))
    auth.sign_out(store, user_of("7101"), token)
    assert auth.user_from_token(store, token, now) == user_of("7104")
    auth.sign_out(store, user_of("7101"), None)  # no token: nothing to end


def test_tokens_expire_and_follow_privilege_changes(store: Store, now: datetime, user_of: UserOf) -> None:
    token = auth.issue_token(store, user_of("7101"), now, timedelta(hours=1))
    assert auth.user_from_token(store, token, now + timedelta(hours=1)) is None
    token = auth.issue_token(store, user_of("7101"), now, timedelta(hours=1))
    store.execute("UPDATE extension SET privileges = [] WHERE number = '7101'")
    assert auth.user_from_token(store, token, now) is None
    assert auth.user_from_token(store, "not a token", now) is None


@pytest.mark.req("AUTH-4")
def test_require_checks_the_privilege(user_of: UserOf) -> None:
    auth.require(user_of("7104"), Privilege.CONFERENCE)
    with pytest.raises(auth.PermissionDenied, match="Conference"):
        auth.require(user_of("7101"), Privilege.CONFERENCE)


@pytest.mark.req("AUTH-4")
def test_require_screen_checks_privilege_and_access_level(user_of: UserOf) -> None:
    auth.require_screen(user_of("7104"), Screen.FAX)
    auth.require_screen(user_of("7101"), Screen.CALL_HANDLING)
    # 7102 has the Fax privilege, but Basic has no Faxing (guide p.56).
    with pytest.raises(auth.PermissionDenied):
        auth.require_screen(user_of("7102"), Screen.FAX)
    with pytest.raises(auth.PermissionDenied):
        auth.require_screen(user_of("7101"), Screen.CONFERENCE)


@pytest.mark.req("AUTH-5")
def test_require_owner_allows_only_the_users_own_data(user_of: UserOf) -> None:
    auth.require_owner(user_of("7101"), "7101")
    with pytest.raises(auth.PermissionDenied):
        auth.require_owner(user_of("7101"), "7104")
