"""/harvest, and the lot choice behind /whatif: which lots to sell, and what waiting saves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from calc import CalcError
from calc.models import ZERO
from calc.planner import HarvestPlan, SalePlan, harvest, plan_sale
from conversations.capping import MAX_ITEMS_LISTED
from conversations.drafts import SaleOffer
from conversations.events import Button
from conversations.formatting import Fmt, error_words
from conversations.kernel import Ctx, Handler, Outcome, answers, ask, say
from conversations.parsing import InputError, TradeLine
from conversations.prices import DEFAULT_SOURCE
from conversations.trading import record

OFFERING_SALE = "OFFERING_SALE"


def best_lots(ctx: Ctx, symbol: str, shares: Decimal, price: Decimal, when: date) -> SalePlan:
    try:
        return plan_sale((*ctx.state.trades, *ctx.state.splits), symbol, shares, price, when, ctx.state.profile.years)
    except CalcError as error:
        raise InputError(f"That sale couldn't happen: {error_words(error, ctx.fmt)}.") from None


def lot_advice(ctx: Ctx, plan: SalePlan) -> tuple[list[str], tuple[tuple[Button, ...], ...]]:
    """Words comparing the cheapest lots with FIFO, and a button to record that sale."""
    fmt = ctx.fmt
    if plan.saving_vs_fifo <= 0:
        return ["Selling the oldest shares first (FIFO) is already the cheapest choice this year."], ()
    lines = [
        f"Cheaper: sell {_describe_picks(ctx, plan)} instead of the oldest first. "
        f"Tax {fmt.money(plan.best.tax_added)} instead of {fmt.money(plan.fifo.tax_added)}: "
        f"{fmt.money(plan.saving_vs_fifo)} less this year ({plan.best.name}: "
        f"{fmt.signed(plan.best.gain)} of gain instead of {fmt.signed(plan.fifo.gain)})."
    ]
    return lines, ((Button(label="Record this sale with these lots", data="plan:sell"),),)


def _describe_picks(ctx: Ctx, plan: SalePlan) -> str:
    by_lot = {d.lot_id: d for d in plan.best.dispositions}
    parts = []
    for pick in plan.best.picks:
        d = by_lot.get(pick.lot_id)
        bought = ctx.fmt.day(d.acquired) if d else pick.lot_id
        parts.append(f"{ctx.fmt.shares(pick.quantity)} shares bought {bought}")
    return ", ".join(parts)


def offer(ctx: Ctx, text: str, plan: SalePlan, line: TradeLine, buttons: tuple[tuple[Button, ...], ...]) -> Outcome:
    if not buttons:
        return say(ctx, text)
    draft = SaleOffer(
        symbol=line.symbol, quantity=line.quantity, price=line.price, date=line.date, picks=tuple(plan.best.picks)
    )
    return ask(ctx, "whatif", OFFERING_SALE, text, draft, buttons=buttons)


def record_plan(ctx: Ctx, _: str) -> Outcome:
    wizard = ctx.state.wizard
    if wizard is None or wizard.step != OFFERING_SALE:
        return say(ctx, "That suggestion has expired. Ask /whatif again.")
    offer = answers(ctx, SaleOffer)
    line = TradeLine(
        side="sell", quantity=offer.quantity, symbol=offer.symbol, price=offer.price, date=offer.date, fees=ZERO
    )
    return record(ctx, line, offer.picks)


def harvest_command(ctx: Ctx, _: str) -> Outcome:
    year = ctx.today.year
    symbols = {t.symbol for t in ctx.state.trades}
    prices = DEFAULT_SOURCE.prices(ctx.state, symbols)
    try:
        plan = harvest((*ctx.state.trades, *ctx.state.splits), prices, ctx.today, ctx.state.profile.years)
    except CalcError as error:
        raise InputError(f"I can't plan for {year}: {error_words(error, ctx.fmt)}.") from None
    return say(ctx, describe_harvest(plan, ctx.fmt, year, plan.loss_limit))


def describe_harvest(plan: HarvestPlan, fmt: Fmt, year: int, limit: Decimal) -> str:
    if not plan.candidates:
        return (
            "Nothing to harvest: no lot is below its cost at the prices I know. "
            "Tell me current prices with /price XYZ 187.50 (I only know the prices you give me)."
        )
    gains = max(Decimal(0), plan.tax_before.capital_gain)
    lines = [f"Loss harvesting for {year} (at the prices you gave me):"]
    if gains:
        lines.append(f"You have {fmt.money(gains)} of net capital gains so far this year.")
    lines.append(
        f"Losses beyond your gains lower other income by at most {fmt.money(limit)} a year; the rest carries forward."
    )
    for c in plan.candidates[:15]:
        text = (
            f"• {c.lot.symbol}: {fmt.shares(c.lot.quantity)} shares bought {fmt.day(c.lot.purchased)}, "
            f"{fmt.money(c.loss)} {c.term}-term loss at {fmt.money(c.price)}"
        )
        if c.wash_risk:
            text += (
                f". ⚠ You bought {c.lot.symbol} on {fmt.day(c.recent_purchase or c.safe_to_sell_from)}: selling at a loss "
                f"before {fmt.day(c.safe_to_sell_from)} would be a wash sale (the loss would be disallowed)"
            )
        elif c.crypto:
            text += (
                ". Crypto is property, not a security: the wash-sale rule doesn't apply, so you can buy it back "
                "at once and keep the loss"
            )
        else:
            text += f". If you sell, don't buy {c.lot.symbol} back before {fmt.day(c.safe_to_rebuy_from)} (wash sale)"
        lines.append(text + ".")
    if plan.target <= 0:
        lines.append(
            f"Your losses so far this year already use the {fmt.money(limit)} limit, so more losses would only "
            "carry forward to later years. Worth taking if you'd sell anyway: they offset future gains."
        )
        return "\n".join(lines)
    if not plan.chosen:
        lines.append("Every loss above is inside a wash-sale window right now; wait for the dates shown.")
        return "\n".join(lines)
    lines.append("")
    lines.append(
        f"Suggested: sell {', '.join(f'{c.lot.symbol} ({fmt.money(c.loss)})' for c in plan.chosen[:MAX_ITEMS_LISTED])}"
        + (f" and {len(plan.chosen) - MAX_ITEMS_LISTED:,} more lots" if len(plan.chosen) > MAX_ITEMS_LISTED else "")
        + f": {fmt.money(plan.harvested)} of losses."
    )
    if gains:
        lines.append(
            f"• They cancel your {fmt.money(gains)} of gains: about {fmt.money(plan.saving_on_gains)} less tax."
        )
    if plan.saving_on_income:
        lines.append(
            f"• {fmt.money(min(limit, plan.harvested - min(gains, plan.harvested)))} offsets wages and other income "
            f"(the most allowed in a year): about {fmt.money(plan.saving_on_income)} less tax."
        )
    if plan.carryforward:
        lines.append(
            f"• The remaining {fmt.money(plan.carryforward)} carries forward to {year + 1} and later years; "
            "it does not reduce this year's wages or option income."
        )
    lines.append(f"Estimated saving this year: {fmt.money(plan.saving)}.")
    return "\n".join(lines)


BUTTONS: dict[str, Handler] = {"plan": record_plan}
