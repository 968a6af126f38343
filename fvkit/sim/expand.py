"""Expand routed calls into the store's rows: cdr, flow_event, voicemail, recording, fax."""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fvkit.domain.calls import CallType, Direction
from fvkit.sim.compiled import DISPOSITIONS, Frozen, PathTable, seconds
from fvkit.sim.engine import Routed, Targets
from fvkit.sim.paths import DST
from fvkit.sim.routing import Kind
from fvkit.sim.settings import Settings

US = 1_000_000
HEARD_SHARE = 0.5  # of the messages a simulated past left, the share their owner has played since
_DIRECTION = {
    Kind.INTERNAL: Direction.INTERNAL,
    Kind.OUTGOING: Direction.OUTGOING,
    Kind.INCOMING: Direction.INCOMING,
    Kind.PEER: Direction.INCOMING,
}
_DCONTEXT = {
    Kind.INTERNAL: "from-internal",
    Kind.OUTGOING: "from-internal",
    Kind.INCOMING: "from-trunk",
    Kind.PEER: "from-peer",
}


def _ts(micros: np.ndarray) -> pa.Array:
    return pa.array(micros.astype(np.int64), type=pa.timestamp("us"))


def _dict(codes: np.ndarray, values: list[str]) -> pa.Array:
    """A string column from small-integer codes into a short list of labels (dictionary-encoded)."""
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(values, type=pa.string()))


def _lookup(mapping: dict[str, str]) -> Callable[[np.ndarray], np.ndarray]:
    """Return a vectorised `mapping.get(x, "")` over an object array of strings (a hash lookup in Arrow)."""
    keys = pa.array(list(mapping), type=pa.string())
    values = pa.array(list(mapping.values()), type=pa.string())

    def look(xs: np.ndarray) -> np.ndarray:
        found = values.take(pc.index_in(pa.array(xs, type=pa.string()), value_set=keys))
        result: np.ndarray = pc.fill_null(found, "").to_numpy(zero_copy_only=False)
        return result

    return look


def expand(
    r: Routed,
    table: PathTable,
    settings: Settings,
    tg: Targets,
    names: dict[str, str],
    first_seq: int,
    first_media_id: int,
    seed: int,
    heard_share: float = HEARD_SHARE,
) -> dict[str, pa.Table]:
    """Return the rows of a routed batch, keyed by table name.

    `heard_share` of the voicemails left are marked heard already (0 for calls happening now).
    """
    arr = table.arrays()
    n = len(r.start)
    pid = r.pid
    seq = np.arange(first_seq, first_seq + n, dtype=np.int64)
    start = r.start
    end = start + (seconds(arr.end[pid], r.vars) * US).astype(np.int64)
    has_answer = arr.has_answer[pid]
    answer = start + (seconds(arr.answer[pid], r.vars) * US).astype(np.int64)
    duration = ((end - start) // US).astype(np.int32)
    billsec = np.where(has_answer, (end - answer) // US, 0).astype(np.int32)
    kind = r.draws.kind
    linkedid = pc.binary_join_element_wise(
        pc.cast(pa.array(start // US), pa.string()), pc.cast(pa.array(seq), pa.string()), "."
    )
    seqpad = pc.utf8_lpad(pc.cast(pa.array(seq % 10**8), pa.string()), 8, "0")

    src = r.src
    dst = r.dst
    name_of = _lookup(names)
    user_caller = r.caller >= 0
    from_name = np.where(user_caller, name_of(src), r.outside_name).astype(object)
    from_name[kind == Kind.PEER] = ""
    to_name = np.where(r.party >= 0, name_of(dst), "").astype(object)
    paths = table.paths
    path_dest = np.asarray([p.destination for p in paths], dtype=object)[pid]
    destination = np.where(path_dest == DST, dst, path_dest)
    lastdata = np.asarray([p.lastdata for p in paths], dtype=object)[pid]
    lastdata = np.where(
        lastdata == f"PJSIP/{DST}@{settings.trunk}",
        "PJSIP/" + dst.astype(object) + f"@{settings.trunk}",
        lastdata,
    )
    internal_party = np.where(user_caller, src, np.where(r.party >= 0, dst, ""))
    dept = _lookup(settings.departments)(internal_party)
    outgoing = kind == Kind.OUTGOING
    did_of = _lookup({number: party.did for number, party in settings.org.parties.items()})
    dnis = np.where(outgoing | (kind == Kind.INTERNAL), dst, did_of(dst))
    channel_owner = np.where(user_caller, src, settings.trunk)
    dstchan = np.asarray([p.dstchannel for p in paths], dtype=object)[pid]
    dstchan = np.where(outgoing, f"PJSIP/{settings.trunk}", dstchan)
    call = {
        "uniqueid": linkedid,
        "linkedid": linkedid,
        "start_time": _ts(start),
        "answer_time": pa.array(answer, type=pa.timestamp("us"), mask=~has_answer),
        "end_time": _ts(end),
        "duration": pa.array(duration),
        "billsec": pa.array(billsec),
        "src": pa.array(src.astype(object), type=pa.string()),
        "dst": pa.array(dst.astype(object), type=pa.string()),
        "from_name": pa.array(from_name, type=pa.string()),
        "to_name": pa.array(to_name, type=pa.string()),
        "direction": _dict(kind, [_DIRECTION[k].value for k in Kind]),
        "disposition": _dict(arr.disposition[pid], [d.value for d in DISPOSITIONS]),
        "call_type": _dict(r.draws.fax.astype(np.int8), [CallType.VOICE.value, CallType.FAX.value]),
        "trunk": pa.array(np.where(kind == Kind.INTERNAL, "", settings.trunk).astype(object), type=pa.string()),
        "dnis": pa.array(dnis.astype(object), type=pa.string()),
        "destination": pa.array(destination.astype(object), type=pa.string()),
        "department": pa.array(dept, type=pa.string()),
        "account_code": pa.array(np.where(outgoing, dept, "").astype(object), type=pa.string()),
        "dcontext": _dict(kind, [_DCONTEXT[k] for k in Kind]),
        "channel": pc.binary_join_element_wise(
            pa.array(("PJSIP/" + channel_owner.astype(object)), type=pa.string()), seqpad, "-"
        ),
        "dstchannel": pa.array(dstchan, type=pa.string()),
        "lastapp": pa.array(np.asarray([p.lastapp for p in paths], dtype=object)[pid], type=pa.string()),
        "lastdata": pa.array(lastdata, type=pa.string()),
        "amaflags": _dict(outgoing.astype(np.int8), ["DOCUMENTATION", "BILLING"]),
        "userfield": pa.array(np.full(n, "", dtype=object), type=pa.string()),
    }
    calls = pa.table(call)
    out = {
        "cdr": _history(calls, r, table, tg, settings),
        "flow_event": _flow(r, table, arr, linkedid, start),
    }
    out.update(_media(r, table, settings, names, calls, first_media_id, seed, answer, heard_share))
    return out


def _history(calls: pa.Table, r: Routed, table: PathTable, tg: Targets, settings: Settings) -> pa.Table:
    """One row per call and owning extension, sorted by (owner, start)."""
    n = calls.num_rows
    users = np.asarray(settings.users)
    party_numbers = np.asarray(tg.numbers)
    owners_by_path = [p.owners for p in table.paths]
    width = max((len(o) for o in owners_by_path), default=0)
    owner_grid = np.full((len(owners_by_path), max(width, 1)), "", dtype=object)
    for i, o in enumerate(owners_by_path):
        owner_grid[i, : len(o)] = o
    grid = owner_grid[r.pid]
    fallback = np.where(r.party >= 0, party_numbers[np.maximum(r.party, 0)], "").astype(object)
    first_owner = np.where(grid[:, 0] != "", grid[:, 0], fallback)
    primary_owner = np.where(r.caller >= 0, users[np.maximum(r.caller, 0)].astype(object), first_owner)
    parts = [(np.arange(n), primary_owner, np.ones(n, bool), r.caller >= 0)]
    for k in range(grid.shape[1]):
        extra = (grid[:, k] != "") & (grid[:, k] != primary_owner)
        if k > 0:
            extra &= grid[:, k] != grid[:, 0]
        idx = np.flatnonzero(extra)
        parts.append((idx, grid[idx, k], np.zeros(len(idx), bool), np.zeros(len(idx), bool)))
    rows = np.concatenate([p[0] for p in parts])
    owner = np.concatenate([p[1] for p in parts])
    primary = np.concatenate([p[2] for p in parts])
    placed = np.concatenate([p[3] for p in parts])
    order = np.lexsort((r.start[rows], owner.astype(str)))
    rows, owner, primary, placed = rows[order], owner[order], primary[order], placed[order]
    index = pa.array(rows.astype(np.int32))
    columns = {
        "owner": pa.array(owner, type=pa.string()),
        "is_primary": pa.array(primary),
        "placed": pa.array(placed),
    }
    for name in calls.column_names:
        column = calls.column(name).combine_chunks()
        # NOTE: a text column becomes a dictionary over the calls' texts: the rows share them,
        # no string is copied per history row (DuckDB stores plain VARCHAR)
        text = pa.types.is_string(column.type)
        columns[name] = pa.DictionaryArray.from_arrays(index, column) if text else column.take(index)
    return pa.table(columns)


def _flow(r: Routed, table: PathTable, arr: Frozen, linkedid: pa.Array, start: np.ndarray) -> pa.Table:
    """One row per call-flow event, times from each path's step offsets."""
    counts = arr.step_count[r.pid]
    total = int(counts.sum())
    call_idx = np.repeat(np.arange(len(r.pid)), counts)
    begin = np.cumsum(counts) - counts
    local = np.arange(total) - np.repeat(begin, counts)
    step = arr.step_first[r.pid][call_idx] + local
    at = seconds(arr.step_at[step], r.vars[call_idx])
    time = start[call_idx] + (at * US).astype(np.int64)
    return pa.table(
        {
            "linkedid": pa.DictionaryArray.from_arrays(pa.array(call_idx.astype(np.int32)), linkedid),
            "seq": pa.array((local + 1).astype(np.int16)),
            "time": _ts(time),
            "description": _descriptions(r, arr, step, call_idx),
        }
    )


def _descriptions(r: Routed, arr: Frozen, step: np.ndarray, call_idx: np.ndarray) -> pa.Array:
    """Step texts with the caller's or dialled number put in their placeholder.

    A dictionary array, so no step text is copied per call: a step without a placeholder is
    its path step's text (an index into the path table's texts); the steps with one are joined
    (prefix, number, suffix) and appended to the dictionary. DuckDB stores plain VARCHAR.
    """
    prefix = arr.step_prefix
    indices = step.astype(np.int32)
    slot = arr.step_slot[step]
    hit = np.flatnonzero(slot)
    if not len(hit):
        return pa.DictionaryArray.from_arrays(pa.array(indices), prefix)
    calls = pa.array(call_idx[hit])
    numbers = pc.if_else(
        pa.array(slot[hit] == 1),
        pa.array(r.src, type=pa.string()).take(calls),
        pa.array(r.dst, type=pa.string()).take(calls),
    )
    hit_steps = pa.array(step[hit])
    joined = pc.binary_join_element_wise(prefix.take(hit_steps), numbers, arr.step_suffix.take(hit_steps), "")
    indices[hit] = len(prefix) + np.arange(len(hit), dtype=np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(indices), pa.concat_arrays([prefix, joined]))


def _media(
    r: Routed,
    table: PathTable,
    settings: Settings,
    names: dict[str, str],
    calls: pa.Table,
    first_id: int,
    seed: int,
    answer: np.ndarray,
    heard_share: float,
) -> dict[str, pa.Table]:
    """Voicemails, personal recordings and faxes the batch left behind."""
    out: dict[str, pa.Table] = {}
    paths = table.paths
    linked = calls.column("linkedid").to_numpy(zero_copy_only=False)
    src = calls.column("src").to_numpy(zero_copy_only=False)
    from_name = calls.column("from_name").to_numpy(zero_copy_only=False)
    next_id = first_id
    vm_rows, rec_rows, fax_rows = [], [], []
    has_vm = np.asarray([p.voicemail is not None for p in paths])[r.pid]
    for i in np.flatnonzero(has_vm).tolist():
        vm = paths[r.pid[i]].voicemail
        assert vm is not None
        ring, talk, msg = r.vars[i].tolist()
        who = from_name[i] or src[i]
        next_id += 1
        vm_rows.append(
            {
                "id": next_id,
                "owner": vm.owner,
                "linkedid": linked[i],
                "caller": src[i],
                "caller_name": from_name[i],
                "received": int(r.start[i] + vm.offset.at(ring, talk, msg) * US),
                "duration": int(msg),
                "urgent": bool(r.draws.urgent[i]),
                "is_new": bool(r.draws.blocked_pick[i] < 1.0 - heard_share),
                "forwarded_from": "",
                "seed": (seed * 1_000_003 + next_id) % 2**31,
                "script": f"Hi {names.get(vm.owner, vm.owner)}, this is {who}. "
                f"Please call me back at {src[i]}. Thanks.",
            }
        )
    has_rec = np.asarray([p.recording is not None for p in paths])[r.pid]
    for i in np.flatnonzero(has_rec).tolist():
        rec = paths[r.pid[i]].recording
        assert rec is not None
        ring, talk, msg = r.vars[i].tolist()
        t0, tp, tr, te = (o.at(ring, talk, msg) for o in (rec.start, rec.pause, rec.resume, rec.end))
        peer = calls.column("dst")[i].as_py() if rec.owner == src[i] else src[i]
        next_id += 1
        rec_rows.append(
            {
                "id": next_id,
                "owner": rec.owner,
                "linkedid": linked[i],
                "peer": peer,
                "peer_name": names.get(peer, ""),
                "started": int(r.start[i] + t0 * US),
                "duration": round((te - t0) - (tr - tp)),
                "paused": json.dumps([[round(tp - t0, 1), round(tr - t0, 1)]]),
                "forwarded_from": "",
                "seed": (seed * 1_000_003 + next_id) % 2**31,
                "script": f"Call between {names.get(rec.owner, rec.owner)} and {names.get(peer, '') or peer}.",
            }
        )
    for i in np.flatnonzero(r.draws.fax).tolist():
        incoming = r.caller[i] < 0
        disposition = paths[r.pid[i]].disposition
        next_id += 1
        fax_rows.append(
            {
                "id": next_id,
                "owner": r.dst[i] if incoming else src[i],
                "box": "Inbox" if incoming else "Sent",
                "linkedid": linked[i],
                "remote_number": src[i] if incoming else r.dst[i],
                "remote_name": from_name[i] if incoming else "",
                "time": int(r.start[i]),
                "pages": int(r.draws.fax_pages[i]),
                "status": "Received" if incoming else ("Sent" if disposition.value == "Answered" else "Failed"),
                "seed": (seed * 1_000_003 + next_id) % 2**31,
                "blob_sha256": None,
            }
        )
    for name, rows, ts_cols in (
        ("voicemail", vm_rows, ("received",)),
        ("recording", rec_rows, ("started",)),
        ("fax", fax_rows, ("time",)),
    ):
        if rows:
            t = pa.Table.from_pylist(rows)
            for col in ts_cols:
                t = t.set_column(t.schema.get_field_index(col), col, pc.cast(t.column(col), pa.timestamp("us")))
            if name == "fax":
                t = t.set_column(
                    t.schema.get_field_index("blob_sha256"),
                    "blob_sha256",
                    pa.nulls(t.num_rows, pa.string()),
                )
            out[name] = t
    out["_next_media_id"] = pa.table({"id": [next_id]})
    return out
