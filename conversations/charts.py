"""Pictures sent with /gains and /portfolio (matplotlib, headless).

Each function returns the PNG and the numbers it drew, so tests can check the data, not only the file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from calc.models import Disposition, Lot


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # no display: render to memory
    import matplotlib.pyplot as plt

    return plt


def gains_by_month(dispositions: Sequence[Disposition], year: int) -> tuple[bytes, dict[str, list[float]]]:
    """Realized gain per month, short-term and long-term stacked."""
    data = {"short": [0.0] * 12, "long": [0.0] * 12}
    for d in dispositions:
        if d.sold.year == year:
            data[d.term][d.sold.month - 1] += float(d.gain)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    short, long_ = data["short"], data["long"]
    ax.bar(months, short, label="short-term", color="#d9822b")
    # Stack on the short-term bar when both go the same way, else from zero.
    bottoms = [s if (s >= 0) == (lg >= 0) else 0.0 for s, lg in zip(short, long_, strict=True)]
    ax.bar(months, long_, bottom=bottoms, label="long-term", color="#2b6cd9")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_title(f"Realized gains by month, {year}")
    ax.set_ylabel("US$")
    ax.legend()
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue(), data


def lot_timeline(lots: Sequence[Lot], today: date, limit: int = 25) -> tuple[bytes, list[tuple[str, date, date]]]:
    """One bar per lot from its purchase to the day it turns long-term; a line at today."""
    shown = sorted(lots, key=lambda lot: lot.long_term_from)[:limit]
    rows = [(f"{lot.symbol} {Decimal(lot.quantity).normalize():f}", lot.acquired, lot.long_term_from) for lot in shown]
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(rows) + 1)), dpi=100)
    for i, (_, start, end) in enumerate(rows):
        color = "#2b6cd9" if end <= today else "#d9822b"
        ax.barh(i, (end - start).days, left=start.toordinal(), color=color)
    ax.axvline(today.toordinal(), color="black", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(rows)), [label for label, _, _ in rows])
    ticks = ax.get_xticks()
    ax.set_xticks(ticks, [date.fromordinal(int(t)).strftime("%b %Y") if t > 0 else "" for t in ticks])
    ax.set_title("When each lot turns long-term (orange: not yet)")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue(), rows
