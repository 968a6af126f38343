"""What a voicemail or recording download needs to know before rendering: owner, party, time, length.

The recipes themselves (seed, script) stay with `fvkit.store.messages`; this module answers
"whose are these ids, and what are they called" for a batch of ids in one query.
"""

from __future__ import annotations

import pyarrow as pa

from fvkit.store.db import Store

#: per table: the other party's number and name, and when the message began (all naive UTC)
_COLUMNS = {
    "voicemail": "id, owner, caller AS party, caller_name AS party_name, received AS time, duration",
    "recording": "id, owner, peer AS party, peer_name AS party_name, started AS time, duration",
}


def message_headers(store: Store, table: str, ids: list[int]) -> pa.Table:
    """Return id, owner, party, party_name, time, duration of the given voicemails or recordings.

    Ids that do not exist are simply absent; the order is the ids' order.
    """
    if table not in _COLUMNS:
        raise ValueError(f"not a voicemail or recording table: {table}")
    return store.arrow(
        f"SELECT {_COLUMNS[table]} FROM {table} "
        "WHERE id IN (SELECT unnest(?::BIGINT[])) "
        "ORDER BY list_position(?::BIGINT[], id)",
        [ids, ids],
    )
