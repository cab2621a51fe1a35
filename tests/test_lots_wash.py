"""Wash sales (IRC 1091; Publication 550, "Wash Sales"), as tiny ledgers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from calc import Trade, book, realize
from tests.ledger import ledger, never_oversold

D = Decimal


def test_pub550_example_1_loss_moves_into_new_basis() -> None:
    # Pub 550: buy 100 shares for $1,000, sell them for $750, buy 100 within 30 days for $800:
    # the $250 loss is disallowed and the new basis is $1,050.
    led = book(
        ledger("""
        2024-01-02 buy  100 XYZ 10    id=old
        2024-06-03 sell 100 XYZ 7.50  id=s
        2024-06-20 buy  100 XYZ 8     id=new
        """)
    )
    (sale,) = led.dispositions
    assert sale.wash_sale_disallowed == 250 and sale.gain == 0 and sale.code == "W"
    (lot,) = led.lots
    assert lot.basis == 1050 and lot.wash_sale_adjustment == 250
    # The holding period of the old shares (153 days) tacks on to the new ones.
    assert lot.acquired == date(2024, 6, 20) - timedelta(days=153)
    assert [r.rule for r in lot.reasons] == ["wash.basis_added"]


def test_pub550_example_four_purchases_of_50() -> None:
    # Pub 550: 100 shares sold at a $1,000 loss; 50 shares bought on each of four days after.
    # Half the loss goes to the first 50 shares, half to the second 50; the rest absorb nothing.
    led = book(
        ledger("""
        2021-09-24 buy  100 M 30 id=a
        2022-02-01 sell 100 M 20
        2022-02-12 buy  50 M 20 id=b1
        2022-02-13 buy  50 M 20 id=b2
        2022-02-14 buy  50 M 20 id=b3
        2022-02-15 buy  50 M 20 id=b4
        """)
    )
    (sale,) = led.dispositions
    assert sale.wash_sale_disallowed == 1000 and sale.gain == 0
    basis = {lot.id: lot.basis for lot in led.lots}
    assert basis == {"b1": 1500, "b2": 1500, "b3": 1000, "b4": 1000}


def test_a_part_that_absorbed_a_loss_keeps_its_purchase_id() -> None:
    # 75 of the 100 new shares replace the loss and become a lot of their own ("new.1"); both
    # parts, and the sale of that part, still name the purchase they came from.
    led = book(
        ledger("""
        2024-01-02 buy  75 XYZ 20 id=old
        2024-12-01 sell 75 XYZ 15 id=s1
        2024-12-15 buy 100 XYZ 14 id=new
        2024-12-20 sell 75 XYZ 16 id=s2 lots=new.1:75
        """)
    )
    assert sorted(lot.id for lot in led.lots) == ["new"]
    assert {lot.purchase_id for lot in led.lots} == {"new"}
    first, second = led.dispositions
    assert (first.lot_id, first.purchase_id) == ("old", "old")
    assert (second.lot_id, second.purchase_id) == ("new.1", "new")


def test_partial_replacement_disallows_a_fraction() -> None:
    # Sold 100 at a loss, bought 75: 75% of the loss is disallowed, 25% allowed.
    (sale,) = realize(ledger("2024-01-02 buy 100 XYZ 20\n2024-12-01 sell 100 XYZ 15\n2024-12-15 buy 75 XYZ 14"))
    assert sale.wash_sale_disallowed == 375 and sale.gain == -125


def test_replacement_bought_before_the_sale() -> None:
    led = book(
        ledger("""
        2024-01-02 buy  100 XYZ 20 id=a
        2024-11-20 buy  100 XYZ 16 id=b
        2024-12-01 sell 100 XYZ 15
        """)
    )
    (sale,) = led.dispositions
    assert sale.lot_id == "a" and sale.wash_sale_disallowed == 500
    assert led.lots[0].id == "b" and led.lots[0].basis == 2100


def test_shares_cannot_replace_themselves() -> None:
    # The only purchase in the window is the one being sold: no wash sale.
    (sale,) = realize(ledger("2024-11-20 buy 100 XYZ 20\n2024-12-01 sell 100 XYZ 15"))
    assert sale.wash_sale_disallowed == 0 and sale.gain == -500


def test_shares_sold_together_do_not_replace_each_other() -> None:
    ds = realize(ledger("2024-11-01 buy 10 XYZ 20\n2024-11-10 buy 10 XYZ 22\n2024-11-20 sell 20 XYZ 15"))
    assert all(d.wash_sale_disallowed == 0 for d in ds)


def test_gains_are_never_wash_sales() -> None:
    (sale,) = realize(ledger("2024-01-02 buy 100 XYZ 10\n2024-12-01 sell 100 XYZ 15\n2024-12-05 buy 100 XYZ 15"))
    assert sale.wash_sale_disallowed == 0


def test_outside_the_window_is_not_a_wash_sale() -> None:
    # Dec 31 is the 30th day after a Dec 1 sale, still inside; Jan 1, the 31st, is the first safe day.
    (sale,) = realize(ledger("2024-01-02 buy 100 XYZ 20\n2024-12-01 sell 100 XYZ 15\n2025-01-01 buy 100 XYZ 14"))
    assert sale.wash_sale_disallowed == 0
    (sale,) = realize(ledger("2024-01-02 buy 100 XYZ 20\n2024-12-01 sell 100 XYZ 15\n2024-12-31 buy 100 XYZ 14"))
    assert sale.wash_sale_disallowed == 500
    # The same 30 days before: a purchase on Nov 1 replaces, Oct 31 does not.
    (sale,) = realize(
        ledger("2024-01-02 buy 100 XYZ 20\n2024-11-01 buy 100 XYZ 16\n2024-12-01 sell 100 XYZ 15 lots=t0:100")
    )
    assert sale.wash_sale_disallowed == 500
    (sale,) = realize(
        ledger("2024-01-02 buy 100 XYZ 20\n2024-10-31 buy 100 XYZ 16\n2024-12-01 sell 100 XYZ 15 lots=t0:100")
    )
    assert sale.wash_sale_disallowed == 0


def test_each_replacement_share_absorbs_one_loss_only() -> None:
    ds = realize(
        ledger("""
        2024-01-02 buy  100 XYZ 20 id=a
        2024-01-03 buy  100 XYZ 20 id=b
        2024-12-01 sell 100 XYZ 15
        2024-12-02 sell 100 XYZ 15
        2024-12-10 buy  100 XYZ 14 id=c
        """)
    )
    # The first loss is washed into c; the second finds c used up and is allowed.
    assert [d.wash_sale_disallowed for d in ds] == [500, 0]


def test_chain_replacement_sold_at_a_loss_and_replaced_again() -> None:
    led = book(
        ledger("""
        2024-01-02 buy  100 XYZ 20 id=a
        2024-03-01 sell 100 XYZ 15
        2024-03-10 buy  100 XYZ 15 id=b
        2024-04-01 sell 100 XYZ 14
        2024-04-15 buy  100 XYZ 14 id=c
        """)
    )
    first, second = led.dispositions
    assert first.wash_sale_disallowed == 500
    # b's basis was 1,500 + 500 = 2,000; sold for 1,400: a 600 loss, washed into c.
    assert second.basis == 2000 and second.wash_sale_disallowed == 600
    assert led.lots[0].basis == 2000
    # Holding periods tack on through the chain: c is held since a's purchase, less the gaps.
    assert led.lots[0].acquired < date(2024, 3, 10)


def test_ira_purchase_disallows_for_good() -> None:
    led = book(
        ledger("""
        2024-01-02 buy  100 XYZ 20
        2024-12-01 sell 100 XYZ 15
        2024-12-10 buy  100 XYZ 14 account=ira
        """)
    )
    (sale,) = led.dispositions
    assert sale.wash_sale_disallowed == 500
    assert any(r.rule == "wash.ira_permanent" for r in sale.reasons)
    assert led.lots[0].basis == 1400  # nothing added in the IRA


def test_split_between_replacement_and_sale_counts_new_shares() -> None:
    # 100 shares bought before a 2-for-1 split are 200 after it: they replace all 200 sold.
    led = book(
        ledger("""
        2024-12-01 buy  100 XYZ 50 id=a
        2025-01-02 buy  100 XYZ 40 id=b
        2025-01-05 split XYZ 2
        2025-01-10 sell 200 XYZ 15
        """)
    )
    (sale,) = led.dispositions
    assert sale.wash_sale_disallowed == 2000 and sale.gain == 0
    (lot,) = led.lots
    assert (lot.id, lot.quantity, lot.basis) == ("b", 200, 6000)


def test_split_between_sale_and_replacement_spreads_over_new_shares() -> None:
    # 100 old shares sold at a loss; after a 2-for-1 split 200 new shares replace them, all 200 take the loss.
    led = book(
        ledger("""
        2024-12-01 buy  100 XYZ 50 id=a
        2025-01-10 sell 100 XYZ 30
        2025-01-15 split XYZ 2
        2025-01-20 buy  200 XYZ 14 id=b
        """)
    )
    (sale,) = led.dispositions
    assert sale.wash_sale_disallowed == 2000
    (lot,) = led.lots
    assert (lot.id, lot.quantity, lot.basis, lot.wash_sale_adjustment) == ("b", 200, 4800, 2000)


def economic_trades(draw_rows: list[tuple[int, bool, int, int]]) -> list[Trade]:
    events, held = never_oversold([(offset, is_buy, qty, price, 0) for offset, is_buy, qty, price in draw_rows])
    last = events[-1].date if events else date(2023, 1, 1)
    if held:  # close the position well after the last purchase so no later buy exists
        events.append(Trade(date=last + timedelta(days=40), symbol="XYZ", side="sell", quantity=D(held), price=D(7)))
    return events


rows = st.lists(st.tuples(st.integers(0, 400), st.booleans(), st.integers(1, 40), st.integers(1, 60)), max_size=25)


@settings(max_examples=100, deadline=None)
@given(rows)
def test_closed_position_gains_equal_economic_result(draw_rows: list[tuple[int, bool, int, int]]) -> None:
    events = economic_trades(draw_rows)
    ds = realize(events)
    cash = sum((t.quantity * t.price * (1 if t.side == "sell" else -1) for t in events), D(0))
    assert sum((d.gain for d in ds), D(0)) == cash


@settings(max_examples=100, deadline=None)
@given(rows)
def test_no_replacement_share_absorbs_two_losses(draw_rows: list[tuple[int, bool, int, int]]) -> None:
    events = [t.model_copy(update={"id": f"b{i}"}) for i, t in enumerate(economic_trades(draw_rows))]
    absorbed: dict[str, Decimal] = defaultdict(D)
    for d in realize(events):
        for reason in d.reasons:
            if reason.rule == "wash.disallowed":
                absorbed[str(reason.facts["replacement_lot"])] += D(str(reason.facts["shares"]))
    bought = {t.id: t.quantity for t in events if t.side == "buy"}
    assert all(shares <= bought[lot] for lot, shares in absorbed.items())
