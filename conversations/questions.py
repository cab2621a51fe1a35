"""Plain-language answers to the questions people type instead of commands, by subject.

Which subject a question is about is decided in one place, conversations/understanding/topics.py;
here each subject has its answer, with the user's own figures (and for a named stock, that
stock's own dates).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from calc import CalcError, TaxResult, UnsupportedYear
from calc.booking import WASH_WINDOW
from calc.params import available_years, law_for
from calc.years import YearView
from conversations.espp import espp_answer
from conversations.figures import year_words
from conversations.formatting import Fmt, limit_words, rates_words, shares_of, tacked_words
from conversations.harvesting import harvest_command
from conversations.kernel import Ctx, Handler, Outcome, say
from conversations.markup import escape, headed
from conversations.options import iso_tax_words, losses_and_options_words
from conversations.reminders import last_trading_day
from conversations.reports import figures_line, gains, portfolio, tax_lines
from conversations.taxview import ledger_for, tax_known, tax_year, year_tax
from conversations.trade_list import list_trades

Answer = Callable[[Ctx], str]


def _view(ctx: Ctx, asked: int | None = None) -> YearView | None:
    year = asked or tax_year(ctx.state, ctx.today.year)
    if not ctx.state.trades or not tax_known(ctx.state, year):
        return None
    try:
        return year_tax(ctx.state, ledger_for(ctx.state), year)
    except (CalcError, UnsupportedYear):
        return None


def _tax_owed(ctx: Ctx, year: int | None) -> str:
    view = _view(ctx, year)
    if view is None and year is not None and ctx.state.trades:
        known = available_years()
        return escape(f"I can't figure {year}'s tax: I know the tax law for {known[0]} through {known[-1]}.")
    if view is None:
        return escape(
            "Record your sales with /sell (or /import a broker file) and I'll estimate the federal tax they add."
        )
    year = view.summary.year
    figures = figures_line(view.figures, ctx.fmt)
    return headed(
        f"Your {year} tax so far",
        "From the sales you've recorded and the income you gave me:",
        *tax_lines(view, ctx.fmt),
        *total_lines(view.with_gains, ctx.fmt),
        "/gains shows every sale and the netting behind it.",
        *([figures] if figures else []),
    )


def total_lines(r: TaxResult, fmt: Fmt) -> list[str]:
    """The year's federal total with its parts each on a line: the NIIT is a tax of its own (Form 8960,
    Schedule 2), not part of the income tax."""
    lines = [
        f"Total estimated federal tax for {r.year}: {fmt.money(r.total)}",
        f"• income tax {fmt.money(r.income_tax)}",
    ]
    if r.niit:
        lines.append(
            f"• net investment income tax ({fmt.rate(law_for(r.year).niit.rate)}, Form 8960) {fmt.money(r.niit)}"
        )
    if r.amt:
        lines.append(f"• alternative minimum tax (Form 6251) {fmt.money(r.amt)}")
    return lines


def _wash_sale(ctx: Ctx) -> str:
    words = (
        f"A wash sale is selling at a loss and buying the same stock within {WASH_WINDOW.days} days before or after. "
        "The loss isn't lost: it can't be deducted now, but it's added to the new shares' basis, and "
        "their holding period includes the old shares'. You get it back when you sell the new shares."
    )
    view = _view(ctx)
    if view is not None and view.summary.wash_sale_disallowed:
        words += (
            f"\nIn {view.summary.year} so far, {ctx.fmt.money(view.summary.wash_sale_disallowed)} of your losses "
            "were wash sales. /harvest shows the dates after which buying back is safe."
        )
    return words


def _holding(ctx: Ctx) -> str:
    words = (
        "Shares held one year or less are short-term: their gain is taxed like wages. Held more than one "
        f"year, they're long-term and get the {rates_words(law_for(ctx.today.year), ctx.fmt)} rates. "
        "The count starts the day after you buy."
    )
    lots = [lot for lot in ledger_for(ctx.state).lots if lot.long_term_from > ctx.today]
    if lots:
        lot = min(lots, key=lambda lot: lot.long_term_from)
        days = (lot.long_term_from - ctx.today).days
        words += (
            f"\nYour next lot to turn long-term: {ctx.fmt.shares(lot.quantity)} {lot.symbol} bought "
            f"{ctx.fmt.day(lot.purchased)}, on {ctx.fmt.day(lot.long_term_from)} (in {ctx.fmt.counted(days, 'day')}). /portfolio lists them all."
        )
    return words


def _carryover(ctx: Ctx) -> str:
    words = (
        "When your losses beat your gains, the net loss lowers your other income each year, up to "
        f"{limit_words(law_for(ctx.today.year), ctx.fmt)}. The rest carries forward to later years, keeping its "
        "short- or long-term character, with no time limit."
    )
    view = _view(ctx)
    if view is not None and (view.summary.carryforward_short or view.summary.carryforward_long):
        s = view.summary
        words += (
            f"\nYou carry {ctx.fmt.money(s.carryforward_short)} short-term and "
            f"{ctx.fmt.money(s.carryforward_long)} long-term into {s.year + 1}."
        )
    return words


def _advice(_: Ctx) -> str:
    return (
        "I give estimates from the rules and the figures you've told me, not tax advice. For anything "
        "important, check with a tax professional; /export gives them all your trades in one file."
    )


def _symbol_holding(ctx: Ctx, symbol: str) -> str:
    """When each of the user's lots of one stock turns long-term."""
    fmt = ctx.fmt
    lots = sorted((lot for lot in ledger_for(ctx.state).lots if lot.symbol == symbol), key=lambda lot: lot.purchased)
    if not lots:
        return escape(f"You don't hold any {symbol} now, so nothing of it is waiting to turn long-term.")
    lines = []
    for lot in lots[:MAX_LOTS]:
        held = tacked_words(lot, ctx.today, ctx.fmt)
        bought = f"• {shares_of(fmt, lot.quantity)} bought {fmt.day(lot.purchased)}" + (f", {held}" if held else "")
        if lot.long_term_from <= ctx.today:
            lines.append(f"{bought}: long-term already")
        else:
            days = (lot.long_term_from - ctx.today).days
            lines.append(f"{bought}: long-term on {fmt.day(lot.long_term_from)} (in {fmt.counted(days, 'day')})")
    more = (
        [f"… and {fmt.counted(len(lots) - MAX_LOTS, 'more lot')}: /portfolio lists them all."]
        if len(lots) > MAX_LOTS
        else []
    )
    return headed(f"Your {symbol}, lot by lot", "Long-term means held more than a year.", *lines, *more)


# --- what I don't cover: said plainly, with what the user can do instead -------------------------
def _state_tax(_: Ctx) -> str:
    return (
        "I figure US federal tax only: state and local income tax isn't in any of my estimates. Most states "
        "tax capital gains as ordinary income at their own rates, a few have no income tax, and some have "
        "rules of their own. For the state figure use your state's forms or a tax professional; /gains and "
        "/form8949 give the realized gains a state return starts from."
    )


def _option_contracts(_: Ctx) -> str:
    return (
        "Options you trade (calls and puts) aren't something I track: premiums, expirations, assignments and "
        "index options (Section 1256, 60% long-term) have rules of their own (Publication 550, “Options”). "
        "When an option is exercised or assigned, the stock trade it makes can be recorded with /buy or /sell, "
        "with the premium folded into the price (a bought call's cost adds to the shares' basis; a written "
        "put's premium lowers it). Stock options from your employer I do handle: /exercise and /vest."
    )


def _short_sales(_: Ctx) -> str:
    return (
        "I don't handle short sales (selling borrowed shares): a sale of shares you don't hold yet is refused. "
        "A short sale's gain or loss is figured when you close it, with holding-period rules of its own "
        "(Publication 550, “Short Sales”). Record only positions you own; your broker's 1099-B reports the short ones."
    )


def _collectibles(_: Ctx) -> str:
    return (
        "Collectibles (art, coins, precious metals, and funds that hold physical metal, such as gold ETFs) are "
        "taxed at up to 28% when held more than a year, not 0/15/20%. I tax every long-term gain at 0/15/20%, so "
        "for those my estimate is too low. Their gain goes on the 28% Rate Gain Worksheet (Schedule D "
        "instructions); 1099-DIV box 2d shows a fund's collectibles part."
    )


def _section_1250(_: Ctx) -> str:
    return (
        "Real estate isn't something I track: I cover stocks, ETFs and funds. Gain on depreciated real property "
        "(a rental) is partly unrecaptured Section 1250 gain, taxed at up to 25% (Schedule D Tax Worksheet). "
        "A REIT or real-estate fund's 1099-DIV box 2b shows such gain inside its distributions; I tax all of "
        "box 2a at the usual long-term rates, so with box 2b the estimate can be a little low."
    )


def _scope(_: Ctx) -> str:
    return (
        "I estimate US federal tax on stocks, ETFs and funds you own: sales, wash sales, splits, employee "
        "stock options and RSUs, with your income and dividends. Not covered: state tax, option contracts "
        "(calls and puts), short sales, collectibles' 28% rate, Section 1250 gain on real estate, and "
        "itemized deductions. For those, a tax professional or the IRS forms; /export gives them your trades."
    )


def _symbol_wash(ctx: Ctx, symbol: str) -> str:
    """The user's own dates for one stock: purchases that would make a loss sale now a wash sale,
    and recent loss sales that a purchase now would make one."""
    fmt = ctx.fmt
    window = WASH_WINDOW
    since = ctx.today - window
    bought = [t for t in ctx.state.trades if t.symbol == symbol and t.side == "buy" and since <= t.date <= ctx.today]
    ledger = ledger_for(ctx.state)
    losses = [d for d in ledger.dispositions if d.symbol == symbol and d.gain < 0 and since <= d.sold <= ctx.today]
    lines = []
    if bought:
        last = max(t.date for t in bought)
        lines.append(
            f"You bought {symbol} on {', '.join(fmt.day(t.date) for t in bought[-3:])}: selling {symbol} at a loss "
            f"before {fmt.day(last + window + timedelta(days=1))} would be a wash sale (the loss moves into those shares)."
        )
    if losses:
        last_loss = max(d.sold for d in losses)
        lines.append(
            f"You sold {symbol} at a loss on {fmt.day(last_loss)}: buying it back before "
            f"{fmt.day(last_loss + window + timedelta(days=1))} would make that loss a wash sale."
        )
    if not lines:
        lines.append(
            f"No {symbol} bought or sold at a loss in the last {window.days} days, so a sale at a loss today isn't a "
            f"wash sale, as long as you don't buy it again within {window.days} days after."
        )
    return "\n".join(lines)


def _last_day(ctx: Ctx, year: int) -> str:
    day = last_trading_day(year)
    passed = " (already past)" if day < ctx.today else ""
    return (
        f"The last trading day of {year} is {ctx.fmt.day(day)}{passed}. The trade date decides the tax year, so a "
        f"sale that day counts for {year}, even though it settles in {year + 1}. /harvest shows losses worth taking."
    )


def about(ctx: Ctx, topic: str, symbol: str | None, year: int | None) -> Outcome:
    """The answer to a question on one subject; a named stock is answered for that stock."""
    if topic in COMMANDS:
        return COMMANDS[topic](ctx, str(year) if year and topic == "gains" else "")
    if topic == "longterm" and symbol:
        return say(ctx, _symbol_holding(ctx, symbol), html=True)
    if topic == "tax":
        return say(ctx, _tax_owed(ctx, year), html=True)
    if topic == "wash" and symbol:
        return say(ctx, _symbol_wash(ctx, symbol))
    if topic == "lastday":
        return say(ctx, _last_day(ctx, year or tax_year(ctx.state, ctx.today.year)))
    if topic in ("income", "filing"):
        return say(ctx, _figures_told(ctx, year or ctx.state.profile.current_year(ctx.today)))
    return say(ctx, ANSWERS[topic](ctx))


def _figures_told(ctx: Ctx, year: int) -> str:
    """ "what's my filing status?", "what income did I give you?": the year's figures as the tax uses them."""
    fmt = ctx.fmt
    return (
        year_words(ctx.state.profile.years, year, fmt)
        + f"\nTo change them: /income {year} wages {fmt.number(Decimal(85000))}, /filing {year} mfj, or tell me, "
        "like “my salary is 95k” or “we file jointly”."
    )


MAX_LOTS = 10
ANSWERS: dict[str, Answer] = {
    "state": _state_tax,
    "contracts": _option_contracts,
    "shorts": _short_sales,
    "collectibles": _collectibles,
    "realestate": _section_1250,
    "scope": _scope,
    "options": losses_and_options_words,
    "iso": iso_tax_words,
    "espp": espp_answer,
    "wash": _wash_sale,
    "longterm": _holding,
    "carryover": _carryover,
    "advice": _advice,
}
COMMANDS: dict[str, Handler] = {
    "gains": gains,
    "portfolio": portfolio,
    "trades": list_trades,
    "harvest": harvest_command,
}
