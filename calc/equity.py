"""Equity compensation: what an option exercise or a vest does to basis and income.

- NSO exercise: the bargain element (fair market value - strike) x shares is wages,
  taxed at ordinary rates; basis is the fair market value (Publication 525).
- ISO exercise: no regular tax; the bargain element is an AMT adjustment (Form 6251
  line 2i); regular basis is the strike. A sale within 2 years of grant or 1 year of
  exercise (IRC 422(a)(1); the periods are in calc/params/law.json) is disqualifying: the lesser of the bargain element and the actual gain
  becomes wages in the year of sale (Publication 525, Form 3921); sold in the year of
  exercise, the exercise's AMT adjustment for those shares goes away (Form 6251 line 2i).
- RSU vest: the fair market value is wages and becomes the basis.
Capital losses offset this income only through the $3,000 limit: it is wages, not gain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from calc.matching import OpenLot
from calc.models import ZERO, IncomeEvent, Reason, Trade, cents
from calc.params import iso_law


@dataclass
class Acquisition:
    basis: Decimal
    amt_basis: Decimal | None = None
    bargain_per_share: Decimal = ZERO
    discount_per_share: Decimal = ZERO  # ESPP: the offering-date discount (calc.espp)
    income: list[IncomeEvent] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)


def bargain_per_share(trade: Trade) -> Decimal:
    return max(ZERO, (trade.fmv if trade.fmv is not None else trade.price) - trade.price)


def acquisition(trade: Trade) -> Acquisition:
    paid = trade.quantity * trade.price + trade.fees
    if trade.source in ("purchase", "espp") or trade.fmv is None:
        return Acquisition(basis=paid)
    bargain = bargain_per_share(trade) * trade.quantity
    facts: dict[str, Decimal | int | date | str] = {
        "shares": trade.quantity,
        "strike": trade.price,
        "fmv": trade.fmv,
        "bargain_element": bargain,
    }
    if trade.source == "iso":
        reason = Reason(rule="equity.iso_exercise", facts=facts, source="Publication 525; Form 6251 line 2i")
        return Acquisition(
            basis=paid,
            amt_basis=paid + bargain,
            bargain_per_share=bargain_per_share(trade),
            income=[
                IncomeEvent(
                    date=trade.date, kind="amt_adjustment", amount=bargain, symbol=trade.symbol, reasons=(reason,)
                )
            ],
            reasons=[reason],
        )
    rule = "equity.rsu_vest" if trade.source == "rsu" else "equity.nso_exercise"
    reason = Reason(rule=rule, facts=facts, source="Publication 525, Employee Compensation")
    return Acquisition(
        basis=paid + bargain,
        income=[IncomeEvent(date=trade.date, kind="wages", amount=bargain, symbol=trade.symbol, reasons=(reason,))],
        reasons=[reason],
    )


def qualifying_from(exercised: date, granted: date | None) -> date:
    """The first sale date of ISO shares that is a qualifying disposition: more than 2 years
    from grant and more than 1 year from exercise (without a grant date, exercise stands in)."""
    grant = granted or exercised
    law = iso_law()
    return max(
        grant + relativedelta(years=law.grant_years), exercised + relativedelta(years=law.exercise_years)
    ) + timedelta(days=1)


def is_qualifying(lot: OpenLot, sold: date) -> bool:
    return sold >= qualifying_from(lot.purchased, lot.grant_date)


@dataclass
class IsoSale:
    """What a sale of ISO shares does beyond its capital gain."""

    ordinary: Decimal = ZERO  # wages from a disqualifying disposition (added to the regular basis)
    income: list[IncomeEvent] = field(default_factory=list)
    amt_gain_difference: Decimal = ZERO  # AMT gain minus regular gain (Form 6251 line 2k), later-year sales
    reasons: list[Reason] = field(default_factory=list)

    def add(self, event: IncomeEvent) -> None:
        self.income.append(event)
        self.reasons.extend(event.reasons)


NOT_ISO = IsoSale()  # shared by every other sale (read, never changed): no allocation per row


def disposition(
    lot: OpenLot, quantity: Decimal, sold: date, proceeds: Decimal, basis: Decimal, amt_basis: Decimal | None
) -> IsoSale:
    """What a sale of ISO shares does beyond its capital gain.

    - Disqualifying (within 2 years of grant or 1 of exercise): the lesser of the bargain element
      and the gain is wages (Publication 525).
    - Sold in the year of exercise: the exercise's AMT adjustment for these shares goes away
      (Form 6251 line 2i instructions): regular tax and AMT treat the sale alike.
    - Sold in a later year: for the AMT the shares' basis is their value at exercise, which was
      AMT income then; so the AMT gain differs from the regular one (line 2k), and wages from a
      disqualifying sale, AMT income at exercise already, come out of AMT income.
    """
    if lot.source != "iso":
        return NOT_ISO
    sale = IsoSale()
    if not is_qualifying(lot, sold):
        sale.ordinary = max(ZERO, min(cents(lot.bargain_per_share * quantity), proceeds - basis))
    if sale.ordinary:
        reason = Reason(
            rule="equity.iso_disqualifying",
            facts={"shares": quantity, "ordinary_income": sale.ordinary, "exercised": lot.purchased, "sold": sold},
            source="Publication 525, Incentive Stock Options",
        )
        sale.add(IncomeEvent(date=sold, kind="wages", amount=sale.ordinary, symbol=lot.symbol, reasons=(reason,)))
    if sold.year == lot.purchased.year and lot.bargain_per_share:
        removed = cents(lot.bargain_per_share * quantity)
        reason = Reason(
            rule="equity.iso_same_year_sale",
            facts={"shares": quantity, "amt_adjustment_removed": removed, "exercised": lot.purchased},
            source="Instructions for Form 6251, line 2i: no adjustment for stock disposed of in the year of exercise",
        )
        sale.add(IncomeEvent(date=sold, kind="amt_adjustment", amount=-removed, symbol=lot.symbol, reasons=(reason,)))
    elif sold.year > lot.purchased.year and amt_basis is not None:
        # AMT gain (proceeds - AMT basis) less the regular gain (proceeds - basis - wages).
        sale.amt_gain_difference = basis + sale.ordinary - amt_basis
        reason = Reason(
            rule="equity.iso_amt_basis",
            facts={
                "shares": quantity,
                "amt_basis": amt_basis,
                "amt_gain_difference": sale.amt_gain_difference,
                "wages_already_amt_income": sale.ordinary,
                "exercised": lot.purchased,
            },
            source="Instructions for Form 6251, lines 2k and 2i",
        )
        sale.reasons.append(reason)
        if sale.ordinary:  # the reason is on the sale already: the event only carries it
            sale.income.append(
                IncomeEvent(
                    date=sold, kind="amt_adjustment", amount=-sale.ordinary, symbol=lot.symbol, reasons=(reason,)
                )
            )
    return sale
