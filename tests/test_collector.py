"""The collector around bookings: what many small bookings leave alive is frozen too, not only what a big one leaves.

A symbol booked again after an edit leaves a few thousand rows alive (kept for the next message); left
unfrozen, they piled up and every full collection scanned all of them again (30 edits in a row on the
active trader: full collections of 70,000 to 140,000 objects, up to 90 ms each)."""

from __future__ import annotations

import gc

from calc import collector


def _leave_alive(kept: list[object], n: int) -> None:
    with collector.paused():
        kept.append([[i] for i in range(n)])  # n tracked lists that stay


def test_small_bookings_add_up_to_a_freeze() -> None:
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    collector._unfrozen = 0
    kept: list[object] = []
    step = collector.FREEZE_AFTER // 10
    for _ in range(9):
        _leave_alive(kept, step)
    assert gc.get_freeze_count() == frozen  # under the bound, together: left to the collector
    _leave_alive(kept, 2 * step)
    assert gc.get_freeze_count() >= frozen + 10 * step  # past it: everything they left is frozen
    assert collector._unfrozen == 0
    assert gc.isenabled()
