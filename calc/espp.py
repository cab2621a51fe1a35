"""Employee stock purchase plans (IRC 423; Publication 525, Employee Stock Purchase Plan; Form 3922).

Buying the shares is no income (IRC 421(a)): the basis is the price paid. Selling them is:
- **qualifying** when more than 2 years after the offering (grant) date AND more than 1 year after
  the purchase date (IRC 423(a)(1)): wages are the lesser of (a) the gain, the sale price less the
  price paid (never below zero), and (b) the offering-date discount, the value on the offering date
  less the option price figured as if the shares had been bought that day (IRC 423(c); Form 3922
  box 8). A sale at a loss makes no wages.
- **disqualifying** otherwise: wages are the bargain element on the purchase date, its value less
  the price paid (Treas. Reg. 1.421-2(b)(1); Publication 525), even when the shares sell at a loss.
Either way the wages are pay (Form W-2 box 1), taxed in the year of the sale, and they join the
basis, so the capital gain or loss is the sale price less (price paid + wages); its holding period
starts the day after the purchase. Brokers report the basis without them (Treas. Reg.
1.6045-1(d)(6)(ii)(C)): Form 8949 code B with the wages in column (g) (Instructions for Form 8949).
The holding periods and the 15% largest discount are law data (calc/params/law.json, "espp").
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from calc import equity
from calc.equity import Acquisition, IsoSale
from calc.matching import OpenLot
from calc.models import ZERO, IncomeEvent, Reason, Trade, cents
from calc.params import espp_law

SOURCE = "IRC 423(a), (c); Publication 525, Employee Stock Purchase Plan"


def qualifying_from(offered: date, purchased: date) -> date:
    """The first sale date that is a qualifying disposition: more than 2 years after the offering
    and more than 1 year after the purchase (the day after both anniversaries)."""
    law = espp_law()
    return max(
        offered + relativedelta(years=law.offering_years), purchased + relativedelta(years=law.purchase_years)
    ) + (timedelta(days=1))


def qualifying_day(trade: Trade) -> date | None:
    """A statutory option's first qualifying sale day (IRC 421): ESPP shares with their offering date,
    ISO shares; None for other shares (and ESPP shares without an offering date)."""
    if trade.source == "iso":
        return equity.qualifying_from(trade.date, trade.grant_date)
    if trade.source == "espp" and trade.grant_date is not None:
        return qualifying_from(trade.grant_date, trade.date)
    return None


def has_figures(trade: Trade) -> bool:
    """Whether a purchase carries what the wages are figured from (Form 3922 boxes 1, 3 and 4)."""
    return trade.grant_date is not None and trade.offering_fmv is not None and trade.fmv is not None


def offering_price(trade: Trade) -> Decimal:
    """The option price figured as if the shares had been bought on the offering date (Form 3922 box 8).

    Given, it is used. Otherwise the plan is taken to price at a discount from the lower of the two
    values (a lookback plan, the usual kind): the discount is 1 - price / lower value, and on the
    offering date both values are the offering value, so the price then is offering value x (1 - discount).
    A price fixed on the offering date (Publication 525's Willow example: $20 when the stock was $22)
    comes out as itself.
    """
    if trade.offering_price is not None:
        return trade.offering_price
    assert trade.offering_fmv is not None and trade.fmv is not None
    lower = min(trade.offering_fmv, trade.fmv)
    return trade.price * trade.offering_fmv / lower if lower else trade.price


def discount_per_share(trade: Trade) -> Decimal:
    """The offering-date discount per share, IRC 423(c)(1): the value then less the option price then."""
    if not has_figures(trade):
        return ZERO
    assert trade.offering_fmv is not None
    return max(ZERO, trade.offering_fmv - offering_price(trade))


def acquisition(trade: Trade) -> Acquisition:
    """An ESPP purchase: no income now (IRC 421(a)); basis is what was paid."""
    paid = trade.quantity * trade.price + trade.fees
    if not has_figures(trade):
        reason = Reason(rule="equity.espp_figures_missing", facts={"shares": trade.quantity}, source="Form 3922")
        return Acquisition(basis=paid, reasons=[reason])
    assert trade.grant_date is not None and trade.fmv is not None and trade.offering_fmv is not None
    bargain = max(ZERO, trade.fmv - trade.price)
    discount = discount_per_share(trade)
    reason = Reason(
        rule="equity.espp_purchase",
        facts={
            "shares": trade.quantity,
            "price": trade.price,
            "fmv": trade.fmv,
            "offering_fmv": trade.offering_fmv,
            "offered": trade.grant_date,
            "purchased": trade.date,
            "bargain_element": cents(bargain * trade.quantity),
            "offering_discount": cents(discount * trade.quantity),
            "qualifying_from": qualifying_from(trade.grant_date, trade.date),
        },
        source="IRC 421(a), 423; Publication 525, Employee Stock Purchase Plan",
    )
    return Acquisition(basis=paid, bargain_per_share=bargain, discount_per_share=discount, reasons=[reason])


def disposition(lot: OpenLot, quantity: Decimal, sold: date, proceeds: Decimal, basis: Decimal) -> IsoSale:
    """The wages a sale of `quantity` ESPP shares makes (see the module docstring); they are added to
    the basis by booking. Shares without their Form 3922 figures make none (the chat asks for them)."""
    sale = IsoSale()
    if lot.grant_date is None:
        return sale
    first_qualifying = qualifying_from(lot.grant_date, lot.purchased)
    gain = proceeds - basis
    facts: dict[str, Decimal | int | date | str] = {
        "shares": quantity,
        "offered": lot.grant_date,
        "purchased": lot.purchased,
        "sold": sold,
        "qualifying_from": first_qualifying,
    }
    if sold >= first_qualifying:
        discount = cents(lot.discount_per_share * quantity)
        sale.ordinary = max(ZERO, min(gain, discount))
        rule = "equity.espp_qualifying"
        facts |= {"gain": gain, "offering_discount": discount, "ordinary_income": sale.ordinary}
    else:
        sale.ordinary = cents(lot.bargain_per_share * quantity)
        rule = "equity.espp_disqualifying"
        facts |= {"bargain_element": sale.ordinary, "ordinary_income": sale.ordinary}
    reason = Reason(rule=rule, facts=facts, source=SOURCE)
    if sale.ordinary:
        sale.add(IncomeEvent(date=sold, kind="wages", amount=sale.ordinary, symbol=lot.symbol, reasons=(reason,)))
    else:
        sale.reasons.append(reason)
    return sale
