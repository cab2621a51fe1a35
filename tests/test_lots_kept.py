"""Kept bookings (calc.booking.KEPT): after any edit, book() equals one booking of everything, row for row.

book() books each symbol on its own and keeps it; book_at_once() books the whole history in
one pass the way booking always did. Random histories over three symbols (sales capped at
what is held, now and then one that oversells, splits, an IRA account) go through random
edits as the chat makes them — add, edit, delete, undo, import, and sales on the last day
(which continue a kept booking from its end, as /whatif's do) — and after each the two
must agree: the same lots, the same dispositions in the same order with the same reasons,
the same income, or the same error.
"""

from __future__ import annotations

import dataclasses
import gc
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc import Split, Trade, book, booking
from calc.booking import KEPT, WASH_WINDOW, Ledger, book_at_once
from calc.cache import WeighedCache
from calc.errors import CalcError
from calc.models import Method
from tests.ledger import ledger

SYMBOLS = ("AAA", "BBB", "CCC")
START = date(2024, 1, 1)

trade_rows = st.tuples(
    st.integers(0, 240),  # day
    st.sampled_from(SYMBOLS),
    st.sampled_from(["buy", "buy", "sell", "sell", "split"]),
    st.integers(1, 60),  # shares
    st.integers(5, 60),  # price
    st.booleans(),  # in the IRA
    st.integers(0, 30),  # 0: sell more than held (the booking must fail the same way); 1-4: all that's held
)


@dataclass
class History:
    """Trades in the order entered, with ids as the chat gives them, and the versions for undo."""

    events: list[Trade | Split] = field(default_factory=list)
    held: dict[tuple[str, bool], int] = field(default_factory=dict)
    versions: list[list[Trade | Split]] = field(default_factory=list)
    number: int = 0

    def make(self, row: tuple[int, str, str, int, int, bool, int]) -> Trade | Split:
        day, symbol, side, shares, price, ira, oversell = row
        self.number += 1
        when = START + timedelta(days=day)
        if side == "split":
            return Split(date=when, symbol=symbol, ratio=D(2) if shares % 2 else D("0.5"), id=f"S{self.number}")
        account = (symbol, ira)
        if side == "sell":
            held = max(self.held.get(account, 0), 0)  # splits aren't counted: sales may fail after one
            if oversell == 0:
                shares += held
            elif oversell <= 4 and held:
                shares = held  # the position closed: bookings that differed before agree again after
            elif held == 0:
                side = "buy"
            else:
                shares = min(shares, held)
        self.held[account] = self.held.get(account, 0) + (shares if side == "buy" else -shares)
        return Trade(
            date=when,
            symbol=symbol,
            side=side,
            quantity=D(shares),
            price=D(price),
            account_type="ira" if ira else "taxable",
            account="IRA" if ira else None,
            id=f"T{self.number}",
        )

    def save(self, events: list[Trade | Split]) -> None:
        self.versions.append(self.events)
        self.events = events


edits = st.lists(
    st.tuples(
        st.sampled_from(["add", "add", "edit", "reprice", "delete", "undo", "import", "sell last", "sell last"]),
        st.integers(0, 10_000),  # which trade
        st.lists(trade_rows, min_size=1, max_size=6),  # new trades (add takes the first)
        st.integers(-3, 3),  # an edit's change of price and date
    ),
    max_size=12,
)


def outcome(
    booking: Callable[[Sequence[Trade | Split], Method], Ledger],
    events: Sequence[Trade | Split],
    method: Method = "fifo",
) -> Ledger | tuple[type, str]:
    """The ledger, or the error (its kind and its words) when the history can't be booked."""
    try:
        return booking(events, method)
    except CalcError as error:
        return type(error), str(error)


def edited(event: Trade | Split, change: int) -> Trade | Split:
    if isinstance(event, Split):
        return event.model_copy(update={"date": event.date + timedelta(days=change)})
    price = max(D(1), event.price + change)
    return event.model_copy(update={"price": price, "date": event.date + timedelta(days=change * 7)})


def apply(history: History, edit: tuple[str, int, list[tuple[int, str, str, int, int, bool, int]], int]) -> None:
    kind, which, rows, change = edit
    events = history.events
    if kind == "add":
        history.save([*events, history.make(rows[0])])
    elif kind == "sell last" and events:  # a sale on the last day (continues the kept booking)
        last = max(events, key=lambda event: event.date)
        history.number += 1
        sale = Trade(
            date=last.date + timedelta(days=change % 2),
            symbol=last.symbol,
            side="sell",
            quantity=D(rows[0][3]),
            price=D(rows[0][4]),
            id=f"T{history.number}" if which % 5 else "",  # the planner's what-if sale has no id
        )
        history.save([*events, sale])
    elif kind == "import":
        history.save([*events, *(history.make(row) for row in rows)])
    elif kind in ("edit", "reprice") and events:
        index = which % len(events)
        event = events[index]
        if kind == "reprice" and isinstance(event, Trade):  # its price only: it stays where it was
            event = event.model_copy(update={"price": max(D(1), event.price + change)})
        else:
            event = edited(event, change)
        history.save([*events[:index], event, *events[index + 1 :]])
    elif kind == "delete" and events:
        index = which % len(events)
        history.save([*events[:index], *events[index + 1 :]])
    elif kind == "undo" and history.versions:
        history.events = history.versions.pop()


def check_every_edit(
    start: list[tuple[int, str, str, int, int, bool, int]],
    changes: list[tuple[str, int, list[tuple[int, str, str, int, int, bool, int]], int]],
    method: Method,
) -> None:
    history = History()
    history.events = [history.make(row) for row in start]
    for change in [("add", 0, [], 0), *changes]:  # the first compares the starting history
        if change[2]:
            apply(history, change)
        events = tuple(history.events)
        assert outcome(book, events, method) == outcome(book_at_once, events, method)
        for part in {id(part): part for part in booking.LATEST.values()}.values():
            assert_whole(part)


def assert_whole(part: booking._Part) -> None:
    """A kept booking's rows are its runs' and nothing else, and each of its checkpoints (some taken
    over from an earlier booking it met, moved) counts the events, rows and runs before it."""
    runs_of = (
        (part.dispositions, part.disposition_runs, "dispositions", "disposition_runs"),
        (part.income, part.income_runs, "income", "income_runs"),
    )
    for rows, runs, counted, runs_counted in runs_of:
        assert [start for _, start, _ in runs] == [0, *(end for _, _, end in runs[:-1])][: len(runs)]
        assert (runs[-1][2] if runs else 0) == len(rows)
        assert [at for at, _, _ in runs] == sorted({at for at, _, _ in runs})
        for checkpoint in part.checkpoints:
            before = getattr(checkpoint, runs_counted)
            assert all(at < checkpoint.booked for at, _, _ in runs[:before])
            assert all(at >= checkpoint.booked for at, _, _ in runs[before:])
            assert getattr(checkpoint, counted) == (runs[before - 1][2] if before else 0)
    for checkpoint in part.checkpoints:
        assert checkpoint.last == part.events[checkpoint.booked - 1].date


@settings(max_examples=150, deadline=None)
@given(
    st.lists(trade_rows, max_size=40),
    edits,
    st.sampled_from(["fifo", "lifo", "hifo"]),
)
def test_kept_booking_equals_one_booking_after_every_edit(
    start: list[tuple[int, str, str, int, int, bool, int]],
    changes: list[tuple[str, int, list[tuple[int, str, str, int, int, bool, int]], int]],
    method: Method,
) -> None:
    check_every_edit(start, changes, method)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(trade_rows, max_size=60),
    edits,
    st.sampled_from(["fifo", "lifo", "hifo"]),
    st.integers(1, 6),
)
def test_booking_again_from_a_checkpoint_equals_one_booking_after_every_edit(
    start: list[tuple[int, str, str, int, int, bool, int]],
    changes: list[tuple[str, int, list[tuple[int, str, str, int, int, bool, int]], int]],
    method: Method,
    every: int,
) -> None:
    """Checkpoints every few events (the real spacing needs thousands): an edit, a delete, an
    undo or an import in the middle books again from the last checkpoint far enough before it,
    and stops at a later one where the state meets the earlier booking's (a repriced trade, or a
    position sold out, makes that common: about one change in five here)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(booking, "CHECKPOINT_COST", every)
        patch.setattr(booking, "CHECKPOINT_LOTS", 0)
        check_every_edit(start, changes, method)


def test_an_edit_in_the_middle_books_again_only_from_a_checkpoint_a_window_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(booking, "CHECKPOINT_COST", 10)
    starts: list[int] = []
    run = booking._run

    def spy(state: booking._Book, ordered: Sequence[Trade | Split], start: int = 0, *rest: object) -> booking._Part:
        starts.append(start)
        return run(state, ordered, start, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(booking, "_run", spy)
    history = History()
    # A purchase and a loss sale bought back every week for two years, one symbol.
    history.events = [
        history.make((day, "AAA", side, 10, 30 - (day % 7) if side == "sell" else 28, False, 1))
        for day in range(0, 730, 7)
        for side in ("buy", "sell")
    ]
    book(history.events)
    assert starts == [0]
    middle = len(history.events) // 2
    edited_day = history.events[middle].date
    apply(history, ("edit", middle, [(0, "AAA", "buy", 1, 1, False, 1)], 1))  # its price up 1, a week later
    starts.clear()
    changed = book(history.events)
    (restart,) = starts
    assert changed == book_at_once(history.events)
    assert 0 < restart < middle  # from a checkpoint, not from the start
    assert history.events[restart - 1].date + WASH_WINDOW < edited_day  # its last sale couldn't reach the edit
    assert middle - restart < 3 * 10  # the last one that could: a few checkpoints' worth of events at most


def test_a_change_books_only_the_symbol_it_touches() -> None:
    events = ledger("""
        2024-01-02 buy  100 AAA 20 id=a1
        2024-02-01 sell  50 AAA 15 id=a2
        2024-02-10 buy   50 AAA 14 id=a3
        2024-01-03 buy  100 BBB 30 id=b1
        2024-03-01 sell 100 BBB 25 id=b2
        2024-01-04 buy   10 CCC 10 id=c1
    """)
    book(events)
    before = KEPT.misses
    added = ledger("2024-03-15 buy 100 BBB 24 id=b3")
    changed = book([*events, *added])
    assert KEPT.misses == before + 1  # BBB again; AAA and CCC came from the kept parts
    # ... and the bought-back BBB shares carry the disallowed loss, as one booking says.
    assert changed == book_at_once([*events, *added])
    (bbb_sale,) = (d for d in changed.dispositions if d.symbol == "BBB")
    assert bbb_sale.wash_sale_disallowed == 500


def test_the_first_error_in_date_order_wins_whichever_symbol_it_is_in() -> None:
    events = ledger("""
        2024-01-02 buy  10 AAA 20 id=a1
        2024-03-01 sell 20 AAA 15 id=a2
        2024-01-03 buy  10 BBB 30 id=b1
        2024-02-01 sell 30 BBB 25 id=b2
    """)
    assert "2024-03-01" in str(outcome(book, [e for e in events if e.symbol == "AAA"]))  # kept first
    assert outcome(book, events) == outcome(book_at_once, events)
    assert "2024-02-01" in str(outcome(book, events))


def test_sales_continuing_a_kept_booking_leave_it_as_it_was() -> None:
    """/whatif books the history plus one sale, again and again: each continues from the kept
    booking's end, so each must leave that end untouched (here the sale's loss goes into the
    purchase of 2024-03-05, which can absorb only one loss)."""
    events = ledger("""
        2024-01-02 buy  100 AAA 50 id=a
        2024-03-05 buy  100 AAA 45 id=b
    """)
    book(events)
    for _ in range(2):
        what_if = [*events, *ledger("2024-03-10 sell 100 AAA 30")]  # a new sale each time, no id
        result = book(what_if)
        assert result == book_at_once(what_if)
        (sale,) = result.dispositions
        assert sale.wash_sale_disallowed == 2000
        (lot,) = result.lots
        assert (lot.id, lot.basis, lot.wash_sale_adjustment) == ("b", 6500, 2000)


def test_a_checkpoint_knows_the_later_purchases_that_already_replaced_a_loss(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loss sale just before the checkpoint moved its loss into a purchase after it (b): booking
    again from the checkpoint must know b has no shares left to replace the next loss (2024-01-16)."""
    monkeypatch.setattr(booking, "CHECKPOINT_COST", 1)  # a checkpoint after every event
    monkeypatch.setattr(booking, "CHECKPOINT_LOTS", 0)
    events = ledger("""
        2024-01-01 buy  20 AAA 50 id=a
        2024-01-11 sell 10 AAA 40 id=s1
        2024-01-16 sell 10 AAA 40 id=s2
        2024-01-21 buy  10 AAA 45 id=b
        2024-02-14 buy   1 AAA 45 id=c source=inherited
    """)
    first = book(events)
    (s1, s2) = first.dispositions
    assert (s1.wash_sale_disallowed, s2.wash_sale_disallowed) == (100, 0)  # b replaced s1's shares only
    # c changed (inherited: it replaces no loss): the last checkpoint more than the window before
    # it is the one after s1, which must carry b's used shares.
    edited = [*events[:-1], events[-1].model_copy(update={"price": D(46)})]
    assert book(edited) == book_at_once(edited) == replace_last_lot_basis(first, D(46))


def replace_last_lot_basis(ledger: Ledger, basis: D) -> Ledger:
    *lots, last = ledger.lots
    return Ledger(lots=(*lots, dataclasses.replace(last, basis=basis)), dispositions=ledger.dispositions)


def small_user(number: int) -> list[Trade | Split]:
    """A retail user: two funds, bought twice and sold once each."""
    return ledger(
        "\n".join(
            f"2024-0{month}-0{1 + number % 9} {side} 10 {fund} {20 + number % 7 + month} id=u{number}{fund}{month}"
            for fund in ("VTI", "VXUS")
            for month, side in ((1, "buy"), (2, "buy"), (3, "sell"))
        )
    )


def test_many_small_users_keep_the_cache_within_its_bound_dropping_the_least_recently_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = WeighedCache[booking._Part](max_weight=2_000)
    monkeypatch.setattr(booking, "KEPT", cache)
    users = [small_user(number) for number in range(300)]
    for number, events in enumerate(users):
        book(events)
        if number % 10 == 0:  # one user keeps sending messages: always kept, never booked again
            missed = cache.misses
            book(users[0])
            assert number == 0 or cache.misses == missed
        assert cache.weight <= cache.max_weight
    # Full: each fund's booking weighs 8 (3 whatever its size, its 3 trades, the lot left, the sale's row).
    assert cache.weight > cache.max_weight - 8
    assert len(cache) == cache.weight // 8

    def kept(events: list[Trade | Split]) -> bool:
        funds = [[event for event in events if event.symbol == fund] for fund in ("VTI", "VXUS")]
        return all(cache.get(("fifo", *map(id, fund))) is not None for fund in funds)

    latest = users[-(len(cache) // 2 - 1) :]
    assert kept(users[0]) and all(map(kept, latest))  # the active one and the latest
    assert not any(map(kept, users[1 : -len(latest)]))  # everyone else, not heard from since: dropped


def test_a_small_users_booking_weighs_what_it_costs_in_the_cache() -> None:
    """The bound is about 1 KB a weight unit: many users who each traded a few symbols once must not
    fill it with several times that (a booking's own objects cost more than its one trade and lot)."""
    users = [[*small_user(number)[:1], *small_user(number)[3:4]] for number in range(200)]  # one trade a fund
    KEPT.clear()
    gc.collect()
    tracemalloc.start()
    try:
        for events in users:
            book(events)
        used = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(KEPT) == 400
    assert used / KEPT.weight < 1_024
