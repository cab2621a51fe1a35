"""The whole history's ledger kept (calc.booking.WHOLE): asked again, it is not sorted and merged
again; with events added at its end, only their symbols are booked and the rows merged again
only from the first that changed. Either way it is row for row what one booking of everything
gives (book_at_once): the same rows, in the same order, with the same reasons, down to the repr
(a Decimal's exponent included)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc import Split, Trade, book, booking
from calc.booking import KEPT, WHOLE, WHOLES, Ledger, book_at_once, kept_symbols
from calc.errors import CalcError
from calc.models import Method
from calc.years import summed, totals_of
from tests.ledger import ledger
from tests.test_lots_kept import History, trade_rows

Row = tuple[int, str, str, int, int, bool, int]


def same(events: Sequence[Trade | Split], method: Method = "fifo") -> Ledger | None:
    """book() and book_at_once() agree, to the repr; the ledger, or None when both fail alike."""
    try:
        expected = book_at_once(events, method)
    except CalcError as error:
        with pytest.raises(type(error)) as raised:
            book(events, method)
        assert str(raised.value) == str(error)
        return None
    got = book(events, method)
    assert repr(got) == repr(expected)
    return got


@settings(max_examples=150, deadline=None)
@given(
    st.lists(trade_rows, max_size=40),
    st.lists(st.tuples(st.lists(trade_rows, min_size=1, max_size=4), st.integers(-3, 40)), max_size=10),
    st.sampled_from(["fifo", "lifo", "hifo"]),
    st.integers(0, 6),
)
def test_events_added_at_the_end_give_one_booking_of_everything(
    start: list[Row], batches: list[tuple[list[Row], int]], method: Method, every: int
) -> None:
    """Batches of events added at the end (dated from a few days before the last to weeks after it: a
    back-dated one books everything again), each asked for twice, some with checkpoints every few events
    (a symbol booked again from one makes rows equal to the kept ones, not the same objects)."""
    with pytest.MonkeyPatch.context() as patch:
        if every:
            patch.setattr(booking, "CHECKPOINT_COST", every)
            patch.setattr(booking, "CHECKPOINT_LOTS", 0)
        history = History()
        history.events = [history.make(row) for row in start]
        same(tuple(history.events), method)
        for rows, after in batches:
            last = max((event.date for event in history.events), default=booking.date(2024, 1, 1))
            added = [history.make(row) for row in rows]
            day = last + timedelta(days=after)
            history.events = [*history.events, *(event.model_copy(update={"date": day}) for event in added)]
            events = tuple(history.events)
            first = same(events, method)
            assert same(events, method) is first or first is None  # the same ledger, not merged again


def test_asked_again_the_same_ledger_comes_back_until_its_parts_are_dropped() -> None:
    events = ledger("""
        2024-01-02 buy  100 AAA 20 id=a1
        2024-01-03 buy  100 BBB 30 id=b1
        2024-02-01 sell  50 AAA 15 id=a2
    """)
    first = book(events)
    assert book(list(events)) is first  # another list of the same trades
    KEPT.clear()  # as after a restart
    again = book(events)
    assert again is not first and again == first


def test_a_purchase_added_at_the_end_merges_again_only_from_the_sale_it_replaces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The purchase makes the AAA sale ten days before it a wash sale: the rows before that sale are
    the ones kept (the other symbols' too), the rest merged again."""
    events = ledger("""
        2024-01-02 buy  100 AAA 20 id=a1
        2024-01-03 buy  100 BBB 30 id=b1
        2024-01-10 sell  10 BBB 35 id=b2
        2024-02-01 sell  50 AAA 15 id=a2
        2024-02-05 sell  10 BBB 36 id=b3
    """)
    before = book(events)
    froms: list[int] = []
    merge = booking._Merge.from_

    def spy(self: booking._Merge, position: int, runs: list[booking.Run]) -> booking._Merge:
        froms.append(position)
        return merge(self, position, runs)

    monkeypatch.setattr(booking._Merge, "from_", spy)
    added = ledger("2024-02-11 buy 50 AAA 14 id=a3")
    after = book([*events, *added])
    assert repr(after) == repr(book_at_once([*events, *added]))
    assert froms == [3, 3]  # dispositions, income: from the AAA sale, the fourth event in date order
    assert after.dispositions[1] != before.dispositions[1]  # AAA's sale, now a wash sale
    assert after.dispositions[0] is before.dispositions[0]  # BBB's first sale: its row kept
    (washed,) = (d for d in after.dispositions if d.symbol == "AAA")
    assert washed.wash_sale_disallowed == 250


def test_a_back_dated_event_books_the_history_as_usual(monkeypatch: pytest.MonkeyPatch) -> None:
    events = ledger("""
        2024-01-02 buy  100 AAA 20 id=a1
        2024-03-01 sell  50 AAA 15 id=a2
        2024-01-03 buy  100 BBB 30 id=b1
    """)
    book(events)
    grown: list[object] = []

    def spy(*args: Any) -> booking._Whole:
        grown.append(args[3])
        return booking_whole(*args)

    monkeypatch.setattr(booking, "_whole", spy)
    added = ledger("2024-02-15 buy 10 BBB 31 id=b2")  # before the last event: positions move
    got = book([*events, *added])
    assert grown == [None]  # merged from every part, not from the kept rows
    assert repr(got) == repr(book_at_once([*events, *added]))


booking_whole = booking._whole


def test_histories_sharing_a_first_trade_are_kept_side_by_side() -> None:
    """The trades up to a day (a sale's check of the shares held then) and a symbol's own trades start
    with the user's first trade too; asking for them doesn't push the whole history out."""
    events = ledger("""
        2024-01-02 buy  100 AAA 20 id=a1
        2024-01-03 buy  100 BBB 30 id=b1
        2024-02-01 sell  50 AAA 15 id=a2
        2024-03-01 sell  50 BBB 35 id=b2
    """)
    whole = book(events)
    book(events[:2])
    book([e for e in events if e.symbol == "AAA"])
    assert book(events) is whole
    assert len(WHOLE.get(("fifo", id(events[0]))) or ()) == 3
    # Trades checked but not saved (refused, or waiting for a yes): the history without them is still
    # kept, however many were tried (the user's next message is over it).
    for price in range(30, 30 + 2 * WHOLES):
        book([*events, *ledger(f"2024-03-02 buy 10 BBB {price} id=b3")])
        assert book(events) is whole


def test_a_years_sales_are_found_by_their_dates() -> None:
    events = ledger("""
        2023-06-01 buy  100 AAA 20 id=a1
        2023-12-31 sell  10 AAA 25 id=a2
        2024-01-01 buy  100 BBB 30 id=b1
        2024-01-01 sell  10 AAA 26 id=a3
        2024-06-30 sell  10 BBB 25 id=b2
        2024-12-31 sell  10 BBB 28 id=b3
        2025-01-01 sell  10 AAA 30 id=a4
    """)
    booked = book(events)
    for year in range(2022, 2027):
        assert booked.sold_in(year) == tuple(d for d in booked.dispositions if d.sold.year == year)
    assert [d.sale_id for d in booked.sold_in(2024)] == ["a3", "b2", "b3"]


def test_a_kept_historys_totals_come_from_its_own_groups() -> None:
    """summed() takes a kept history's symbols as booked (no grouping again), with or without one of them."""
    events = ledger("""
        2023-06-01 buy  100 AAA 20 id=a1
        2023-07-01 buy  100 BBB 30 id=b1
        2024-01-10 sell  40 AAA 26 id=a2
        2024-02-01 sell  50 BBB 25 id=b2
        2024-02-20 buy   10 BBB 24 id=b3
        2025-03-01 sell  30 AAA 18 id=a3
    """)
    book(events)
    assert kept_symbols(events) is not None
    assert summed(events) == totals_of(book_at_once(events))
    others = [e for e in events if e.symbol != "AAA"]
    assert summed(events, leaving_out="AAA") == totals_of(book_at_once(others))
    assert summed(events, leaving_out="BBB") == totals_of(book_at_once([e for e in events if e.symbol == "AAA"]))
