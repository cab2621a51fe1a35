"""Receiving a broker CSV: a preview first, saved only after the user confirms.

The preview books the file's trades together with the user's own, so a sale whose purchase
is missing is caught before anything is offered for saving, not after.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from calc import CalcError, Trade
from conversations.events import Button
from conversations.files.importers import ImportError_, ImportPreview, read_csv
from conversations.files.render.money import counted
from conversations.formatting import error_words
from conversations.kernel import Ctx, Handler, Outcome, ask, say
from conversations.taxview import ledger_of

CONFIRMING_IMPORT = "CONFIRMING_IMPORT"
MAX_PROBLEMS_SHOWN = 10
MAX_SYMBOLS_SHOWN = 12


def receive_file(ctx: Ctx, _: str) -> Outcome:
    file = ctx.event.file
    if file is None:
        return say(ctx, "I didn't get a file.")
    if not file.name.lower().endswith((".csv", ".txt")):
        return say(
            ctx, f"I read CSV files; “{file.name[:60]}” isn't one. Export your broker's history as CSV and send that."
        )
    try:
        preview = read_csv(file.name, file.content, today=ctx.today)
    except ImportError_ as error:
        return say(ctx, str(error))
    existing = {t.id for t in ctx.state.trades}
    new = [t for t in preview.trades if t.id not in existing]
    text = describe(ctx, preview, already=len(preview.trades) - len(new))
    if not new:
        return say(ctx, text + "\nNothing new to add.")
    problem = _booking_problem(ctx, ctx.state.trades, new)
    if problem:
        return say(
            ctx,
            f"{text}\nI can't add these yet: {problem}. Is an earlier purchase missing? Import an older history "
            "first (or add the purchase with /buy), then send this file again. Nothing was saved.",
        )
    draft = {"trades": json.dumps([t.model_dump(mode="json") for t in new]), "name": file.name[:100]}
    buttons = (
        (
            Button(label=f"Add {counted(len(new), 'trade')}", data="import:yes"),
            Button(label="Cancel", data="import:no"),
        ),
    )
    return ask(ctx, "import", CONFIRMING_IMPORT, text + "\nAdd them?", draft, buttons=buttons)


def describe(ctx: Ctx, preview: ImportPreview, already: int) -> str:
    fmt = ctx.fmt
    lines = [f"That looks like a {preview.format}."]
    if preview.first and preview.last:
        symbols = preview.symbols
        more = f" and {len(symbols) - MAX_SYMBOLS_SHOWN} more" if len(symbols) > MAX_SYMBOLS_SHOWN else ""
        lines.append(
            f"{counted(preview.buys, 'buy')} and {counted(preview.sells, 'sell')} from {fmt.day(preview.first)} "
            f"to {fmt.day(preview.last)}, in {', '.join(symbols[:MAX_SYMBOLS_SHOWN])}{more}."
        )
    else:
        lines.append("I found no stock trades in it.")
    if already:
        lines.append(
            f"{counted(already, 'trade')} you already have (from an earlier import); they won't be added twice."
        )
    for reason, count in preview.left_out.most_common():
        lines.append(f"Left out {counted(count, 'row')} {reason}.")
    if preview.problems:
        lines.append(f"{counted(len(preview.problems), 'row')} I couldn't read:")
        lines.extend(f"• row {p.line}: {p.reason}" for p in preview.problems[:MAX_PROBLEMS_SHOWN])
        if len(preview.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"… and {len(preview.problems) - MAX_PROBLEMS_SHOWN} more.")
        lines.append("Fix those rows and send the file again to add them too; the rest won't be added twice.")
    return "\n".join(lines)


def _merged(existing: Sequence[Trade], new: Sequence[Trade]) -> tuple[Trade, ...]:
    return (*existing, *sorted(new, key=lambda t: t.date))


def _booking_problem(ctx: Ctx, existing: Sequence[Trade], new: Sequence[Trade]) -> str:
    try:
        ledger_of(_merged(existing, new))
    except CalcError as error:
        return error_words(error, ctx.fmt)
    return ""


def confirm(ctx: Ctx, answer: str) -> Outcome:
    if answer == "undo":
        return undo_import(ctx)
    wizard = ctx.state.wizard
    if wizard is None or wizard.step != CONFIRMING_IMPORT:
        return say(ctx, "That import was already added or cancelled.")
    if answer != "yes":
        return say(ctx, "Cancelled; nothing was imported.", wizard=None)
    existing = {t.id for t in ctx.state.trades}
    incoming = [Trade.model_validate(item) for item in json.loads(wizard.draft["trades"])]
    new = [t for t in incoming if t.id not in existing]
    problem = _booking_problem(ctx, ctx.state.trades, new)
    if problem:
        return say(ctx, f"I can't add these: {problem}. Nothing was imported.", wizard=None)
    trades = _merged(ctx.state.trades, new)
    undo = ((Button(label="Undo this import", data="import:undo"),),)
    return say(
        ctx,
        f"Added {counted(len(new), 'trade')} from {wizard.draft['name']}. /portfolio and /gains include them now; "
        "/form8949 makes the tax form.",
        buttons=undo,
        wizard=None,
        trades=trades,
        last_added=tuple(t.id for t in new),
    )


def undo_import(ctx: Ctx) -> Outcome:
    """Remove every trade the last import added (the last entry, as /undo removes one)."""
    added = set(ctx.state.last_added)
    if len(added) < 1 or not all(i.startswith("I") for i in added):
        return say(ctx, "That import was already undone, or something was entered after it; use /trades to delete.")
    trades = tuple(t for t in ctx.state.trades if t.id not in added)
    try:
        ledger_of(trades)
    except CalcError as error:
        return say(ctx, f"I can't undo that import: {error_words(error, ctx.fmt)}.")
    removed = len(ctx.state.trades) - len(trades)
    return say(ctx, f"Undone: removed the {counted(removed, 'imported trade')}.", trades=trades, last_added=())


BUTTONS: dict[str, Handler] = {"import": confirm}
