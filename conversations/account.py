"""/cancel, /export, /forget, /import, /reminders, and what to say to text I don't understand."""

from __future__ import annotations

import io

from conversations.confirming import CONFIRMING, answered, button, question, unbind
from conversations.drafts import YesNo
from conversations.events import FileOut, Reply
from conversations.files import ledger_csv
from conversations.files.render.csv_cells import SafeWriter
from conversations.kernel import Ctx, Handler, Outcome, ask, say
from conversations.state import UserState
from conversations.trading import number_of


def import_help(ctx: Ctx, args: str) -> Outcome:
    if args:
        return say(ctx, f"I couldn't open the file “{args[:80]}”. Check the path, or send the file itself.")
    return say(
        ctx,
        "Send me your broker's CSV export as a file (in the terminal: /import PATH). I read Charles Schwab "
        "transaction history, Fidelity account history, Robinhood activity reports, Interactive Brokers trades "
        "(activity statement or Flex query), or a simple CSV with the columns date, side, symbol, quantity, price, fees. "
        "I show what I found before adding anything.",
    )


def reminders_command(ctx: Ctx, args: str) -> Outcome:
    p = ctx.state.profile
    words = args.lower().split()
    if words[:1] == ["off"]:
        return _set_reminders(ctx, "Reminders are off. /reminders on turns them back on.", reminders=False)
    if words[:1] == ["on"]:
        return _set_reminders(ctx, "Reminders are on.", reminders=True)
    if words[:1] == ["days"] and len(words) == 2 and words[1].isdigit() and 1 <= int(words[1]) <= 60:
        return _set_reminders(
            ctx,
            f"I'll warn you {ctx.fmt.counted(int(words[1]), 'day')} before a lot turns long-term.",
            reminder_days=int(words[1]),
        )
    if words:
        return say(ctx, "Send /reminders on, /reminders off, or /reminders days 7 (1 to 60).")
    state = "on" if p.reminders else "off"
    turn = "off" if p.reminders else "on"
    return ask(  # its button answers this question only: an old one can't flip a setting changed since
        ctx,
        "reminders",
        CONFIRMING,
        f"Reminders are {state} (at 10:00, {p.timezone}): December 1 and 15 year-end checks; "
        f"{ctx.fmt.counted(p.reminder_days, 'day')} before and on the day a lot with a gain turns long-term; and the day buying back "
        "after a loss sale stops being a wash sale. Change with /reminders off, /reminders days 3; "
        "the time zone is in /settings.",
        YesNo(target=turn),
        ((button(ctx, f"Turn {turn}", "remind", turn),),),
    )


def _set_reminders(ctx: Ctx, text: str, **changes: object) -> Outcome:
    return say(ctx, text, profile=ctx.state.profile.model_copy(update=changes))


def _remind_button(ctx: Ctx, arg: str) -> Outcome:
    """Turn on / Turn off under /reminders' answer, while that answer is the open question. A bare
    "remind:off" is from a message sent before the buttons were bound: it still does what it says,
    once (pressed again, or when the setting already is that, it changes nothing)."""
    turn, key = unbind(arg)
    now = "on" if ctx.state.profile.reminders else "off"
    if key and answered(ctx, "reminders", key) is None:
        return say(ctx, f"That question is closed. Reminders are {now}; /reminders shows them with a button to change.")
    if turn == now:
        return say(ctx, f"Reminders are already {now}.", wizard=None)
    ctx.state = ctx.state.model_copy(update={"wizard": None})
    return reminders_command(ctx, turn)


def cancel(ctx: Ctx, _: str) -> Outcome:
    if ctx.state.wizard is None:
        return say(ctx, "Nothing to cancel. Send /help to see what I can do.")
    return say(ctx, "Cancelled. Nothing was saved from that question.", wizard=None)


def unknown(ctx: Ctx, text: str) -> Outcome:
    return say(
        ctx,
        "I didn't understand that. To record a trade, send it like /buy 100 XYZ 20 2024-01-10; "
        "to see your gains, /gains. /help lists everything.",
    )


def export_csv(state: UserState) -> bytes:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(ledger_csv.COLUMNS)
    for t in state.trades:
        writer.writerow(ledger_csv.trade_row(t, number_of(t)))
    for s in state.splits:
        writer.writerow(ledger_csv.split_row(s))
    writer.writerow([])
    writer.writerow(["setting", "value"])
    for key, value in state.profile.model_dump().items():
        writer.writerow([key, value])
    for ticker, price in sorted(state.prices.items()):
        writer.writerow([f"price {ticker}", price])
    return out.getvalue().encode()


def export(ctx: Ctx, _: str) -> Outcome:
    file = FileOut(name="cgt-trades.csv", content=export_csv(ctx.state), caption="All your trades and settings.")
    return Outcome(
        ctx.state,
        [Reply(text=f"Here are your {ctx.fmt.counted(len(ctx.state.trades), 'trade')} and settings.", files=(file,))],
    )


def forget(ctx: Ctx, _: str) -> Outcome:
    return question(
        ctx,
        "forget",
        f"Delete all your data: {ctx.fmt.counted(len(ctx.state.trades), 'trade')}, prices and settings? This can't be undone.",
        "Yes, delete everything",
        "forget",
        no="No",
    )


def confirm_forget(ctx: Ctx, arg: str) -> Outcome:
    """Only the yes of the question still open deletes: an old "Yes, delete everything" doesn't again."""
    if arg == "no":
        return say(ctx, "Kept everything.")
    if answered(ctx, "forget", arg) is None:
        return say(ctx, "That question is closed. Send /forget if you want to delete everything.")
    return Outcome(UserState(), [Reply(text="Done: everything about you is deleted. /start begins afresh.")])


BUTTONS: dict[str, Handler] = {"forget": confirm_forget, "remind": _remind_button}
