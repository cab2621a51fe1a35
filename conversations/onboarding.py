"""/start and /settings: tax year, filing status, other income, loss carryover, time zone."""

from __future__ import annotations

import re
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from calc.params import available_years
from conversations import words
from conversations.confirming import bound, button, on_step, unbind
from conversations.drafts import YearDraft
from conversations.events import Button, Reply
from conversations.figures import year_first, year_words
from conversations.formatting import STATUS_NAMES
from conversations.kernel import Ctx, Handler, Outcome, ask, say
from conversations.parsing import InputError, money, short
from conversations.state import Wizard
from conversations.understanding import numbers
from conversations.understanding.reader import understand

DISCLAIMER = "I give estimates, not tax advice: check anything important with a tax professional."

ASKING_TAX_YEAR = "ASKING_TAX_YEAR"
ASKING_FILING_STATUS = "ASKING_FILING_STATUS"
ASKING_OTHER_INCOME = "ASKING_OTHER_INCOME"
ASKING_CARRYOVER = "ASKING_CARRYOVER"
ASKING_TIMEZONE = "ASKING_TIMEZONE"

CLOSED = "That question is closed. Send /settings to change your answers."
THOUSANDS = re.compile(r"\$?\d+(?:[.,]\d+)?k", re.I)
MENU = "MENU"  # /settings' (and a set-up user's /start's) buttons: each opens one question


def _year_buttons(ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
    years = [y for y in (ctx.today.year, ctx.today.year - 1) if y in available_years()]
    return (tuple(button(ctx, str(y), "year", str(y)) for y in years),)


def _status_buttons(ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
    return tuple((button(ctx, name, "status", code),) for code, name in STATUS_NAMES.items())


def start(ctx: Ctx, _: str) -> Outcome:
    if ctx.state.profile.onboarded:
        year = ctx.state.profile.current_year(ctx.today)
        return ask(
            ctx,
            "settings",
            MENU,
            "You're already set up: " + summary(ctx) + "\n/settings changes any one answer.",
            YearDraft(year=year),
            ((button(ctx, "Settings", "set", f"menu:{year}"), button(ctx, "Answer all five again", "restart")),),
        )
    return questionnaire(ctx, "")


def _restart_button(ctx: Ctx, key: str) -> Outcome:
    """Answer all five again: from /start's reply while it is the open question (a bare "restart:" is
    from a message sent before menus were bound: it opens the questions, as it did)."""
    if key and _menu(ctx, key) is None:
        return say(ctx, CLOSED)
    return questionnaire(ctx, "")


def _menu(ctx: Ctx, key: str) -> YearDraft | None:
    return bound(ctx, key, YearDraft, "settings", MENU)


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
    """The year whose figures the open question sets: the one /settings YEAR opened, else the chat's
    (in /start's questions always the chat's: the year question itself may just have changed it)."""
    wizard = ctx.state.wizard
    if wizard is not None and wizard.flow != "onboarding" and isinstance(wizard.answers, YearDraft):
        return wizard.answers.year
    return ctx.state.profile.current_year(ctx.today)


def _draft(ctx: Ctx) -> YearDraft:
    """The answers so far: the year, and trades typed before /start's questions were answered."""
    wizard = ctx.state.wizard
    typed = wizard.answers.typed if wizard is not None and isinstance(wizard.answers, YearDraft) else ()
    return YearDraft(year=_year(ctx), typed=typed)


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
        typed = _draft(ctx).typed
        ctx.state = ctx.state.model_copy(update={"wizard": None, **_profile(ctx, onboarded=True)})
        done = say(ctx, "All set. " + summary(ctx) + "\n\n" + NEXT_STEPS)
        return _offer_typed(ctx, done, typed) if typed else done
    return QUESTIONS[following](ctx, "onboarding")


def _offer_typed(ctx: Ctx, done: Outcome, typed: tuple[tuple[str, str], ...]) -> Outcome:
    """Set up: the trade typed during the questions, shown for a yes (and any others, to send again)."""
    ctx.state = done.state
    (message, text), *others = typed
    offer = words.offered(ctx, text, message)
    replies = [*done.replies, *offer.replies]
    if others:
        again = "; ".join(f"“{short(t, 60)}”" for _, t in others)
        replies.append(
            Reply(
                text=f"You also sent {again}. Send {'it' if len(others) == 1 else 'them'} again once this one is answered."
            )
        )
    return Outcome(offer.state, replies)


def resumed(ctx: Ctx, asking: Wizard, done: Outcome) -> Outcome:
    """A command sent during /start's questions ("/buy 10 AAPL 150 2026-01-05" at the tax-year
    question): its answer, then the question it interrupted, asked again (unless it opened its own)."""
    if done.state.wizard is not None or done.state.profile.onboarded:
        return done
    ctx.state = done.state.model_copy(update={"wizard": asking})
    return _asked_again(ctx, asking, "Back to setting up: ", done.replies)


def _asked_again(ctx: Ctx, asking: Wizard, lead: str, before: list[Reply] | None = None) -> Outcome:
    """The question `asking` was at, asked again with `lead` before it (after the replies `before`)."""
    asked = QUESTIONS[asking.step](ctx, asking.flow)
    first, *rest = asked.replies
    return Outcome(asked.state, [*(before or []), first.model_copy(update={"text": lead + first.text}), *rest])


def _or_a_trade(answer: Handler) -> Handler:
    """An onboarding step that keeps a trade typed instead of its answer ("bought 10 AAPL at 150
    yesterday" at the tax-year question): asked again, and the trade shown for a yes once set up."""

    def step(ctx: Ctx, text: str) -> Outcome:
        try:
            return answer(ctx, text)
        except InputError:
            reading = understand(text, ctx.today, str(ctx.fmt.locale))
            if reading.intent not in ("buy", "sell"):
                raise
        wizard = ctx.state.wizard
        assert wizard is not None
        draft = _draft(ctx)
        kept = draft.model_copy(update={"typed": (*draft.typed, (ctx.event.message, text))})
        ctx.state = ctx.state.model_copy(update={"wizard": wizard.model_copy(update={"answers": kept})})
        note = f"I'll keep “{short(text, 60)}” and show it to you to save once we're set up. First: "
        return _asked_again(ctx, wizard, note)

    return step


def ask_year(ctx: Ctx, flow: str) -> Outcome:
    return ask(ctx, flow, ASKING_TAX_YEAR, "Which tax year?", _draft(ctx), buttons=_year_buttons(ctx))


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
        _draft(ctx),
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
    thousands = THOUSANDS.fullmatch(text.strip())  # "85k", as typed on a phone
    if thousands:
        text = str(numbers.dollars(thousands.group(0), str(ctx.fmt.locale)) or text)
    amount = money(text, "income figure", locale=ctx.fmt.locale)
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
    (flow, step): _or_a_trade(handler) if flow == "onboarding" else handler
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
    """A /settings button: "status:2026:NONCE" while its menu is the open question; a menu from a
    message sent before they were bound ("set:status:2026", "set:tz") opens its question as it did."""
    if arg.count(":") == 2:
        arg, key = unbind(arg)
        if _menu(ctx, key) is None:
            return say(ctx, CLOSED)
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
    "restart": _restart_button,
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
        (button(ctx, "Tax year", "set", f"year:{year}"), button(ctx, "Filing status", "set", f"status:{year}")),
        (button(ctx, "Other income", "set", f"income:{year}"), button(ctx, "Carryover", "set", f"carry:{year}")),
        (button(ctx, "Time zone", "set", f"tz:{year}"),),
    )
    text = ("Saved. " if saved else "Your settings: ") + summary(ctx, year)
    number = ctx.fmt.number
    hint = (
        f"\nTap one to change it. Other years: /settings {year - 1}; one line: /income {year} wages "
        f"{number(Decimal(85000))}, /filing {year} mfj, /carryover {year} short {number(Decimal(1000))} long 0."
    )
    return ask(ctx, "settings", MENU, text + hint, YearDraft(year=year), buttons)  # its buttons answer it
