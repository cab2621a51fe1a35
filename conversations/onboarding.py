"""/start and /settings: tax year, filing status, other income, loss carryover, time zone."""

from __future__ import annotations

import re
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from calc.params import available_years
from conversations.confirming import button, on_step
from conversations.drafts import YearDraft
from conversations.events import Button
from conversations.figures import year_first, year_words
from conversations.formatting import STATUS_NAMES
from conversations.kernel import Ctx, Handler, Outcome, ask, say
from conversations.parsing import InputError, money, short
from conversations.state import Wizard
from conversations.understanding import numbers

DISCLAIMER = "I give estimates, not tax advice: check anything important with a tax professional."

ASKING_TAX_YEAR = "ASKING_TAX_YEAR"
ASKING_FILING_STATUS = "ASKING_FILING_STATUS"
ASKING_OTHER_INCOME = "ASKING_OTHER_INCOME"
ASKING_CARRYOVER = "ASKING_CARRYOVER"
ASKING_TIMEZONE = "ASKING_TIMEZONE"

CLOSED = "That question is closed. Send /settings to change your answers."


def _year_buttons(ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
    years = [y for y in (ctx.today.year, ctx.today.year - 1) if y in available_years()]
    return (tuple(button(ctx, str(y), "year", str(y)) for y in years),)


def _status_buttons(ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
    return tuple((button(ctx, name, "status", code),) for code, name in STATUS_NAMES.items())


def start(ctx: Ctx, _: str) -> Outcome:
    if ctx.state.profile.onboarded:
        return say(
            ctx,
            "You're already set up: " + summary(ctx) + "\n/settings changes any one answer.",
            ((Button(label="Settings", data="set:menu"), Button(label="Answer all five again", data="restart:")),),
        )
    return questionnaire(ctx, "")


def questionnaire(ctx: Ctx, _: str) -> Outcome:
    text = (
        "Hi! I keep track of your stock trades and estimate the US federal tax on your capital gains.\n"
        f"{DISCLAIMER}\n\nFirst, five quick questions (you can change them later in /settings).\n"
        f"Which tax year are we working on? Tap one or type a year ({available_years()[0]}–{available_years()[-1]})."
    )
    return ask(ctx, "onboarding", ASKING_TAX_YEAR, text, buttons=_year_buttons(ctx))


def _profile(ctx: Ctx, **changes: object) -> dict[str, object]:
    return {"profile": ctx.state.profile.model_copy(update=changes)}


def _year(ctx: Ctx) -> int:
    """The year whose figures the open question sets: the one /settings YEAR opened, else the chat's."""
    wizard = ctx.state.wizard
    if wizard is not None and isinstance(wizard.answers, YearDraft):
        return wizard.answers.year
    return ctx.state.profile.current_year(ctx.today)


def _draft(ctx: Ctx) -> YearDraft:
    return YearDraft(year=_year(ctx))


def _next(ctx: Ctx, after: str, **changes: object) -> Outcome:
    """After an answer: the next onboarding question, or back to the settings summary."""
    wizard = ctx.state.wizard
    year = _year(ctx)
    ctx.state = ctx.state.model_copy(update=_profile(ctx, **changes))
    if wizard is None or wizard.flow == "settings":
        ctx.state = ctx.state.model_copy(update={"wizard": None})
        return settings(ctx, "" if after == ASKING_TAX_YEAR else str(year), saved=True)
    order = [ASKING_TAX_YEAR, ASKING_FILING_STATUS, ASKING_OTHER_INCOME, ASKING_CARRYOVER, ASKING_TIMEZONE]
    following = order[order.index(after) + 1] if after in order[:-1] else None
    if following is None:
        ctx.state = ctx.state.model_copy(update={"wizard": None, **_profile(ctx, onboarded=True)})
        return say(ctx, "All set. " + summary(ctx) + "\n\n" + NEXT_STEPS)
    return QUESTIONS[following](ctx, "onboarding")


def ask_year(ctx: Ctx, flow: str) -> Outcome:
    return ask(ctx, flow, ASKING_TAX_YEAR, "Which tax year?", buttons=_year_buttons(ctx))


def ask_status(ctx: Ctx, flow: str) -> Outcome:
    year = _year(ctx)
    return ask(
        ctx, flow, ASKING_FILING_STATUS, f"What is your filing status for {year}?", _draft(ctx), _status_buttons(ctx)
    )


def ask_income(ctx: Ctx, flow: str) -> Outcome:
    year = _year(ctx)
    return ask(
        ctx,
        flow,
        ASKING_OTHER_INCOME,
        f"Roughly how much other income do you expect for {year}: wages, interest, everything but stock sales? "
        f"A round number is fine, like {ctx.fmt.number(Decimal(85000))}. (Dividends can go apart: "
        f"/income {year} qualified dividends {ctx.fmt.number(Decimal(1200))}.)",
        _draft(ctx),
        buttons=((button(ctx, "None", "income", "0"),),),
    )


def ask_carryover(ctx: Ctx, flow: str) -> Outcome:
    year = _year(ctx)
    return ask(
        ctx,
        flow,
        ASKING_CARRYOVER,
        f"Do you have a capital-loss carryover into {year} ({year - 1}'s Schedule D, or your tax software)? "
        f"Send the short-term and long-term amounts, like {ctx.fmt.number(Decimal(1200))} "
        f"{ctx.fmt.number(Decimal(3500))}, or tap None. (If you record trades from earlier years, I figure it from them.)",
        _draft(ctx),
        buttons=((button(ctx, "None", "carry", "none"),),),
    )


def ask_timezone(ctx: Ctx, flow: str) -> Outcome:
    current = ctx.state.profile.timezone
    return ask(
        ctx,
        flow,
        ASKING_TIMEZONE,
        "Which time zone are you in? (It decides when reminders arrive.) Send it like America/Chicago or "
        f"Europe/London, or keep {current}.",
        buttons=((button(ctx, f"Keep {current}", "tz", "keep"),),),
    )


QUESTIONS = {
    ASKING_TAX_YEAR: ask_year,
    ASKING_FILING_STATUS: ask_status,
    ASKING_OTHER_INCOME: ask_income,
    ASKING_CARRYOVER: ask_carryover,
    ASKING_TIMEZONE: ask_timezone,
}


def answer_year(ctx: Ctx, text: str) -> Outcome:
    years = available_years()
    try:
        year = int(text.strip())
    except ValueError:
        raise InputError(f"Send the tax year as four digits, like {ctx.today.year}.") from None
    if year not in years:
        raise InputError(f"I know the tax law for {years[0]} through {years[-1]}. Send one of those years.")
    return _next(ctx, ASKING_TAX_YEAR, tax_year=year)


def answer_status(ctx: Ctx, text: str) -> Outcome:
    wanted = text.strip().lower()
    for code, name in STATUS_NAMES.items():
        if wanted in (code, name.lower()):
            years = ctx.state.profile.years.with_figures(_year(ctx), filing_status=code)
            return _next(ctx, ASKING_FILING_STATUS, years=years)
    raise InputError("Tap one of the filing statuses above (or type it, like Single or Married filing jointly).")


def answer_income(ctx: Ctx, text: str) -> Outcome:
    amount = money(text, "income", locale=ctx.fmt.locale)
    if numbers.ambiguous(text, str(ctx.fmt.locale)):
        return _which_number(ctx, text, amount, "income")
    return _next(ctx, ASKING_OTHER_INCOME, years=ctx.state.profile.years.with_figures(_year(ctx), wages=amount))


def _income_button(ctx: Ctx, amount: str) -> Outcome:
    """None, or one of the two readings offered for an ambiguous figure: the chat wrote it as a plain
    decimal ("85.000" is eighty-five), so it is read as one whatever the user's locale (a German
    user's "85,00 $" tap was read as 85.000, eighty-five thousand)."""
    wages = money(amount, "income")
    return _next(ctx, ASKING_OTHER_INCOME, years=ctx.state.profile.years.with_figures(_year(ctx), wages=wages))


def _which_number(ctx: Ctx, text: str, value: Decimal, action: str) -> Outcome:
    """“85,000” from a user whose language writes 85,5 for eighty-five and a half: asked, never
    stored as 85 (nor as 85,000) without a yes."""
    thousands = Decimal(re.sub(r"\D", "", text))
    fmt = ctx.fmt
    wizard = ctx.state.wizard
    assert wizard is not None
    return ask(  # the same question again, named by this message: its two buttons answer it
        ctx,
        wizard.flow,
        wizard.step,
        f"Did you mean {fmt.money(thousands)} or {fmt.money(value)}? (“{short(text)}” can be read both ways.)",
        _draft(ctx),
        (
            (
                button(ctx, fmt.money(thousands), action, f"{thousands:f}"),
                button(ctx, fmt.money(value), action, f"{value:f}"),
            ),
        ),
    )


def answer_carryover(ctx: Ctx, text: str) -> Outcome:
    parts = text.replace(";", " ").split()
    if text.strip().lower() in ("none", "no", "0"):
        parts = ["0", "0"]
    if len(parts) != 2:
        raise InputError("Send two amounts, short-term then long-term, like 1,200 3,500 (or 0 0, or None).")
    for part in parts:
        if numbers.ambiguous(part, str(ctx.fmt.locale)):
            raise InputError(
                f"“{short(part)}” can be read two ways. Send the carryover without separators, like "
                f"{re.sub(r'[^0-9]', '', part)} for the whole amount."
            )
    short_term = money(parts[0], "short-term carryover", locale=ctx.fmt.locale)
    long_term = money(parts[1], "long-term carryover", locale=ctx.fmt.locale)
    year = _year(ctx)
    years = ctx.state.profile.years
    if short_term or long_term:
        years = years.with_carryover(year, short_term, long_term)
    elif year in years.carryovers:  # "none": what the trades before the year give
        years = years.model_copy(update={"carryovers": {y: c for y, c in years.carryovers.items() if y != year}})
    return _next(ctx, ASKING_CARRYOVER, years=years)


def answer_timezone(ctx: Ctx, text: str) -> Outcome:
    if text == "keep":
        return _next(ctx, ASKING_TIMEZONE)
    name = text.strip().replace(" ", "_")
    match = next((z for z in available_timezones() if z.lower() == name.lower()), None)
    if match is None:
        raise InputError(f"I don't know the time zone “{short(text)}”. Send it like America/New_York or Europe/Berlin.")
    ZoneInfo(match)
    return _next(ctx, ASKING_TIMEZONE, timezone=match)


STEPS: dict[tuple[str, str], Handler] = {
    (flow, step): handler
    for flow in ("onboarding", "settings")
    for step, handler in (
        (ASKING_TAX_YEAR, answer_year),
        (ASKING_FILING_STATUS, answer_status),
        (ASKING_OTHER_INCOME, answer_income),
        (ASKING_CARRYOVER, answer_carryover),
        (ASKING_TIMEZONE, answer_timezone),
    )
}


def _carry_button(ctx: Ctx, _: str) -> Outcome:
    return answer_carryover(ctx, "none")


def _settings_button(ctx: Ctx, arg: str) -> Outcome:
    arg, _, year = arg.partition(":")
    if year.isdigit():  # the year /settings YEAR opened: its questions set that year's figures
        ctx.state = ctx.state.model_copy(
            update={"wizard": Wizard(flow="settings", step="", answers=YearDraft(year=int(year)))}
        )
    question = {
        "year": ASKING_TAX_YEAR,
        "status": ASKING_FILING_STATUS,
        "income": ASKING_OTHER_INCOME,
        "carry": ASKING_CARRYOVER,
        "tz": ASKING_TIMEZONE,
    }.get(arg)
    if question is None:
        return settings(ctx, "")
    return QUESTIONS[question](ctx, "settings")


BUTTONS: dict[str, Handler] = {
    "year": on_step(ASKING_TAX_YEAR, answer_year, CLOSED),
    "status": on_step(ASKING_FILING_STATUS, answer_status, CLOSED),
    "income": on_step(ASKING_OTHER_INCOME, _income_button, CLOSED),
    "carry": on_step(ASKING_CARRYOVER, _carry_button, CLOSED),
    "set": _settings_button,
    "tz": on_step(ASKING_TIMEZONE, answer_timezone, CLOSED),
    "restart": questionnaire,
}


def summary(ctx: Ctx, year: int | None = None) -> str:
    p = ctx.state.profile
    current = p.current_year(ctx.today)
    return (
        f"Tax year {current} (what /gains shows). "
        + year_words(p.years, year or current, ctx.fmt)
        + f" Time zone {p.timezone}."
    )


NEXT_STEPS = (
    "Now tell me about trades: /buy or /sell walks you through one, or send it in one line, "
    "like /buy 100 XYZ 20 2024-01-10. Then /portfolio and /gains show where you stand."
)


def settings(ctx: Ctx, args: str, saved: bool = False) -> Outcome:
    """/settings [YEAR]: the chat's year, that year's figures (filing status, income, carryover), the time zone."""
    year, rest = year_first(ctx, args, "Send /settings, or /settings 2025 for that year's figures.")
    if rest:
        raise InputError("Send /settings, or /settings 2025 for that year's figures.")
    buttons = (
        (Button(label="Tax year", data="set:year"), Button(label="Filing status", data=f"set:status:{year}")),
        (
            Button(label="Other income", data=f"set:income:{year}"),
            Button(label="Carryover", data=f"set:carry:{year}"),
        ),
        (Button(label="Time zone", data="set:tz"),),
    )
    text = ("Saved. " if saved else "Your settings: ") + summary(ctx, year)
    number = ctx.fmt.number
    hint = (
        f"\nTap one to change it. Other years: /settings {year - 1}; one line: /income {year} wages "
        f"{number(Decimal(85000))}, /filing {year} mfj, /carryover {year} short {number(Decimal(1000))} long 0."
    )
    return say(ctx, text + hint, buttons)
