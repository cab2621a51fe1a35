"""The conversation router: (state, event) in, (state, replies) out.

With `conversations/commands.py` (the command table) this is the one place that wires
commands, wizard steps, buttons and free text to their handlers; each handler lives in the
module for its topic and imports only the kernel (`conversations.kernel`), never these two.
"""

from __future__ import annotations

from pydantic import ValidationError

from calc.limits import PRICE, SHARES, OutOfBounds, out_of_bounds
from calc.models import Trade
from conversations import (
    account,
    dividends,
    editing,
    espp,
    figures,
    harvesting,
    importing,
    onboarding,
    options,
    planning,
    reports,
    splits,
    trade_list,
    trading,
    whatif,
    words,
)
from conversations.capping import capped
from conversations.commands import BY_NAME
from conversations.events import Event, Reply
from conversations.formatting import locale_for
from conversations.kernel import Ctx, Handler, Outcome, say
from conversations.parsing import MAX_INPUT, InputError
from conversations.state import UserState, in_place

HANDLERS: dict[str, Handler] = {name: command.handler for name, command in BY_NAME.items()}
STEPS: dict[tuple[str, str], Handler] = {
    **onboarding.STEPS,
    **trading.STEPS,
    **options.STEPS,
    **espp.STEPS,
    **importing.STEPS,
    **dividends.STEPS,
    ("words", words.CONFIRMING_TRADE): lambda ctx, text: words.answer_confirmation(ctx, text, HANDLERS),
    ("figures", figures.CONFIRMING_FIGURES): lambda ctx, text: figures.answer_typed(
        ctx, text, lambda c, t: words.free_text(c, t, HANDLERS)
    ),
}
BUTTONS: dict[str, Handler] = {
    **onboarding.BUTTONS,
    **trading.BUTTONS,
    **options.BUTTONS,
    **account.BUTTONS,
    **planning.BUTTONS,
    **importing.BUTTONS,
    **dividends.BUTTONS,
    **words.BUTTONS,
    **reports.BUTTONS,
    **harvesting.BUTTONS,
    **figures.BUTTONS,
    **trade_list.BUTTONS,
    **whatif.BUTTONS,
    "cmd": lambda ctx, name: _command_button(ctx, name),  # defined below: it reads BY_NAME
}


# What one person's history may hold: every step books it, so it bounds what one user can make
# the bot do (a 20,000-row file is the import limit; a long-time active trader has a few thousand).
MAX_TRADES_PER_USER = 50_000


def too_many_trades(held: int, would: int) -> str:
    return (
        f"That would make {would:,} trades, and I keep up to {MAX_TRADES_PER_USER:,} per person "
        f"(you have {held:,}). Nothing was saved; /export gives you a copy of what you have."
    )


def _command_button(ctx: Ctx, name: str) -> Outcome:
    """A suggested command as a button ("Did you mean /sell?"): runs it as if typed alone."""
    command = BY_NAME.get(name)
    if command is None:
        return say(ctx, "That button has expired. Send /help to see what I can do.")
    if not command.keeps_question:
        ctx.state = ctx.state.model_copy(update={"wizard": None})
    return command.handler(ctx, "")


def _out_of_bounds(before: tuple[Trade, ...], after: tuple[Trade, ...]) -> str:
    """What is wrong with a trade this step adds or changes, by calc.limits (places included): the
    backstop for every way into the ledger (typed, understood words, files, edits), each of which
    also says it in its own terms first."""
    found = in_place(before, after)
    if found is not None:
        fresh = [*(now for _, now in found[0]), *found[1]]
    else:
        kept = {id(t) for t in before}
        fresh = [t for t in after if id(t) not in kept]
    for t in fresh:
        # Fees only by range (the model's): one figured from a broker's cash or a sale cut to the
        # shares held keeps what the cash needs; shares and prices are what people read back.
        for bound, value in ((SHARES, t.quantity), (PRICE, t.price), (PRICE, t.fmv)):
            problem = bound.problem(value) if value is not None else None
            if problem:
                return problem
    return ""


def handle(state: UserState, event: Event) -> Outcome:
    """One step of the conversation. Never raises for bad input: it answers it."""
    if event.locale and not state.profile.onboarded and state.profile.locale != locale_for(event.locale):
        state = state.model_copy(
            update={"profile": state.profile.model_copy(update={"locale": locale_for(event.locale)})}
        )
    ctx = Ctx(state, event)
    try:
        outcome = _dispatch(ctx)
        if outcome.state.trades is not state.trades:  # a step that saves trades, by whatever path
            if len(outcome.state.trades) > max(MAX_TRADES_PER_USER, len(state.trades)):
                return Outcome(state, [Reply(text=too_many_trades(len(state.trades), len(outcome.state.trades)))])
            problem = _out_of_bounds(state.trades, outcome.state.trades)
            if problem:
                return Outcome(state, [Reply(text=f"I can't take that: {problem}. Nothing was saved.")])
        return Outcome(editing.tracked(state, outcome.state, event), capped(outcome.replies, ctx.fmt))
    except InputError as error:
        return Outcome(state, [Reply(text=str(error))])
    except (ValidationError, OutOfBounds) as error:  # a number past calc.limits on any path
        problems = [str(error)] if isinstance(error, OutOfBounds) else out_of_bounds(error)
        if not problems:
            raise
        return Outcome(state, [Reply(text=f"I can't take that: {'; '.join(problems)}. Nothing was saved.")])


def _dispatch(ctx: Ctx) -> Outcome:
    event = ctx.event
    if event.kind == "button":
        prefix, _, arg = event.data.partition(":")
        handler = BUTTONS.get(prefix)
        if handler is None:
            return say(ctx, "That button has expired. Send /help to see what I can do.")
        return handler(ctx, arg)
    if event.kind == "file":
        return importing.receive_file(ctx, "")
    if event.kind == "edit":
        return editing.edited(ctx, _on_its_own)
    text = event.text.strip()
    if len(text) > MAX_INPUT:
        return say(ctx, f"That message is too long ({len(text):,} characters). Keep it under {MAX_INPUT:,}.")
    if ctx.state.wizard and not text.startswith("/"):
        step = STEPS.get((ctx.state.wizard.flow, ctx.state.wizard.step))
        if step is not None:
            if not text:
                return say(ctx, "I got an empty message. Answer the question above, or /cancel.")
            return step(ctx, text)
    return _on_its_own(ctx, text)


def _on_its_own(ctx: Ctx, text: str) -> Outcome:
    """A message read on its own (a command, a trade or a question in words), not as the answer to an
    open question; what it records is noted as recorded by it, so editing it later changes that."""
    outcome = _read(ctx, text)
    return Outcome(editing.noted(ctx, outcome.state), outcome.replies)


def _read(ctx: Ctx, text: str) -> Outcome:
    if text.startswith("/"):
        name, _, args = text[1:].partition(" ")
        name = name.split("@")[0].lower()
        command = BY_NAME.get(name)
        if command is None:
            return words.unknown_command(ctx, name, BY_NAME)
        open_question = ctx.state.wizard
        if open_question is None or command.keeps_question:
            return command.handler(ctx, args.strip())
        ctx.state = ctx.state.model_copy(update={"wizard": None})  # a new command leaves the open question
        outcome = command.handler(ctx, args.strip())
        if open_question.flow == "onboarding" and name not in ("start", "cancel"):
            return onboarding.resumed(ctx, open_question, outcome)  # /start's questions aren't dropped
        return outcome
    if not text:
        return say(ctx, "Send /help to see what I can do.")
    told = splits.from_plain_text(ctx, text)  # "XYZ split 2-for-1 on 2024-06-10"
    if told is not None:
        return told
    return words.free_text(ctx, text, HANDLERS)
