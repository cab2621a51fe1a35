"""Pictures for /gains and /portfolio (matplotlib, headless Agg backend), as PNG bytes.

Each chart has a `*_figure` function that draws it (tests read the bars back from the Axes)
and a function returning the PNG with the numbers it drew. matplotlib is imported on first
use only, so the chat starts fast.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from calc.models import Disposition, Lot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SHORT_COLOR = "#d9822b"  # orange: short-term
LONG_COLOR = "#2b6cd9"  # blue: long-term
SIZE = (8, 4)  # inches at DPI: 800 x 400 pixels, readable on a phone
DPI = 100
MAX_LOTS = 25


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # no display: render to memory, before pyplot is imported
    import matplotlib.pyplot as plt

    return plt


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    _pyplot().close(fig)
    return out.getvalue()


def monthly_gains(dispositions: Sequence[Disposition], year: int) -> dict[str, list[float]]:
    """Realized gain or loss per month of `year` (index 0 = January), short- and long-term."""
    data = {"short": [0.0] * 12, "long": [0.0] * 12}
    for d in dispositions:
        if d.sold.year == year:
            data[d.term][d.sold.month - 1] += float(d.gain)
    return data


def gains_figure(dispositions: Sequence[Disposition], year: int) -> Figure:
    """Bars per month: short-term, with long-term stacked on it when both go the same way."""
    data = monthly_gains(dispositions, year)
    short, long_ = data["short"], data["long"]
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    fig, ax = plt.subplots(figsize=SIZE, dpi=DPI)
    ax.bar(MONTHS, short, label=f"short-term ({_dollars(sum(short))})", color=SHORT_COLOR)
    bottoms = [s if (s >= 0) == (lg >= 0) else 0.0 for s, lg in zip(short, long_, strict=True)]
    ax.bar(MONTHS, long_, bottom=bottoms, label=f"long-term ({_dollars(sum(long_))})", color=LONG_COLOR)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _dollars(value)))
    ax.set_title(f"Realized gains and losses by month, {year}: net {_dollars(sum(short) + sum(long_))}")
    ax.legend(loc="best")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def gains_by_month(dispositions: Sequence[Disposition], year: int) -> tuple[bytes, dict[str, list[float]]]:
    return _png(gains_figure(dispositions, year)), monthly_gains(dispositions, year)


TimelineRow = tuple[str, date, date]  # label, holding period start, first long-term day


def timeline_rows(lots: Sequence[Lot], today: date, limit: int = MAX_LOTS) -> list[TimelineRow]:
    """Lots still short-term first, soonest to turn long-term first; then the long-term ones."""
    ordered = sorted(lots, key=lambda lot: (lot.long_term_from <= today, lot.long_term_from, lot.symbol))
    return [(f"{lot.symbol} {lot.quantity.normalize():f}", lot.acquired, lot.long_term_from) for lot in ordered[:limit]]


def timeline_figure(lots: Sequence[Lot], today: date, limit: int = MAX_LOTS) -> Figure:
    """One row per lot: orange while short-term (from the holding period's start to the day it turns
    long-term), blue from then to today; the date it turns long-term written at the boundary."""
    rows = timeline_rows(lots, today, limit)
    plt = _pyplot()
    import matplotlib.dates as mdates

    fig, ax = plt.subplots(figsize=(SIZE[0], max(2.5, 0.38 * len(rows) + 1.3)), dpi=DPI)
    for i, (_, start, turns) in enumerate(rows):
        ax.barh(i, (turns - start).days, left=mdates.date2num(start), color=SHORT_COLOR, height=0.6)
        if today > turns:
            ax.barh(i, (today - turns).days, left=mdates.date2num(turns), color=LONG_COLOR, height=0.6)
        ax.annotate(
            turns.strftime("%b %-d, %Y"),
            (mdates.date2num(turns), i),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.axvline(mdates.date2num(today), color="black", linestyle="--", linewidth=1)
    if rows:  # room on the right for the last date's label
        first = min(start for _, start, _ in rows)
        last = max(max(turns for _, _, turns in rows), today)
        ax.set_xlim(mdates.date2num(first) - 10, mdates.date2num(last) + (last - first).days * 0.15 + 30)
    ax.set_yticks(range(len(rows)), [label for label, _, _ in rows])
    ax.invert_yaxis()  # the soonest first, at the top
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    shown = f" (the first {len(rows)} of {len(lots)})" if len(lots) > len(rows) else ""
    ax.set_title(f"When each lot turns long-term{shown}: orange short-term, blue long-term, dashed today")
    ax.title.set_fontsize(10)
    fig.tight_layout()
    return fig


def lot_timeline(lots: Sequence[Lot], today: date, limit: int = MAX_LOTS) -> tuple[bytes, list[TimelineRow]]:
    return _png(timeline_figure(lots, today, limit)), timeline_rows(lots, today, limit)


def _dollars(amount: float) -> str:
    return f"-${abs(amount):,.0f}" if amount < 0 else f"${amount:,.0f}"
