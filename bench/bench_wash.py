"""Wash sales at volume: frequent loss sales with rebuys inside 30 days, run side by side
(same process, identical input) against wash-alpha's detector, with every difference classified.

wash-alpha's time grows with the square of the trades, so the side-by-side run uses 10,000
trades; ours also runs on the full 100,000.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.bench_realize import random_trades
from calc import book
from calc.booking import KEPT, LATEST
from calc.models import Disposition, Trade

SIDE_BY_SIDE = 10_000
FULL = 100_000


def peer_detector() -> tuple[Any, Any]:
    """wash-alpha imports yfinance without declaring it; a stub module is enough for the detector."""
    stub = Path(tempfile.mkdtemp()) / "yfinance.py"
    stub.write_text("# stub for wash-alpha's undeclared import\n")
    sys.path.insert(0, str(stub.parent))
    from net_alpha.engine.detector import detect_wash_sales
    from net_alpha.models.domain import Trade as PeerTrade

    return detect_wash_sales, PeerTrade


def peer_input(trades: list[Trade], PeerTrade: Any) -> tuple[list[Any], dict[str, list[Disposition]]]:
    """The same trades; each sale carries the proceeds and basis our booking gives it (wash-alpha wants them)."""
    ledger = book(trades)
    by_sale: dict[str, list[Disposition]] = defaultdict(list)
    for d in ledger.dispositions:
        by_sale[d.sale_id].append(d)
    rows = []
    for t in trades:
        common = {"id": t.id, "account": "taxable", "date": t.date, "ticker": t.symbol, "quantity": float(t.quantity)}
        if t.side == "buy":
            rows.append(PeerTrade(action="Buy", cost_basis=float(t.quantity * t.price + t.fees), **common))
        else:
            parts = by_sale[t.id]
            rows.append(
                PeerTrade(
                    action="Sell",
                    proceeds=float(sum(d.proceeds for d in parts)),
                    cost_basis=float(sum(d.basis for d in parts)),
                    **common,
                )
            )
    return rows, by_sale


def classify(
    sale_id: str,
    trades_by_id: dict[str, Trade],
    parts: list[Disposition],
    peer_replacements: list[str],
    our_replacements: list[str],
    users: dict[str, tuple[set[str], set[str]]],
) -> str:
    """Why wash-alpha's disallowed amount for one sale differs from ours, by the rule involved."""
    sold_lots = {d.lot_id.split(".")[0] for d in parts}
    if any(r in sold_lots for r in peer_replacements):
        return "peer's replacement is the sold lot itself (Pub 550: replacement shares must be other shares)"
    sale = trades_by_id[sale_id]
    if any(trades_by_id[r].date <= sale.date for r in peer_replacements if r not in our_replacements):
        return "peer matched a purchase made on or before the sale whose shares we had already sold or used"
    per_share = {(d.proceeds - d.basis) / d.quantity for d in parts}
    if len(per_share) > 1:
        # Pub 550 applies the rule to the shares sold, lot by lot; wash-alpha sees one sale-wide loss.
        return "peer averages a sale across lots with different costs into one loss per share"
    involved = set(peer_replacements) | set(our_replacements)
    if any(users[r][0] != users[r][1] for r in involved):
        # Each replacement share absorbs one loss only: once the two engines give a purchase's shares
        # to different sales (after one of the differences above), later sales find different shares left.
        return "knock-on: the same replacement shares went to a different loss sale in each engine"
    return "not classified"


def main() -> None:
    detect, PeerTrade = peer_detector()
    size = SIDE_BY_SIDE
    while True:
        trades = random_trades(size, seed=11, rebuy_share=0.5)
        rows, by_sale = peer_input(trades, PeerTrade)
        KEPT.clear()  # peer_input booked these trades: timed again, the kept ledger would come back for free
        LATEST.clear()
        started = time.perf_counter()
        ours = book(trades)
        our_seconds = time.perf_counter() - started
        started = time.perf_counter()
        try:
            theirs = detect(rows, {})
        except OverflowError as error:
            # Its holding-period tacking adds up along long wash-sale chains until the date underflows.
            print(f"wash-alpha crashed on {size:,} trades: OverflowError ({error}); retrying with fewer")
            size //= 2
            continue
        peer_seconds = time.perf_counter() - started
        break

    our_by_sale: dict[str, Decimal] = defaultdict(Decimal)
    for d in ours.dispositions:
        our_by_sale[d.sale_id] += d.wash_sale_disallowed
    peer_by_sale: dict[str, float] = defaultdict(float)
    peer_repl: dict[str, list[str]] = defaultdict(list)
    for v in theirs.violations:
        peer_by_sale[v.loss_trade_id] += v.disallowed_loss
        peer_repl[v.loss_trade_id].append(v.replacement_trade_id)
    our_repl: dict[str, list[str]] = defaultdict(list)
    users: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for d in ours.dispositions:
        for reason in d.reasons:
            if reason.rule == "wash.disallowed":
                our_repl[d.sale_id].append(str(reason.facts["replacement_lot"]))
                users[str(reason.facts["replacement_lot"])][0].add(d.sale_id)
    for v in theirs.violations:
        users[v.replacement_trade_id][1].add(v.loss_trade_id)
    trades_by_id = {t.id: t for t in trades}
    differences: Counter[str] = Counter()
    amount: dict[str, float] = defaultdict(float)
    for sale_id in set(our_by_sale) | set(peer_by_sale):
        delta = peer_by_sale.get(sale_id, 0.0) - float(our_by_sale.get(sale_id, 0))
        if abs(delta) > 0.01:
            why = classify(
                sale_id, trades_by_id, by_sale[sale_id], peer_repl.get(sale_id, []), our_repl.get(sale_id, []), users
            )
            differences[why] += 1
            amount[why] += delta

    started = time.perf_counter()
    full = book(random_trades(FULL, seed=11, rebuy_share=0.5))
    full_seconds = time.perf_counter() - started

    print(f"side by side on {size:,} trades ({sum(1 for t in trades if t.side == 'sell'):,} sales)")
    print(f"{'ours: book with wash sales':<44}{our_seconds:>8.2f} s")
    print(f"{'wash-alpha 0.81 detect_wash_sales':<44}{peer_seconds:>8.2f} s")
    print(f"{'time ratio (wash-alpha / ours)':<44}{peer_seconds / our_seconds:>8.1f} x")
    print(f"{'disallowed, ours':<44}{float(sum(our_by_sale.values())):>14,.2f}")
    print(f"{'disallowed, wash-alpha':<44}{sum(peer_by_sale.values()):>14,.2f}")
    print(f"sales whose disallowed amount differs: {sum(differences.values()):,}")
    for why, count in differences.most_common():
        print(f"  {count:>6,}  {amount[why]:>+14,.2f}  {why}")
    print(
        f"ours alone on {FULL:,} trades: {full_seconds:.2f} s, {len(full.dispositions):,} rows, "
        f"{sum(1 for d in full.dispositions if d.wash_sale_disallowed):,} with code W"
    )


if __name__ == "__main__":
    main()
