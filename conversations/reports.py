"""Answers: /portfolio, /gains and /whatif, each number with a short why."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal

from calc import CalcError, Disposition, Lot, Trade, UnsupportedYear, YearSummary
from calc.booking import WASH_WINDOW
from calc.models import ZERO
from calc.netting import lost_to_ira
from calc.params import params_for
from calc.planner import Wait, WhatIf, what_if
from calc.tax import TaxResult
from calc.years import Figures, YearView
from conversations.capping import first_few
from conversations.espp_words import lot_words, pay_of, sale_words, year_words
from conversations.events import Button, FileOut, Reply
from conversations.files.render.charts import gains_by_month, lot_timeline
from conversations.formatting import (
    STATUS_NAMES,
    Fmt,
    error_words,
    gain_line,
    holding_words,
    rates_words,
    tacked_words,
)
from conversations.kernel import Ctx, Outcome, say
from conversations.parsing import InputError, TradeLine, money, quantity, symbol
from conversations.planning import best_lots, lot_advice, offer
from conversations.taxview import ledger_for, tax_year, year_tax

MAX_ROWS = 20


def portfolio(ctx: Ctx, _: str) -> Outcome:
    ledger = ledger_for(ctx.state)
    if not ledger.lots:
        return say(ctx, "You don't hold anything yet. Record a purchase with /buy.")
    fmt = ctx.fmt
    lines = ["Your holdings:"]
    by_symbol: dict[str, list[Lot]] = {}
    for lot in ledger.lots:
        by_symbol.setdefault(lot.symbol, []).append(lot)
    shown = 0
    for ticker, lots in sorted(by_symbol.items()):
        total = sum((lot.quantity for lot in lots), ZERO)
        basis = sum((lot.basis for lot in lots), ZERO)
        price = ctx.state.prices.get(ticker)
        head = f"\n{ticker}: {fmt.shares(total)} shares, basis {fmt.money(basis)}"
        if price is not None:
            value = total * price
            gain = sum((lot.unrealized(price) for lot in lots), ZERO)  # a low-value gift's dual basis counted
            head += f", worth {fmt.money(value)} at {fmt.money(price)} ({fmt.signed(gain)} unrealized)"
        lines.append(head)
        for lot in lots:
            if shown >= MAX_ROWS * 2:
                break
            shown += 1
            lines.append("• " + _lot_line(ctx, lot, price))
    if shown >= MAX_ROWS * 2:
        lines.append(f"(showing the first {MAX_ROWS * 2} lots; /export has them all)")
    if not ctx.state.prices:
        lines.append("\nTell me a current price with /price XYZ 187.50 to see unrealized gains.")
    return say(ctx, "\n".join(lines), ((Button(label="Chart: when lots turn long-term", data="chart:lots"),),))


def chart(ctx: Ctx, arg: str) -> Outcome:
    """The picture behind a report's chart button: gains by month, or the lot timeline."""
    ledger = ledger_for(ctx.state)
    kind, _, year_text = arg.partition(":")
    if kind == "gains" and year_text.isdigit():
        year = int(year_text)
        png, _month_data = gains_by_month(ledger.dispositions, year)
        file = FileOut(name=f"gains-{year}.png", content=png, kind="photo", caption=f"Realized gains by month, {year}")
    elif kind == "lots" and ledger.lots:
        png, _rows = lot_timeline(ledger.lots, ctx.today)
        file = FileOut(name="lots.png", content=png, kind="photo", caption="When each lot turns long-term")
    else:
        return say(ctx, "There's nothing to draw right now.")
    return Outcome(ctx.state, [Reply(text=file.caption, files=(file,))])


def _lot_line(ctx: Ctx, lot: Lot, price: Decimal | None) -> str:
    fmt = ctx.fmt
    if lot.account_type == "ira":  # no holding period or gain that the tax return sees
        text = f"{fmt.shares(lot.quantity)} bought {fmt.day(lot.purchased)} in your {lot.account or 'IRA'}, untaxed until withdrawn"
        return text + (f"; worth {fmt.money(lot.quantity * price)}" if price is not None else "")
    if ctx.today >= lot.long_term_from:
        term = f"long-term since {fmt.day(lot.long_term_from)}"
    else:
        days = (lot.long_term_from - ctx.today).days
        term = f"short-term; turns long-term on {fmt.day(lot.long_term_from)} (in {days} days)"
    text = f"{fmt.shares(lot.quantity)} bought {fmt.day(lot.purchased)}, basis {fmt.money(lot.basis)}, {term}"
    if lot.wash_sale_adjustment:
        text += f"; includes {fmt.money(lot.wash_sale_adjustment)} of washed loss"
    if held := tacked_words(lot, ctx.today):
        text += f"; {held}"
    if lot.source == "espp" and (bought := ctx.state.trade(lot.purchase_id)) is not None:
        text += "; " + lot_words(lot, bought, ctx.today, fmt)
    if price is not None:
        text += "; " + _unrealized_words(fmt, lot, price)
    return text


def _unrealized_words(fmt: Fmt, lot: Lot, price: Decimal) -> str:
    """The lot's unrealized gain; a gift worth less than the donor's basis when given says which of its
    two bases applies at this price (IRC 1015(a)), so the loss isn't read from the donor's basis."""
    gain = lot.unrealized(price)
    loss_basis = lot.loss_basis
    if loss_basis is None:
        return f"{fmt.signed(gain)} unrealized"
    value = lot.quantity * price
    given = f"a gift worth {fmt.money(loss_basis)} when given, less than the donor's basis"
    if value < loss_basis:
        return (
            f"{fmt.signed(gain)} unrealized: {given}, so a loss is figured from that value, held since the gift "
            "(IRC 1015(a))"
        )
    if value < lot.basis:
        return (
            f"no gain or loss at {fmt.money(price)}: {given}, and a sale between {fmt.money(loss_basis)} and "
            f"{fmt.money(lot.basis)} is neither (IRC 1015(a))"
        )
    return f"{fmt.signed(gain)} unrealized (from the donor's basis)"


def _year_arg(ctx: Ctx, args: str) -> int:
    if not args.strip():
        return tax_year(ctx.state, ctx.today.year)
    if not args.strip().isdigit():
        raise InputError("Send the year as four digits, like /gains 2025.")
    year = int(args.strip())
    try:
        params_for(year)
    except UnsupportedYear as error:
        raise InputError(f"I can't do that year: {error_words(error, ctx.fmt)}.") from None
    return year


def _unabsorbed_words(s: YearSummary, figures: Figures, fmt: Fmt) -> str:
    """Why less carryover is used up than deducted: income too small to absorb the deduction."""
    used = -s.net - s.carryforward_short - s.carryforward_long
    if used >= s.deductible_loss:
        return ""
    if figures.income_from is None:  # not the user's situation but the $0 assumed for them: say that
        return f"With no income given I assume {fmt.money(ZERO)}, and then none of it is used up. "
    if used <= 0:
        return (
            "But your other income is below the standard deduction, so there is nothing for it to offset "
            "and none of the loss is used up (Capital Loss Carryover Worksheet). "
        )
    return (
        f"But your other income after the standard deduction is only {fmt.money(used)}, "
        "so only that much of the loss is used up (Capital Loss Carryover Worksheet). "
    )


def gains(ctx: Ctx, args: str) -> Outcome:
    year = _year_arg(ctx, args)
    ledger = ledger_for(ctx.state)
    view = year_tax(ctx.state, ledger, year)
    sold = [d for d in ledger.dispositions if d.sold.year == year]
    s = view.summary
    fmt = ctx.fmt
    if not sold and not (s.carryover_short or s.carryover_long or s.capital_gain_distributions):
        return say(ctx, f"You haven't sold anything in {year} yet. /whatif shows what a sale would do.")
    lines = [f"Realized in {year}:" if sold else f"No sales in {year}, but the loss carried in from {year - 1} counts:"]
    for d in sold[:MAX_ROWS]:
        lines.append("• " + _disposition_line(d, fmt))
    if len(sold) > MAX_ROWS:
        lines.append(f"… and {len(sold) - MAX_ROWS} more sales (/export has every row).")
    if s.capital_gain_distributions:
        lines.append(
            f"• Capital gain distributions: {fmt.money(s.capital_gain_distributions)}, long-term (Schedule D line 13)."
        )
    lines.append("")
    lines.append(
        f"Short-term net {fmt.money(s.short_term_net)}: gains {fmt.money(s.short_term_gains)}, losses "
        f"{fmt.money(s.short_term_losses)}"
        + (f", carryover {fmt.money(-s.carryover_short)}" if s.carryover_short else "")
        + ". Short-term is held one year or less; it's taxed like wages."
    )
    rates = rates_words(view.law, fmt)
    lines.append(
        f"Long-term net {fmt.money(s.long_term_net)}: gains {fmt.money(s.long_term_gains)}, losses "
        f"{fmt.money(s.long_term_losses)}"
        + (f", distributions {fmt.money(s.capital_gain_distributions)}" if s.capital_gain_distributions else "")
        + (f", carryover {fmt.money(-s.carryover_long)}" if s.carryover_long else "")
        + f". Long-term is held more than one year; it gets the {rates} rates."
    )
    lines.append(f"Together: {fmt.money(s.net)} (short and long are netted against each other, as Schedule D does).")
    if s.net < 0:
        lines.append(
            f"A net loss lowers your other income by at most {fmt.money(view.loss_limit)} a year "
            f"({STATUS_NAMES[s.filing_status].lower()}): {fmt.money(s.deductible_loss)} this year. "
            + _unabsorbed_words(s, view.figures, fmt)
            + (
                f"The rest carries forward, keeping its character: {fmt.money(s.carryforward_short)} short-term and "
                f"{fmt.money(s.carryforward_long)} long-term into {year + 1}."
                if s.carryforward_short or s.carryforward_long
                else "Nothing is left to carry forward."
            )
        )
    if view.sale_wages - view.espp_wages:
        lines.append(sale_wages_words(view.sale_wages - view.espp_wages, fmt))
    if view.espp_wages:
        lines.append(year_words(view, fmt))
    amt_difference = sum((d.amt_gain - d.gain for d in sold if d.amt_gain is not None), ZERO)
    if amt_difference:
        lines.append(
            f"For the alternative minimum tax your ISO shares' gains are {fmt.money(abs(amt_difference))} "
            + ("smaller" if amt_difference < 0 else "larger")
            + ": their AMT basis is what they were worth at exercise, counted as AMT income back then (Form 6251 line 2k)."
        )
    lost_for_good = lost_to_ira(sold)
    if s.wash_sale_disallowed - lost_for_good:
        lines.append(
            f"Wash sales: {fmt.money(s.wash_sale_disallowed - lost_for_good)} of losses can't be deducted now because "
            f"you bought the same stock within {WASH_WINDOW.days} days; they're added to the new shares' basis instead."
        )
    if lost_for_good:
        lines.append(
            f"Wash sales into an IRA: {fmt.money(lost_for_good)} of losses are disallowed for good, because the "
            "shares that replaced them were bought in an IRA, where the loss can't go into their basis."
        )
    lines.append("")
    lines.extend(tax_lines(view, fmt))
    figures = figures_line(view.figures, fmt)
    if figures:
        lines.append(figures)
    # The picture is a tap away rather than attached: rendering it costs more than the whole answer.
    buttons: tuple[tuple[Button, ...], ...] = ((Button(label="Chart by month", data=f"chart:gains:{year}"),),)
    if view.figures.income_from is None:  # the question the $0 assumption stands in for, a tap away
        buttons += ((Button(label=f"Tell me your {year} income", data=f"set:income:{year}"),),)
    return say(ctx, "\n".join(lines), buttons)


def _disposition_line(d: Disposition, fmt: Fmt) -> str:
    holding = next(r for r in d.reasons if r.rule.startswith("holding."))
    text = f"{d.symbol}: {gain_line(d.gain, d.term, fmt)} on {fmt.shares(d.quantity)} shares sold {fmt.day(d.sold)}, {holding_words(holding, fmt, d.reasons)}"
    if d.wash_sale_disallowed:
        text += f" ({fmt.money(d.wash_sale_disallowed)} loss disallowed, wash sale)"
    espp = sale_words(d, fmt)
    return text + (f". {espp}" if espp else "")


def sale_wages_words(wages: Decimal, fmt: Fmt) -> str:
    return (
        f"ISO shares sold too soon (within 2 years of the grant or 1 year of exercise) make {fmt.money(wages)} of "
        "wages, not capital gain: the bargain element at exercise, or the gain on the sale if that is smaller "
        "(IRC 422(c)(2), Publication 525). It's in the tax below; your W-2 may already show it. The shares' "
        "basis includes it, so it isn't taxed twice."
    )


def tax_lines(view: YearView, fmt: Fmt) -> list[str]:
    r = view.with_gains
    lines = [f"Estimated federal tax these sales add: {fmt.money(view.added)}."] if view.sales else []
    lines.extend("  " + line for line in why_tax(r, fmt))
    saving = view.carryover_saving
    if saving > 0:
        carried = view.summary.carryover_short + view.summary.carryover_long
        lines.append(
            f"The {fmt.money(carried)} carried in from {view.year - 1} lowers your {view.year} tax by about "
            f"{fmt.money(saving)}" + (" (before these sales)." if view.sales else ".")
        )
    return lines


def why_tax(r: TaxResult, fmt: Fmt) -> list[str]:
    """Plain words for the rates the gains met."""
    out = []
    if r.ordinary_taxable_income > 0:
        out.append(f"Ordinary income (wages and short-term gains) is taxed at up to {fmt.rate(r.marginal_rate)}.")
    p = params_for(r.year)
    cg = p.capital_gains
    if r.taxed_at_0:
        out.append(
            f"{fmt.money(r.taxed_at_0)} of long-term gain is taxed at {fmt.rate(cg.rate_low)}: taxable income up to {fmt.money(cg.rate_0_max(r.filing_status))}."
        )
    if r.taxed_at_15:
        out.append(f"{fmt.money(r.taxed_at_15)} of long-term gain is taxed at {fmt.rate(cg.rate_mid)}.")
    if r.taxed_at_20:
        out.append(
            f"{fmt.money(r.taxed_at_20)} is taxed at {fmt.rate(cg.rate_high)}: taxable income over {fmt.money(cg.rate_15_max(r.filing_status))}."
        )
    if r.niit:
        rate, threshold = p.niit.rate, p.niit.threshold(r.filing_status)
        out.append(
            f"Net investment income tax {fmt.money(r.niit)}: {fmt.rate(rate)} because your income is over "
            f"{fmt.money(threshold)}."
        )
    if r.amt:
        out.append(f"Alternative minimum tax {fmt.money(r.amt)} applies too.")
    return out


RAISE = re.compile(
    r"raise\s+(?P<cash>\$?[\d,.]+)\s*(?:in\s+cash\s*)?(?:from|with|selling|by\s+selling)?\s*(?P<sym>\$?[A-Za-z][A-Za-z0-9.\-]*)"
    r"\s*(?:at|@)?\s*(?P<price>\$?[\d,.]+)?",
    re.I,
)
WHATIF = re.compile(
    r"(?:what\s*if\s*(?:i\s*)?)?(?:sell|sold)?\s*(?P<qty>[\d,.]+)\s*(?:shares?\s*(?:of)?\s*)?(?P<sym>\$?[A-Za-z][A-Za-z0-9.\-]*)"
    r"\s*(?:at|@|for)?\s*(?P<price>\$?[\d,.]+)?",
    re.I,
)


def whatif(ctx: Ctx, args: str) -> Outcome:
    text = args.strip().rstrip("?")
    text = re.sub(r"^(/whatif|what\s*if|what happens if)\s*", "", text, flags=re.I)
    text = re.sub(r"^(i\s+)?(sell|sold)\s+", "", text, flags=re.I)
    raising = RAISE.fullmatch(text.strip())
    found = raising or WHATIF.fullmatch(text.strip())
    if not found:
        raise InputError(
            "Ask it like: /whatif sell 50 XYZ 30 (shares, symbol, price), or /whatif raise 5,000 from XYZ at 30."
        )
    ticker = symbol(found.group("sym"))
    if found.group("price"):
        at = money(found.group("price"), "price", allow_zero=False, locale=ctx.fmt.locale)
    elif ticker in ctx.state.prices:
        at = ctx.state.prices[ticker]
    else:
        raise InputError(f"At what price? Ask like /whatif sell 50 {ticker} 30, or set one with /price {ticker} 30.")
    if raising:
        cash = money(found.group("cash"), "amount to raise", allow_zero=False, locale=ctx.fmt.locale)
        shares = Decimal(math.ceil(cash / at))  # whole shares, enough to raise at least that much
        heading = (
            f"To raise {ctx.fmt.money(cash)} at {ctx.fmt.money(at)} you'd sell {ctx.fmt.shares(shares)} {ticker}.\n"
        )
    else:
        shares = quantity(found.group("qty"), ctx.fmt.locale)
        heading = ""
    text = heading + what_if_sale(ctx, ticker, shares, at, ctx.today)
    plan = best_lots(ctx, ticker, shares, at, ctx.today)
    advice, buttons = lot_advice(ctx, plan)
    line = TradeLine(side="sell", quantity=shares, symbol=ticker, price=at, date=ctx.today, fees=ZERO)
    return offer(ctx, "\n".join([text, *advice]), plan, line, buttons)


def what_if_sale(ctx: Ctx, ticker: str, shares: Decimal, at: Decimal, when: date) -> str:
    fmt = ctx.fmt
    state = ctx.state
    sale = Trade(date=when, symbol=ticker, side="sell", quantity=shares, price=at)
    try:
        result = what_if(state.trades, state.profile.years, sale, state.splits)
    except UnsupportedYear as error:
        raise InputError(f"I can't estimate {when.year}: {error_words(error, fmt)}.") from None
    except CalcError as error:
        raise InputError(f"That sale couldn't happen: {error_words(error, fmt)}.") from None
    year, wages = result.year, result.wages
    lines = [f"If you sold {fmt.shares(shares)} {ticker} at {fmt.money(at)} today (oldest shares first):"]
    lines.extend(first_few(["• " + _disposition_line(d, fmt) for d in result.dispositions], "lot"))
    iso_wages = wages - pay_of(result.dispositions)
    if iso_wages:
        lines.append(
            f"• {fmt.money(iso_wages)} of wages too: sold this soon, ISO shares are a disqualifying disposition and "
            "the bargain element (or the gain, if smaller) is taxed as wages, not as a capital gain."
        )
    lines.append(
        f"Total {fmt.signed(result.gain)}"
        + (f" of capital gain and {fmt.money(wages)} of wages" if wages else "")
        + f"; estimated federal tax for {year} {'+' if result.tax_added >= 0 else ''}{fmt.money(result.tax_added)}."
    )
    lines.extend("  " + line for line in why_tax(result.tax, fmt))
    figures = figures_line(state.profile.years.resolve(year), fmt)
    if figures:
        lines.append(figures)
    waits = [wait for wait in result.waits if wait.saving > 0]
    lines.extend(_wait_words(ctx, result, wait) for wait in waits)
    unrewarded = next((wait for wait in result.waits if wait.qualifying and wait.saving <= 0), None)
    if unrewarded is not None and pay_of(result.dispositions):
        lines.append(
            f"Waiting until {fmt.day(unrewarded.until)} to make it a qualifying disposition wouldn't lower the tax at "
            f"this price: the pay would be {fmt.money(unrewarded.wages)} instead of {fmt.money(result.wages)}."
        )
    later = next((wait for wait in waits if wait.tax_year != year), None)
    if later is not None:
        lines.append(_next_return_words(ctx, year, later))
    return "\n".join(lines)


def _next_return_words(ctx: Ctx, year: int, wait: Wait) -> str:
    """A wait past December 31 moves the sale to another return: which, and with what it is figured."""
    law = (
        f"{wait.tax_year}'s tax law"
        if wait.law_year == wait.tax_year
        else f"{wait.law_year}'s tax law ({wait.tax_year}'s isn't in my tables yet)"
    )
    text = (
        f"Sold in {wait.tax_year}, the sale goes on your {wait.tax_year} return, not {year}'s: the saving counts both "
        f"years' tax, {wait.tax_year}'s figured with {law} and your {wait.tax_year} figures."
    )
    borrowed = figures_line(ctx.state.profile.years.resolve(wait.tax_year), ctx.fmt)
    return text + (" " + borrowed if borrowed else "")


def _wait_words(ctx: Ctx, result: WhatIf, wait: Wait) -> str:
    """One day worth waiting for: what changes then, what it saves, and which return it lands on."""
    fmt = ctx.fmt
    short_gain = sum((d.gain for d in result.dispositions if d.term == "short" and d.gain > 0), ZERO)
    changes = []
    if wait.long_term and short_gain:
        changes.append("these shares turn long-term")
    if wait.qualifying:
        changes.append("the sale becomes a qualifying disposition")
    text = f"Waiting until {fmt.day(wait.until)}, when {' and '.join(changes)}, would save about {fmt.money(wait.saving)} at the same price"
    if wait.qualifying and wait.wages:  # ESPP shares: the offering discount stays pay
        text += f": {fmt.money(wait.wages)} of pay instead of {fmt.money(result.wages)}, the rest long-term gain" + (
            " instead of short-term" if short_gain else ""
        )
    elif wait.qualifying:
        text += (
            f": all {fmt.money(result.gain + result.wages)} of it long-term gain instead of "
            f"{fmt.money(result.wages)} of wages" + (" and short-term gain" if short_gain else "")
        )
    elif short_gain:
        text += f": {fmt.money(short_gain)} of gain would get long-term rates instead of ordinary ones"
        if result.wages:
            text += f" (the {fmt.money(result.wages)} of wages would stay wages)"
    text += "."
    same_year_iso = any(r.rule == "equity.iso_same_year_sale" for d in result.dispositions for r in d.reasons)
    if wait.qualifying and same_year_iso:
        text += (
            f" It counts the alternative minimum tax the exercise then adds to {result.year} "
            "(sold in the year of exercise, the AMT adjustment goes away)."
        )
    return text


def figures_line(figures: Figures, fmt: Fmt) -> str:
    """One line when a year's tax rests on figures the user didn't give for it."""
    year = figures.year
    if figures.income_from is None:
        return (
            f"I don't know your income for {year}, so this assumes {fmt.money(ZERO)} of other income"
            + ("" if figures.status_from is not None else ", filing single")
            + f". Tell me with /income {year} wages 85,000 (or /settings)."
        )
    borrowed = []
    if figures.income_from != year:
        borrowed.append(f"{figures.income_from}'s income of {fmt.money(figures.other_income)}")
    if figures.status_from is None:
        borrowed.append("single filing status")
    elif figures.status_from != year:
        borrowed.append(f"{figures.status_from}'s filing status ({STATUS_NAMES[figures.filing_status].lower()})")
    if not borrowed:
        return ""
    return f"Using {' and '.join(borrowed)} for {year}: /settings {year} to change."
