"""Buttons bound to the one question they answer (issue 17: one mechanism for every confirmation).

Every question a wizard opens is named by the event that opened it (`kernel.question_name`, kept
in `Wizard.nonce`). A button that answers it (Save, Change, "Yes, delete", "Yes, delete everything",
"Yes, undo it", Add N trades, Cancel, Add without those sales, a lot to sell, FIFO, Record this sale,
Keep it) carries that nonce in its data: `bound()` gives the question's typed answers only while that
very question is open. A button from an earlier question, or one pressed again after its question was
answered, gets "That question is closed" instead of acting on whatever is open now.

A wizard's step buttons (Today, Yesterday, Inherited, No fees, a tax year, a filing status, None, Keep
a time zone, NSO or ISO) are bound the same way (`on_step`): an old /buy's No fees can't answer a newer
/buy at the same question.

Buttons that act at once on something saved (Undo, Undo this import) carry the time they were sent
instead; pressed more than a few minutes later they ask first (a bound question).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conversations.drafts import YesNo
from conversations.events import Button
from conversations.kernel import A, Ctx, Handler, Outcome, ask, question_name, say
from conversations.state import Wizard

CONFIRMING = "CONFIRMING"
CLOSED = "That question is closed."
STALE_AFTER = timedelta(minutes=5)


def button(ctx: Ctx, label: str, action: str, arg: str = "") -> Button:
    """A button answering the question this event opens: data "action:arg:nonce" ("action:nonce")."""
    key = question_name(ctx)
    return Button(label=label, data=f"{action}:{arg}:{key}" if arg else f"{action}:{key}")


def unbind(arg: str) -> tuple[str, str]:
    """A bound button's argument and nonce, from what follows "action:". A button sent before questions
    were named carries no nonce ("lot:T3", "lots:fifo"): ("T3", ""), which answers only a question
    stored by that release (its nonce is "")."""
    rest, colon, key = arg.rpartition(":")
    return (rest, key) if colon else (arg, "")


def on_step(step: str, handler: Handler, closed: str) -> Handler:
    """A step's button ("date:today:NONCE"): `handler` gets its answer ("today") only while the very
    question that sent it is open at `step`; any other tap changes nothing and gets `closed`."""

    def pressed(ctx: Ctx, arg: str) -> Outcome:
        answer, key = unbind(arg)
        wizard = ctx.state.wizard
        if wizard is None or wizard.step != step or not names(wizard, key):
            return say(ctx, closed)
        return handler(ctx, answer)

    return pressed


def names(wizard: Wizard, key: str) -> bool:
    """Whether a button carrying `key` answers this question: its own nonce, or none at all for a
    question stored before its step's buttons carried one (those took any button of their step)."""
    return key == wizard.nonce or (not key and not wizard.buttons_named)


def bound(ctx: Ctx, key: str, kind: type[A], flow: str, *steps: str) -> A | None:
    """The open question's answers when `key` names it (and it is `flow` at one of `steps`, by default
    a yes/no question); None when that question is closed: answered, replaced or never asked."""
    wizard = ctx.state.wizard
    if (
        wizard is None
        or wizard.flow != flow
        or wizard.step not in (steps or (CONFIRMING,))
        or wizard.nonce != key
        or not isinstance(wizard.answers, kind)
    ):
        return None
    return wizard.answers


def question(ctx: Ctx, flow: str, text: str, yes: str, action: str, target: str = "", no: str = "Keep it") -> Outcome:
    """Ask a yes/no question (about `target`, a trade or split id, if any) whose buttons work only
    while it is open: yes is "action:nonce", no is "keep:nonce"."""
    buttons = ((button(ctx, yes, action), button(ctx, no, "keep")),)
    return ask(ctx, flow, CONFIRMING, text, YesNo(target=target), buttons=buttons)


def answered(ctx: Ctx, flow: str, key: str) -> YesNo | None:
    """The yes/no question `key` names, while it is open."""
    return bound(ctx, key, YesNo, flow)


def undo_button(ctx: Ctx, entry_id: str) -> Button:
    """Undo under a saved trade or split: acts at once while fresh (it carries the time it was sent)."""
    return Button(label="Undo", data=f"undo:{entry_id}:{stamp(ctx)}")


def stamp(ctx: Ctx) -> str:
    """The time this reply is sent, for a button's data (seconds since the epoch, base 36)."""
    return _base36(int(_aware(ctx.event.now).timestamp()))


def age(ctx: Ctx, stamped: str) -> timedelta | None:
    """How long ago a stamped button was sent; None when its data has no readable stamp (older buttons)."""
    try:
        sent = datetime.fromtimestamp(int(stamped, 36), UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return _aware(ctx.event.now) - sent


def stale(ctx: Ctx, stamped: str) -> bool:
    elapsed = age(ctx, stamped)
    return elapsed is None or elapsed > STALE_AFTER


def ago(ctx: Ctx, stamped: str) -> str:
    elapsed = age(ctx, stamped)
    if elapsed is None:
        return "a while ago"
    minutes = int(elapsed.total_seconds() // 60)
    if minutes < 120:
        return f"{ctx.fmt.counted(minutes, 'minute')} ago"
    hours = minutes // 60
    return f"{ctx.fmt.counted(hours, 'hour')} ago" if hours < 48 else f"{ctx.fmt.counted(hours // 24, 'day')} ago"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out
