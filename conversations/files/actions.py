"""Corporate actions in broker files: splits applied when their ratio is clear, the rest explained.

Brokers write a split as the shares it adds (Schwab "Stock Split" 9 on 1 share: 10-for-1; Robinhood
SPL) or as a pair, the new shares in and the old ones out (Schwab "Reverse Split" +1 TNXP / -32 of its
old CUSIP; Fidelity "REVERSE SPLIT R/S FROM/TO" +130 / -1,300). A split is applied when the pair gives
the ratio and the shares held match, or when the shares added on the shares held make a plain ratio
(10-for-1, 3-for-2, 1-for-20). Everything else — a merger, spin-off, name change, conversion, stock
dividend, reward or transfer of shares — is listed with what it does to the lots, for the user to
confirm: its effect depends on facts the file does not give (the basis allocation, which shares
were exchanged, where transferred shares came from).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from calc.models import Split, Trade
from conversations.files.importers.common import CorporateAction
from conversations.files.opening import import_id

PLAIN = 200  # a split ratio is plain when its numerator and denominator are at most this (10-for-1, 1-for-200)


@dataclass(frozen=True)
class Pending:
    """An action for the user to confirm (the chat says what it does to the lots); `partner` is the
    other side of a pair: the old shares a merger, name change or conversion exchanged."""

    action: CorporateAction
    partner: CorporateAction | None = None


@dataclass
class Resolved:
    splits: list[Split] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)


def held_before(events: Sequence[Trade | Split], symbol: str, when: date) -> Decimal:
    """Shares of `symbol` held at the start of `when`, in every account."""
    held = Decimal(0)
    for event in sorted(events, key=lambda e: e.date):
        if event.date >= when or event.symbol != symbol:
            continue
        if isinstance(event, Split):
            held *= event.ratio
        else:
            held += event.quantity if event.side == "buy" else -event.quantity
    return held


def _plain(ratio: Decimal) -> bool:
    fraction = Fraction(ratio)
    return fraction > 0 and fraction.numerator <= PLAIN and fraction.denominator <= PLAIN


def resolve(actions: Sequence[CorporateAction], trades: Sequence[Trade], source: str) -> Resolved:
    """Splits to apply (ids from the rows, so a re-import adds none twice) and actions to confirm."""
    out = Resolved()
    groups: defaultdict[tuple[date, str], list[CorporateAction]] = defaultdict(list)
    for action in actions:
        if action.ratio is not None:  # the file states the split itself: nothing to work out
            out.splits.append(_stated(action, source))
        else:
            groups[(action.date, action.kind)].append(action)
    for (when, kind), rows in sorted(groups.items(), key=lambda item: item[0][0]):
        split = _split(when, rows, [*trades, *out.splits], source) if kind in ("split", "reverse split") else None
        if split is None:
            out.pending.extend(_listed(rows))
        else:
            out.splits.append(split)
    return out


def _stated(action: CorporateAction, source: str) -> Split:
    assert action.ratio is not None
    return Split(
        date=action.date,
        symbol=action.symbol,
        ratio=action.ratio,
        cash_in_lieu=action.cash,
        id=import_id(source, "split", action.date, action.symbol, action.ratio),
    )


def _listed(rows: list[CorporateAction]) -> list[Pending]:
    """A pair (new shares in, old shares out) is listed once, as the new shares for the old."""
    if len(rows) == 2 and sorted(row.quantity > 0 for row in rows) == [False, True]:
        new, old = sorted(rows, key=lambda row: row.quantity < 0)
        return [Pending(new, old)]
    return [Pending(row) for row in rows]


def _split(when: date, rows: list[CorporateAction], events: Sequence[Trade | Split], source: str) -> Split | None:
    added = [row for row in rows if row.quantity > 0]
    removed = [row for row in rows if row.quantity < 0]
    if len(added) != 1 or len(removed) > 1:
        return None
    new = added[0]
    held = held_before(events, new.symbol, when)
    if held <= 0:
        return None
    if removed:  # the pair gives the ratio; the shares held must be the ones it replaced
        old = -removed[0].quantity
        if old != held:
            return None
        ratio = new.quantity / old
    else:  # the shares the split added, on the shares held
        ratio = (held + new.quantity) / held
    if not _plain(ratio):
        return None
    return Split(date=when, symbol=new.symbol, ratio=ratio, id=import_id(source, "split", when, new.symbol, ratio))
