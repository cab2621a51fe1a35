"""Which reminders a user is due, computed from their data (pure: no clock, no sending).

- Year end: December 1 and 15 — gains so far, losses available to harvest, the last trading day.
- Long-term crossover: a lot with an unrealized gain turning long-term — `reminder_days` before (7 by default) and on the day.
- Wash-sale window: after a loss sale, the first day buying back is no longer a wash sale.
Each reminder has a stable key, so it is sent once however often it is recomputed. Its text is
Telegram HTML like every other reply (conversations/markup.py): a bold heading, the rest escaped.
Which reminders and when (`upcoming`) is cheap; the text (`reminders`) figures tax, so a
sender plans with the first and writes the text when the reminder goes out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from calc import CalcError, Ledger, UnsupportedYear
from calc.booking import WASH_WINDOW
from calc.models import ZERO, Lot
from calc.planner import unrealized
from calc.years import YearView
from conversations.formatting import Fmt
from conversations.markup import headed, plain
from conversations.prices import DEFAULT_SOURCE
from conversations.state import UserState
from conversations.taxview import ledger_for, tax_known, year_tax

YEAR_END_DAYS = ((12, 1), (12, 15))


@dataclass(frozen=True)
class Due:
    """A reminder's identity and day, without its text."""

    key: str  # stable: kind, subject and date
    kind: str  # "year_end" | "long_term" | "wash_window"
    on: date


@dataclass(frozen=True)
class Reminder(Due):
    text: str  # Telegram HTML: sent in HTML parse mode

    @property
    def plain(self) -> str:
        """The text as a screen without formatting shows it (the operators' dry run)."""
        return plain(self.text)


def last_trading_day(year: int) -> date:
    """December 31, or the weekday before it (the trade date decides the tax year)."""
    day = date(year, 12, 31)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def upcoming(state: UserState, start: date, end: date) -> list[Due]:
    """Every reminder with a date from `start` to `end` inclusive, without figuring its text."""
    return [due for due, _ in _found(state, start, end)]


def reminders(state: UserState, start: date, end: date) -> list[Reminder]:
    """Every reminder with a date from `start` to `end` inclusive, with its text."""
    return [Reminder(due.key, due.kind, due.on, text()) for due, text in _found(state, start, end)]


Views = Callable[[int], "YearView | None"]
Text = Callable[[], str]


def _found(state: UserState, start: date, end: date) -> list[tuple[Due, Text]]:
    """Each reminder in the range with what writes its text, in date order; nothing is written yet."""
    if not state.profile.reminders or not state.trades:
        return []
    try:
        ledger = ledger_for(state)
    except CalcError:
        return []
    fmt = Fmt(state.profile.locale)
    views: dict[int, YearView | None] = {}

    def view(year: int) -> YearView | None:
        """The year's tax picture, figured once per call however many texts need it."""
        if year not in views:
            try:
                views[year] = year_tax(state, ledger, year)
            except UnsupportedYear:
                views[year] = None
        return views[year]

    found = [
        *_year_end(state, ledger, view, fmt, start, end),
        *_long_term(state, ledger, view, fmt, start, end),
        *_wash_window(ledger, fmt, start, end),
    ]
    return sorted((r for r in found if start <= r[0].on <= end), key=lambda r: (r[0].on, r[0].key))


def _year_end(
    state: UserState, ledger: Ledger, view: Views, fmt: Fmt, start: date, end: date
) -> list[tuple[Due, Text]]:
    out: list[tuple[Due, Text]] = []
    for year in range(start.year, end.year + 1):
        for month, day in YEAR_END_DAYS:
            on = date(year, month, day)
            # Only for a year the engine can figure: the text is about that year's tax.
            if start <= on <= end and tax_known(state, year):
                due = Due(key=f"year_end:{on.isoformat()}", kind="year_end", on=on)
                out.append((due, partial(_year_end_text, state, ledger, view, fmt, on)))
    return out


def _year_end_text(state: UserState, ledger: Ledger, views: Views, fmt: Fmt, on: date) -> str:
    year = on.year
    view = views(year)
    assert view is not None, "a year-end reminder is only planned for a year the engine knows"
    limit = view.loss_limit
    s = view.summary
    lines = [
        f"Realized so far: {fmt.money(s.short_term_net)} short-term and {fmt.money(s.long_term_net)} long-term "
        f"(estimated tax they add: {fmt.money(view.added)})."
    ]
    prices = DEFAULT_SOURCE.prices(state, {lot.symbol for lot in ledger.lots})
    losses = -sum((gain for _, _, gain in unrealized(ledger, prices) if gain < 0), ZERO)
    if losses:
        lines.append(
            f"Unrealized losses you could harvest: {fmt.money(losses)} at your last prices. Losses offset gains, then up to "
            f"{fmt.money(limit)} of other income; the rest carries forward. Don't buy the same stock within {WASH_WINDOW.days} days "
            "before or after a loss sale (wash sale). /harvest has details."
        )
    lines.append(
        f"The last trading day of {year} is {fmt.day(last_trading_day(year))}: the trade date decides the tax year."
    )
    return headed(f"Year-end check for {year}", *lines)


def _long_term(
    state: UserState, ledger: Ledger, views: Views, fmt: Fmt, start: date, end: date
) -> list[tuple[Due, Text]]:
    ahead = state.profile.reminder_days
    prices = DEFAULT_SOURCE.prices(state, {lot.symbol for lot in ledger.lots})
    out: list[tuple[Due, Text]] = []
    for lot, price, gain in unrealized(ledger, prices):
        if gain <= 0:
            continue
        crossing = lot.long_term_from
        for on, when in ((crossing - timedelta(days=ahead), "before"), (crossing, "on")):
            if start <= on <= end:
                due = Due(key=f"long_term:{lot.id}:{when}:{crossing.isoformat()}", kind="long_term", on=on)
                out.append((due, partial(_long_term_text, lot, price, when, on, views, fmt)))
    return out


def _long_term_text(lot: Lot, price: Decimal, when: str, on: date, views: Views, fmt: Fmt) -> str:
    crossing = lot.long_term_from
    # Selling now (the day before the crossing, for the reminder on the day) is short-term on that
    # day's return; waiting puts a long-term gain on the crossing year's, which may be the next one.
    sold_now = on if when == "before" else crossing - timedelta(days=1)
    saving = _saving_by_waiting(views(sold_now.year), views(crossing.year), lot.quantity * price - lot.basis)
    head = (
        f"Your {fmt.shares(lot.quantity)} {lot.symbol} bought {fmt.day(lot.purchased)} turn long-term today."
        if when == "on"
        else f"Your {fmt.shares(lot.quantity)} {lot.symbol} bought {fmt.day(lot.purchased)} turn long-term on "
        f"{fmt.day(crossing)}. Selling before then is short-term."
    )
    tail = f" At {fmt.money(price)}, waiting saves about {fmt.money(saving)} of tax" if saving > 0 else ""
    if tail and sold_now.year != crossing.year:
        tail += f" (the sale then goes on your {crossing.year} return instead of {sold_now.year}'s)"
    heading = f"{lot.symbol} turns long-term " + ("today" if when == "on" else f"on {fmt.day(crossing)}")
    return headed(heading, head + tail + ("." if tail else ""))


def _saving_by_waiting(now: YearView | None, then: YearView | None, gain: Decimal) -> Decimal:
    if now is None or then is None:
        return ZERO
    return now.cost_of(gain, "short") - then.cost_of(gain, "long")


def _wash_window(ledger: Ledger, fmt: Fmt, start: date, end: date) -> list[tuple[Due, Text]]:
    out: list[tuple[Due, Text]] = []
    seen: set[tuple[str, date]] = set()
    after = WASH_WINDOW + timedelta(days=1)
    # Rows come in date order (booking is one pass, oldest first): only the last few can open a
    # window that ends in the range, so the scan stops at the first sale too old for it.
    first, last = start - after, end - after  # the sale days whose window ends in the range
    for d in reversed(ledger.dispositions):
        if d.sold < first:
            break
        if d.sold > last or (d.symbol, d.sold) in seen or d.proceeds >= d.basis:  # only a loss opens a window
            continue
        seen.add((d.symbol, d.sold))
        safe = d.sold + after
        due = Due(key=f"wash_window:{d.symbol}:{d.sold.isoformat()}", kind="wash_window", on=safe)
        out.append((due, partial(_wash_window_text, d.symbol, d.sold, fmt)))
    return out


def _wash_window_text(symbol: str, sold: date, fmt: Fmt) -> str:
    return headed(
        f"{symbol}: the wash-sale window is over",
        f"From today you can buy {symbol} again without a wash sale: it's {WASH_WINDOW.days + 1} days since you "
        f"sold it at a loss on {fmt.day(sold)}.",
    )
