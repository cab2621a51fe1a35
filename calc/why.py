"""Booking rows' reasons, kept compact and built when read (`Disposition.reasons`, `Lot.reasons`).

Booking writes about three reasons a row: why the holding period is short or long, and for a
wash sale what was disallowed, which purchase replaced the shares, and the basis that purchase's
shares got. A wash-heavy ledger is hundreds of thousands of rows and the chat words a few dozen,
so booking keeps the numbers, and the Reasons are built the first time a row's reasons are read:
the holding reason from the row's own dates (calc.holding), each wash-sale reason from a tuple
(rule, then its facts in the order below). The Reasons, and so the words a user sees, are those
booking built before (tests/test_lots_reasons.py).
"""

from __future__ import annotations

from typing import Any

from calc.holding import holding_reason, inherited
from calc.models import Disposition, Reason, build_reasons_with, reason

# The facts of each rule booking keeps as a tuple (rule, *facts), in their order, and its source.
DISALLOWED = ("shares", "disallowed", "loss", "replacement_lot", "replacement_date")
BASIS_ADDED = ("amount", "shares", "sale_date", "sold_lot", "tacked_days")
_ROW_LOSS = (
    "wash.disallowed",
    "wash.ira_permanent",
)  # a row's: (rule, shares, disallowed, replacement_lot, replacement_date)
KEPT = {
    "wash.disallowed": (DISALLOWED, "IRC 1091; Publication 550, Wash Sales"),
    "wash.ira_permanent": (DISALLOWED, "IRC 1091; Publication 550, Wash Sales"),
    "wash.basis_added": (BASIS_ADDED, "IRC 1091(d); Publication 550, Wash Sales"),
}


def built(row: object, kept: tuple[Any, ...]) -> tuple[Reason, ...]:
    """The Reasons of a row (a Disposition or a Lot) from what booking kept."""
    if not isinstance(row, Disposition):
        return tuple(map(_reason, kept))
    mark, lot_reasons, *more = kept
    holding = inherited(row.acquired, row.sold) if mark.inherited else holding_reason(row.acquired, row.sold)
    return (holding, *map(_reason, lot_reasons), *(_row_reason(row, r) for r in more))


def _row_reason(row: Disposition, kept: Reason | tuple[Any, ...]) -> Reason:
    """One of a row's own reasons. A wash sale's tuple leaves out the loss, which is the row's (its
    basis less its proceeds, as booking figured it): one number fewer kept on every washed row."""
    if isinstance(kept, Reason) or kept[0] not in _ROW_LOSS:
        return _reason(kept)
    rule, shares, disallowed, replacement_lot, replacement_date = kept
    return reason(
        rule,
        DISALLOWED,
        (shares, disallowed, row.basis - row.proceeds, replacement_lot, replacement_date),
        KEPT[rule][1],
    )


def _reason(kept: Reason | tuple[Any, ...]) -> Reason:
    if isinstance(kept, Reason):
        return kept
    names, source = KEPT[kept[0]]
    return reason(kept[0], names, kept[1:], source)


build_reasons_with(built)
