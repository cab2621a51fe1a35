"""A year's figures in one line each: /income, /filing and /carryover.

/income 2026 wages 190,000 · /income 2026 qualified dividends 1,200 (also ordinary dividends,
interest, capital gain distributions) · /filing 2026 mfj · /carryover 2022 short 5,000 long 6,000.
The year may be left out: it is then the year the chat is on (/settings).
"""

from __future__ import annotations

import re

from calc.models import ZERO, FilingStatus
from calc.params import available_years
from calc.years import Years
from conversations.formatting import STATUS_NAMES, Fmt
from conversations.kernel import Ctx, Outcome, say
from conversations.parsing import InputError, money, short
from conversations.taxview import ledger_for, tax_years

# The words for each income field, longest first so "ordinary dividends" wins over "dividends".
INCOME_WORDS: dict[str, str] = {
    "capital gain distributions": "capital_gain_distributions",
    "capital gains distributions": "capital_gain_distributions",
    "cap gain distributions": "capital_gain_distributions",
    "qualified dividends": "qualified_dividends",
    "ordinary dividends": "ordinary_dividends",
    "total dividends": "ordinary_dividends",
    "dividends": "ordinary_dividends",
    "interest": "interest",
    "salary": "wages",
    "wages": "wages",
    "wage": "wages",
}
FIELD_NAMES = {
    "wages": "wages",
    "interest": "interest",
    "ordinary_dividends": "ordinary dividends",
    "qualified_dividends": "qualified dividends",
    "capital_gain_distributions": "capital gain distributions",
}
STATUS_WORDS: dict[str, FilingStatus] = {
    **{code: code for code in STATUS_NAMES},
    **{name.lower(): code for code, name in STATUS_NAMES.items()},
    "joint": "mfj",
    "jointly": "mfj",
    "separate": "mfs",
    "separately": "mfs",
    "head of household": "hoh",
    "widow": "qss",
    "widower": "qss",
    "surviving spouse": "qss",
}
INCOME_USAGE = (
    "Send it like /income 2026 wages 190,000 (also: interest, ordinary dividends, qualified dividends, "
    "capital gain distributions)."
)


def year_first(ctx: Ctx, args: str, usage: str) -> tuple[int, str]:
    """A leading four-digit year (the chat's year when there is none) and the rest of the line."""
    found = re.match(r"\s*(\d{4})\b\s*(.*)$", args, re.S)
    if found is None:
        return ctx.state.profile.current_year(ctx.today), args.strip()
    year = int(found.group(1))
    known = available_years()
    if not known[0] <= year <= known[-1] + 1:  # next year's figures are for planning a sale after Dec 31
        raise InputError(f"Send a year from {known[0]} through {known[-1] + 1}. {usage}")
    return year, found.group(2).strip()


def _save(ctx: Ctx, years: Years, text: str) -> Outcome:
    profile = ctx.state.profile.model_copy(update={"years": years})
    return say(ctx, text, profile=profile)


def income(ctx: Ctx, args: str) -> Outcome:
    year, rest = year_first(ctx, args, INCOME_USAGE)
    if not rest:
        return say(ctx, year_words(ctx.state.profile.years, year, ctx.fmt) + "\n" + INCOME_USAGE)
    lowered = rest.lower()
    field = next((INCOME_WORDS[w] for w in INCOME_WORDS if lowered.startswith(w)), None)
    if field is None:
        if re.fullmatch(r"[\d\s.,$]+", rest):
            field, amount_text = "wages", rest  # a bare amount is wages, the usual case
        else:
            raise InputError(f"I don't know the income “{short(rest)}”. {INCOME_USAGE}")
    else:
        word = next(w for w in INCOME_WORDS if lowered.startswith(w))
        amount_text = rest[len(word) :].strip().removeprefix("of").strip()
    if not amount_text:
        raise InputError(f"How much? {INCOME_USAGE}")
    amount = money(amount_text, FIELD_NAMES[field], locale=ctx.fmt.locale)
    years = ctx.state.profile.years.with_figures(year, **{field: amount})
    note = ""
    figures = years.given(year)
    if field == "qualified_dividends" and figures.ordinary_dividends is None:
        note = " Qualified dividends are part of ordinary dividends (1099-DIV box 1b of 1a): send those too if they're larger."
    text = f"Saved: {FIELD_NAMES[field]} for {year}, {ctx.fmt.money(amount)}.{note}\n" + year_words(
        years, year, ctx.fmt
    )
    return _save(ctx, years, text)


FILING_USAGE = "Send it like /filing 2026 mfj (single, mfj, mfs, hoh or qss)."


def filing(ctx: Ctx, args: str) -> Outcome:
    year, rest = year_first(ctx, args, FILING_USAGE)
    if not rest:
        return say(ctx, year_words(ctx.state.profile.years, year, ctx.fmt) + "\n" + FILING_USAGE)
    said = " ".join(rest.lower().split())
    if said == "married":  # jointly or separately changes the tax a lot: ask, don't guess
        raise InputError(f"Jointly or separately? Send /filing {year} mfj or /filing {year} mfs.")
    code = STATUS_WORDS.get(said)
    if code is None:
        raise InputError(f"I don't know the filing status “{short(rest)}”. {FILING_USAGE}")
    years = ctx.state.profile.years.with_figures(year, filing_status=code)
    return _save(ctx, years, f"Saved: {year}, {STATUS_NAMES[code].lower()}.\n" + year_words(years, year, ctx.fmt))


CARRYOVER_USAGE = (
    "Send the carryover into a year from the previous year's return (Capital Loss Carryover Worksheet), "
    "like /carryover 2022 short 5,000 long 6,000, or /carryover 2022 none."
)


def carryover(ctx: Ctx, args: str) -> Outcome:
    year, rest = year_first(ctx, args, CARRYOVER_USAGE)
    if not rest:
        return say(ctx, _carried_words(ctx, year) + "\n" + CARRYOVER_USAGE)
    lowered = rest.lower()
    if lowered in ("none", "no", "0", "clear"):
        amounts = {"short": "0", "long": "0"}
    else:
        named = dict(re.findall(r"(short|long)(?:[- ]term)?\s*:?\s*([^\s]+)", lowered))
        bare = lowered.split()
        if named:
            amounts = named
        elif len(bare) == 2:
            amounts = {"short": bare[0], "long": bare[1]}
        else:
            raise InputError(CARRYOVER_USAGE)
    loc = ctx.fmt.locale
    short_term = money(amounts.get("short", "0"), "short-term carryover", locale=loc)
    long_term = money(amounts.get("long", "0"), "long-term carryover", locale=loc)
    figured = _carried_words(ctx, year) if year not in ctx.state.profile.years.carryovers else ""
    years = ctx.state.profile.years.with_carryover(year, short_term, long_term)
    if not short_term and not long_term:
        years = years.model_copy(update={"carryovers": {y: c for y, c in years.carryovers.items() if y != year}})
        text = f"Cleared the carryover you gave for {year}: I figure it from your trades before {year} instead."
    else:
        text = (
            f"Saved: {ctx.fmt.money(short_term)} short-term and {ctx.fmt.money(long_term)} long-term carried into "
            f"{year} (from your {year - 1} return). Later years chain on from it."
            + (f"\n(Before: {figured[0].lower()}{figured[1:]})" if figured else "")
        )
    return _save(ctx, years, text)


def year_words(years: Years, year: int, fmt: Fmt) -> str:
    """A year's figures in one line, saying which are borrowed from another year."""
    figures = years.resolve(year)
    if figures.status_from is None:
        status = "filing status not given (single assumed)"
    else:
        status = STATUS_NAMES[figures.filing_status].lower()
        if figures.status_from != year:
            status += f" (from {figures.status_from})"
    if figures.income_from is None:
        income = f"no income given (I assume {fmt.money(ZERO)})"
    else:
        parts = [f"wages {fmt.money(figures.wages)}"]
        parts += [
            f"{FIELD_NAMES[name]} {fmt.money(getattr(figures, name))}"
            for name in ("interest", "ordinary_dividends", "qualified_dividends", "capital_gain_distributions")
            if getattr(figures, name)
        ]
        income = ", ".join(parts) + (f" (from {figures.income_from})" if figures.income_from != year else "")
    stated = years.carryovers.get(year)
    carried = (
        f"; loss carryover into {year}: {fmt.money(stated.short)} short-term and {fmt.money(stated.long)} long-term"
        if stated
        else ""
    )
    return f"{year}: {status}; {income}{carried}."


def _carried_words(ctx: Ctx, year: int) -> str:
    """The carryover into `year` as the chain has it: stated by the user, or figured from their trades."""
    fmt = ctx.fmt
    stated = ctx.state.profile.years.carryovers.get(year)
    summary = tax_years(ctx.state, ledger_for(ctx.state)).summary(year)
    amounts = f"{fmt.money(summary.carryover_short)} short-term and {fmt.money(summary.carryover_long)} long-term"
    if stated is not None:
        return f"Into {year}: {amounts}, as you told me (from your {year - 1} return)."
    return f"Into {year}: {amounts}, figured from your trades before {year}."
