"""/trades: every trade, newest first, a phone screen at a time (conversations/paging.py).

The summary says how many trades there are and over which dates, lists the splits told, how to
change or delete one, and as many of the newest trades as fit; its button pages through all of
them ("Trades 16–30 of 412"), under a heading for each year. Pages are made when pressed, from the
trades as they are then.
"""

from __future__ import annotations

from functools import partial
from operator import attrgetter

from calc import Trade
from conversations import paging, splits
from conversations.formatting import Fmt
from conversations.kernel import Ctx, Handler, Outcome, say
from conversations.markup import bold, escape, plain
from conversations.trading import number_of, short_trade

TRADES = ("trade", "trades")
HOW_TO_CHANGE = "Change one: /edit 3 price 21.50 (or date, shares, fees, symbol). Delete one: /delete 3."
NO_TRADES = "No trades yet. Record one with /buy or /sell."
MAX_SPLITS_SHOWN = 5  # the latest told; a file's many splits would crowd out the trades


def list_trades(ctx: Ctx, _: str) -> Outcome:
    view = _trades_view(ctx, "")
    return say(ctx, view) if isinstance(view, str) else paging.answer(ctx, view)


def newest_first(trades: tuple[Trade, ...]) -> list[Trade]:
    """By trade date, the latest first; trades of one day in the reverse of the order entered (the sort
    keeps the order of equal dates, here reversed)."""
    return sorted(reversed(trades), key=attrgetter("date"), reverse=True)


def _trades_view(ctx: Ctx, _: str) -> paging.Paged | str:
    state, fmt = ctx.state, ctx.fmt
    if not state.trades:
        return NO_TRADES
    trades = newest_first(state.trades)
    lines = [
        f"{fmt.counted(len(trades), 'trade')} from {fmt.day(trades[-1].date)} to {fmt.day(trades[0].date)}, "
        "newest first."
    ]
    if state.splits:
        told = [f"#{s.id[1:]} {splits.short_split(fmt, s)}" for s in state.splits[-MAX_SPLITS_SHOWN:]]
        more = len(state.splits) - len(told)
        lines.append(
            "Splits: " + "; ".join(told) + (f"; and {more} earlier (/export lists them)" if more else "") + "."
        )
    lines.append(HOW_TO_CHANGE)
    summary = bold("Your trades") + "\n" + escape("\n".join(lines))
    # As many of the newest as fit under the summary (a line is 40 characters or more), then the count.
    newest = [_line(fmt, t) for t in trades[: paging.PAGE_CHARS // 40]]
    room = paging.PAGE_CHARS - len(plain(summary))
    overview = paging.fitting(ctx, newest, room, TRADES, total=len(trades))
    return paging.Paged(
        view="tr",
        arg="",
        title="Your trades",
        summary=summary,
        overview="\n".join(overview),
        entries=paging.Each(trades, lambda t: paging.Entry(str(t.date.year), partial(_line, fmt, t))),
        noun=TRADES,
        # With the summary's count and dates: moves with every trade added. An /edit changes none of them;
        # its page is made from the trades as they are when pressed all the same (paging.py).
        about=(state.next_trade_number, state.last_added),
        more="All trades, newest first ›",
    )


def _line(fmt: Fmt, t: Trade) -> str:
    return escape(f"#{number_of(t)} {short_trade(fmt, t)}")


BUTTONS: dict[str, Handler] = {"tr": paging.button(_trades_view)}
