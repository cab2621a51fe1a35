"""Questions that a destructive button answers, bound to that one question.

A confirmation ("Yes, delete everything", "Yes, delete" #3, "Save") carries a nonce that the open
question holds: an old button from an earlier question, or one tapped after the data changed, gets
"That question is closed" instead of acting on whatever is there now. Buttons that act at once (Undo,
Undo this import) carry the time they were sent; pressed more than a few minutes later they ask first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conversations.events import Button
from conversations.kernel import Ctx, Outcome, ask

CONFIRMING = "CONFIRMING"
STALE_AFTER = timedelta(minutes=5)


def nonce(ctx: Ctx) -> str:
    """Names the question this event opens: the event's own id, short enough for callback data."""
    return ctx.event.id.replace(":", "")[-16:] or "0"


def question(
    ctx: Ctx, flow: str, text: str, yes: str, action: str, draft: dict[str, str], no: str = "Keep it"
) -> Outcome:
    """Ask a yes/no question whose yes button (data "action:nonce") works only while it is open."""
    key = nonce(ctx)
    buttons = ((Button(label=yes, data=f"{action}:{key}"), Button(label=no, data="keep:")),)
    return ask(ctx, flow, CONFIRMING, text, {**draft, "nonce": key}, buttons=buttons)


def answered(ctx: Ctx, flow: str, key: str, step: str = CONFIRMING) -> dict[str, str] | None:
    """The open question's draft when `key` names it; None for a closed or different question."""
    wizard = ctx.state.wizard
    if wizard is None or (wizard.flow, wizard.step) != (flow, step) or wizard.draft.get("nonce") != key:
        return None
    return wizard.draft


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
