"""Booking again after a change stops where the new state meets the earlier booking's (issue 18).

A change in the middle of a long symbol books again from a checkpoint before it; at each later
checkpoint of the earlier booking the new state is compared with the one kept there, and where
they are the same (open lots, losses waiting for a purchase, the shares purchases have left to
replace a loss, the parts split off them), the earlier booking's rows from there on are the new
ones. The property tests in test_lots_kept.py run random edits through this; here are ledgers where
the states meet, and ones where they nearly do but must not: each of those books a later row
differently. Checkpoints after every event (the real spacing needs thousands of rows).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from calc import Split, Trade, book, booking
from calc.booking import Ledger, book_at_once
from tests.ledger import ledger


@pytest.fixture(autouse=True)
def checkpoints_after_every_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(booking, "CHECKPOINT_COST", 1)
    monkeypatch.setattr(booking, "CHECKPOINT_LOTS", 0)


@pytest.fixture
def meetings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, bool]]]:
    """Each comparison with the earlier booking: (the position, whether the states were the same)."""
    seen: list[tuple[int, bool]] = []
    agrees = booking._Meeting.agrees

    def spy(self: booking._Meeting, state: booking._Book, booked: int) -> bool:
        same = agrees(self, state, booked)
        seen.append((booked, same))
        return same

    monkeypatch.setattr(booking._Meeting, "agrees", spy)
    yield seen


def changed(events: list[Trade | Split], at: int, **update: object) -> list[Trade | Split]:
    return [*events[:at], events[at].model_copy(update=update), *events[at + 1 :]]


def booked_again(events: list[Trade | Split]) -> Ledger:
    """book() of a changed history (from what the previous booking kept), checked row for row
    against one booking of everything."""
    result = book(events)
    assert result == book_at_once(events)
    return result


def test_a_repriced_sale_at_a_gain_books_no_further_than_itself(meetings: list[tuple[int, bool]]) -> None:
    # Ten shares bought every other day at 20, five sold on the days between at 30: gains, no wash sales.
    lines = [
        f"2024-03-{day + 1:02d} {'buy 10' if day % 2 == 0 else 'sell 5'} AAA {20 if day % 2 == 0 else 30}"
        for day in range(30)
    ]
    events = ledger("\n".join(f"{line} id=t{at}" for at, line in enumerate(lines)))
    before = book(events)
    after = changed(events, 15, price=D(31))  # a sale: its own row changes, the lots don't
    result = booked_again(after)
    assert meetings == [(16, True)]  # met at the first checkpoint after it
    assert result.dispositions[7].proceeds == 155 and before.dispositions[7].proceeds == 150
    assert all(new is old for new, old in zip(result.dispositions[8:], before.dispositions[8:], strict=True))


def test_a_deleted_trade_meets_again_once_the_position_is_closed_a_window_later(
    meetings: list[tuple[int, bool]],
) -> None:
    events = ledger("""
        2024-01-02 buy  100 AAA 20 id=a
        2024-01-10 sell  40 AAA 25 id=b
        2024-02-01 sell  60 AAA 26 id=c
        2024-03-15 buy   50 AAA 30 id=d
        2024-03-20 sell  10 AAA 25 id=x
        2024-04-01 buy   20 AAA 31 id=e
        2024-04-20 buy   10 AAA 29 id=f
        2024-04-25 sell  40 AAA 28 id=g
    """)
    book(events)
    deleted = [e for e in events if e.id != "b"]
    deleted = changed(deleted, 1, quantity=D(100))  # the rest sold on Feb 1 instead
    booked_again(deleted)
    # Positions moved by one; from d on, nothing before the change is held or within a sale's reach.
    assert meetings == [(2, True)]
    # The checkpoints taken over from the earlier booking hold its state at its positions: a change
    # after them books again from one of them, here the one after x, whose loss waits for e's shares.
    meetings.clear()
    later = changed(deleted, 6, price=D(27))
    result = booked_again(later)
    # x's $50 loss waited for e (e.1's 10 shares); g's $120 went a quarter each to e's other 10 and f.
    assert [(lot.id, lot.wash_sale_adjustment) for lot in result.lots] == [("e", 30), ("e.1", 50), ("f", 30)]
    assert not meetings  # g was the last event: nothing to meet after it


def test_moved_positions_never_meet_where_rows_are_named_by_position(meetings: list[tuple[int, bool]]) -> None:
    """Trades without ids (a what-if's sale) are named by their place ("t4"): once an earlier trade is
    deleted, the same trades after it have other names, so the earlier rows can't be the new ones."""
    events = ledger("""
        2024-01-02 buy  100 AAA 20
        2024-01-10 sell  40 AAA 25
        2024-02-01 sell  60 AAA 26
        2024-03-15 buy   50 AAA 30
        2024-04-01 sell  20 AAA 31
        2024-05-01 sell  30 AAA 20
    """)
    book(events)
    deleted = [*events[:1], events[2].model_copy(update={"quantity": D(100)}), *events[3:]]
    result = booked_again(deleted)
    assert [d.sale_id for d in result.dispositions] == ["t1", "t3", "t4"]
    assert not meetings


def test_a_replacement_with_other_shares_left_to_replace_a_loss_is_not_met(
    meetings: list[tuple[int, bool]],
) -> None:
    """The same lots after s1 either way, but the IRA purchase r replaced s1's loss when s1 lost
    (for good: no basis moves into an IRA), so it has no shares left for s2's."""
    events = ledger("""
        2024-01-02 buy  20 AAA 50 id=a
        2024-01-03 buy  10 AAA 50 id=r account=IRA account_type=ira
        2024-01-10 sell 10 AAA 40 id=s1 lots=a:10
        2024-01-12 sell 10 AAA 40 id=s2 lots=a:10
    """)
    first = book(events)
    assert [d.wash_sale_disallowed for d in first.dispositions] == [100, 0]
    at_a_gain = changed(events, 2, price=D(60))
    result = booked_again(at_a_gain)
    assert [d.wash_sale_disallowed for d in result.dispositions] == [0, 100]
    assert meetings == [(3, False)]


def test_a_loss_waiting_for_a_later_purchase_that_differs_is_not_met(meetings: list[tuple[int, bool]]) -> None:
    """After s1 nothing is held either way, but s1's disallowed loss waits for b's shares: $100 or $50."""
    events = ledger("""
        2024-01-02 buy  10 AAA 50 id=a
        2024-01-10 sell 10 AAA 40 id=s1
        2024-01-20 buy  10 AAA 45 id=b
    """)
    book(events)
    smaller_loss = changed(events, 1, price=D(45))
    result = booked_again(smaller_loss)
    (lot,) = result.lots
    assert (lot.basis, lot.wash_sale_adjustment) == (500, 50)
    assert meetings == [(2, False)]


def test_a_purchase_split_into_other_parts_is_not_met(meetings: list[tuple[int, bool]]) -> None:
    """Either way, after s3 a and b hold 6 shares each with the same basis and b has replaced 4
    shares' loss; but b's losses were split off in two parts (b.1, b.2) or in one (b.1), so the
    part s4's loss splits off next is b.3 or b.2."""
    events = ledger("""
        2024-01-02 buy  10 AAA 50 id=a
        2024-01-03 buy  10 AAA 50 id=b
        2024-01-10 sell  2 AAA 40 id=s1 lots=a:2
        2024-01-11 sell  2 AAA 40 id=s2 lots=a:2
        2024-01-12 sell  4 AAA 60 id=s3 lots=b.1:2,b.2:2
        2024-01-13 sell  2 AAA 40 id=s4 lots=a:2
    """)
    first = book(events)
    one_part = [
        *events[:2],
        *ledger("""
            2024-01-10 sell  4 AAA 40 id=s1 lots=a:4
            2024-01-11 sell  2 AAA 60 id=s2 lots=b.1:2
            2024-01-12 sell  2 AAA 60 id=s3 lots=b.1:2
        """),
        events[-1],
    ]
    result = booked_again(one_part)
    assert {lot.id for lot in first.lots} == {"a", "b", "b.3"}
    assert {lot.id for lot in result.lots} == {"a", "b", "b.2"}
    assert meetings == [(5, False)]


def test_a_number_written_otherwise_is_not_met(meetings: list[tuple[int, bool]]) -> None:
    """20 and 20.0 are equal, but every row after shows the one it was booked with."""
    events = ledger("""
        2024-01-02 buy  10 AAA 20 id=a
        2024-01-03 buy  10 AAA 21 id=b
        2024-03-10 sell 10 AAA 30 id=s1
        2024-03-11 sell 10 AAA 30 id=s2
    """)
    book(events)
    written_otherwise = changed(events, 0, price=D("20.0"))
    result = book(written_otherwise)
    assert repr(result) == repr(book_at_once(written_otherwise))
    assert str(result.dispositions[0].basis) == "200.0"
    assert meetings == [(1, False), (2, False), (3, True)]  # a sold: from there the states are the same


def test_a_change_to_the_first_trade_meets_the_booking_kept_by_its_last(meetings: list[tuple[int, bool]]) -> None:
    lines = [
        f"2024-02-{day + 1:02d} {'buy' if day % 2 == 0 else 'sell'} 10 AAA {20 + day} id=t{day}" for day in range(20)
    ]
    events = ledger("\n".join(lines))
    before = book(events)
    after = changed(events, 0, price=D(19))
    result = booked_again(after)
    assert meetings == [(1, False), (2, True)]  # its lot differs until the sale the next day
    assert (result.dispositions[0].basis, before.dispositions[0].basis) == (190, 200)
    assert all(new is old for new, old in zip(result.dispositions[1:], before.dispositions[1:], strict=True))


def test_a_later_purchase_with_other_shares_left_to_replace_a_loss_is_not_met(
    meetings: list[tuple[int, bool]],
) -> None:
    """s1's loss used r's shares (an IRA purchase after it: disallowed for good, nothing waits for r),
    so before s2 the lots are the same either way but r has shares left to replace s2's loss only
    when s1 gained."""
    events = ledger("""
        2024-01-02 buy  20 AAA 50 id=a
        2024-01-10 sell 10 AAA 40 id=s1
        2024-01-12 sell 10 AAA 40 id=s2
        2024-01-20 buy  10 AAA 45 id=r account=IRA account_type=ira
    """)
    assert [d.wash_sale_disallowed for d in book(events).dispositions] == [100, 0]
    at_a_gain = changed(events, 1, price=D(60))
    result = booked_again(at_a_gain)
    assert [d.wash_sale_disallowed for d in result.dispositions] == [0, 100]
    assert meetings == [(2, False), (3, True)]  # after s2, r's shares are used up either way


def test_a_lot_whose_reasons_differ_is_not_met(meetings: list[tuple[int, bool]]) -> None:
    """a bought and sold a day later: the same loss moves into the same shares of b, held as long,
    but b.1's reason names the other sale's day, and so will the row that sells it."""
    events = ledger("""
        2024-01-02 buy  10 AAA 50 id=a
        2024-01-05 buy  20 AAA 45 id=b
        2024-01-10 sell 10 AAA 40 id=s1
        2024-02-20 sell 10 AAA 60 id=s2 lots=b.1:10
    """)
    book(events)
    a_day_later = [
        events[0].model_copy(update={"date": events[0].date + timedelta(days=1)}),
        events[1],
        events[2].model_copy(update={"date": events[2].date + timedelta(days=1)}),
        events[3],
    ]
    result = booked_again(a_day_later)
    assert meetings == [(3, False)]
    (_, sale) = result.dispositions
    assert date(2024, 1, 11) in next(r for r in sale.reasons if r.rule == "wash.basis_added").facts.values()


def test_a_checkpoint_met_after_a_moved_date_reaches_from_that_date(meetings: list[tuple[int, bool]]) -> None:
    """s moved from Jan 10 to Feb 20 (still before c): nothing is held after it either way, so the
    bookings meet at the checkpoint after s. That checkpoint's sales now reach to Mar 21, so a purchase
    added on Mar 5 must book s again (its loss moves into the purchase), not go on from there."""
    events = ledger("""
        2024-01-02 buy  10 AAA 20 id=a
        2024-01-10 sell 10 AAA 15 id=s
        2024-04-15 buy  10 AAA 22 id=c
        2024-04-20 sell  5 AAA 30 id=t
    """)
    book(events)
    moved = changed(events, 1, date=date(2024, 2, 20))
    booked_again(moved)
    assert meetings == [(2, True)]
    bought_back = [*moved[:2], *ledger("2024-03-05 buy 10 AAA 16 id=p"), *moved[2:]]
    result = booked_again(bought_back)
    assert result.dispositions[0].wash_sale_disallowed == 50
