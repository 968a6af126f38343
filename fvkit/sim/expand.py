"""Expand routed calls into the store's rows: cdr, flow_event, voicemail, recording, fax."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fvkit.domain.calls import CallType, Direction, Disposition
from fvkit.sim.compiled import DISPOSITIONS, Frozen, PathTable, seconds, seconds_in_order, seconds_of
from fvkit.sim.engine import Routed, Targets
from fvkit.sim.paths import DST, Path
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


def _lookup(mapping: dict[str, str]) -> Callable[[pa.Array], pa.Array]:
    """Return a vectorised `mapping.get(x, "")` over a string array (a hash lookup in Arrow)."""
    keys = pa.array(list(mapping), type=pa.string())
    values = pa.array(list(mapping.values()), type=pa.string())

    def look(xs: pa.Array) -> pa.Array:
        return pc.fill_null(values.take(pc.index_in(xs, value_set=keys)), "")

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

    src = pa.array(r.src, type=pa.string())
    dst = pa.array(r.dst, type=pa.string())
    path = pa.array(pid)
    name_of = _lookup(names)
    user_caller = pa.array(r.caller >= 0)
    to_party = pa.array(r.party >= 0)
    from_name = pc.if_else(user_caller, name_of(src), pa.array(r.outside_name, type=pa.string()))
    from_name = pc.if_else(pa.array(kind == Kind.PEER), "", from_name)
    path_dest = arr.destination.take(path)
    destination = pc.if_else(pc.equal(path_dest, DST), dst, path_dest)
    lastdata = arr.lastdata.take(path)
    lastdata = pc.if_else(
        pc.equal(lastdata, f"PJSIP/{DST}@{settings.trunk}"),
        pc.binary_join_element_wise("PJSIP/", dst, f"@{settings.trunk}", ""),
        lastdata,
    )
    internal_party = pc.if_else(user_caller, src, pc.if_else(to_party, dst, ""))
    dept = _lookup(settings.departments)(internal_party)
    outgoing = kind == Kind.OUTGOING
    did_of = _lookup({number: party.did for number, party in settings.org.parties.items()})
    dnis = pc.if_else(pa.array(outgoing | (kind == Kind.INTERNAL)), dst, did_of(dst))
    channel_owner = pc.if_else(user_caller, src, settings.trunk)
    call = {
        "uniqueid": linkedid,
        "linkedid": linkedid,
        "start_time": _ts(start),
        "answer_time": pa.array(answer, type=pa.timestamp("us"), mask=~has_answer),
        "end_time": _ts(end),
        "duration": pa.array(duration),
        "billsec": pa.array(billsec),
        "src": src,
        "dst": dst,
        "from_name": from_name,
        "to_name": pc.if_else(to_party, name_of(dst), ""),
        "direction": _dict(kind, [_DIRECTION[k].value for k in Kind]),
        "disposition": _dict(arr.disposition[pid], [d.value for d in DISPOSITIONS]),
        "call_type": _dict(r.draws.fax.astype(np.int8), [CallType.VOICE.value, CallType.FAX.value]),
        "trunk": _dict((kind != Kind.INTERNAL).astype(np.int8), ["", settings.trunk]),
        "dnis": dnis,
        "destination": destination,
        "department": dept,
        "account_code": pc.if_else(pa.array(outgoing), dept, ""),
        "dcontext": _dict(kind, [_DCONTEXT[k] for k in Kind]),
        "channel": pc.binary_join_element_wise("PJSIP/", channel_owner, "-", seqpad, ""),
        "dstchannel": pc.if_else(pa.array(outgoing), f"PJSIP/{settings.trunk}", arr.dstchannel.take(path)),
        "lastapp": arr.lastapp.take(path),
        "lastdata": lastdata,
        "amaflags": _dict(outgoing.astype(np.int8), ["DOCUMENTATION", "BILLING"]),
        "userfield": _dict(np.zeros(n, dtype=np.int8), [""]),
    }
    calls = pa.table(call)
    out = {
        "cdr": _history(calls, r, arr, tg),
        "flow_event": _flow(r, arr, linkedid, start, (src, dst)),
    }
    out.update(_media(_Batch(r, arr, table.paths, names, calls, seed, heard_share), first_media_id))
    return out


def _history(calls: pa.Table, r: Routed, arr: Frozen, tg: Targets) -> pa.Table:
    """One row per call and owning extension, sorted by (owner, start)."""
    n = calls.num_rows
    # owners as party indexes; the index len(tg.numbers) stands for no owner ("")
    vocab = [*tg.numbers, ""]
    none = len(tg.numbers)
    owners = arr.owners[r.pid]
    grid = np.where(owners >= 0, owners, none)
    fallback = np.where(r.party >= 0, r.party, none)
    first_owner = np.where(grid[:, 0] != none, grid[:, 0], fallback)
    # NOTE: the users are the first parties, in order (`targets`): a user's index is their party index
    primary_owner = np.where(r.caller >= 0, r.caller, first_owner)
    parts = [(np.arange(n), primary_owner, np.ones(n, bool), r.caller >= 0)]
    for k in range(grid.shape[1]):
        extra = (grid[:, k] != none) & (grid[:, k] != primary_owner)
        if k > 0:
            extra &= grid[:, k] != grid[:, 0]
        idx = np.flatnonzero(extra)
        parts.append((idx, grid[idx, k], np.zeros(len(idx), bool), np.zeros(len(idx), bool)))
    rows = np.concatenate([p[0] for p in parts])
    owner = np.concatenate([p[1] for p in parts])
    primary = np.concatenate([p[2] for p in parts])
    placed = np.concatenate([p[3] for p in parts])
    rank = np.empty(len(vocab), dtype=np.int64)
    rank[sorted(range(len(vocab)), key=vocab.__getitem__)] = np.arange(len(vocab))
    order = np.lexsort((r.start[rows], rank[owner]))
    rows, owner, primary, placed = rows[order], owner[order], primary[order], placed[order]
    index = pa.array(rows.astype(np.int32))
    columns = {
        "owner": pa.array(vocab, type=pa.string()).take(pa.array(owner)),
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


def _flow(
    r: Routed, arr: Frozen, linkedid: pa.Array, start: np.ndarray, numbers: tuple[pa.Array, pa.Array]
) -> pa.Table:
    """One row per call-flow event, times from each path's step offsets; `numbers` are each call's src and dst."""
    counts = arr.step_count[r.pid]
    total = int(counts.sum())
    call_idx = np.repeat(np.arange(len(r.pid), dtype=np.int32), counts)
    first = arr.step_first[r.pid]
    begin = np.cumsum(counts) - counts
    step = np.arange(total) + np.repeat(first - begin, counts)
    local = step - np.repeat(first, counts)
    # column by column: gathering whole rows of the (steps, 4) and (calls, 3) arrays costs more
    c = np.ascontiguousarray(arr.step_at.T)
    v = np.ascontiguousarray(r.vars.T)
    at = seconds_of(c[0][step], (c[1][step], c[2][step], c[3][step]), (v[0][call_idx], v[1][call_idx], v[2][call_idx]))
    time = np.repeat(start, counts) + (at * US).astype(np.int64)
    return pa.table(
        {
            "linkedid": pa.DictionaryArray.from_arrays(pa.array(call_idx), linkedid),
            "seq": pa.array((local + 1).astype(np.int16)),
            "time": _ts(time),
            "description": _descriptions(arr, step, call_idx, numbers),
        }
    )


def _descriptions(arr: Frozen, step: np.ndarray, call_idx: np.ndarray, numbers: tuple[pa.Array, pa.Array]) -> pa.Array:
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
        numbers[0].take(calls),
        numbers[1].take(calls),
    )
    hit_steps = pa.array(step[hit])
    joined = pc.binary_join_element_wise(prefix.take(hit_steps), numbers, arr.step_suffix.take(hit_steps), "")
    indices[hit] = len(prefix) + np.arange(len(hit), dtype=np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(indices), pa.concat_arrays([prefix, joined]))


class _Batch(NamedTuple):
    """What the media rows of a routed batch are made from."""

    r: Routed
    arr: Frozen
    paths: list[Path]
    names: dict[str, str]
    calls: pa.Table  # the batch's calls, one row each
    seed: int
    heard_share: float


def _media(b: _Batch, first_id: int) -> dict[str, pa.Table]:
    """Voicemails, personal recordings and faxes the batch left behind, numbered in that order."""
    has_media = b.arr.has_media[b.r.pid]
    out: dict[str, pa.Table] = {}
    next_id = first_id
    for name, at, rows in (
        ("voicemail", np.flatnonzero(has_media[:, 0]), _voicemails),
        ("recording", np.flatnonzero(has_media[:, 1]), _recordings),
        ("fax", np.flatnonzero(b.r.draws.fax), _faxes),
    ):
        if len(at):
            out[name] = rows(b, at, np.arange(next_id + 1, next_id + 1 + len(at), dtype=np.int64))
            next_id += len(at)
    out["_next_media_id"] = pa.table({"id": [next_id]})
    return out


def _seeds(seed: int, ids: np.ndarray) -> pa.Array:
    return pa.array((seed * 1_000_003 + ids) % 2**31, type=pa.int64())


def _voicemails(b: _Batch, at: np.ndarray, ids: np.ndarray) -> pa.Table:
    """One row per message left: in the callee's box, when recording began, a script to render."""
    r, arr, paths, names, calls, seed, heard_share = b
    owner = [vm.owner for p in r.pid[at].tolist() if (vm := paths[p].voicemail) is not None]
    received = r.start[at] + seconds_in_order(arr.media_at[r.pid[at], 0:4], r.vars[at]) * US
    index = pa.array(at)
    src = calls.column("src").take(index)
    from_name = calls.column("from_name").take(index)
    who = pc.if_else(pc.equal(from_name, ""), src, from_name)
    owner_name = pa.array([names.get(o, o) for o in owner], type=pa.string())
    script = pc.binary_join_element_wise(
        "Hi ", owner_name, ", this is ", who, ". Please call me back at ", src, ". Thanks.", ""
    )
    n = len(at)
    return pa.table(
        {
            "id": pa.array(ids),
            "owner": pa.array(owner, type=pa.string()),
            "linkedid": calls.column("linkedid").take(index),
            "caller": src,
            "caller_name": from_name,
            "received": _ts(received.astype(np.int64)),
            "duration": pa.array(r.vars[at, 2].astype(np.int64)),
            "urgent": pa.array(r.draws.urgent[at]),
            "is_new": pa.array(r.draws.blocked_pick[at] < 1.0 - heard_share),
            "forwarded_from": pa.array([""] * n, type=pa.string()),
            "seed": _seeds(seed, ids),
            "script": script,
        }
    )


def _recordings(b: _Batch, at: np.ndarray, ids: np.ndarray) -> pa.Table:
    """One row per personal recording: who recorded, the other party, the audio kept and its pause."""
    r, arr, paths, names, calls, seed, _ = b
    index = pa.array(at)
    owner = [x.owner for p in r.pid[at].tolist() if (x := paths[p].recording) is not None]
    c, v = arr.media_at[r.pid[at]], r.vars[at]
    t0, tp, tr, te = (seconds_in_order(c[:, k : k + 4], v) for k in (4, 8, 12, 16))
    src = calls.column("src").take(index).to_pylist()
    dst = calls.column("dst").take(index).to_pylist()
    peer = [d if o == s else s for o, s, d in zip(owner, src, dst, strict=True)]
    paused = [
        json.dumps([[round(p - s, 1), round(q - s, 1)]])
        for s, p, q in zip(t0.tolist(), tp.tolist(), tr.tolist(), strict=True)
    ]
    script = [f"Call between {names.get(o, o)} and {names.get(x, '') or x}." for o, x in zip(owner, peer, strict=True)]
    return pa.table(
        {
            "id": pa.array(ids),
            "owner": pa.array(owner, type=pa.string()),
            "linkedid": calls.column("linkedid").take(index),
            "peer": pa.array(peer, type=pa.string()),
            "peer_name": pa.array([names.get(x, "") for x in peer], type=pa.string()),
            "started": _ts((r.start[at] + t0 * US).astype(np.int64)),
            "duration": pa.array(np.round((te - t0) - (tr - tp)).astype(np.int64)),
            "paused": pa.array(paused, type=pa.string()),
            "forwarded_from": pa.array([""] * len(at), type=pa.string()),
            "seed": _seeds(seed, ids),
            "script": pa.array(script, type=pa.string()),
        }
    )


def _faxes(b: _Batch, at: np.ndarray, ids: np.ndarray) -> pa.Table:
    """One row per fax: received into the callee's inbox, or sent from the caller's outbox."""
    r, arr, _, _, calls, seed, _ = b
    index = pa.array(at)
    incoming = pa.array(r.caller[at] < 0)
    src = calls.column("src").take(index)
    dst = calls.column("dst").take(index)
    answered = arr.disposition[r.pid[at]] == DISPOSITIONS.index(Disposition.ANSWERED)
    n = len(at)
    return pa.table(
        {
            "id": pa.array(ids),
            "owner": pc.if_else(incoming, dst, src),
            "box": pc.if_else(incoming, "Inbox", "Sent"),
            "linkedid": calls.column("linkedid").take(index),
            "remote_number": pc.if_else(incoming, src, dst),
            "remote_name": pc.if_else(incoming, calls.column("from_name").take(index), ""),
            "time": _ts(r.start[at]),
            "pages": pa.array(r.draws.fax_pages[at].astype(np.int64)),
            "status": pc.if_else(incoming, "Received", pc.if_else(pa.array(answered), "Sent", "Failed")),
            "seed": _seeds(seed, ids),
            "blob_sha256": pa.nulls(n, pa.string()),
        }
    )
