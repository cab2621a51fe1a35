"""Lots, holding periods and lot matching, as tiny ledgers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc import NotEnoughShares, book, holding_term, long_term_from, realize
from calc.errors import UnknownLot
from tests.ledger import ledger, never_oversold

D = Decimal


@pytest.mark.parametrize(
    ("acquired", "sold", "term"),
    [
        ("2024-01-05", "2025-01-05", "short"),  # exactly one year: one year or less
        ("2024-01-05", "2025-01-06", "long"),
        ("2024-02-29", "2025-02-28", "short"),  # leap day: the year ends Feb 28...
        ("2024-02-29", "2025-03-01", "long"),  # ...so long-term starts Mar 1
        ("2023-03-01", "2024-03-01", "short"),  # a year spanning Feb 29 is still one calendar year
        ("2023-03-01", "2024-03-02", "long"),
        ("2024-01-31", "2025-01-31", "short"),  # month end (Rev. Rul. 66-7)
        ("2024-01-31", "2025-02-01", "long"),
    ],
)
def test_holding_period_by_calendar(acquired: str, sold: str, term: str) -> None:
    assert holding_term(date.fromisoformat(acquired), date.fromisoformat(sold)) == term


def test_long_term_from_is_first_long_day() -> None:
    assert long_term_from(date(2024, 1, 5)) == date(2025, 1, 6)
    assert long_term_from(date(2024, 2, 29)) == date(2025, 3, 1)


def test_issue_example_fifo_with_fees() -> None:
    ds = realize(
        ledger("""
        2024-01-10 buy  100 XYZ 20  fees=5
        2024-03-01 buy  100 XYZ 30
        2025-02-01 sell 150 XYZ 25  fees=3
        """)
    )
    # FIFO: all 100 of the first lot (long-term: held past 2025-01-10), 50 of the second (short).
    assert [(d.quantity, d.term) for d in ds] == [(100, "long"), (50, "short")]
    proceeds = 150 * D(25) - 3
    assert ds[0].proceeds + ds[1].proceeds == proceeds
    assert ds[0].basis == D(2005) and ds[1].basis == D(1500)
    assert ds[0].gain == ds[0].proceeds - D(2005)
    assert ds[0].reasons[0].rule == "holding.long" and ds[1].reasons[0].rule == "holding.short"


@pytest.mark.parametrize(("method", "sold_basis"), [("fifo", 1000), ("lifo", 3000), ("hifo", 3000)])
def test_methods(method: str, sold_basis: int) -> None:
    events = ledger("""
    2024-01-02 buy 100 XYZ 10
    2024-02-02 buy 100 XYZ 30
    2024-03-02 buy 100 XYZ 20
    2024-04-02 sell 100 XYZ 25
    """)
    if method == "lifo":
        sold_basis = 2000  # the last purchase, at 20
    assert realize(events, method=method)[0].basis == sold_basis  # type: ignore[arg-type]


def test_specific_identification_by_lot_id() -> None:
    ds = realize(
        ledger("""
        2024-01-02 buy 100 XYZ 10 id=a
        2024-02-02 buy 100 XYZ 30 id=b
        2024-04-02 sell 60 XYZ 25 lots=b:40,a:20
        """)
    )
    assert [(d.lot_id, d.quantity, d.basis) for d in ds] == [("b", 40, 1200), ("a", 20, 200)]


def test_specific_identification_errors() -> None:
    with pytest.raises(UnknownLot, match="no open lot 'zz'"):
        realize(ledger("2024-01-02 buy 10 XYZ 10 id=a\n2024-02-02 sell 5 XYZ 9 lots=zz:5"))
    with pytest.raises(NotEnoughShares, match="lot a holds 10"):
        realize(
            ledger("2024-01-02 buy 10 XYZ 10 id=a\n2024-01-03 buy 10 XYZ 10 id=b\n2024-02-02 sell 15 XYZ 9 lots=a:15")
        )


def test_selling_more_than_held_names_what_is_held() -> None:
    with pytest.raises(NotEnoughShares, match="you held 40 XYZ, so you can't sell 50"):
        realize(ledger("2024-01-02 buy 40 XYZ 10\n2024-02-02 sell 50 XYZ 12"))


def test_sale_before_purchase_is_an_error() -> None:
    with pytest.raises(NotEnoughShares, match="held 0 XYZ"):
        realize(ledger("2024-03-02 buy 40 XYZ 10\n2024-02-02 sell 10 XYZ 12"))


def test_fractional_shares_conserve_basis_to_the_cent() -> None:
    led = book(ledger("2024-01-02 buy 3 XYZ 10 fees=0.01\n2024-02-02 sell 1 XYZ 12\n2024-02-03 sell 1 XYZ 12"))
    sold = sum(d.basis for d in led.dispositions)
    held = sum(lot.basis for lot in led.lots)
    assert sold + held == D("30.01")
    # 30.01 x 1/3 = 10.00; then 20.01 x 1/2 = 10.005, rounded half up; the last share keeps 10.00.
    assert [d.basis for d in led.dispositions] == [D("10.00"), D("10.01")]
    assert held == D("10.00")


def test_same_day_trades_keep_input_order() -> None:
    ds = realize(ledger("2024-01-02 buy 10 XYZ 10\n2024-01-02 sell 10 XYZ 11"))
    assert ds[0].gain == 10


def test_open_lot_knows_when_it_turns_long_term() -> None:
    led = book(ledger("2024-02-29 buy 10 XYZ 10 id=a"))
    assert led.lots[0].long_term_from == date(2025, 3, 1)


def test_split_and_cash_in_lieu() -> None:
    led = book(
        ledger("""
        2024-01-02 buy 15 XYZ 100 id=a
        2024-06-03 split XYZ 0.1 cash_in_lieu=60
        """)
    )
    # 1-for-10: 15 shares become 1.5; the half share is sold for cash, basis 1500 x 0.5/1.5 = 500.
    assert led.lots[0].quantity == 1 and led.lots[0].basis == D(1000)
    (fraction,) = led.dispositions
    assert fraction.quantity == D("0.5") and fraction.proceeds == 60 and fraction.basis == D(500)
    assert fraction.acquired == date(2024, 1, 2)  # holding period unchanged


def test_forward_split_keeps_basis_and_holding_period() -> None:
    led = book(ledger("2024-01-02 buy 10 XYZ 100\n2024-06-03 split XYZ 2\n2025-01-03 sell 20 XYZ 60"))
    (d,) = led.dispositions
    assert d.basis == 1000 and d.term == "long" and d.gain == 200


trade_strategy = st.tuples(
    st.integers(0, 700),  # day offset
    st.booleans(),  # buy?
    st.integers(1, 50),  # quantity
    st.integers(1, 200),  # price
    st.integers(0, 3),  # fees
)


@settings(max_examples=80, deadline=None)
@given(st.lists(trade_strategy, min_size=1, max_size=30), st.sampled_from(["fifo", "lifo", "hifo"]))
def test_basis_conservation(rows: list[tuple[int, bool, int, int, int]], method: str) -> None:
    """Basis sold + basis held = basis bought (wash-sale adjustments moved, not created)."""
    events, held = never_oversold(rows)
    led = book(events, method=method)  # type: ignore[arg-type]
    bought = sum((t.quantity * t.price + t.fees for t in events if t.side == "buy"), D(0))
    washed = sum((d.wash_sale_disallowed for d in led.dispositions), D(0))
    sold_basis = sum((d.basis for d in led.dispositions), D(0))
    held_basis = sum((lot.basis for lot in led.lots), D(0))
    # Each disallowed loss is added once to a replacement lot's basis.
    assert sold_basis + held_basis == bought + washed
    assert sum((lot.quantity for lot in led.lots), D(0)) == held


def test_wash_sale_part_is_its_own_lot_in_purchase_order() -> None:
    # 40 of b's 100 shares replace a's loss and split off as b.1, with a's holding period.
    events = ledger("""
    2024-01-02 buy 40 XYZ 10 id=a
    2024-02-01 buy 100 XYZ 8 id=b
    2024-02-05 sell 40 XYZ 7 lots=a:40
    2024-03-01 buy 10 XYZ 9 id=c
    """)
    lots = book(events).lots
    assert [(lot.id, lot.quantity, lot.basis, lot.acquired) for lot in lots] == [
        ("b", 60, 480, date(2024, 2, 1)),
        ("b.1", 40, 320 + 120, date(2024, 2, 1) - (date(2024, 2, 5) - date(2024, 1, 2))),
        ("c", 10, 90, date(2024, 3, 1)),
    ]
    # The part sells by name, and once empty it is no longer an open lot; FIFO then takes b before c.
    later = book([*events, *ledger("2024-06-03 sell 40 XYZ 12 lots=b.1:40\n2024-06-04 sell 65 XYZ 12")])
    assert [(d.lot_id, d.quantity) for d in later.dispositions[1:]] == [("b.1", 40), ("b", 60), ("c", 5)]
    assert [(lot.id, lot.quantity) for lot in later.lots] == [("c", 5)]
