"""Holding period: long-term only when held more than one year (IRC 1222).

The count starts the day after acquisition and the sale day counts, by calendar
months rather than 365 days (Rev. Rul. 66-7), so leap years and month ends fall
out of the calendar: shares bought 2024-02-29 turn long-term on 2025-03-01.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from calc.models import Reason, Term, reason

ONE_YEAR = relativedelta(years=1)


def long_term_from(acquired: date) -> date:
    """The first sale date on which shares acquired on `acquired` are long-term."""
    found = LONG_TERM_FROM.get(acquired)
    if found is None:
        if len(LONG_TERM_FROM) >= 100_000:  # a few centuries of days: never in practice
            LONG_TERM_FROM.clear()
        # relativedelta keeps the calendar: Feb 29 + 1 year is Feb 28, so long-term from Mar 1.
        found = LONG_TERM_FROM[acquired] = acquired + ONE_YEAR + timedelta(days=1)
    return found


# long_term_from's answers by acquisition date: booking reads it for every row sold
# (`LONG_TERM_FROM.get(day) or long_term_from(day)`), a dict lookup without a call.
LONG_TERM_FROM: dict[date, date] = {}


def holding_term(acquired: date, sold: date) -> Term:
    return "long" if sold >= long_term_from(acquired) else "short"


@lru_cache(maxsize=65536)
def holding_reason(acquired: date, sold: date) -> Reason:
    """Why a sale is short- or long-term, with the numbers the chat needs to say so.

    Cached: a frozen Reason can be shared, and a sale's parts often share both dates."""
    return reason(
        f"holding.{holding_term(acquired, sold)}",
        _HOLDING,
        ((sold - acquired).days, acquired, sold, long_term_from(acquired)),
        "IRC 1222; Publication 550, Holding Period",
    )


_HOLDING = ("days", "acquired", "sold", "long_term_from")


def inherited(acquired: date, sold: date) -> Reason:
    """Inherited shares are long-term from the start, whatever the days (IRC 1223(9))."""
    return reason(
        "holding.inherited",
        _INHERITED,
        ((sold - acquired).days, acquired, sold),
        "IRC 1223(9); Publication 551, Inherited Property",
    )


_INHERITED = ("days", "acquired", "sold")
