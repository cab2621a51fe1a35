"""Plain-language answers to the questions people type instead of commands.

Each entry is a pattern and what answers it, with the user's own figures where they help.
The first pattern that matches answers; text that matches none gets the usual hint.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from calc import CalcError, TaxResult, UnsupportedYear
from calc.params import law_for
from calc.years import YearView
from conversations.formatting import Fmt, limit_words, rates_words
from conversations.kernel import Ctx, Outcome, say
from conversations.options import iso_tax_words, losses_and_options_words
from conversations.reports import figures_line, tax_lines
from conversations.taxview import ledger_for, tax_known, tax_year, year_tax

Answer = Callable[[Ctx], str]


def _view(ctx: Ctx) -> YearView | None:
    year = tax_year(ctx.state, ctx.today.year)
    if not ctx.state.trades or not tax_known(ctx.state, year):
        return None
    try:
        return year_tax(ctx.state, ledger_for(ctx.state), year)
    except (CalcError, UnsupportedYear):
        return None


def _tax_owed(ctx: Ctx) -> str:
    view = _view(ctx)
    if view is None:
        return "Record your sales with /sell (or /import a broker file) and I'll estimate the federal tax they add."
    year = view.summary.year
    figures = figures_line(view.figures, ctx.fmt)
    return "\n".join(
        [
            f"For {year}, from the sales you've recorded and the income you gave me:",
            *tax_lines(view, ctx.fmt),
            *total_lines(view.with_gains, ctx.fmt),
            "/gains shows every sale and the netting behind it.",
            *([figures] if figures else []),
        ]
    )


def total_lines(r: TaxResult, fmt: Fmt) -> list[str]:
    """The year's federal total with its parts each on a line: the NIIT is a tax of its own (Form 8960,
    Schedule 2), not part of the income tax."""
    lines = [
        f"Total estimated federal tax for {r.year}: {fmt.money(r.total)}",
        f"• income tax {fmt.money(r.income_tax)}",
    ]
    if r.niit:
        lines.append(f"• net investment income tax (3.8%, Form 8960) {fmt.money(r.niit)}")
    if r.amt:
        lines.append(f"• alternative minimum tax (Form 6251) {fmt.money(r.amt)}")
    return lines


def _wash_sale(ctx: Ctx) -> str:
    words = (
        "A wash sale is selling at a loss and buying the same stock within 30 days before or after. "
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
            f"{ctx.fmt.day(lot.purchased)}, on {ctx.fmt.day(lot.long_term_from)} (in {days} days). /portfolio lists them all."
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


def _greeting(_: Ctx) -> str:
    return "You're welcome! Send /help any time to see what I can do."


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


US_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|"
    "Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|"
    "Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|"
    "Virginia|Washington|West Virginia|Wisconsin|Wyoming|NYC"
)

QUESTIONS: list[tuple[re.Pattern[str], Answer]] = [
    (
        re.compile(
            rf"\bstate\b.*\btax|\btax\w*\b.*\bstate\b|\b(local|city)\s+tax|\b({US_STATES})\b.*\btax|\btax\w*\b.*\b({US_STATES})\b",
            re.I,
        ),
        _state_tax,
    ),
    (
        re.compile(
            r"\b(calls?|puts?)\b.*\b(options?|contracts?|premium|strike|expir\w*|assign\w*|sold|wrote|bought)\b|"
            r"\b(covered|naked|long|short)\s+(calls?|puts?)\b|\boptions?\s+(contracts?|trad\w*|premium)\b|"
            r"\b(straddle|spread|1256)\b",
            re.I,
        ),
        _option_contracts,
    ),
    (re.compile(r"\bshort\s+(sale|sales|sell\w*|position)|\bsell\w*\s+short\b|\bshort(ed|ing)\b", re.I), _short_sales),
    (
        re.compile(r"\bcollectibles?\b|\b28\s?%|\b(gold|silver|platinum|bullion|artwork|coin collection)\b", re.I),
        _collectibles,
    ),
    (
        re.compile(r"\b1250\b|\brecapture\b|\b(rental|real estate|house|home sale|reits?)\b|\bdepreciat\w*", re.I),
        _section_1250,
    ),
    (
        re.compile(
            r"\b(what|which)\b.*\b(not|don't|do not|can't|cannot|doesn't)\b.*\b(cover|handle|support)\b|"
            r"\b(scope|limitations?)\b",
            re.I,
        ),
        _scope,
    ),
    (
        re.compile(
            r"\b(loss|losses|harvest\w*|write[- ]?off)\b.*\b(options?|nsos?|nqsos?|isos?|rsus?|bargain|"
            r"exercis\w*|vest\w*|w-?2|comp\w*)\b|\b(options?|nsos?|nqsos?|isos?|rsus?|bargain|exercis\w*|"
            r"vest\w*|w-?2|comp\w*)\b.*\b(loss|losses|harvest\w*|write[- ]?off)\b",
            re.I,
        ),
        losses_and_options_words,
    ),
    (re.compile(r"\bisos?\b.*\b(tax\w*|owe|amt)\b|\b(tax\w*|owe|amt)\b.*\bisos?\b", re.I), iso_tax_words),
    (re.compile(r"\bwash\b", re.I), _wash_sale),
    (re.compile(r"\b(long|short)[- ]?term\b|\bholding period\b", re.I), _holding),
    (re.compile(r"\bcarry\s*(over|forward)|\bcarryover\b|\bloss limit\b|\b3,?000\b", re.I), _carryover),
    (
        re.compile(r"\b(how much|what)\b.*\b(tax|taxes)\b|\b(tax|taxes)\b.*\b(owe|due|estimate)\b|\bdo i owe\b", re.I),
        _tax_owed,
    ),
    (re.compile(r"\b(advice|advisor|adviser|accountant|cpa)\b", re.I), _advice),
    (re.compile(r"^\W*(thanks|thank you|thx|ty|great|cool|ok|okay|nice)\b", re.I), _greeting),
]


def answer(ctx: Ctx, text: str) -> Outcome | None:
    """The answer to a question in plain words, or None when it isn't one of these."""
    for pattern, words in QUESTIONS:
        if pattern.search(text):
            return say(ctx, words(ctx))
    return None
