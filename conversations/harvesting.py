"""/harvest: the losing lots to sell by year end, named lot by lot, and what naming them is worth.

The engine (calc.planner.harvest) picks whole lots and figures the saving for exactly those
shares; this module words them. Brokers (and /sell) sell the oldest shares first unless told
otherwise, so a suggestion names each lot (date bought, shares, loss), asks for specific
identification confirmed in writing, and says what selling oldest-first would cost instead.
Every lot the totals count is listed, and every total is the sum of what is listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import partial

from calc import CalcError
from calc.booking import WASH_WINDOW
from calc.models import ZERO, Disposition
from calc.planner import HarvestCandidate, HarvestPlan, harvest
from conversations import paging
from conversations.formatting import Fmt, error_words, shares_of
from conversations.kernel import Ctx, Handler, Outcome, say
from conversations.markup import bold, escape
from conversations.parsing import InputError
from conversations.prices import DEFAULT_SOURCE


def harvest_command(ctx: Ctx, _: str) -> Outcome:
    """/harvest: the totals and the saving first; the lots to sell, how, and the other losing lots in pages."""
    view = _harvest_view(ctx, "")
    return paging.answer(ctx, view) if isinstance(view, paging.Paged) else say(ctx, view)


def _harvest_view(ctx: Ctx, _: str) -> paging.Paged | str:
    year = ctx.today.year
    symbols = {t.symbol for t in ctx.state.trades}
    prices = DEFAULT_SOURCE.prices(ctx.state, symbols)
    try:
        plan = harvest((*ctx.state.trades, *ctx.state.splits), prices, ctx.today, ctx.state.profile.years)
    except CalcError as error:
        raise InputError(f"I can't plan for {year}: {error_words(error, ctx.fmt)}.") from None
    if not plan.candidates:
        return (
            "Nothing to harvest: no lot is below its cost at the prices I know. "
            "Tell me current prices with /price XYZ 187.50 (I only know the prices you give me)."
        )
    fmt = ctx.fmt
    heading, *summary = _summary(plan, fmt)
    others = [c for c in plan.candidates if c not in plan.chosen]
    entries = [paging.Entry(TO_SELL, partial(_chosen_line, c, fmt)) for c in plan.chosen]
    if plan.chosen:
        how = [*_specific_identification(plan, fmt), _record_words(plan, fmt)]
        entries += [paging.Entry(HOW, partial(escape, line)) for line in how]
    other = "Other lots below cost" if plan.chosen else "Lots below cost"
    entries += [paging.Entry(other, partial(_other_line, c, fmt)) for c in others]
    return paging.Paged(
        view="hv",
        arg="",
        title=f"Loss harvesting for {plan.day.year}",
        summary=bold(heading) + "\n" + escape("\n".join(summary)),
        entries=entries,
        noun=None,
        about=(
            tuple((c.lot.id, c.loss, c.price, c.wash_risk) for c in plan.candidates),
            tuple(c.lot.id for c in plan.chosen),
            plan.saving,
        ),
        more="The lots, lot by lot ›",
    )


TO_SELL, HOW = "The lots to sell", "How to sell exactly those"


def _summary(plan: HarvestPlan, fmt: Fmt) -> list[str]:
    """The heading, then the year's situation and what the suggestion does, in totals."""
    year, limit = plan.day.year, plan.loss_limit
    gains = max(ZERO, plan.tax_before.capital_gain)
    lines = [f"Loss harvesting for {year} (at the prices you gave me)"]
    if gains:
        lines.append(f"You have {fmt.money(gains)} of net capital gains so far this year.")
    lines.append(
        f"Losses beyond your gains lower other income by at most {fmt.money(limit)} a year; the rest carries forward."
    )
    if plan.target <= 0:
        lines.append(
            f"Your losses so far this year already use the {fmt.money(limit)} limit, so more losses would only "
            "carry forward to later years. Worth taking if you'd sell anyway: they offset future gains."
        )
    elif not plan.chosen:
        lines.append("Every losing lot is inside a wash-sale window right now; wait for the dates shown with each.")
    else:
        lines += _suggestion(plan, fmt, year, limit, gains)
    return lines


def _suggestion(plan: HarvestPlan, fmt: Fmt, year: int, limit: Decimal, gains: Decimal) -> list[str]:
    """What the suggested losses do this year, in totals, and when buying them back is safe."""
    chosen = plan.chosen
    count = f"these {fmt.number(Decimal(len(chosen)))} lots" if len(chosen) > 1 else "this lot"
    lines = [f"Suggested: sell {count} (listed under “{TO_SELL}”), {fmt.money(plan.harvested)} of losses in all."]
    # The three parts are the harvested losses split in order: gains, then what is left of the
    # year's limit against income, then the carryforward; each is the exact sum of the lots listed.
    cancelled = min(gains, plan.harvested)
    offset = min(plan.target - gains, plan.harvested - cancelled)
    remaining = plan.harvested - cancelled - offset
    if cancelled:
        whose = (
            f"your {fmt.money(gains)}" if cancelled == gains else f"{fmt.money(cancelled)} of your {fmt.money(gains)}"
        )
        lines.append(f"• They cancel {whose} of gains: about {fmt.money(plan.saving_on_gains)} less tax.")
    if offset:
        most = "the most allowed in a year" if offset == limit else f"what's left of the {fmt.money(limit)} a year"
        lines.append(
            f"• {fmt.money(offset)} offsets wages and other income ({most}): "
            f"about {fmt.money(plan.saving_on_income)} less tax."
        )
    if remaining:
        lines.append(
            f"• The remaining {fmt.money(remaining)} carries forward to {year + 1} and later years; "
            "it does not reduce this year's wages or option income."
        )
    pay = sum((c.pay for c in chosen), ZERO)
    if pay:  # the saving is figured with those wages: say so, or it looks too small for the losses listed
        lines.append(
            "Selling the ESPP shares now is a disqualifying disposition: their value on the day you bought them "
            f"less the price you paid, {fmt.money(pay)}, is wages of {year} and adds to their basis, which makes "
            "the loss larger by as much. The saving counts the tax on those wages too."
        )
    lines.append(f"Estimated saving this year: {fmt.money(plan.saving)}.")
    securities = [c for c in chosen if not c.crypto]
    if securities:
        rebuy = sorted({c.lot.symbol for c in securities})
        lines.append(
            f"After selling, don't buy {_joined(rebuy)} back before {fmt.day(securities[0].safe_to_rebuy_from)}: "
            f"a purchase within {WASH_WINDOW.days} days after the sale (a reinvested dividend or a buy in an IRA, HSA or 401(k) "
            "too) makes it a wash sale."
        )
    if any(c.crypto for c in chosen):
        lines.append(
            "Crypto is property, not a security: the wash-sale rule doesn't apply, so you can buy it back at once."
        )
    return lines


def _chosen_line(c: HarvestCandidate, fmt: Fmt) -> str:
    return escape(f"• {_lot_words(c, fmt)}, {_loss_words(c, fmt)}")


def _loss_words(c: HarvestCandidate, fmt: Fmt) -> str:
    """ "$1,500.00 short-term loss at $40.00", and for ESPP shares that don't qualify yet, the pay in it."""
    text = f"{fmt.money(c.loss)} {c.term}-term loss at {fmt.money(c.price)}"
    if c.pay:
        text += f" (includes {fmt.money(c.pay)} of pay taxed as wages: ESPP shares sold before they qualify)"
    return text


def _record_words(plan: HarvestPlan, fmt: Fmt) -> str:
    return (
        "Then record the sale with the same lots: "
        + _joined(_sell_lines(plan, fmt))
        + " (with your price and the day you sell)."
    )


def _specific_identification(plan: HarvestPlan, fmt: Fmt) -> list[str]:
    """Ask for exactly these shares; what the broker's default (oldest first) would sell instead."""
    lines = [
        "Ask your broker to sell exactly these shares when you place the order (specific identification: each "
        "lot's date bought and number of shares) and to confirm it in writing; the trade confirmation usually "
        "shows it (Treas. Reg. 1.1012-1(c))."
    ]
    named: dict[tuple[str, str | None], set[str]] = {}
    for c in plan.chosen:
        named.setdefault((c.lot.symbol, c.lot.account), set()).add(c.lot.id)
    oldest: dict[tuple[str, str | None], list[Disposition]] = {}
    for d in plan.fifo_dispositions:
        oldest.setdefault((d.symbol, d.account), []).append(d)
    bought = {lot.id: lot.purchased for lot in plan.fifo_lots}
    differ = [
        _oldest_first_words(symbol, oldest[key], bought, fmt)
        for key, ids in named.items()
        if key in oldest and {d.lot_id for d in oldest[key]} != ids
        for symbol in (key[0],)
    ]
    if differ:
        text = "Otherwise brokers sell the oldest shares first: " + "; ".join(differ)
        if plan.saving_if_fifo < 0:
            text += (
                f". That would add about {fmt.money(-plan.saving_if_fifo)} of tax this year instead of saving "
                f"{fmt.money(plan.saving)}"
            )
        elif plan.saving_if_fifo != plan.saving:
            text += (
                f". That would save about {fmt.money(plan.saving_if_fifo)} this year instead of "
                f"{fmt.money(plan.saving)}"
            )
        lines.append(text + ".")
    return lines


def _oldest_first_words(symbol: str, parts: Sequence[Disposition], bought: dict[str, date], fmt: Fmt) -> str:
    lots = _joined(
        [f"{shares_of(fmt, d.quantity)} bought {fmt.day(bought[d.lot_id])}" for d in parts if d.lot_id in bought]
    )
    text = f"for {symbol} that's {lots}"
    washed = sum((d.wash_sale_disallowed for d in parts), ZERO)
    gain = sum((d.gain for d in parts), ZERO)
    if washed:
        text += (
            f", and a purchase within {WASH_WINDOW.days} days before makes it a wash sale: "
            f"{fmt.money(washed)} of the loss disallowed"
        )
    elif gain >= 0:
        text += f", {fmt.money(gain)} of gain instead of a loss"
    return text


def _sell_lines(plan: HarvestPlan, fmt: Fmt) -> list[str]:
    """The /sell one-liner for each symbol, naming the lots by the day they were bought."""
    by_symbol: dict[str, list[HarvestCandidate]] = {}
    for c in plan.chosen:
        by_symbol.setdefault(c.lot.symbol, []).append(c)
    lines = []
    for symbol, chosen in by_symbol.items():
        shares = sum((c.lot.quantity for c in chosen), ZERO)
        days = sorted({c.lot.purchased for c in chosen})
        word = "lots" if len(days) > 1 else "lot"
        lines.append(
            f"/sell {fmt.shares(shares)} {symbol} {fmt.number(chosen[0].price)} {plan.day.isoformat()} {word} "
            + ", ".join(day.isoformat() for day in days)
        )
    return lines


def _lot_words(c: HarvestCandidate, fmt: Fmt) -> str:
    where = f" in {c.lot.account}" if c.lot.account else ""
    got = ACQUIRED.get(c.lot.source, "bought")
    return f"{c.lot.symbol}: the {shares_of(fmt, c.lot.quantity)} {got} {fmt.day(c.lot.purchased)}{where}"


ACQUIRED = {"gift": "received as a gift on", "inherited": "inherited on"}  # how shares not bought came


def _other_line(c: HarvestCandidate, fmt: Fmt) -> str:
    return escape(_other_words(c, fmt))


def _other_words(c: HarvestCandidate, fmt: Fmt) -> str:
    text = f"• {_lot_words(c, fmt)}, {_loss_words(c, fmt)}"
    if c.wash_risk:
        return text + (
            f". ⚠ You bought {c.lot.symbol} on {fmt.day(c.recent_purchase or c.safe_to_sell_from)}: selling at a loss "
            f"before {fmt.day(c.safe_to_sell_from)} would be a wash sale (the loss would be disallowed)."
        )
    if c.crypto:
        return text + (
            ". Crypto is property, not a security: the wash-sale rule doesn't apply, so you can buy it back "
            "at once and keep the loss."
        )
    return text + f". If you sell, don't buy {c.lot.symbol} back before {fmt.day(c.safe_to_rebuy_from)} (wash sale)."


def _joined(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


BUTTONS: dict[str, Handler] = {"hv": paging.button(_harvest_view)}
