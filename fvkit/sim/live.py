"""One call at a time through the same engine as bulk traffic (CH-3 click to dial, SIM-5).

The call is routed by the callee's current settings as stored, so a change made in the
portal applies to the very next call, and its CDR and flow are written at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from fvkit.domain.numbers import digits
from fvkit.media.mail import MailSettings
from fvkit.sim.notify import notify
from fvkit.sim.placement import Parties
from fvkit.sim.routing import Kind, Transfer
from fvkit.sim.run import Router
from fvkit.sim.traffic import Mix, draw, to_micros
from fvkit.store import Store


@dataclass(frozen=True, slots=True)
class Behaviour:
    """What the people on a live call do; None leaves it to chance (seeded by the time)."""

    answers: bool | None = None
    leaves_message: bool | None = None
    talk_seconds: float | None = None
    abandons: bool | None = None  # the caller hangs up in an auto attendant's menu


class CannotDial(ValueError):
    """The number cannot be dialled from here; the message is safe to show."""


def place_call(
    store: Store,
    src: str,
    dst: str,
    now: datetime,
    *,
    behaviour: Behaviour | None = None,
    router: Router | None = None,
    seed: int = 0,
    mail: MailSettings | None = None,
) -> str:
    """Route one call from `src` to `dst` starting at `now` (naive UTC); return its uniqueid.

    `src` is an extension (internal or outgoing call) or an outside number (incoming);
    `dst` an extension, a DID or an outside number. With `mail`, the voicemail and missed-call
    emails the call causes go out as each user's notification options ask (PREF-9).
    """
    r = router or Router.load(store)
    settings, tg = r.settings, r.tg
    users = settings.users
    src_digits, dst_digits = digits(src), digits(dst)
    by_did = {p.did: n for n, p in settings.org.parties.items() if p.did}
    callee = dst_digits if dst_digits in tg.index else by_did.get(dst_digits, "")
    if src_digits in users:
        kind = Kind.INTERNAL if callee else Kind.OUTGOING
        caller = users.index(src_digits)
    elif callee:
        kind, caller = Kind.INCOMING, -1
    else:
        raise CannotDial(f"Neither {src!r} nor {dst!r} is an extension of this organisation.")
    if not dst_digits or (kind is Kind.OUTGOING and len(dst_digits) < 3):
        raise CannotDial(f"{dst!r} is not a number that can be dialled.")
    if kind is Kind.INTERNAL and callee == src_digits:
        raise CannotDial("An extension cannot call itself.")

    start = np.asarray([to_micros(now.replace(microsecond=0))], dtype=np.int64)
    rng = np.random.default_rng([seed, int(start[0] // 1_000_000)])
    d = draw(rng, 1, len(users), len(r.pool), Mix())
    b = behaviour or Behaviour()
    d.kind[:] = kind
    d.caller[:] = caller
    d.fax[:], d.fax_pages[:], d.records[:] = False, 0, False
    d.transfer[:], d.remote_busy[:] = Transfer.NONE, False
    if b.answers is not None:
        d.answers[:] = b.answers
    if b.abandons is not None:
        d.abandons[:] = b.abandons
    if b.leaves_message is not None:
        d.leaves_message[:] = b.leaves_message
    if b.talk_seconds is not None:
        d.talk[:] = b.talk_seconds
    pool_index = {num: i for i, num in enumerate(r.pool)}
    outside_name = (
        ""
        if kind is not Kind.INCOMING
        else str(r.pool_names[pool_index[src_digits]])
        if src_digits in pool_index
        else ""
    )
    who = Parties(
        party=np.asarray([tg.index[callee] if callee else -1]),
        outside=np.asarray([-1]),
        src=np.asarray([src_digits]),
        dst=np.asarray([callee or dst_digits]),
        outside_name=np.asarray([outside_name], dtype=object),
    )
    rows = r.write(store, start, d, who, seed, int(start[0]), live=True, keep_all=True)
    if mail is not None:
        notify(store, rows, now, mail)
    cdr = rows["cdr"]
    return str(cdr.filter(cdr.column("is_primary")).column("uniqueid")[0].as_py())
