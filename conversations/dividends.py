"""A year's Form 1099-DIV totals, asked after importing a broker file that lists dividends.

A broker's rows say what was paid (and reinvested: those purchases are lots like any other), not
how it is taxed: which part is qualified (0/15/20%), which ordinary, which a fund's capital gain
distribution (Schedule D line 13) is on the year's 1099-DIV. So the chat doesn't guess from the
rows; it asks for the form's boxes 1a, 1b and 2a, one at a time with buttons, and keeps them as
the year's figures (the same as /income 2025 ordinary dividends ...).
"""

from __future__ import annotations

from decimal import Decimal

from calc.models import ZERO
from calc.params import available_years
from conversations.drafts import DividendDraft
from conversations.events import Button, Reply
from conversations.figures import year_words
from conversations.formatting import Fmt
from conversations.kernel import Ctx, Handler, Outcome, answers, ask, question_name, say
from conversations.parsing import InputError, money
from conversations.state import UserState

ASKING_ORDINARY = "ASKING_ORDINARY"
ASKING_QUALIFIED = "ASKING_QUALIFIED"
ASKING_DISTRIBUTIONS = "ASKING_DISTRIBUTIONS"
MAX_YEARS_ASKED = 4  # buttons under one message; older years: /income


def years_to_ask(state: UserState, listed: dict[int, Decimal]) -> list[int]:
    """Years the file lists dividends in, that the law covers and whose dividends aren't given yet."""
    known = available_years()
    return [
        year
        for year in listed
        if known[0] <= year <= known[-1] and state.profile.years.given(year).ordinary_dividends is None
    ]


def prompt(fmt: Fmt, state: UserState, listed: dict[int, Decimal]) -> Reply | None:
    """After an import: ask for the 1099-DIV totals of the years whose dividends the file lists."""
    years = years_to_ask(state, listed)
    if not years:
        return None
    paid = "; ".join(f"{fmt.money(listed[year])} in {year}" for year in years)
    text = (
        f"The file lists dividends ({paid}, reinvested ones included; the shares they bought are lots now). "
        "Their tax depends on what your Form 1099-DIV says, not on these rows: qualified dividends get the "
        "long-term rates, the rest is ordinary income, and a fund's capital gain distributions count as "
        "long-term gains. Send me the form's totals?"
    )
    buttons = tuple(
        (Button(label=f"Enter {year}'s 1099-DIV", data=f"div:{year}"),) for year in years[-MAX_YEARS_ASKED:]
    )
    return Reply(text=text, buttons=(*buttons, (Button(label="Not now", data="div:later"),)))


def start(ctx: Ctx, arg: str) -> Outcome:
    if arg == "later":
        return say(
            ctx,
            f"OK. When you have the form: /income 2025 ordinary dividends {ctx.fmt.number(Decimal(1250))} (also "
            "qualified dividends and capital gain distributions).",
        )
    if not arg.isdigit():
        return say(ctx, "That button has expired. /income sets a year's dividends.")
    year = int(arg)
    return ask(
        ctx,
        "dividends",
        ASKING_ORDINARY,
        f"Your {year} Form 1099-DIV, box 1a: total ordinary dividends? (all your brokers' forms added up, "
        f"like {ctx.fmt.number(Decimal('1250.00'))})",
        DividendDraft(year=year),
        buttons=((_box(ctx, "None", "0"),),),
    )


def answer_ordinary(ctx: Ctx, text: str) -> Outcome:
    draft = answers(ctx, DividendDraft).model_copy(update={"ordinary": _amount(ctx, text)})
    assert draft.ordinary is not None
    buttons = ((_box(ctx, "None", "0"), _box(ctx, "All of it", "all")),)
    return ask(
        ctx,
        "dividends",
        ASKING_QUALIFIED,
        f"Box 1b: qualified dividends? (part of the {ctx.fmt.money(draft.ordinary)} in 1a)",
        draft,
        buttons=buttons if draft.ordinary else ((_box(ctx, "None", "0"),),),
    )


def answer_qualified(ctx: Ctx, text: str) -> Outcome:
    draft = answers(ctx, DividendDraft)
    ordinary = draft.ordinary or ZERO
    qualified = ordinary if text == "all" else _amount(ctx, text)
    if qualified > ordinary:
        raise InputError(
            f"Qualified dividends are part of box 1a's {ctx.fmt.money(ordinary)}, so they can't be more. "
            "Send box 1b again."
        )
    return ask(
        ctx,
        "dividends",
        ASKING_DISTRIBUTIONS,
        "Box 2a: total capital gain distributions?",
        draft.model_copy(update={"qualified": qualified}),
        buttons=((_box(ctx, "None", "0"),),),
    )


def answer_distributions(ctx: Ctx, text: str) -> Outcome:
    draft = answers(ctx, DividendDraft)
    distributions = _amount(ctx, text)
    years = ctx.state.profile.years.with_figures(
        draft.year,
        ordinary_dividends=draft.ordinary,
        qualified_dividends=draft.qualified,
        capital_gain_distributions=distributions,
    )
    fmt = ctx.fmt
    text = (
        f"Saved for {draft.year} from your 1099-DIV: ordinary dividends {fmt.money(draft.ordinary or ZERO)} "
        f"(qualified {fmt.money(draft.qualified or ZERO)}), capital gain distributions {fmt.money(distributions)}. "
        f"/gains {draft.year} counts them in the tax.\n" + year_words(years, draft.year, fmt)
    )
    return say(ctx, text, profile=ctx.state.profile.model_copy(update={"years": years}), wizard=None)


def _amount(ctx: Ctx, text: str) -> Decimal:
    return money(text, "amount", locale=ctx.fmt.locale)


STEPS: dict[tuple[str, str], Handler] = {
    ("dividends", ASKING_ORDINARY): answer_ordinary,
    ("dividends", ASKING_QUALIFIED): answer_qualified,
    ("dividends", ASKING_DISTRIBUTIONS): answer_distributions,
}


def _box(ctx: Ctx, label: str, answer: str) -> Button:
    """A button answering the box asked now, and only that one: it names its question."""
    return Button(label=label, data=f"divbox:{question_name(ctx)}:{answer}")


def _box_button(ctx: Ctx, arg: str) -> Outcome:
    """None (or All of it) tapped under the box asked now; a tap under an earlier box is stale."""
    nonce, _, answer = arg.partition(":")
    wizard = ctx.state.wizard
    if wizard is None or wizard.flow != "dividends" or wizard.nonce != nonce:
        return say(ctx, "That question is closed.")
    return STEPS[("dividends", wizard.step)](ctx, answer)


BUTTONS: dict[str, Handler] = {"div": start, "divbox": _box_button}
