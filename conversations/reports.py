"""Answers: /portfolio, /gains and /whatif, each number with a short why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from operator import attrgetter

from calc import Disposition, Lot, YearSummary
from calc.booking import WASH_WINDOW
from calc.models import ZERO
from calc.params import params_for
from calc.tax import TaxResult
from calc.years import Figures, YearView
from conversations import paging, shelters
from conversations.espp_words import lot_words, sale_words, year_words
from conversations.events import Button, FileOut, Reply
from conversations.files.render.charts import gains_by_month, lot_timeline
from conversations.formatting import (
    STATUS_NAMES,
    Fmt,
    gain_line,
    held_words,
    iso_periods,
    rates_words,
    tacked_words,
)
from conversations.kernel import Ctx, Handler, Outcome, say
from conversations.markup import bold, escape, plain
from conversations.parsing import symbol
from conversations.taxview import asked_year, gift_day, ledger_for, year_tax


def portfolio(ctx: Ctx, args: str) -> Outcome:
    """/portfolio: the totals first, then the lots by symbol a page at a time; /portfolio XYZ: one symbol."""
    ticker = symbol(args) if args.strip() else ""
    view = _symbol_view(ctx, ticker) if ticker else _holdings_view(ctx, "")
    return paging.answer(ctx, view) if isinstance(view, paging.Paged) else say(ctx, view)


def _by_symbol(ctx: Ctx) -> dict[str, list[Lot]]:
    by_symbol: dict[str, list[Lot]] = {}
    for lot in ledger_for(ctx.state).lots:
        by_symbol.setdefault(lot.symbol, []).append(lot)
    return dict(sorted(by_symbol.items()))


def _holdings_view(ctx: Ctx, _: str) -> paging.Paged | str:
    by_symbol = _by_symbol(ctx)
    if not by_symbol:
        return "You don't hold anything yet. Record a purchase with /buy."
    lots = [lot for held in by_symbol.values() for lot in held]
    prices = {ticker: ctx.state.prices[ticker] for ticker in by_symbol if ticker in ctx.state.prices}
    fmt = ctx.fmt
    summary = [bold("Your holdings"), *_totals(ctx, lots, prices, f"of {fmt.counted(len(by_symbol), 'symbol')}")]
    if not prices:
        summary.append("Tell me a current price with /price XYZ 187.50 to see unrealized gains.")
    largest = sorted(by_symbol, key=lambda t: -sum((lot.basis for lot in by_symbol[t]), ZERO))[:MAX_SYMBOL_BUTTONS]
    buttons = [paging.opening("ps", ticker, f"{ticker} ›") for ticker in largest]
    overview = [bold("By symbol")] + [_symbol_words(ctx, t, by_symbol[t], prices.get(t)) for t in by_symbol]
    return paging.Paged(
        view="pf",
        arg="",
        title="Your holdings",
        summary="\n".join(summary),
        overview="\n".join(paging.fitting(ctx, overview, paging.PAGE_CHARS - len(plain("\n".join(summary))), SYMBOLS)),
        entries=paging.Each(
            lots, lambda lot: paging.Entry(lot.symbol, partial(_lot_entry, ctx, lot, prices.get(lot.symbol)))
        ),
        noun=("lot", "lots"),
        about=(_lots_about(lots), prices, ctx.today),
        heading=lambda ticker: _symbol_words(ctx, ticker, by_symbol[ticker], prices.get(ticker)),
        more="Lots by symbol ›",
        buttons=(
            *(tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3)),
            (Button(label="Chart: when lots turn long-term", data="chart:lots"),),
        ),
    )


def _symbol_view(ctx: Ctx, ticker: str) -> paging.Paged | str:
    lots = _by_symbol(ctx).get(ticker)
    if not lots:
        return f"You don't hold {ticker} now. /portfolio shows what you hold."
    price = ctx.state.prices.get(ticker)
    prices = {ticker: price} if price is not None else {}
    summary = [bold(ticker), *_totals(ctx, lots, prices, "")]
    if price is None:
        summary.append(f"Tell me its price with /price {escape(ticker)} 187.50 to see unrealized gains.")
    return paging.Paged(
        view="ps",
        arg=ticker,
        title=ticker,
        summary="\n".join(summary),
        entries=paging.Each(lots, lambda lot: paging.Entry("", partial(_lot_entry, ctx, lot, price))),
        noun=("lot", "lots"),
        about=(_lots_about(lots), prices, ctx.today),
        more="Every lot ›",
        buttons=((paging.opening("pf", "", "‹ All holdings"),),),
    )


MAX_SYMBOL_BUTTONS = 9  # a tap to each of the largest positions; /portfolio XYZ reaches any
SYMBOLS = ("symbol", "symbols")


def _totals(ctx: Ctx, lots: list[Lot], prices: dict[str, Decimal], of: str) -> list[str]:
    """The position in four lines: lots and basis, value, unrealized short and long, the next lot to turn long."""
    fmt = ctx.fmt
    taxable = [lot for lot in lots if lot.account_type != "ira"]
    kinds = [shelters.kind(lot.account) for lot in lots if lot.account_type == "ira"]
    basis = sum((lot.basis for lot in taxable), ZERO)
    lines = [
        f"{fmt.counted(len(lots), 'lot')} {of}".rstrip()
        + f", cost basis {fmt.money(basis)}"
        + (f" (outside {shelters.kinds_said(kinds)})" if kinds else "")
        + "."
    ]
    priced = [lot for lot in taxable if lot.symbol in prices]
    if priced:
        # Lot.unrealized: a gift worth less than the donor's basis is valued by the dual-basis rule.
        short = sum((lot.unrealized(prices[lot.symbol]) for lot in priced if ctx.today < lot.long_term_from), ZERO)
        long = sum((lot.unrealized(prices[lot.symbol]) for lot in priced if ctx.today >= lot.long_term_from), ZERO)
        value = sum((lot.quantity * prices[lot.symbol] for lot in priced), ZERO)
        some = "" if len(priced) == len(taxable) else f" ({fmt.counted(len(priced), 'lot')} with a price)"
        lines.append(
            f"Worth {fmt.money(value)}{some}: {fmt.signed(short + long)} unrealized, "
            f"{fmt.signed(short)} short-term and {fmt.signed(long)} long-term."
        )
    upcoming = [lot for lot in taxable if ctx.today < lot.long_term_from]
    if upcoming:
        first = min(lot.long_term_from for lot in upcoming)
        turning = [lot for lot in upcoming if lot.long_term_from == first]
        which = f" of {escape(turning[0].symbol)}" if len({lot.symbol for lot in turning}) == 1 else ""
        lines.append(
            f"Next to turn long-term: {fmt.counted(len(turning), 'lot')}{which} on {fmt.day(first)} "
            f"(in {fmt.counted((first - ctx.today).days, 'day')})."
        )
    if kinds:
        lines.append(f"{fmt.counted(len(kinds), 'lot')} in {shelters.where_said(kinds)}, {shelters.untaxed(kinds)}.")
    return lines


def _symbol_words(ctx: Ctx, ticker: str, lots: list[Lot], price: Decimal | None) -> str:
    fmt = ctx.fmt
    total = sum((lot.quantity for lot in lots), ZERO)
    basis = sum((lot.basis for lot in lots), ZERO)
    head = f"{bold(ticker)}: {escape(fmt.counted(total, 'share'))}, basis {fmt.money(basis)}"
    if price is not None:
        value = total * price
        gain = sum((lot.unrealized(price) for lot in lots), ZERO)  # a low-value gift's dual basis counted
        head += f", worth {fmt.money(value)} at {fmt.money(price)} ({fmt.signed(gain)} unrealized)"
    return head


def _lot_entry(ctx: Ctx, lot: Lot, price: Decimal | None) -> str:
    return "• " + escape(_lot_line(ctx, lot, price))


def _lots_about(lots: list[Lot]) -> tuple[object, ...]:
    """A few figures that change with what pages of lots show, for their buttons' fingerprint (with the
    summary's count and basis): the shares, the days they turn long-term, the first and last lot."""
    return (
        sum(map(attrgetter("quantity"), lots), ZERO),
        sum(map(date.toordinal, map(attrgetter("long_term_from"), lots))),
        *((lot.id, lot.quantity, lot.basis, lot.long_term_from, lot.account) for lot in (lots[0], lots[-1])),
    )


def _symbol_pages(ctx: Ctx, arg: str) -> paging.Paged | str:
    return _symbol_view(ctx, symbol(arg))  # button data may be forged: read it as a typed symbol


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
        untaxed = shelters.untaxed([shelters.kind(lot.account)])
        text = f"{fmt.counted(lot.quantity, 'share')} bought {fmt.day(lot.purchased)} in your {lot.account or 'IRA'}, {untaxed}"
        return text + (f"; worth {fmt.money(lot.quantity * price)}" if price is not None else "")
    if ctx.today >= lot.long_term_from:
        term = f"long-term since {fmt.day(lot.long_term_from)}"
    else:
        days = (lot.long_term_from - ctx.today).days
        term = f"short-term; turns long-term on {fmt.day(lot.long_term_from)} (in {fmt.counted(days, 'day')})"
    text = f"{fmt.counted(lot.quantity, 'share')} bought {fmt.day(lot.purchased)}, basis {fmt.money(lot.basis)}, {term}"
    if lot.wash_sale_adjustment:
        text += f"; includes {fmt.money(lot.wash_sale_adjustment)} of washed loss"
    if held := tacked_words(lot, ctx.today, ctx.fmt):
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


def _unabsorbed_words(s: YearSummary, figures: Figures, fmt: Fmt) -> str:
    """Why less carryover is used up than deducted: income too small to absorb the deduction."""
    used = -s.net - s.carryforward_short - s.carryforward_long
    if used >= s.deductible_loss:
        return ""
    if used <= 0:
        return (
            "But your other income is below the standard deduction, so there is nothing for it to offset "
            "and none of the loss is used up (Capital Loss Carryover Worksheet). "
        )
    return (
        f"But your other income after the standard deduction is only {fmt.money(used)}, "
        "so only that much of the loss is used up (Capital Loss Carryover Worksheet). "
    )


def _no_income_loss_words(s: YearSummary, limit: Decimal, year: int, fmt: Fmt) -> str:
    """A net loss when the user gave no income: the limit, what $0 of income does to it, and the way out.
    Not "$500 deducted this year ... none of it used": with nothing to lower, the loss all moves on."""
    status = STATUS_NAMES[s.filing_status].lower()
    left = s.carryforward_short + s.carryforward_long
    return (
        f"A net loss can lower your other income (wages, interest) by up to {fmt.money(limit)} a year ({status}). "
        f"You haven't told me your {year} income, so I count it as {fmt.money(ZERO)}: with no income there is nothing "
        f"for the loss to lower, so it saves no tax in {year} and {fmt.money(left)} carries forward to {year + 1}, "
        f"keeping its character: {fmt.money(s.carryforward_short)} short-term and {fmt.money(s.carryforward_long)} "
        f"long-term. Tap “Tell me your {year} income” below to see what it saves this year."
    )


def gains(ctx: Ctx, args: str) -> Outcome:
    """/gains [year]: the year's netting, loss limit, carryover and tax first; every sale a page at a time."""
    view = _gains_view(ctx, args)
    return paging.answer(ctx, view) if isinstance(view, paging.Paged) else say(ctx, view)


def _gains_view(ctx: Ctx, args: str) -> paging.Paged | str:
    year = asked_year(ctx, args)
    ledger = ledger_for(ctx.state)
    view = year_tax(ctx.state, ledger, year)
    sold = ledger.sold_in(year)
    s = view.summary
    fmt = ctx.fmt
    if not sold and not (s.carryover_short or s.carryover_long or s.capital_gain_distributions):
        return f"You haven't sold anything in {year} yet. /whatif shows what a sale would do."
    heading = (
        f"Realized in {year}: {fmt.counted(len(sold), 'sale')}"
        if sold
        else f"No sales in {year}, but the loss carried in from {year - 1} counts"
    )
    lines = []
    if s.capital_gain_distributions:
        lines.append(
            f"Capital gain distributions: {fmt.money(s.capital_gain_distributions)}, long-term (Schedule D line 13)."
        )
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
    if (
        s.net < 0
        and view.figures.income_from is None
        and -s.net - s.carryforward_short - s.carryforward_long < s.deductible_loss
    ):
        lines.append(_no_income_loss_words(s, view.loss_limit, year, fmt))
    elif s.net < 0:
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
    amt_difference = view.amt_gain_difference
    if amt_difference:
        lines.append(
            f"For the alternative minimum tax your ISO shares' gains are {fmt.money(abs(amt_difference))} "
            + ("smaller" if amt_difference < 0 else "larger")
            + ": their AMT basis is what they were worth at exercise, counted as AMT income back then (Form 6251 line 2k)."
        )
    lost_for_good = view.lost_to_ira
    if s.wash_sale_disallowed - lost_for_good:
        lines.append(
            f"Wash sales: {fmt.money(s.wash_sale_disallowed - lost_for_good)} of losses can't be deducted now because "
            f"you bought the same stock within {WASH_WINDOW.days} days; they're added to the new shares' basis instead."
        )
    if lost_for_good:
        lines.append(_lost_for_good_words(ctx, sold, lost_for_good))
    lines.append("")
    lines.extend(tax_lines(view, fmt))
    figures = figures_line(view.figures, fmt)
    if figures:
        lines.append(figures)
    # The picture is a tap away rather than attached: rendering it costs more than the whole answer.
    buttons: tuple[tuple[Button, ...], ...] = ((Button(label="Chart by month", data=f"chart:gains:{year}"),),)
    if view.figures.income_from is None:  # the question the $0 assumption stands in for, a tap away
        buttons += ((Button(label=f"Tell me your {year} income", data=f"set:income:{year}"),),)
    return paging.Paged(
        view="gs",
        arg=str(year),
        title=f"Sales in {year}",
        summary=bold(heading) + "\n" + escape("\n".join(lines)),
        entries=paging.Each(sold, lambda d: paging.Entry("", partial(_sale_entry, d, fmt, gift_day(ctx.state, d)))),
        noun=("sale", "sales"),
        about=_sales_about(sold),
        more="Every sale ›",
        buttons=buttons,
    )


def _lost_for_good_words(ctx: Ctx, sold: Sequence[Disposition], lost: Decimal) -> str:
    """Losses replaced inside an IRA, HSA, 401(k)...: the accounts named by kind, the ruling said for what it covers."""
    kinds = [
        shelters.kind(bought.account if (bought := ctx.state.trade(str(r.facts.get("replacement_lot")))) else None)
        for d in sold
        for r in d.reasons
        if r.rule == "wash.ira_permanent"
    ] or ["IRA"]
    if all(k.endswith("IRA") for k in kinds):
        return (
            f"Wash sales into an IRA: {ctx.fmt.money(lost)} of losses are disallowed for good, because the "
            "shares that replaced them were bought in an IRA, where the loss can't go into their basis."
        )
    return (
        f"Wash sales into {shelters.where_said(kinds)}: {ctx.fmt.money(lost)} of losses are disallowed for good, "
        f"because the shares that replaced them were bought there. {shelters.ruling_words(kinds)}"
    )


def _sales_about(sold: Sequence[Disposition]) -> tuple[object, ...]:
    """A few figures that change with what pages of sales show, for their buttons' fingerprint (with the
    summary's count, gains, losses and wash sales): the shares, the days sold, the first and last sale."""
    return (
        sum(map(attrgetter("quantity"), sold), ZERO),  # map, not a generator: one C loop, no frame per row
        sum(map(date.toordinal, map(attrgetter("sold"), sold))),
        *((d.lot_id, d.quantity, d.sold, d.gain, d.wash_sale_disallowed) for d in (*sold[:1], *sold[-1:])),
    )


def _sale_entry(d: Disposition, fmt: Fmt, given: date | None = None) -> str:
    return "• " + escape(disposition_line(d, fmt, given))


def disposition_line(d: Disposition, fmt: Fmt, given: date | None = None) -> str:
    text = f"{d.symbol}: {gain_line(d.gain, d.term, fmt)} on {fmt.counted(d.quantity, 'share')} sold {fmt.day(d.sold)}, {held_words(d, fmt, given)}"
    if d.wash_sale_disallowed:
        text += f" ({fmt.money(d.wash_sale_disallowed)} loss disallowed, wash sale)"
    espp = sale_words(d, fmt)
    return text + (f". {espp}" if espp else "")


def sale_wages_words(wages: Decimal, fmt: Fmt) -> str:
    return (
        f"ISO shares sold too soon ({iso_periods(too_soon=True)}) make {fmt.money(wages)} of "
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


def figures_line(figures: Figures, fmt: Fmt) -> str:
    """One line when a year's tax rests on figures the user didn't give for it."""
    year = figures.year
    if figures.income_from is None:
        return (
            f"I don't know your income for {year}, so this assumes {fmt.money(ZERO)} of other income"
            + ("" if figures.status_from is not None else ", filing single")
            + f". Tell me with /income {year} wages {fmt.number(Decimal(85000))} (or /settings)."
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


BUTTONS: dict[str, Handler] = {
    "chart": chart,
    "pf": paging.button(_holdings_view),
    "ps": paging.button(_symbol_pages),
    "gs": paging.button(_gains_view),
}
