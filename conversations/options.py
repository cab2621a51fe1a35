"""Stock options and RSUs: /exercise and /vest (one line or step by step), what each does to
this year's tax, and a gentle answer to the common beliefs about them.

The engine (calc.equity) does the law: an NSO's bargain element and an RSU's value are
wages; an ISO exercise is an AMT adjustment. This module asks, records and explains.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from calc import CalcError, Trade
from calc.equity import qualifying_from
from calc.models import ZERO, Source
from calc.params import law_for
from conversations.confirming import button, on_step
from conversations.drafts import GrantDraft
from conversations.formatting import STATUS_NAMES, Fmt, iso_periods, limit_words
from conversations.kernel import Ctx, Handler, Outcome, answers, ask
from conversations.parsing import NUMBER, US, InputError, Locale_, money, quantity, symbol, trade_date
from conversations.state import UserState
from conversations.taxview import ledger_for, tax_known, year_tax
from conversations.trading import (
    ASKING_QUANTITY,
    ASKING_SYMBOL,
    ASKING_TRADE_DATE,
    answer_date,
    answer_symbol,
    next_trade_id,
    save,
)

ASKING_OPTION_KIND = "ASKING_OPTION_KIND"
ASKING_STRIKE = "ASKING_STRIKE"
ASKING_FMV = "ASKING_FMV"
ASKING_GRANT_DATE = "ASKING_GRANT_DATE"
CLOSED = "That question is closed. Start again with /exercise or /vest."
KINDS = {"nso": "nso", "nqso": "nso", "nq": "nso", "nqo": "nso", "iso": "iso", "isos": "iso", "nsos": "nso"}
SOURCES: dict[str, Source] = {"nso": "nso", "iso": "iso", "rsu": "rsu"}
KIND_NAMES = {"nso": "non-qualified stock options (NSO)", "iso": "incentive stock options (ISO)"}
EXERCISE_HELP = (
    "Write it like: /exercise 1000 XYZ nso strike 10 fmv 50 2026-02-02 "
    "(shares, symbol, NSO or ISO, strike price, market value per share that day, date; "
    "for an ISO add: granted 2024-01-15). Or send /exercise alone and I'll ask step by step."
)
VEST_HELP = (
    "Write it like: /vest 10 XYZ fmv 120 2026-03-03 (shares, symbol, market value per share at vesting, date). "
    "Or send /vest alone and I'll ask step by step."
)
# Words that introduce each field in a one-line exercise; numbers and dates follow them.
FIELD_WORDS = {
    "strike": "strike",
    "at": "strike",
    "@": "strike",
    "price": "strike",
    "fmv": "fmv",
    "worth": "fmv",
    "value": "fmv",
    "market": "fmv",
    "granted": "granted",
    "grant": "granted",
    "on": "date",
}
FILLER = {"shares", "share", "of", "options", "option", "per", "a", "each"}


@dataclass(frozen=True)
class Grant:
    """An exercise or vest as the user described it."""

    kind: str  # "nso" | "iso" | "rsu"
    quantity: Decimal
    symbol: str
    strike: Decimal
    fmv: Decimal
    date: dt.date
    granted: dt.date | None = None


# --- commands ------------------------------------------------------------------------------------
def exercise(ctx: Ctx, args: str) -> Outcome:
    if args:
        return record(ctx, grant_line(args, "exercise", ctx.today, ctx.fmt.locale))
    return ask(
        ctx,
        "exercise",
        ASKING_OPTION_KIND,
        "Which kind of options did you exercise? (Your grant papers say; ISOs come with a Form 3921.)",
        buttons=((button(ctx, "NSO (non-qualified)", "optkind", "nso"), button(ctx, "ISO", "optkind", "iso")),),
    )


def vest(ctx: Ctx, args: str) -> Outcome:
    if args:
        return record(ctx, grant_line(args, "vest", ctx.today, ctx.fmt.locale))
    return ask(
        ctx, "vest", ASKING_SYMBOL, "Which stock vested? Send the ticker symbol, like AAPL.", GrantDraft(grant="rsu")
    )


def grant_line(args: str, command: str, today: dt.date, locale: Locale_ = US) -> Grant:
    """Read '1000 XYZ nso strike 10 fmv 50 2026-02-02 granted 2024-01-15' (or '/vest 10 XYZ fmv 120 2026-03-03')."""
    help_ = EXERCISE_HELP if command == "exercise" else VEST_HELP
    fields: dict[str, list[str]] = {"head": []}
    current = "head"
    for word in args.replace("$", " ").split():
        lowered = word.lower()
        if lowered in FIELD_WORDS and not (command == "vest" and FIELD_WORDS[lowered] == "strike"):
            current = FIELD_WORDS[lowered]
            fields.setdefault(current, [])
        elif lowered in ("at", "@", "price") and command == "vest":
            current = "fmv"  # a vest has no strike: "at 120" is the value
            fields.setdefault(current, [])
        elif lowered not in FILLER:
            fields.setdefault(current, []).append(word)
    kind = "rsu" if command == "vest" else ""
    numbers: list[str] = []
    ticker = ""
    rest: list[str] = []
    for word in fields["head"]:
        if word.lower() in KINDS and command == "exercise":
            kind = KINDS[word.lower()]
        elif not numbers and NUMBER.match(word):
            numbers.append(word)
        elif not ticker and re.fullmatch(r"[A-Za-z][A-Za-z0-9.\-]{0,7}", word):
            ticker = word
        else:
            rest.append(word)
    if not kind:
        raise InputError(f"Were these NSOs or ISOs? Say which. {help_}")
    if not numbers or not ticker:
        raise InputError(f"I need the number of shares and the symbol. {help_}")
    strike_words = fields.get("strike", [])
    fmv_words = fields.get("fmv", [])
    if command == "exercise" and not strike_words:
        raise InputError(f"What was the strike price? {help_}")
    if not fmv_words:
        raise InputError(f"What was a share worth that day (its fair market value)? {help_}")
    date_words = [*rest, *strike_words[1:], *fmv_words[1:], *fields.get("date", [])]
    if not date_words:
        raise InputError(f"On what date? {help_}")
    granted_words = fields.get("granted", [])
    if kind == "iso" and not granted_words:
        raise InputError(
            "For ISOs I need the grant date too (Form 3921 box 1): it decides when a sale is a qualifying "
            f"disposition. {help_}"
        )
    when = trade_date(" ".join(date_words), today, locale)
    granted = trade_date(" ".join(granted_words), today, locale) if granted_words else None
    return _checked(
        Grant(
            kind=kind,
            quantity=quantity(numbers[0], locale),
            symbol=symbol(ticker),
            strike=money(strike_words[0], "strike price", locale=locale) if strike_words else ZERO,
            fmv=money(fmv_words[0], "market value", allow_zero=False, locale=locale),
            date=when,
            granted=granted,
        )
    )


def _checked(grant: Grant) -> Grant:
    if grant.granted is not None and grant.granted > grant.date:
        raise InputError("The grant date is after the exercise date. Options are granted first, then exercised.")
    return grant


# --- the wizard: kind, then trading's symbol/date/shares questions, then these --------------------
def choose_kind(ctx: Ctx, kind: str) -> Outcome:
    if kind not in ("nso", "iso"):
        raise InputError("Tap NSO or ISO, or type one of them.")
    draft = GrantDraft(grant="iso" if kind == "iso" else "nso")
    return ask(ctx, "exercise", ASKING_SYMBOL, "Which stock? Send the ticker symbol, like AAPL.", draft)


def answer_kind(ctx: Ctx, text: str) -> Outcome:
    kind = KINDS.get(text.strip().lower().split(" ")[0].rstrip(".,"), "")
    if not kind:
        raise InputError("Tap NSO or ISO above, or type NSO or ISO.")
    return choose_kind(ctx, kind)


def answer_shares(ctx: Ctx, text: str) -> Outcome:
    wizard = ctx.state.wizard
    assert wizard is not None
    draft = answers(ctx, GrantDraft).model_copy(update={"quantity": quantity(text, ctx.fmt.locale)})
    if wizard.flow == "vest":
        return _ask_fmv(ctx, wizard.flow, draft)
    return ask(ctx, wizard.flow, ASKING_STRIKE, "What was the strike (exercise) price per share? (like 12.50)", draft)


def answer_strike(ctx: Ctx, text: str) -> Outcome:
    wizard = ctx.state.wizard
    assert wizard is not None
    strike = money(text, "strike price", locale=ctx.fmt.locale)
    return _ask_fmv(ctx, wizard.flow, answers(ctx, GrantDraft).model_copy(update={"strike": strike}))


def _ask_fmv(ctx: Ctx, flow: str, draft: GrantDraft) -> Outcome:
    where = {
        "vest": "your vesting statement or pay stub shows it",
        "exercise": "Form 3921 box 4 for ISOs; your exercise confirmation or W-2 for NSOs",
    }[flow]
    return ask(ctx, flow, ASKING_FMV, f"What was a share worth that day, its fair market value? ({where})", draft)


def answer_fmv(ctx: Ctx, text: str) -> Outcome:
    wizard = ctx.state.wizard
    assert wizard is not None
    fmv = money(text, "market value", allow_zero=False, locale=ctx.fmt.locale)
    draft = answers(ctx, GrantDraft).model_copy(update={"fmv": fmv})
    if draft.grant == "iso":
        return ask(
            ctx,
            wizard.flow,
            ASKING_GRANT_DATE,
            "When were the options granted? (Form 3921 box 1) It decides when a sale becomes a qualifying disposition.",
            draft,
        )
    return record(ctx, _from_draft(draft, None))


def answer_grant_date(ctx: Ctx, text: str) -> Outcome:
    wizard = ctx.state.wizard
    assert wizard is not None
    return record(ctx, _checked(_from_draft(answers(ctx, GrantDraft), trade_date(text, ctx.today, ctx.fmt.locale))))


def _from_draft(draft: GrantDraft, granted: dt.date | None) -> Grant:
    assert draft.quantity is not None and draft.fmv is not None and draft.date is not None, draft
    return Grant(
        kind=draft.grant,
        quantity=draft.quantity,
        symbol=draft.symbol,
        strike=draft.strike or ZERO,
        fmv=draft.fmv,
        date=draft.date,
        granted=granted,
    )


# --- saving and explaining -----------------------------------------------------------------------
def record(ctx: Ctx, grant: Grant) -> Outcome:
    trade = Trade(
        date=grant.date,
        symbol=grant.symbol,
        side="buy",
        quantity=grant.quantity,
        price=grant.strike,
        id=next_trade_id(ctx.state),
        source=SOURCES[grant.kind],
        fmv=grant.fmv,
        grant_date=grant.granted,
    )
    return save(ctx, trade, describe_grant)


def describe_grant(fmt: Fmt, state: UserState, trade: Trade) -> str:
    """What the exercise or vest does to this year's tax, in plain words."""
    fmv = trade.fmv or ZERO
    bargain = max(ZERO, fmv - trade.price) * trade.quantity
    year = trade.date.year
    number = trade.id[1:]
    if trade.source == "rsu":
        return "\n".join(
            [
                f"Saved #{number}: {fmt.shares(trade.quantity)} {trade.symbol} vested on {fmt.day(trade.date)}, "
                f"worth {fmt.money(fmv)} a share.",
                f"• {fmt.money(bargain)} is wages for {year}, taxed like your salary, not a capital gain. "
                + _wages_note(fmt, state, year),
                f"• It is also your basis, so it isn't taxed again when you sell; the shares turn long-term on "
                f"{fmt.day(_long_term_from(state, trade))}.",
            ]
        )
    head = (
        f"Saved #{number}: exercised {fmt.shares(trade.quantity)} {trade.symbol} {KIND_NAMES[trade.source]} at a "
        f"{fmt.money(trade.price)} strike on {fmt.day(trade.date)}, when a share was worth {fmt.money(fmv)}."
    )
    spread = f"({fmt.money(fmv)} − {fmt.money(trade.price)}) × {fmt.counted(trade.quantity, 'share')}"
    if trade.source == "nso":
        limit = year_tax(state, ledger_for(state), year).loss_limit if tax_known(state, year) else None
        lines = [
            head,
            f"• {fmt.money(bargain)} is wages for {year}, not a capital gain: the bargain element, {spread}. "
            + _wages_note(fmt, state, year),
            f"• Your basis is {fmt.money(trade.price * trade.quantity + bargain)}, what the shares were worth, so "
            f"that income isn't taxed again when you sell; they turn long-term on "
            f"{fmt.day(_long_term_from(state, trade))}.",
        ]
        if limit is not None:
            lines.append(
                f"• Capital losses reduce wages by at most {fmt.money(limit)} a year, so harvesting losses "
                "won't cancel this income; they first offset capital gains."
            )
        return "\n".join(lines)
    qualifying = qualifying_from(trade.date, trade.grant_date)
    return "\n".join(
        [
            head,
            f"• No regular tax now. The bargain element, {spread} = {fmt.money(bargain)}, counts for the "
            f"alternative minimum tax for {year} (Form 6251 line 2i). {_amt_words(fmt, state, trade, bargain)}",
            f"• Your regular basis is the {fmt.money(trade.price * trade.quantity)} you paid. Sell on or after "
            f"{fmt.day(qualifying)} ({iso_periods()}) and the "
            f"whole gain is long-term; sell sooner and up to {fmt.money(bargain)} of it is wages instead. "
            f"Sold within {year}, there's no AMT adjustment for those shares at all.",
        ]
    )


def _wages_note(fmt: Fmt, state: UserState, year: int) -> str:
    # The user's income figure may already hold it (it's on the W-2): counting it twice would overstate the tax.
    wages = state.profile.years.resolve(year).wages
    return (
        f"It's usually on your W-2; I add it to the {fmt.money(wages)} of other income you gave me for {year}, "
        f"so if that figure already includes it, lower it in /settings {year}."
    )


def _long_term_from(state: UserState, trade: Trade) -> dt.date:
    ledger = ledger_for(state)
    lot = next((lot for lot in ledger.lots if lot.id == trade.id), None)
    return lot.long_term_from if lot else trade.date


def _amt_words(fmt: Fmt, state: UserState, trade: Trade, bargain: Decimal) -> str:
    year = trade.date.year
    if not tax_known(state, year):
        return ""
    try:
        view = year_tax(state, ledger_for(state), year)
    except CalcError:
        return ""
    added = view.tax_added_by_amt_adjustment(bargain)
    status = STATUS_NAMES[view.figures.filing_status].lower()
    if added <= 0:
        return f"At your income ({status}) it adds no AMT: the AMT exemption covers it."
    return (
        f"At your income ({status}) it adds about {fmt.money(added)} of AMT to your {year} tax. "
        "AMT from exercising ISOs usually comes back: it becomes a credit (Form 8801) against your regular tax in "
        "later years when that is above the AMT, so it's closer to a prepayment. I don't figure that credit, so a "
        "later year's tax here may be higher than what you'll pay."
    )


# --- common beliefs, answered gently (conversations.questions routes the questions here) -----------
def losses_and_options_words(ctx: Ctx) -> str:
    fmt = ctx.fmt
    year = ctx.state.profile.current_year(ctx.today)
    lines = [
        "It's a common belief that harvested losses cancel the income from exercising options. "
        "They don't, not in full: an NSO's bargain element and an RSU's value are wages, not capital gains. "
        "Capital losses first cancel capital gains; what's left reduces wages and other income by at most "
        f"{limit_words(law_for(year), fmt)}, and the rest carries forward to later years.",
    ]
    if not tax_known(ctx.state, year):
        return lines[0]
    try:
        ledger = ledger_for(ctx.state)
        view = year_tax(ctx.state, ledger, year)
    except CalcError:
        return lines[0]
    wages = ledger.wages(year)
    s = view.summary
    if wages:
        lines.append(f"For you in {year}: {fmt.money(wages)} of option income counts as wages.")
        if s.net < 0:
            lines.append(
                f"Your net capital loss of {fmt.money(-s.net)} offsets {fmt.money(s.deductible_loss)} of it this year; "
                f"{fmt.money(s.carryforward_short + s.carryforward_long)} carries forward."
            )
        else:
            lines.append(
                "You have no net capital loss this year, so none of it is offset. /harvest shows what could be."
            )
    return "\n".join(lines)


def iso_tax_words(_: Ctx) -> str:
    return (
        "Exercising ISOs isn't taxed by the regular income tax, and holding the shares long enough makes the whole "
        "gain long-term. But the bargain element (market value minus strike, times shares) counts for the "
        "alternative minimum tax in the year you exercise, unless you sell the shares that same year; a large "
        "exercise can mean AMT to pay. Record it with /exercise and I'll estimate the AMT it adds."
    )


STEPS: dict[tuple[str, str], Handler] = {
    ("exercise", ASKING_OPTION_KIND): answer_kind,
    **{(flow, ASKING_SYMBOL): answer_symbol for flow in ("exercise", "vest")},
    **{(flow, ASKING_TRADE_DATE): answer_date for flow in ("exercise", "vest")},
    **{(flow, ASKING_QUANTITY): answer_shares for flow in ("exercise", "vest")},
    ("exercise", ASKING_STRIKE): answer_strike,
    **{(flow, ASKING_FMV): answer_fmv for flow in ("exercise", "vest")},
    ("exercise", ASKING_GRANT_DATE): answer_grant_date,
}
BUTTONS: dict[str, Handler] = {"optkind": on_step(ASKING_OPTION_KIND, choose_kind, CLOSED)}
