"""/whatif: the tax of a sale not made, the summary first and its lots a page at a time.

The summary (at most a phone screen) says what the sale would gain and add to the year's tax and
why, what waiting would change, and whether other lots would cost less (with the button that records
that sale). The lots it would sell, oldest first, and the cheaper lots, each with its gain, are the
pages (conversations/paging.py). A page button carries the question ("25 XYZ at 40", or "raise 1,000
from XYZ at 40") and figures it again when pressed, from the trades and the day as they are then.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from calc import CalcError, Disposition, Trade, UnsupportedYear
from calc.models import ZERO
from calc.planner import SalePlan, Wait, WhatIf, what_if
from conversations import paging
from conversations.drafts import SaleOffer
from conversations.espp_words import pay_of
from conversations.events import Button
from conversations.formatting import Fmt, error_words
from conversations.kernel import Ctx, Handler, Outcome, ask
from conversations.markup import bold, escape
from conversations.parsing import InputError, money, quantity, symbol
from conversations.planning import OFFERING_SALE, best_lots, lot_advice
from conversations.reports import disposition_line, figures_line, why_tax

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
OLDEST_FIRST = "Sold oldest first"
CHEAPER = "The cheaper lots"
LISTED_INLINE = 3  # cheaper lots named in the summary's advice; more are a page of their own


@dataclass(frozen=True)
class Asked:
    """The sale asked about: shares of a symbol at a price, or (raising) the cash wanted."""

    ticker: str
    shares: Decimal
    at: Decimal
    cash: Decimal | None = None

    @property
    def arg(self) -> str:
        """For a page button's data (no ":" in it): "25,XYZ,40" or "25,XYZ,40,1000"."""
        figures = [f"{self.shares:f}", self.ticker, f"{self.at:f}"]
        return ",".join(figures + ([f"{self.cash:f}"] if self.cash is not None else []))

    @classmethod
    def read(cls, arg: str) -> Asked | None:
        parts = arg.split(",")
        try:
            shares, at = Decimal(parts[0]), Decimal(parts[2])
            cash = Decimal(parts[3]) if len(parts) > 3 else None
            if not (shares.is_finite() and at.is_finite() and shares > 0 and at > 0):
                return None  # not data the chat wrote (a forged button)
            return cls(symbol(parts[1]), shares, at, cash)
        except (IndexError, ArithmeticError, ValueError, InputError):
            return None


def whatif(ctx: Ctx, args: str) -> Outcome:
    asked = _asked(ctx, args)
    result = _what_if(ctx, asked)  # first: its refusal says what was held that day
    plan = best_lots(ctx, asked.ticker, asked.shares, asked.at, ctx.today)
    buttons = lot_advice(ctx, plan)[1]  # "Record this sale with these lots", when they cost less
    reply = paging.answer(ctx, _view(ctx, asked, result, plan, buttons)).replies[0]
    if not buttons:
        return Outcome(ctx.state, [reply])
    # The cheaper lots can be recorded: the question "record this sale?" is open, its button in the reply.
    draft = SaleOffer(
        symbol=asked.ticker, quantity=asked.shares, price=asked.at, date=ctx.today, picks=tuple(plan.best.picks)
    )
    return Outcome(ask(ctx, "whatif", OFFERING_SALE, reply.text, draft).state, [reply])


def _asked(ctx: Ctx, args: str) -> Asked:
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
        asked = f"raise {found.group('cash')} from {ticker} at" if raising else f"sell {found.group('qty')} {ticker}"
        raise InputError(f"At what price? Ask like /whatif {asked} 30, or set one with /price {ticker} 30.")
    if raising:
        cash = money(found.group("cash"), "amount to raise", allow_zero=False, locale=ctx.fmt.locale)
        return Asked(ticker, Decimal(math.ceil(cash / at)), at, cash)  # whole shares, enough to raise that much
    return Asked(ticker, quantity(found.group("qty"), ctx.fmt.locale), at)


def _view(
    ctx: Ctx, asked: Asked, result: WhatIf, plan: SalePlan, buttons: tuple[tuple[Button, ...], ...]
) -> paging.Paged:
    fmt = ctx.fmt
    sale = f"{fmt.shares(asked.shares)} {asked.ticker}"
    heading = f"If you sold {sale} at {fmt.money(asked.at)} today (oldest shares first)"
    lines = []
    if asked.cash is not None:
        lines.append(f"To raise {fmt.money(asked.cash)} at {fmt.money(asked.at)} you'd sell {sale}.")
    lines += _summary_lines(ctx, result, plan)
    sold = [(OLDEST_FIRST, d) for d in result.dispositions]
    cheaper = list(plan.best.dispositions) if len(plan.best.picks) > LISTED_INLINE and buttons else []
    entries = sold + [(CHEAPER, d) for d in cheaper]
    return paging.Paged(
        view="wi",
        arg=asked.arg,
        title=f"Selling {fmt.shares(asked.shares)} {asked.ticker}",
        summary=bold(heading) + "\n" + escape("\n".join(lines)),
        entries=paging.Each(entries, lambda e: paging.Entry(e[0], partial(_lot_entry, e[1], fmt))),
        noun=None,  # the lots sold and the cheaper ones: "Page 2"
        about=(len(result.dispositions), plan.best.picks),
        more="The lots it sells ›",
        buttons=buttons,
    )


def _lot_entry(d: Disposition, fmt: Fmt) -> str:
    return "• " + escape(disposition_line(d, fmt))


def _summary_lines(ctx: Ctx, result: WhatIf, plan: SalePlan) -> list[str]:
    fmt = ctx.fmt
    year, wages = result.year, result.wages
    lines = [
        f"Total {fmt.signed(result.gain)}"
        + (f" of capital gain and {fmt.money(wages)} of wages" if wages else "")
        + f" from {fmt.counted(len(result.dispositions), 'lot')}; estimated federal tax for {year} "
        + f"{'+' if result.tax_added >= 0 else ''}{fmt.money(result.tax_added)}."
    ]
    lines.extend("  " + line for line in why_tax(result.tax, fmt))
    iso_wages = wages - pay_of(result.dispositions)
    if iso_wages:
        lines.append(
            f"{fmt.money(iso_wages)} of wages too: sold this soon, ISO shares are a disqualifying disposition and "
            "the bargain element (or the gain, if smaller) is taxed as wages, not as a capital gain."
        )
    figures = figures_line(ctx.state.profile.years.resolve(year), fmt)
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
    lines.extend(_advice(ctx, plan))
    return lines


def _advice(ctx: Ctx, plan: SalePlan) -> list[str]:
    """The cheaper lots in words: named when a few, else pointed at on their page."""
    if len(plan.best.picks) <= LISTED_INLINE or plan.saving_vs_fifo <= 0:
        return lot_advice(ctx, plan)[0]
    fmt = ctx.fmt
    return [
        f"Cheaper: sell the {fmt.counted(len(plan.best.picks), 'lot')} under “{CHEAPER}” instead of the oldest "
        f"first. Tax {fmt.money(plan.best.tax_added)} instead of {fmt.money(plan.fifo.tax_added)}: "
        f"{fmt.money(plan.saving_vs_fifo)} less this year ({fmt.signed(plan.best.gain)} of gain instead of "
        f"{fmt.signed(plan.fifo.gain)})."
    ]


def _what_if(ctx: Ctx, asked: Asked) -> WhatIf:
    state, when = ctx.state, ctx.today
    sale = Trade(date=when, symbol=asked.ticker, side="sell", quantity=asked.shares, price=asked.at)
    try:
        return what_if(state.trades, state.profile.years, sale, state.splits)
    except UnsupportedYear as error:
        raise InputError(f"I can't estimate {when.year}: {error_words(error, ctx.fmt)}.") from None
    except CalcError as error:
        raise InputError(f"That sale couldn't happen: {error_words(error, ctx.fmt)}.") from None


def _pages(ctx: Ctx, arg: str) -> paging.Paged | str:
    """A page button: the same question figured again now, with the open offer's Record button if it is open."""
    asked = Asked.read(arg)
    if asked is None:
        return "That button has expired. Ask /whatif again."
    try:
        result = _what_if(ctx, asked)
        plan = best_lots(ctx, asked.ticker, asked.shares, asked.at, ctx.today)
        return _view(ctx, asked, result, plan, _still_offered(ctx, asked, plan))
    except InputError as error:
        return str(error)


def _still_offered(ctx: Ctx, asked: Asked, plan: SalePlan) -> tuple[tuple[Button, ...], ...]:
    wizard = ctx.state.wizard
    offered = SaleOffer(
        symbol=asked.ticker, quantity=asked.shares, price=asked.at, date=ctx.today, picks=tuple(plan.best.picks)
    )
    if wizard is None or wizard.step != OFFERING_SALE or wizard.answers != offered:
        return ()
    return ((Button(label="Record this sale with these lots", data=f"plan:sell:{wizard.nonce}"),),)


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


BUTTONS: dict[str, Handler] = {"wi": paging.button(_pages)}
