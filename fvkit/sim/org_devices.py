"""Desk phones with their programmable keys, and soft phones, of a generated organisation (ORG-5)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from fvkit.domain.keys import DESK_PHONE_MODELS, KEYS_PER_PAGE, PROGRAMMABLE_MODELS, KeyFunction
from fvkit.domain.org import KeyOwner


def devices(
    rng: np.random.Generator, users: list[str], ext_rows: list[dict[str, Any]], start: datetime
) -> dict[str, pa.Table]:
    """Desk phones (with their programmable keys) and soft phones."""
    devices, keys = [], []
    names = {str(r["number"]): str(r["display_name"]) for r in ext_rows}
    device_id = 0
    for i, number in enumerate(users):
        if rng.random() < 0.8:
            device_id += 1
            model = str(rng.choice(DESK_PHONE_MODELS))
            reg = start - timedelta(minutes=int(rng.integers(1, 600)))
            mac = ":".join(f"{b:02x}" for b in [0x00, 0x09, 0x0F, *rng.integers(0, 256, 3).tolist()])
            devices.append(
                {
                    "id": device_id,
                    "extension": number,
                    "kind": "desk",
                    "model": f"FortiFone-{model[4:]}",
                    "mac": mac,
                    "ip": f"10.1.{i // 250}.{i % 250 + 2}",
                    "phone_info": f"Fortinet {model} 3.0.10.192",
                    "client_version": "",
                    "os_platform": "",
                    "os_version": "",
                    "registry_time": reg,
                    "expiry_time": reg + timedelta(minutes=1),
                    "revoked": False,
                }
            )
            if model in PROGRAMMABLE_MODELS:
                keys += key_rows(device_id, users, i, names)
        if rng.random() < 0.45:
            device_id += 1
            android = rng.random() < 0.6
            devices.append(
                {
                    "id": device_id,
                    "extension": number,
                    "kind": "soft",
                    "model": "FortiFone Softclient",
                    "mac": "",
                    "ip": "",
                    "phone_info": "samsung-SM-J327W" if android else "iPhone14,2",
                    "client_version": "3.0.17.308",
                    "os_platform": "Android" if android else "iOS",
                    "os_version": "8.1.0" if android else "17.2",
                    "registry_time": start - timedelta(days=3),
                    "expiry_time": start + timedelta(days=27),
                    "revoked": False,
                }
            )
    return {"device": pa.Table.from_pylist(devices), "programmable_key": pa.Table.from_pylist(keys)}


def key_rows(device_id: int, users: list[str], i: int, names: dict[str, str]) -> list[dict[str, Any]]:
    """Page 1: two reserved keys, an admin-assigned appearance, the rest user-assigned."""
    colleague = users[(i + 1) % len(users)]
    rows = []
    for pos in range(1, KEYS_PER_PAGE + 1):
        if pos <= 2:
            assigned, fn, res, label = KeyOwner.RESERVED, "Reserved", "Reserved", "Reserved"
        elif pos == 3:
            assigned, fn, res, label = (
                KeyOwner.ADMIN,
                KeyFunction.EXTENSION_APPEARANCE.value,
                colleague,
                f"{names[colleague]} {colleague}",  # guide p.51: "AH100 Kitchen 2000"
            )
        else:
            assigned, fn, res, label = KeyOwner.USER, "", "", ""
        rows.append(
            {
                "device_id": device_id,
                "page": 1,
                "position": pos,
                "assigned": assigned.value,
                "function": fn,
                "resource": res,
                "label": label,
            }
        )
    return rows
