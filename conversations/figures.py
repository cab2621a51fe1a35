"""A year's figures in one line each: /income, /filing and /carryover.

/income 2026 wages 190,000 · /income 2026 qualified dividends 1,200 (also ordinary dividends,
interest, capital gain distributions) · /filing 2026 mfj · /carryover 2022 short 5,000 long 6,000.
The year may be left out: it is then the year the chat is on (/settings).
"""

from __future__ import annotations

import re
from decimal import Decimal

from calc.models import ZERO, FilingStatus
from calc.params import available_years
from calc.years import Years
from conversations.confirming import CLOSED, bound, button, unbind
from conversations.drafts import FiguresDraft
from conversations.formatting import STATUS_NAMES, Fmt
from conversations.kernel import Ctx, Handler, Outcome, ask, say
from conversations.parsing import InputError, money, short
from conversations.taxview import ledger_for, tax_years
from conversations.understanding.figures import pay_period
from conversations.understanding.numbers import ambiguous

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


def income_usage(ctx: Ctx) -> str:
    """How to send /income, its example written the way the user writes numbers (190.000 in German)."""
    year = ctx.state.profile.current_year(ctx.today)
    return (
        f"Send it like /income {year} wages {ctx.fmt.number(Decimal(190000))} (also: interest, ordinary dividends, "
        "qualified dividends, capital gain distributions)."
    )


def year_first(ctx: Ctx, args: str, usage: str) -> tuple[int, str]:
    """A leading four-digit year (the chat's year when there is none) and the rest of the line."""
    found = re.match(r"\s*(\d{4})\b\s*(.*)$", args, re.S)
    if found is None:
        return ctx.state.profile.current_year(ctx.today), args.strip()
    return checked_year(int(found.group(1)), usage), found.group(2).strip()


def checked_year(year: int, usage: str) -> int:
    known = available_years()
    if not known[0] <= year <= known[-1] + 1:  # next year's figures are for planning a sale after Dec 31
        raise InputError(f"Send a year from {known[0]} through {known[-1] + 1}. {usage}")
    return year


def _save(ctx: Ctx, years: Years, text: str) -> Outcome:
    profile = ctx.state.profile.model_copy(update={"years": years})
    return say(ctx, text, profile=profile)


def income(ctx: Ctx, args: str) -> Outcome:
    usage = income_usage(ctx)
    year, rest = year_first(ctx, args, usage)
    if not rest:
        return say(ctx, year_words(ctx.state.profile.years, year, ctx.fmt) + "\n" + usage)
    per, rest = pay_period(rest)  # "/income 2026 wages 8,000 a month": the year's is figured, then asked
    rest = rest.strip()
    lowered = rest.lower()
    field = next((INCOME_WORDS[w] for w in INCOME_WORDS if lowered.startswith(w)), None)
    if field is None:
        if re.fullmatch(r"[\d\s.,$]+", rest):
            field, amount_text = "wages", rest  # a bare amount is wages, the usual case
        else:
            raise InputError(f"I don't know the income “{short(rest)}”. {usage}")
    else:
        word = next(w for w in INCOME_WORDS if lowered.startswith(w))
        amount_text = rest[len(word) :].strip().removeprefix("of").strip()
    if not amount_text:
        raise InputError(f"How much? {usage}")
    times = per or 1
    amount = money(amount_text, FIELD_NAMES[field], locale=ctx.fmt.locale) * times
    unsure = ambiguous(amount_text.strip().lstrip("$"), str(ctx.fmt.locale))  # German "85,000": never stored as 85
    if unsure or times > 1:
        return confirm(
            ctx, FiguresDraft(what="income", year=year, field=field, amount=amount, unsure=unsure, per=times)
        )
    return save_income(ctx, year, field, amount)


def save_income(ctx: Ctx, year: int, field: str, amount: Decimal) -> Outcome:
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
    return save_filing(ctx, year, code)


def save_filing(ctx: Ctx, year: int, code: FilingStatus) -> Outcome:
    years = ctx.state.profile.years.with_figures(year, filing_status=code)
    return _save(ctx, years, f"Saved: {year}, {STATUS_NAMES[code].lower()}.\n" + year_words(years, year, ctx.fmt))


def carryover_usage(ctx: Ctx) -> str:
    number = ctx.fmt.number
    return (
        "Send the carryover into a year from the previous year's return (Capital Loss Carryover Worksheet), "
        f"like /carryover 2022 short {number(Decimal(5000))} long {number(Decimal(6000))}, or /carryover 2022 none."
    )


def carryover(ctx: Ctx, args: str) -> Outcome:
    usage = carryover_usage(ctx)
    year, rest = year_first(ctx, args, usage)
    if not rest:
        return say(ctx, _carried_words(ctx, year) + "\n" + usage)
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
            raise InputError(usage)
    loc = ctx.fmt.locale
    short_term = money(amounts.get("short", "0"), "short-term carryover", locale=loc)
    long_term = money(amounts.get("long", "0"), "long-term carryover", locale=loc)
    return save_carryover(ctx, year, short_term, long_term)


def save_carryover(ctx: Ctx, year: int, short_term: Decimal, long_term: Decimal) -> Outcome:
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


# --- the same figures told in words: shown as read, saved only on Save -----------------------------
CONFIRMING_FIGURES = "CONFIRMING_FIGURES"
YES = {"yes", "y", "save", "ok", "okay", "yep", "sure", "correct", "right", "ja"}
NO = {"no", "n", "change", "nope", "wrong", "nein"}
CHARACTERS = {"short": "short-term", "long": "long-term"}


def told(
    ctx: Ctx, what: str, year: int | None, amount: Decimal | None, kind: str | None, unsure: bool, per: int = 1
) -> Outcome:
    """ "my salary is 95k", "we file jointly", "I carried over 5,000 of losses": what was read, with the
    year it assumed, and Save / Change (or the choice still open as buttons). Nothing is stored yet."""
    usage = {"income": income_usage, "filing": lambda _: FILING_USAGE, "carryover": carryover_usage}[what](ctx)
    chosen = checked_year(year, usage) if year is not None else ctx.state.profile.current_year(ctx.today)
    note = "" if year is not None else f"You didn't say which year, so I put {chosen}, the year we're on (/settings)."
    value = amount if amount is not None else Decimal(0)
    if what == "income":
        draft = FiguresDraft(what="income", year=chosen, field=kind or "wages", amount=value, unsure=unsure, per=per)
    elif what == "filing":
        draft = FiguresDraft(what="filing", year=chosen, status=kind or "")
    else:
        draft = FiguresDraft(what="carryover", year=chosen, amount=value, character=kind or "")
    return confirm(ctx, draft, note=note)


def confirm(ctx: Ctx, draft: FiguresDraft, note: str = "") -> Outcome:
    fmt = ctx.fmt
    year = draft.year
    choices: list[tuple[str, str]] = [("Save", "save")]
    if draft.what == "income":
        text = f"{FIELD_NAMES[draft.field].capitalize()} for {year}: {_yearly(fmt, draft.amount, draft.per)} — save it?"
        if draft.unsure:  # "85,000" where 85,5 is eighty-five and a half: both readings, the user picks
            thousands = draft.amount * 1000
            text = (
                f"{FIELD_NAMES[draft.field].capitalize()} for {year}: did you mean {_yearly(fmt, thousands, draft.per)} "
                f"or {_yearly(fmt, draft.amount, draft.per)}? (The way it's written can be read both ways.)"
            )
            choices = [(fmt.money(v), f"{v.normalize():f}") for v in (thousands, draft.amount)]
    elif draft.what == "filing":
        if draft.status:
            text = f"Filing status for {year}: {STATUS_NAMES[draft.status].lower()} — save it?"  # type: ignore[index]
        else:  # jointly or separately changes the tax a lot: asked, not guessed
            text = f"Married filing jointly or separately for {year}?"
            choices = [("Jointly", "mfj"), ("Separately", "mfs")]
    elif not draft.amount:
        text = f"No loss carryover into {year} (I'll figure it from your trades before {year}) — save it?"
    elif draft.character:
        text = (
            f"Loss carryover into {year}: {fmt.money(draft.amount)} {CHARACTERS[draft.character]} "
            f"(from your {year - 1} return) — save it?"
        )
    else:  # the character decides the rate the loss offsets: asked, not guessed
        text = (
            f"Loss carryover into {year}: {fmt.money(draft.amount)} (from your {year - 1} return). Short-term or "
            f"long-term? Your {year - 1} Capital Loss Carryover Worksheet splits it; if it's some of each, send "
            f"/carryover {year} short {fmt.number(Decimal(1000))} long {fmt.number(Decimal(2000))}."
        )
        choices = [("Short-term", "short"), ("Long-term", "long")]
    buttons = ((*(button(ctx, label, "fig", choice) for label, choice in choices), button(ctx, "Change", "figno")),)
    return ask(ctx, "figures", CONFIRMING_FIGURES, text + (f"\n{note}" if note else ""), draft, buttons=buttons)


PERIODS = {12: "a month", 24: "twice a month", 26: "every two weeks", 52: "a week"}


def _yearly(fmt: Fmt, amount: Decimal, per: int) -> str:
    """A year's income, and when it was said by the period, how it was figured: "$96,000.00 a year
    ($8,000.00 a month × 12)"."""
    if per <= 1:
        return fmt.money(amount)
    return f"{fmt.money(amount)} a year ({fmt.money(amount / per)} {PERIODS[per]} × {per})"


def _draft(ctx: Ctx, key: str) -> FiguresDraft | None:
    return bound(ctx, key, FiguresDraft, "figures", CONFIRMING_FIGURES)


def save_pressed(ctx: Ctx, arg: str) -> Outcome:
    choice, key = unbind(arg)
    draft = _draft(ctx, key)
    if draft is None:
        return say(ctx, f"{CLOSED} Send it again if you still want to save it.")
    status = draft.status or (choice if choice in STATUS_NAMES else "")
    character = draft.character or (choice if choice in CHARACTERS else "")
    open_choice = (
        (draft.what == "income" and draft.unsure and choice == "save")
        or (draft.what == "filing" and not status)
        or (draft.what == "carryover" and draft.amount and not character)
    )
    if open_choice:  # a typed yes can't say which: the question again, with its buttons
        return confirm(ctx, draft, note="Tap the one you meant.")
    ctx.state = ctx.state.model_copy(update={"wizard": None})  # answered: its buttons are spent
    if draft.what == "income":
        amount = draft.amount if choice == "save" else money(choice, "income")
        return save_income(ctx, draft.year, draft.field, amount)
    if draft.what == "filing":
        return save_filing(ctx, draft.year, status)  # type: ignore[arg-type]
    short_term = draft.amount if character == "short" else Decimal(0)
    return save_carryover(ctx, draft.year, short_term, draft.amount - short_term)


def change_pressed(ctx: Ctx, arg: str) -> Outcome:
    draft = _draft(ctx, arg)
    if draft is None:
        return say(ctx, CLOSED)
    return say(ctx, "Nothing saved. Send it the way it should be, like: " + _command(ctx, draft), wizard=None)


def _command(ctx: Ctx, draft: FiguresDraft) -> str:
    """The one-line command for what was read, in the user's way of writing numbers."""
    number = ctx.fmt.number
    if draft.what == "income":
        return f"/income {draft.year} {FIELD_NAMES[draft.field]} {number(draft.amount)}"
    if draft.what == "filing":
        return f"/filing {draft.year} {draft.status or 'mfj'}"
    amount = draft.amount
    short_term, long_term = (amount, Decimal(0)) if draft.character != "long" else (Decimal(0), amount)
    return f"/carryover {draft.year} short {number(short_term)} long {number(long_term)}"


def answer_typed(ctx: Ctx, text: str, otherwise: Handler) -> Outcome:
    """Typed instead of tapped: yes saves (when nothing is left to choose), no changes; anything else
    leaves the question and is read as a new message."""
    word = text.strip().lower().strip("!.")
    key = ctx.state.wizard.nonce if ctx.state.wizard else ""
    if word in YES:
        return save_pressed(ctx, f"save:{key}")
    if word in NO:
        return change_pressed(ctx, key)
    ctx.state = ctx.state.model_copy(update={"wizard": None})
    return otherwise(ctx, text)


BUTTONS: dict[str, Handler] = {"fig": save_pressed, "figno": change_pressed}
