"""Harvest suggestions checked against the engine's own wash-sale rule (IRC 1091, Publication 550):
selling every suggested lot on the planned day, and booking it for real, must disallow nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from calc import LotPick, Trade, book
from calc.planner import harvest, year_tax
from calc.years import Years
from tests.ledger import trades as trades_of

D = Decimal
WHEN = date(2026, 11, 23)

# (days before WHEN, symbol, shares, cost): purchases spread over two years, some inside the window.
buys = st.lists(
    st.tuples(st.integers(0, 700), st.sampled_from(["AAA", "BBB"]), st.integers(1, 40), st.integers(1, 90)),
    min_size=1,
    max_size=10,
)


@settings(max_examples=40, deadline=None)
@given(buys, st.integers(1, 60), st.integers(1, 60), st.integers(0, 400000))
def test_suggested_sales_are_never_wash_sales(
    purchases: list[tuple[int, str, int, int]], price_a: int, price_b: int, wages: int
) -> None:
    trades = [
        Trade(
            date=WHEN - timedelta(days=ago),
            symbol=sym,
            side="buy",
            quantity=D(qty),
            price=D(cost),
            id=f"b{i}",
        )
        for i, (ago, sym, qty, cost) in enumerate(purchases)
    ]
    prices = {"AAA": D(price_a), "BBB": D(price_b)}
    plan = harvest(trades, prices, WHEN, Years.one(2026, wages=D(wages)))
    assert not any(c.wash_risk for c in plan.chosen)
    sales = [
        Trade(
            date=WHEN,
            symbol=c.lot.symbol,
            side="sell",
            quantity=c.lot.quantity,
            price=c.price,
            id=f"h{i}",
            lots=(LotPick(lot_id=c.lot.id, quantity=c.lot.quantity),),
        )
        for i, c in enumerate(plan.chosen)
    ]
    sold = [d for d in book([*trades, *sales]).dispositions if d.sale_id.startswith("h")]
    assert all(d.wash_sale_disallowed == 0 for d in sold)
    # Each suggested loss is realized in full, as promised.
    assert sum((-d.gain for d in sold), D(0)) == plan.harvested
    # What oldest-first would save is figured from the same shares of each symbol sold without naming lots
    # (booked again only when the lots named aren't the oldest).
    context = Years.one(2026, wages=D(wages))
    oldest = [
        Trade(
            date=WHEN,
            symbol=symbol,
            side="sell",
            quantity=sum((c.lot.quantity for c in plan.chosen if c.lot.symbol == symbol), D(0)),
            price=prices[symbol],
            id=f"f{symbol}",
        )
        for symbol in {c.lot.symbol for c in plan.chosen}
    ]
    assert plan.fifo_tax_after is not None
    assert year_tax(context, book([*trades, *oldest]), 2026).total == plan.fifo_tax_after.total


# Issue 16's ledger. Single, $80,000 of wages in 2026: taxable income $63,900 after the $16,100
# standard deduction, in the 22% bracket (to $105,700) with room below it, so every $1,000 of
# loss against income is $220 (Tax Table rows of $50: $63,925 -> $60,925 midpoints, the same 22%).
ISSUE_LEDGER = """
2026-02-02 buy 50 AAA 40 id=feb
2026-11-20 buy 50 AAA 40 id=nov
2025-03-02 buy 100 BBB 30 id=bbb
"""
ISSUE_DAY = date(2026, 12, 1)


def test_the_suggestion_names_the_lots_and_what_fifo_would_cost() -> None:
    trades = trades_of(ISSUE_LEDGER)
    plan = harvest(trades, {"AAA": D(20), "BBB": D(10)}, ISSUE_DAY, Years.one(2026, wages=D(80000)))
    # The February lot ($1,000 loss) has the Nov 20 purchase inside the 30 days before: a wash-sale risk.
    # The Nov 20 lot itself has no other purchase in its window, so it is the AAA lot to sell.
    by_id = {c.lot.id: c for c in plan.candidates}
    assert by_id["feb"].wash_risk and not by_id["nov"].wash_risk
    assert [c.lot.id for c in plan.chosen] == ["bbb", "nov"]  # $2,000 + $1,000 = the $3,000 limit
    assert plan.harvested == 3000
    assert plan.saving == 660  # $3,000 x 22%
    # Sold oldest first, 50 AAA is the February lot; the Nov 20 purchase replaces it, so its
    # $1,000 loss is disallowed and only BBB's $2,000 counts: $2,000 x 22% = $440.
    fifo = {d.lot_id: d for d in plan.fifo_dispositions}
    assert set(fifo) == {"bbb", "feb"}
    assert fifo["feb"].wash_sale_disallowed == 1000
    assert plan.saving_if_fifo == 440
