"""Receiving a broker CSV: a preview first, saved only after the user confirms."""

from __future__ import annotations

import json

from calc import CalcError, Trade
from conversations.events import Button
from conversations.importers import ImportError_, ImportPreview, read_csv
from conversations.machine import Ctx, Handler, Outcome, ask, say
from conversations.taxview import ledger_of

CONFIRMING_IMPORT = "CONFIRMING_IMPORT"
MAX_PROBLEMS_SHOWN = 10


def receive_file(ctx: Ctx, _: str) -> Outcome:
    file = ctx.event.file
    if file is None:
        return say(ctx, "I didn't get a file.")
    if not file.name.lower().endswith((".csv", ".txt")):
        return say(ctx, f"I read CSV files; {file.name} isn't one. Export your broker's history as CSV and send that.")
    try:
        preview = read_csv(file.name, file.content)
    except ImportError_ as error:
        return say(ctx, str(error))
    existing = {t.id for t in ctx.state.trades}
    new = [t for t in preview.trades if t.id not in existing]
    text = describe(ctx, preview, already=len(preview.trades) - len(new))
    if not new:
        return say(ctx, text + "\nNothing new to add.")
    draft = {"trades": json.dumps([t.model_dump(mode="json") for t in new]), "name": file.name}
    buttons = ((Button(label=f"Add {len(new)} trades", data="import:yes"), Button(label="Cancel", data="import:no")),)
    return ask(ctx, "import", CONFIRMING_IMPORT, text, draft, buttons=buttons)


def describe(ctx: Ctx, preview: ImportPreview, already: int) -> str:
    fmt = ctx.fmt
    lines = [f"That looks like a {preview.format}."]
    if preview.trades and preview.first and preview.last:
        lines.append(
            f"{preview.buys} buys and {preview.sells} sells from {fmt.day(preview.first)} to {fmt.day(preview.last)}, "
            f"in {', '.join(preview.symbols[:12])}{'…' if len(preview.symbols) > 12 else ''}."
        )
    if already:
        lines.append(f"{already} of them you already have (from an earlier import); they won't be added twice.")
    if preview.skipped:
        lines.append(f"{preview.skipped} rows aren't trades (dividends, transfers, totals) and are left out.")
    if preview.problems:
        lines.append(f"{len(preview.problems)} rows I couldn't read:")
        lines.extend(f"• row {p.line}: {p.reason}" for p in preview.problems[:MAX_PROBLEMS_SHOWN])
        if len(preview.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"… and {len(preview.problems) - MAX_PROBLEMS_SHOWN} more.")
    return "\n".join(lines)


def confirm(ctx: Ctx, answer: str) -> Outcome:
    wizard = ctx.state.wizard
    if wizard is None or wizard.step != CONFIRMING_IMPORT:
        return say(ctx, "That import was already added or cancelled.")
    if answer != "yes":
        return say(ctx, "Cancelled; nothing was imported.", wizard=None)
    existing = {t.id for t in ctx.state.trades}
    incoming = [Trade.model_validate(item) for item in json.loads(wizard.draft["trades"])]
    new = tuple(t for t in sorted(incoming, key=lambda t: t.date) if t.id not in existing)
    trades = (*ctx.state.trades, *new)
    try:
        ledger_of(trades)
    except CalcError as error:
        return say(
            ctx,
            f"I can't add these: {error}. Nothing was imported. Is an earlier purchase missing from the file?",
            wizard=None,
        )
    return say(
        ctx,
        f"Added {len(new)} trades from {wizard.draft['name']}. /portfolio and /gains include them now.",
        wizard=None,
        trades=trades,
        last_added=tuple(t.id for t in new),
    )


BUTTONS: dict[str, Handler] = {"import": confirm}
