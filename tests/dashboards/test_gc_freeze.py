"""The portal freezes what its imports left alive, once per new set of imports."""

from __future__ import annotations

import gc
import sys
import types

from dashboards import gc_freeze


def test_freeze_imports_freezes_once_per_new_import() -> None:
    gc.unfreeze()
    gc_freeze._frozen_modules = 0
    try:
        assert gc_freeze.freeze_imports() is True
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # the modules' objects are out of every collection
        assert gc_freeze.freeze_imports() is False  # nothing new imported: no collection, no freeze
        sys.modules["fvkit_test_new_module"] = types.ModuleType("fvkit_test_new_module")
        assert gc_freeze.freeze_imports() is True
    finally:
        sys.modules.pop("fvkit_test_new_module", None)
        gc.unfreeze()


def test_freeze_imports_leaves_a_runs_garbage_collectable() -> None:
    gc.unfreeze()
    gc_freeze._frozen_modules = 0
    try:
        gc_freeze.freeze_imports()
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1  # a cycle made after the freeze is still freed
    finally:
        gc.unfreeze()


def test_session_does_not_load_live_traffic_until_it_is_on() -> None:
    import subprocess

    code = "import sys, dashboards.session; print('fvkit.sim.live_traffic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
