"""Plain-language answers to the questions people type instead of commands.

Each entry is a pattern and what answers it, with the user's own figures where they help.
The first pattern that matches answers; text that matches none gets the usual hint.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from calc import CalcError, UnsupportedYear
from calc.params import law_for
from calc.years import YearView
from conversations.formatting import limit_words, rates_words
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
            f"Total estimated federal income tax for {year}: {ctx.fmt.money(view.with_gains.total)}. "
            "/gains shows every sale and the netting behind it.",
            *([figures] if figures else []),
        ]
    )


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


QUESTIONS: list[tuple[re.Pattern[str], Answer]] = [
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
