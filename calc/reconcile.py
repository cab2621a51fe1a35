"""Reconciling the user's sales with the broker's Form 1099-B (or realized gain/loss report).

Sales are matched by symbol and sale date (a sale of several lots is one line on each side), the
shares, proceeds, basis and wash-sale loss disallowed compared, and each difference given a cause:

- `wash_not_seen`: we disallow more of a loss than the broker: the replacement purchase is in another
  account or an IRA, which the broker could not see (IRC 1091 applies across all the taxpayer's
  accounts; a broker reports only its own). Form 8949: the broker's (d) and (e), code W, the extra
  disallowed loss in (g).
- `wash_not_here`: the broker disallows more than we do: its replacement purchase is not in the trades
  here (or was an option or a reinvestment). Form 8949: code W with the broker's amount in (g), unless
  the broker is wrong.
- `wage_basis`: the broker's basis is lower and the shares came from an RSU, option exercise or ESPP:
  brokers report such basis without the part already taxed as wages. Form 8949: the broker's basis in
  (e), code B, and the difference as a negative adjustment in (g) (Form 8949 instructions, column (g)).
- `basis_not_reported`: noncovered shares (box B/E): the broker gives no basis; ours goes in (e).
- `lot_differs`: another basis for another reason: a lot missing here, or the broker matched other
  lots (its default is first-in first-out unless lots were chosen at the sale).
- `proceeds_differ`, `shares_differ`: fees or fills recorded differently.
- `missing_here`: a sale the broker reports that is not in the trades here.
- `not_on_form`: a sale here the broker does not report: another account or broker.
Differences under a dollar are rounding, not differences.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from calc.models import ZERO, Disposition, Trade

TOLERANCE = Decimal(1)
WAGE_SOURCES = {"rsu", "nso", "iso", "espp"}


@dataclass(frozen=True)
class Reported:
    """One sale as the broker reports it (several lots of one sale may come as several lines)."""

    symbol: str
    sold: date
    quantity: Decimal
    proceeds: Decimal
    basis: Decimal | None  # None: not reported (noncovered)
    disallowed: Decimal = ZERO
    acquired: date | None = None


@dataclass
class Side:
    quantity: Decimal = ZERO
    proceeds: Decimal = ZERO
    basis: Decimal | None = ZERO
    disallowed: Decimal = ZERO
    acquired: set[date] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    accounts: set[str] = field(default_factory=set)  # where our wash-sale replacements were bought

    @property
    def gain(self) -> Decimal:
        return self.proceeds - (self.basis or ZERO) + self.disallowed


@dataclass(frozen=True)
class Difference:
    code: str
    symbol: str
    sold: date
    ours: Side | None
    theirs: Side | None
    amount: Decimal = ZERO  # the adjustment for Form 8949 column (g), when there is one


def reconcile(
    dispositions: Iterable[Disposition], trades: Sequence[Trade], reported: Iterable[Reported]
) -> list[Difference]:
    """Every difference between our sales and the broker's, for the sale dates the broker's file covers."""
    theirs: dict[tuple[str, date], Side] = defaultdict(Side)
    for r in reported:
        side = theirs[(r.symbol, r.sold)]
        side.quantity += r.quantity
        side.proceeds += r.proceeds
        side.basis = None if r.basis is None or side.basis is None else side.basis + r.basis
        side.disallowed += r.disallowed
        if r.acquired:
            side.acquired.add(r.acquired)
    if not theirs:
        return []
    first, last = min(sold for _, sold in theirs), max(sold for _, sold in theirs)
    by_id = {t.id: t for t in trades}
    ours: dict[tuple[str, date], Side] = defaultdict(Side)
    for d in dispositions:
        if not first.year <= d.sold.year <= last.year:
            continue
        side = ours[(d.symbol, d.sold)]
        side.quantity += d.quantity
        side.proceeds += d.proceeds
        side.basis = (side.basis or ZERO) + d.basis
        side.disallowed += d.wash_sale_disallowed
        side.acquired.add(d.acquired)
        bought = by_id.get(d.lot_id.split(".")[0])
        if bought is not None:
            side.sources.add(bought.source)
        for reason in d.reasons if d.cites("wash.disallowed", "wash.ira_permanent") else ():  # left unbuilt
            replacement = by_id.get(str(reason.facts.get("replacement_lot", "")))
            if replacement is not None and (replacement.account != d.account or replacement.account_type == "ira"):
                side.accounts.add(replacement.account or "another account")
    found: list[Difference] = []
    for key in sorted({*theirs, *ours}, key=lambda k: (k[1], k[0])):
        symbol, sold = key
        mine, broker = ours.get(key), theirs.get(key)
        if mine is None:
            found.append(Difference("missing_here", symbol, sold, None, broker))
        elif broker is None:
            found.append(Difference("not_on_form", symbol, sold, mine, None))
        else:
            found.extend(_compare(symbol, sold, mine, broker))
    return found


def _compare(symbol: str, sold: date, mine: Side, broker: Side) -> list[Difference]:
    out: list[Difference] = []
    if abs(mine.quantity - broker.quantity) > 0:
        out.append(Difference("shares_differ", symbol, sold, mine, broker))
    if abs(mine.proceeds - broker.proceeds) >= TOLERANCE:
        out.append(Difference("proceeds_differ", symbol, sold, mine, broker, broker.proceeds - mine.proceeds))
    extra_wash = mine.disallowed - broker.disallowed
    if extra_wash >= TOLERANCE:
        out.append(Difference("wash_not_seen", symbol, sold, mine, broker, extra_wash))
    elif -extra_wash >= TOLERANCE:
        out.append(Difference("wash_not_here", symbol, sold, mine, broker, -extra_wash))
    if broker.basis is None:
        out.append(Difference("basis_not_reported", symbol, sold, mine, broker))
        return out
    # Our basis includes wash-sale adjustments carried in from earlier sales, as the broker's does.
    gap = (mine.basis or ZERO) - broker.basis
    if gap >= TOLERANCE and mine.sources & WAGE_SOURCES:
        out.append(Difference("wage_basis", symbol, sold, mine, broker, -gap))
    elif abs(gap) >= TOLERANCE:
        out.append(Difference("lot_differs", symbol, sold, mine, broker, -gap))
    return out
