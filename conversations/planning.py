"""The lot choice behind /whatif: which lots to sell, and the button that records that sale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from calc import CalcError
from calc.models import ZERO
from calc.planner import SalePlan, plan_sale
from conversations.confirming import bound, button, unbind
from conversations.drafts import SaleOffer
from conversations.events import Button
from conversations.formatting import error_words
from conversations.kernel import Ctx, Handler, Outcome, say
from conversations.parsing import InputError, TradeLine
from conversations.trading import record

OFFERING_SALE = "OFFERING_SALE"
# The planner's names for its lot orders (calc.planner.ORDERINGS) in words; the rest are words already.
ORDER_WORDS = {"fifo": "oldest first", "lifo": "newest first (last in, first out)"}


def best_lots(ctx: Ctx, symbol: str, shares: Decimal, price: Decimal, when: date) -> SalePlan:
    try:
        return plan_sale((*ctx.state.trades, *ctx.state.splits), symbol, shares, price, when, ctx.state.profile.years)
    except CalcError as error:
        raise InputError(f"That sale couldn't happen: {error_words(error, ctx.fmt)}.") from None


def lot_advice(ctx: Ctx, plan: SalePlan) -> tuple[list[str], tuple[tuple[Button, ...], ...]]:
    """Words comparing the cheapest lots with the oldest first, and a button to record that sale."""
    fmt = ctx.fmt
    if plan.saving_vs_fifo <= 0:
        return ["Selling the oldest shares first is already the cheapest choice this year."], ()
    lines = [
        f"Cheaper: sell {_describe_picks(ctx, plan)} instead of the oldest first. "
        f"Tax {fmt.money(plan.best.tax_added)} instead of {fmt.money(plan.fifo.tax_added)}: "
        f"{fmt.money(plan.saving_vs_fifo)} less this year ({ORDER_WORDS.get(plan.best.name, plan.best.name)}: "
        f"{fmt.signed(plan.best.gain)} of gain instead of {fmt.signed(plan.fifo.gain)})."
    ]
    return lines, ((button(ctx, "Record this sale with these lots", "plan", "sell"),),)


def _describe_picks(ctx: Ctx, plan: SalePlan) -> str:
    by_lot = {d.lot_id: d for d in plan.best.dispositions}
    parts = []
    for pick in plan.best.picks:
        d = by_lot.get(pick.lot_id)
        bought = ctx.fmt.day(d.acquired) if d else pick.lot_id
        parts.append(f"{ctx.fmt.counted(pick.quantity, 'share')} bought {bought}")
    return ", ".join(parts)


def record_plan(ctx: Ctx, arg: str) -> Outcome:
    offer = bound(ctx, unbind(arg)[1], SaleOffer, "whatif", OFFERING_SALE)
    if offer is None:  # recorded already, or another question (a newer /whatif) is open
        return say(ctx, "That question is closed. Ask /whatif again.")
    line = TradeLine(
        side="sell", quantity=offer.quantity, symbol=offer.symbol, price=offer.price, date=offer.date, fees=ZERO
    )
    return record(ctx, line, offer.picks)


BUTTONS: dict[str, Handler] = {"plan": record_plan}
