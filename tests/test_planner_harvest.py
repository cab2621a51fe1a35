"""Harvest suggestions checked against the engine's own wash-sale rule (IRC 1091, Publication 550):
selling every suggested lot on the planned day, and booking it for real, must disallow nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from calc import LotPick, Trade, book
from calc.planner import harvest
from calc.years import Years

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
