"""The cyclic garbage collector around bookings.

Booking allocates many small objects that all stay alive and make no cycles (rows, their
reasons, open lots). Left alone, the collector would scan them again and again while
booking runs, then scan every one again at each full collection for as long as the
ledger is kept: for a 100,000-trade ledger that was seconds, spent on some later
message. So the collector is paused while any booking runs (bookings may run in several
threads at once; it is restarted when the last one ends), and when the bookings allocated
many objects, `gc.freeze()` moves everything alive into the permanent generation,
which the collector never scans. Frozen objects are still freed when nothing refers to
them (a ledger dropped from a cache goes at once); only a cycle among objects that were
alive at a freeze is never reclaimed, which is why a small booking (most of them) doesn't
freeze at once: what small bookings leave alive is summed, and frozen when the sum reaches
what one big booking would freeze. (Each edit books its symbol again and keeps a few
thousand rows; left unfrozen they piled up, and every full collection scanned them all:
on the active trader, full collections of 70,000 to 140,000 objects, up to 90 ms, every
few edits.)
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# Net tracked objects allocated while paused, summed over pauses since the last freeze, above
# which the survivors are frozen rather than left for the collector (about 30 ms of scanning
# each time on this machine).
FREEZE_AFTER = 100_000

_lock = threading.Lock()
_running = 0
_was_enabled = True
_kept = 0  # references the paused blocks said they keep in large containers
_unfrozen = 0  # what the paused blocks left alive since the last freeze


def keeping(references: int) -> None:
    """Say that a paused block keeps this many references in a few large containers (a ledger's
    tuple of rows): one object each for the allocation count, but a collection visits every reference."""
    global _kept
    with _lock:
        _kept += references


@contextmanager
def paused() -> Iterator[None]:
    """Pause the collector while the block runs; freeze what survives if it was a lot."""
    global _running, _was_enabled, _kept, _unfrozen
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                # While paused, generation 0's count is the tracked objects allocated (less
                # those freed) since the last collection: what a collection would have to scan.
                _unfrozen += gc.get_count()[0] + _kept
                if _unfrozen > FREEZE_AFTER:
                    gc.freeze()
                    _unfrozen = 0
                _kept = 0
                if _was_enabled:
                    gc.enable()


def pausing(function: Callable[P, R]) -> Callable[P, R]:
    """paused() around every call: for a calculation that builds big ledgers and drops them
    (the planner books a candidate sale eight times), so that no collection traverses their
    hundreds of thousands of rows in between; they are freed as soon as they are dropped."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused():
            return function(*args, **kwargs)

    return wrapper


def settle() -> None:
    """Collect once and freeze everything alive: for a process that has finished starting
    (modules, handlers, stored users loaded), so no later collection scans them again."""
    gc.collect()
    gc.freeze()
