"""ESPP shares in plain words: which part of a sale is pay and why (the engine's reasons, worded).

The engine (calc.espp) leaves on each sale of ESPP shares a reason with its figures:
`equity.espp_qualifying` (the lesser of the gain and the offering-date discount is pay) or
`equity.espp_disqualifying` (the purchase-day discount is pay, even at a loss); a lot whose Form 3922
figures are missing carries `equity.espp_figures_missing`. Every reply that shows such a sale
(/gains, /whatif, /form8949, the sale itself) words it here, so the figure is the same everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from calc import espp
from calc.models import ZERO, Disposition, Lot, Reason, Trade, cents
from calc.params import espp_law
from calc.years import ESPP_RULES, YearView
from conversations.formatting import Fmt

W2_AND_1099B = "Your W-2 should include it; your broker's 1099-B basis may not."


def holding_periods() -> str:
    """IRC 423(a)(1)'s two holding periods, as law.json states them."""
    law = espp_law()
    return (
        f"more than {law.offering_years} years after the offering and "
        f"{law.purchase_years} year{'s' if law.purchase_years != 1 else ''} after the purchase"
    )


def espp_reason(reasons: Iterable[Reason]) -> Reason | None:
    return next((r for r in reasons if r.rule in ("equity.espp_qualifying", "equity.espp_disqualifying")), None)


def _money(reason: Reason, name: str) -> Decimal:
    value = reason.facts[name]
    assert isinstance(value, Decimal)
    return value


def _day(reason: Reason, name: str) -> date:
    value = reason.facts[name]
    assert isinstance(value, date)
    return value


def sale_words(d: Disposition, fmt: Fmt) -> str:
    """What an ESPP sale makes besides its capital gain or loss, in a sentence; "" for other shares."""
    reason = espp_reason(d.reasons)
    if reason is None:
        if any(r.rule == "equity.espp_figures_missing" for r in d.reasons):
            return (
                "These are ESPP shares, but I don't have their Form 3922 figures, so part of this may be pay "
                "that I count as capital gain: record the purchase with /espp to get it right."
            )
        return ""
    pay = _money(reason, "ordinary_income")
    qualifying_from = fmt.day(_day(reason, "qualifying_from"))
    if reason.rule == "equity.espp_disqualifying":
        return (
            f"{fmt.money(pay)} of this is pay, not a capital gain: the discount you got when you bought. Sold before "
            f"{qualifying_from} ({holding_periods()}), it is a disqualifying disposition, so the whole "
            "purchase-day discount counts" + (", even at a loss" if d.gain < 0 else "") + f". {W2_AND_1099B}"
        )
    if not pay:
        return (
            "A qualifying ESPP sale at a loss: none of it is pay, the whole loss is a capital loss."
            if d.gain <= 0 and _money(reason, "gain") <= 0
            else "A qualifying ESPP sale: none of it is pay."
        )
    discount = _money(reason, "offering_discount")
    gain = _money(reason, "gain")
    which = "the discount at the offering" if pay == discount else "your gain, smaller than the offering's discount"
    return (
        f"{fmt.money(pay)} of this is pay, not a capital gain: {which} (a qualifying disposition: "
        f"the lesser of the {fmt.money(gain)} gain and the {fmt.money(discount)} discount). {W2_AND_1099B}"
    )


def year_words(view: YearView, fmt: Fmt) -> str:
    """The year's ESPP pay in one line under /gains and /form8949 (the same figure as the tax's)."""
    if not view.espp_wages:
        return ""
    return (
        f"ESPP shares sold this year make {fmt.money(view.espp_wages)} of pay, not capital gain: the discount you "
        "got when you bought (IRC 423(c), Publication 525). It's in the tax below as wages and in the shares' "
        "basis, so it isn't taxed twice. " + W2_AND_1099B
    )


def lot_words(lot: Lot, trade: Trade, today: date, fmt: Fmt) -> str:
    """An ESPP lot in /portfolio: its qualifying day and the pay a sale before and after it makes."""
    if not espp.has_figures(trade):
        return f"ESPP shares without their Form 3922 figures: /espp #{trade.number or trade.id[1:]} adds them"
    assert trade.grant_date is not None and trade.fmv is not None
    # The purchase's shares these are, before any split since (the figures are per purchased share).
    ratio = math.prod((Decimal(str(r.facts["ratio"])) for r in lot.reasons if r.rule == "split"), start=Decimal(1))
    bought = lot.quantity / ratio
    bargain = cents(max(ZERO, trade.fmv - trade.price) * bought)
    discount = cents(espp.discount_per_share(trade) * bought)
    qualifying = espp.qualifying_from(trade.grant_date, trade.date)
    if today >= qualifying:
        return f"ESPP, qualifying since {fmt.day(qualifying)}: at most {fmt.money(discount)} of a sale is pay"
    return (
        f"ESPP: sold before {fmt.day(qualifying)}, {fmt.money(bargain)} of it is pay; from then, at most "
        f"{fmt.money(discount)} (a qualifying disposition)"
    )


def pay_of(dispositions: Iterable[Disposition]) -> Decimal:
    """The pay that sales of ESPP shares make (what the engine put into their basis; ISO shares sold
    too soon carry wages there too, which are not ESPP pay)."""
    return sum((d.wage_basis for d in dispositions if d.wage_basis and d.cites(*ESPP_RULES)), ZERO)
