"""Edited messages: a message that recorded a trade, changed after it was sent, changes that trade.

Each message read on its own that records something notes it (`noted`: message id -> the ids it
recorded, kept with the user's state). When the user edits it, the new text is read exactly as a
new message would be, against the trades entered before that one, and then:

- still one trade of the same kind: it takes the old trade's place (same id and number), the whole
  ledger is booked again, and the reply says what changed and what that does ("Changed #8: price
  $15.00 → $150.00"), or, when a later sale would now sell shares the user didn't hold, says so and
  changes nothing;
- a reading that took a guess (a company name, a dollar amount...): shown with Save / Change, like a
  new guess, and nothing changes until Save;
- unreadable, or no longer a trade: said kindly, the trade stays as it was;
- the trade was undone or deleted since: said, nothing is recorded again;
- a file or a message that recorded a split or several trades: edits change single-trade lines only,
  and the reply says what to do instead.

A message that recorded nothing (a question, a command that failed) is read as a new message, except
that it never answers the question open now; words that read as nothing get a note instead of "I
didn't understand". Telegram may deliver an edit twice: each delivery has its own update id, handled
once like any other, and an edit that says what the trade already says changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from operator import is_

from calc import Trade
from calc.models import ZERO
from conversations.capping import first_few
from conversations.drafts import GuessDraft
from conversations.events import Event
from conversations.formatting import Fmt, gain_line
from conversations.kernel import Ctx, Outcome, say
from conversations.options import describe_grant
from conversations.parsing import InputError
from conversations.state import UserState
from conversations.taxview import ledger_of
from conversations.trading import NotBooked, checked, describe_saved, number_of, short_trade
from conversations.understanding.reader import understand

# Reads a message's text as a new message would be read (the router's commands and free text).
Reread = Callable[[Ctx, str], Outcome]

FILE_EDITED = (
    "Edits change trades typed on one line, not files. To change an imported trade: /edit and its number, like "
    "/edit 3 price 21.50 (/trades lists them); to replace the whole file, tap Undo this import and send the "
    "corrected file."
)


def noted(ctx: Ctx, state: UserState) -> UserState:
    """`state` with what this step recorded (trades or a split added) noted under the event's message."""
    before = ctx.state
    added: tuple[str, ...] = ()
    if state.trades is not before.trades and len(state.trades) > len(before.trades):
        if all(map(is_, before.trades, state.trades)):  # added at the end, as saving does
            added = tuple(t.id for t in state.trades[len(before.trades) :])
        else:
            known = {t.id for t in before.trades}
            added = tuple(t.id for t in state.trades if t.id not in known)
    if state.splits is not before.splits and len(state.splits) > len(before.splits):
        known = {s.id for s in before.splits}
        added += tuple(s.id for s in state.splits if s.id not in known)
    return state.linked(ctx.event.message, added)


def tracked(old: UserState, new: UserState, event: Event) -> UserState:
    """From the first message that changes something, the user's messages are noted (`noted`): an
    edit of an earlier message (sent before edits were followed) may have recorded a trade unnoted."""
    if new is old or new.messages_from is not None or event.kind not in ("text", "file"):
        return new
    if not event.message.isdigit() or new.blank():  # /forget leaves nothing, not even this
        return new
    return new.model_copy(update={"messages_from": int(event.message)})


def edited(ctx: Ctx, reread: Reread) -> Outcome:
    event = ctx.event
    if event.file is not None:
        return say(ctx, FILE_EDITED)
    text = event.text.strip()
    ids = ctx.state.recorded.get(event.message)
    if ids is None:
        return _recorded_nothing(ctx, text, reread)
    if len(ids) > 1:
        return say(
            ctx,
            f"That message recorded {ctx.fmt.counted(len(ids), 'trade')}, so I can't tell which your edit is for: "
            "edits change messages that recorded one trade. Change one with /edit and its number, like "
            "/edit 3 price 21.50 (/trades lists them).",
        )
    (entry,) = ids
    told = ctx.state.split(entry)
    if told is not None:
        return say(
            ctx,
            f"That message recorded split #{entry[1:]}; edits change trades, not splits. To change it, "
            f"/delete {entry[1:]} and send the split again the way it should be.",
        )
    old = ctx.state.trade(entry)
    if old is None:
        return say(
            ctx,
            f"The {'split' if entry.startswith('S') else 'trade'} that message recorded (#{entry[1:]}) no longer "
            "exists: it was undone or deleted since, so your edit changes nothing. To record it again, send it as "
            "a new message.",
        )
    return replaced(ctx, old, lambda scratch: reread(scratch, text))


def _recorded_nothing(ctx: Ctx, text: str, reread: Reread) -> Outcome:
    """An edit of a message that recorded nothing: answered as a new message, if it reads as one. One
    sent before messages were noted may have recorded a trade: it records nothing new, it points to /edit."""
    if not text.startswith("/") and understand(text, ctx.today, str(ctx.fmt.locale)).intent == "unknown":
        return say(
            ctx,
            "You edited a message that didn't record anything on its own, so nothing changed. (An answer to one "
            "of my questions can't be changed by editing it: /trades lists what's recorded, and /edit 3 price "
            "21.50 changes a trade.)",
        )
    outcome = reread(ctx, text)
    since = ctx.state.messages_from
    noted_then = since is not None and ctx.event.message.isdigit() and int(ctx.event.message) >= since
    guessed = outcome.state.wizard is not None and isinstance(outcome.state.wizard.answers, GuessDraft)
    unchanged = outcome.state.trades is ctx.state.trades and outcome.state.splits is ctx.state.splits
    if noted_then or (unchanged and not guessed):
        return outcome
    return say(
        ctx,
        "That message is older than my notes of which message recorded which trade, so I can't tell whether it "
        "recorded one, and I haven't saved anything from your edit (it could be a second copy). /trades lists "
        "what's recorded and /edit 3 price 21.50 changes a trade; to record a new one, send it as a new message.",
    )


def replaced(ctx: Ctx, old: Trade, run: Callable[[Ctx], Outcome]) -> Outcome:
    """`old` replaced by the one trade `run` records when it runs without `old` and the trades of its
    stock entered after it, so the new reading is checked against what was held then, as the message
    was. It runs first over that stock's trades alone (an edit that fixes a number books nothing
    else); a reading of another stock, or a refusal, runs again with every other stock's trades."""
    state = ctx.state
    entered = state.trades  # `old` is one of them, the same object: looked for from the newest, as edits mostly are
    index = next(i for i in range(len(entered) - 1, -1, -1) if entered[i] is old)
    earlier, later = entered[:index], entered[index + 1 :]
    others = earlier + tuple(t for t in later if t.symbol != old.symbol)
    number = number_of(old)
    kept = f"#{number} stays as it was: {short_trade(ctx.fmt, old)}."
    refused = f"I can't change #{number} that way"
    alone = tuple(t for t in earlier if t.symbol == old.symbol)
    try:
        outcome: Outcome | None = _run_on(ctx, old, alone, run)
    except InputError:
        outcome = None
    if outcome is not None and _symbol_read(outcome, len(alone)) == old.symbol:
        others = alone
    else:
        try:
            outcome = _run_on(ctx, old, others, run)
        except NotBooked as error:
            return say(ctx, f"{refused}: {error.reason}. Nothing changed: {kept}")
        except InputError as error:
            return say(ctx, f"About your edit: {error}\n{kept}")
    added = outcome.state.trades[len(others) :]
    wizard = outcome.state.wizard
    if not added and wizard is not None and isinstance(wizard.answers, GuessDraft):  # confirmed before it changes
        question = outcome.replies[0]
        guess = wizard.answers.model_copy(update={"replaces": old.id})
        intro = f"You edited the message that recorded #{number} ({short_trade(ctx.fmt, old)}). I now read it as:\n"
        return Outcome(
            state.model_copy(update={"wizard": wizard.model_copy(update={"answers": guess})}),
            [question.model_copy(update={"text": intro + question.text})],
        )
    if len(added) != 1:
        return say(
            ctx,
            f"Your edited message doesn't read as a trade any more, so {kept} To change it, edit the message into "
            f"a whole trade line again, or use /edit {number} price 21.50; /delete {number} removes it.",
        )
    new = added[0]
    if (new.id, new.number) != (old.id, old.number):
        new = new.model_copy(update={"id": old.id, "number": old.number})
    if _kind(new) != _kind(old):
        return say(
            ctx,
            f"Your edit makes it {_KIND_WORDS[_kind(new)]}, but #{number} is {_KIND_WORDS[_kind(old)]}: an edit "
            f"can change a trade's numbers, date and symbol, not what kind of trade it is. {kept} To record the "
            f"other, /delete {number} and send it as a new message.",
        )
    if new == old:
        return say(ctx, f"Nothing to change: #{number} already says {short_trade(ctx.fmt, old)}.")
    trades = (*earlier, new, *later)
    checked(ctx, trades, refused, f"Nothing changed: {kept}")
    after = state.model_copy(update={"trades": trades})
    lines = [f"Changed #{number}: {'; '.join(_changes(ctx.fmt, old, new))}.", *_meaning(ctx.fmt, after, new)]
    lines += _other_sales(ctx.fmt, state, after, old, new)
    return say(ctx, "\n".join(lines), trades=trades)


def _run_on(ctx: Ctx, old: Trade, trades: tuple[Trade, ...], run: Callable[[Ctx], Outcome]) -> Outcome:
    """`run` over these trades, numbering what it records as `old` where its id is its number (so the
    booking it checks is the one kept for the changed state)."""
    again = int(old.id[1:]) if old.id[:1] == "T" and old.id[1:].isdigit() else ctx.state.next_trade_number
    before = ctx.state.model_copy(
        update={"trades": trades, "wizard": None, "last_added": (), "next_trade_number": again}
    )
    return run(Ctx(before, ctx.event))


def _symbol_read(outcome: Outcome, had: int) -> str | None:
    """The stock of the one trade recorded or guessed (None: not one trade)."""
    added = outcome.state.trades[had:]
    if len(added) == 1:
        return added[0].symbol
    wizard = outcome.state.wizard
    return wizard.answers.symbol if wizard is not None and isinstance(wizard.answers, GuessDraft) else None


def _kind(trade: Trade) -> str:
    if trade.side == "sell":
        return "sale"
    return {"nso": "exercise", "iso": "exercise", "rsu": "vest"}.get(trade.source, "purchase")


_KIND_WORDS = {"sale": "a sale", "purchase": "a purchase", "exercise": "an option exercise", "vest": "a vest"}


def _changes(fmt: Fmt, old: Trade, new: Trade) -> list[str]:
    """What differs, each as "field old → new", in the user's formats."""

    def money(value: Decimal | None) -> str:
        return fmt.money(value) if value is not None else "none"

    shown = [
        ("symbol", old.symbol, new.symbol),
        ("date", fmt.day(old.date), fmt.day(new.date)),
        ("shares", fmt.shares(old.quantity), fmt.shares(new.quantity)),
        ("strike" if old.source in ("nso", "iso") else "price", money(old.price), money(new.price)),
        ("fees", money(old.fees), money(new.fees)),
        ("market value", money(old.fmv), money(new.fmv)),
        (
            "granted",
            fmt.day(old.grant_date) if old.grant_date else "none",
            fmt.day(new.grant_date) if new.grant_date else "none",
        ),
        ("account", old.account or "taxable", new.account or "taxable"),
    ]
    return [f"{name} {a} → {b}" for name, a, b in shown if a != b] or ["the details"]


def _meaning(fmt: Fmt, state: UserState, trade: Trade) -> list[str]:
    """What the changed trade means now: what saving it would have said, without the "Saved #8" line."""
    describe = describe_grant if trade.source in ("nso", "iso", "rsu") else describe_saved
    return describe(fmt, state, trade).split("\n")[1:]


def _other_sales(fmt: Fmt, old: UserState, new: UserState, was: Trade, now: Trade) -> list[str]:
    """Other sales whose gain or loss the change moved (of the stock it was or is now)."""
    symbols = {was.symbol, now.symbol}
    mine = [t for t in new.trades if t.symbol in symbols]
    before = _gains_by_sale(old, [t for t in old.trades if t.symbol in symbols], symbols)
    after = _gains_by_sale(new, mine, symbols)
    lines = [
        f"• #{number_of(sale)}, sold {fmt.shares(sale.quantity)} {sale.symbol} on {fmt.day(sale.date)}: "
        f"now a {_gains_words(fmt, after.get(sale.id, {}))}, was a {_gains_words(fmt, before.get(sale.id, {}))}."
        for sale in mine
        if sale.side == "sell" and sale.id != now.id and before.get(sale.id) != after.get(sale.id)
    ]
    return ["That changes other sales too:", *first_few(lines, "sale", fmt)] if lines else []


def _gains_by_sale(state: UserState, trades: list[Trade], symbols: set[str]) -> dict[str, dict[str, Decimal]]:
    """Each sale's gain by term, for these stocks' trades only (their kept bookings, not the whole ledger)."""
    gains: dict[str, dict[str, Decimal]] = {}
    for d in ledger_of(trades, [s for s in state.splits if s.symbol in symbols]).dispositions:
        by_term = gains.setdefault(d.sale_id, {})
        by_term[d.term] = by_term.get(d.term, ZERO) + d.gain
    return gains


def _gains_words(fmt: Fmt, by_term: dict[str, Decimal]) -> str:
    return " and ".join(gain_line(gain, term, fmt) for term, gain in sorted(by_term.items(), reverse=True)) or (
        gain_line(ZERO, "short", fmt)
    )
