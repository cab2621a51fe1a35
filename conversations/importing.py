"""Receiving a broker CSV: a preview first, saved only after the user confirms.

The preview books the file's trades together with the user's own. A history that starts mid-way
(a sale of shares bought before the file) is covered from the broker's own lots when the file has
them (IBKR's ClosedLot rows); otherwise the user is asked for the missing purchases in one short
step — or adds everything else without those sales. Realized gain/loss reports and 1099-B files
add sold lots as trades, or, when the user's trades already hold those sales, are reconciled with
them (conversations.reconciling). Clear stock splits in the file are applied; other corporate
actions are listed with what they do to the lots.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from calc import CalcError, Split, Trade
from calc.booking import book
from calc.opening import Shortfall, shortfalls, without_shortfalls
from conversations import dividends, import_words, reconciling
from conversations.confirming import CLOSED, ago, answered, bound, button, question, stale, stamp
from conversations.drafts import ImportDraft
from conversations.espp import missing_figures_words
from conversations.events import Button
from conversations.files.actions import Pending, resolve
from conversations.files.importers import ImportError_, ImportPreview, Problem, read_csv
from conversations.files.opening import fill, import_id, lots_as_trades, purchase, sales_as_trades
from conversations.formatting import error_words
from conversations.kernel import Ctx, Handler, Outcome, answers, ask, say
from conversations.markup import escape, sections
from conversations.parsing import InputError, money, quantity, symbol, trade_date

CONFIRMING_IMPORT = "CONFIRMING_IMPORT"
ASKING_OPENING_LOTS = "ASKING_OPENING_LOTS"
PREVIEW_CLOSED = (
    f"{CLOSED} That preview was already added, cancelled or replaced by a newer one; to import the file, send it again."
)
MAX_OPENING_LINES = 50


@dataclass
class Plan:
    """What an import would add: the file's new trades, purchases from before it, splits."""

    trades: list[Trade] = field(default_factory=list)
    opening: list[Trade] = field(default_factory=list)  # from the broker's lots
    splits: list[Split] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already: int = 0


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
    wizard = ctx.state.wizard
    if wizard is not None and wizard.step == ASKING_OPENING_LOTS and (preview.lots or preview.sales):
        return _lots_from_file(ctx, preview)
    if preview.sales and reconciling.overlaps(ctx.state.trades, preview.sales):
        return say(ctx, sections(reconciling.report(ctx, preview)), html=True)
    plan = _plan(ctx, preview)
    lines = import_words.summary(ctx.fmt, preview, plan.already, plan.problems)
    lines += import_words.actions(ctx.fmt, plan.splits, plan.pending)
    lines += import_words.from_broker(ctx.fmt, plan.opening)
    listed = tuple(preview.dividend_years().items())
    return _next_step(ctx, sections(lines), [*plan.trades, *plan.opening], plan.splits, file.name[:100], listed)


def _plan(ctx: Ctx, preview: ImportPreview) -> Plan:
    plan = Plan(problems=list(preview.problems))
    incoming = list(preview.trades)
    if preview.sales:
        sold = sales_as_trades(preview.format, preview.sales)
        incoming += sold.trades
        plan.problems += sold.problems
    incoming += lots_as_trades(preview.format, preview.lots)
    existing = {t.id for t in ctx.state.trades}
    plan.trades = [t for t in incoming if t.id not in existing]
    plan.already = len(incoming) - len(plan.trades)
    resolved = resolve(preview.actions, [*ctx.state.trades, *plan.trades], preview.format)
    known = {s.id for s in ctx.state.splits}
    plan.splits = [s for s in resolved.splits if s.id not in known]
    plan.pending = resolved.pending
    if preview.closed_lots:
        short = _short(ctx, plan.trades, plan.splits)
        plan.opening = [t for t in fill(short, preview.closed_lots, preview.format) if t.id not in existing]
    return plan


def _events(ctx: Ctx, new: Sequence[Trade], splits: Sequence[Split]) -> list[Trade | Split]:
    return [*ctx.state.trades, *ctx.state.splits, *sorted(new, key=lambda t: t.date), *splits]


def _short(ctx: Ctx, new: Sequence[Trade], splits: Sequence[Split]) -> list[Shortfall]:
    new_ids = {t.id for t in new}
    return [s for s in shortfalls(_events(ctx, new, splits)) if s.sale_id in new_ids]


def _next_step(
    ctx: Ctx,
    text: str,
    new: list[Trade],
    splits: list[Split],
    name: str,
    listed: tuple[tuple[int, Decimal], ...] = (),
) -> Outcome:
    """Ask for missing purchases, or for the confirmation; nothing is saved by either. `text` is Telegram
    HTML: what the file holds, its lists under bold headings (`markup.sections`)."""
    if not new and not splits:
        return _asking_dividends(ctx, say(ctx, text + "\nNothing new to add.", html=True, wizard=None), listed)
    short = _short(ctx, new, splits)
    draft = ImportDraft(name=name, trades=tuple(new), splits=tuple(splits), dividends=listed)
    if short:
        text += "\n" + sections(import_words.missing(ctx.fmt, short))
        return ask(ctx, "import", ASKING_OPENING_LOTS, text, draft, _lot_buttons(ctx), True)
    problem = _booking_problem(ctx, new, splits)
    if problem:
        refusal = escape(f"I can't add these: {problem}. Nothing was saved.")
        return say(ctx, f"{text}\n{refusal}", html=True, wizard=None)
    label = f"Add {ctx.fmt.counted(len(new), 'trade')}" + (
        f" and {ctx.fmt.counted(len(splits), 'split')}" if splits else ""
    )
    buttons = ((button(ctx, label, "import", "yes"), button(ctx, "Cancel", "import", "no")),)
    return ask(ctx, "import", CONFIRMING_IMPORT, text + "\nAdd them?", draft, buttons, True)


def _booking_problem(ctx: Ctx, new: Sequence[Trade], splits: Sequence[Split]) -> str:
    try:
        book(_events(ctx, new, splits))
    except CalcError as error:
        return error_words(error, ctx.fmt)
    return ""


def answer_opening_lots(ctx: Ctx, text: str) -> Outcome:
    """Lines like "341 VVV 2023-05-10 9,500": the purchases a mid-way history is missing."""
    draft = answers(ctx, ImportDraft)
    new, splits = list(draft.trades), list(draft.splits)
    short = _short(ctx, new, splits)
    lines = [line for line in text.splitlines() if line.strip()][:MAX_OPENING_LINES]
    added: list[Trade] = []
    for number, line in enumerate(lines, start=1):
        try:
            lot = _opening_lot(ctx, line, short)
            taken = sum(1 for t in [*new, *added] if t.id.split("#")[0] == lot.id)
            added.append(
                lot.model_copy(update={"id": f"{lot.id}#{taken + 1}"}) if taken else lot
            )  # two alike: two lots
        except InputError as error:
            where = f"Line {number}: " if len(lines) > 1 else ""
            return ask(
                ctx,
                "import",
                ASKING_OPENING_LOTS,
                f"{where}{error} Send shares, symbol, date bought and total cost, like: 341 VVV 2023-05-10 9,500",
                draft,
                buttons=_lot_buttons(ctx),
            )
    text = (
        "Added to the import: "
        + "; ".join(
            f"{ctx.fmt.shares(t.quantity)} {t.symbol} bought {ctx.fmt.day(t.date)} for {ctx.fmt.money(t.quantity * t.price)}"
            for t in added
        )
        + "."
    )
    return _next_step(ctx, escape(text), [*new, *added], splits, draft.name, draft.dividends)


def _lot_buttons(ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
    return ((button(ctx, "Add without those sales", "import", "without"), button(ctx, "Cancel", "import", "no")),)


def _opening_lot(ctx: Ctx, line: str, short: Sequence[Shortfall]) -> Trade:
    words = line.replace("$", " ").split()
    if len(words) < 4:
        raise InputError(f"“{line.strip()[:40]}” needs four things.")
    shares = quantity(words[0], ctx.fmt.locale)
    ticker = symbol(words[1])
    cost = money(words[-1], "total cost", allow_zero=False, locale=ctx.fmt.locale)
    when = trade_date(" ".join(words[2:-1]).rstrip(","), ctx.today, ctx.fmt.locale)  # "May 10, 2023" too
    gaps = [gap for gap in short if gap.symbol == ticker]
    if not gaps:
        named = ", ".join(sorted({gap.symbol for gap in short}))
        raise InputError(f"The sales missing purchases are in {named}, not {ticker}.")
    gap = next((g for g in gaps if when <= g.date), None)
    if gap is None:
        raise InputError(f"{ticker} bought on {ctx.fmt.day(when)} is after the sale on {ctx.fmt.day(gaps[0].date)}.")
    lot_id = import_id("opening", gap.account, when, ticker, shares.normalize(), cost.normalize())
    return purchase(ticker, when, shares, cost, gap.account, lot_id)


def _lots_from_file(ctx: Ctx, preview: ImportPreview) -> Outcome:
    """An open-lots or realized gain/loss file sent while the missing purchases are asked for."""
    draft = answers(ctx, ImportDraft)
    new, splits = list(draft.trades), list(draft.splits)
    lots = list(preview.lots)
    lots += reconciling.sold_lots(preview.sales)
    opening = [t for t in fill(_short(ctx, new, splits), lots, preview.format) if t.id not in {n.id for n in new}]
    found = import_words.from_broker(ctx.fmt, opening)
    text = sections(found) if found else escape(f"{preview.title.capitalize()} has none of the missing lots.")
    return _next_step(ctx, text, [*new, *opening], splits, draft.name, draft.dividends)


def without_missing(ctx: Ctx, draft: ImportDraft) -> Outcome:
    new, splits = list(draft.trades), list(draft.splits)
    short = _short(ctx, new, splits)
    kept = without_shortfalls(new, short)
    dropped = sum(1 for s in short if s.held == 0)
    cut = len(short) - dropped
    parts = [f"left out {ctx.fmt.counted(dropped, 'sale')} whose shares I haven't seen"] if dropped else []
    if cut:
        parts.append(f"cut {ctx.fmt.counted(cut, 'sale')} to the shares held")
    return _next_step(ctx, escape("OK: " + " and ".join(parts) + "."), kept, splits, draft.name, draft.dividends)


def confirm(ctx: Ctx, answer: str) -> Outcome:
    if answer.startswith("undo"):
        return undo_pressed(ctx, answer.partition(":")[2])
    verb, _, key = answer.partition(":")
    wizard = ctx.state.wizard
    draft = bound(ctx, key, ImportDraft, "import", CONFIRMING_IMPORT, ASKING_OPENING_LOTS)
    if wizard is None or draft is None:  # added, cancelled, or an earlier preview's button: one answer for all
        return say(ctx, PREVIEW_CLOSED)
    if verb == "without":
        if wizard.step != ASKING_OPENING_LOTS:
            return say(ctx, "Nothing is missing from this import: tap Add or Cancel.")
        return without_missing(ctx, draft)
    if verb != "yes":
        return say(ctx, "Cancelled; nothing was imported.", wizard=None)
    if wizard.step != CONFIRMING_IMPORT:
        return say(ctx, "Send the missing purchases first, or tap Add without those sales.")
    existing = {t.id for t in ctx.state.trades}
    incoming, incoming_splits = list(draft.trades), list(draft.splits)
    new = [t for t in incoming if t.id not in existing]
    known = {s.id for s in ctx.state.splits}
    splits = [s for s in incoming_splits if s.id not in known]
    problem = _booking_problem(ctx, new, splits)
    if problem:
        return say(ctx, f"I can't add these: {problem}. Nothing was imported.", wizard=None)
    # Each gets a short number from the user's one counter, so /edit and /delete reach it; its id stays the digest.
    first = ctx.state.next_trade_number
    new = [t.model_copy(update={"number": first + i}) for i, t in enumerate(sorted(new, key=lambda t: t.date))]
    trades = (*ctx.state.trades, *new)
    undo = ((Button(label="Undo this import", data=f"import:undo:{stamp(ctx)}"),),)
    added = ctx.fmt.counted(len(new), "trade") + (f" and {ctx.fmt.counted(len(splits), 'split')}" if splits else "")
    outcome = say(
        ctx,
        f"Added {added} from {draft.name}. /portfolio and /gains include them now; /form8949 makes the tax form."
        + missing_figures_words(new, ctx.fmt),
        buttons=undo,
        wizard=None,
        trades=trades,
        splits=(*ctx.state.splits, *splits),
        last_added=tuple(t.id for t in new) + tuple(s.id for s in splits),
        next_trade_number=first + len(new),
    )
    return _asking_dividends(ctx, outcome, draft.dividends)


def _asking_dividends(ctx: Ctx, outcome: Outcome, listed: tuple[tuple[int, Decimal], ...]) -> Outcome:
    """The import's answer, then (when the file listed dividends) the question for their 1099-DIV totals."""
    asked = dividends.prompt(ctx.fmt, outcome.state, dict(listed))
    return outcome if asked is None else Outcome(outcome.state, [*outcome.replies, asked])


def undo_pressed(ctx: Ctx, stamped: str) -> Outcome:
    """Undo this import: at once while fresh; pressed minutes later, only after a yes (it may remove
    hundreds of trades)."""
    added = [i for i in ctx.state.last_added if i.startswith("I")]
    if not added or not stale(ctx, stamped):
        return undo_import(ctx)
    return question(
        ctx,
        "import-undo",
        f"That button is from {ago(ctx, stamped)}. Remove the {ctx.fmt.counted(len(added), 'trade')} the last import added?",
        "Yes, undo the import",
        "import!",
    )


def undo_confirmed(ctx: Ctx, key: str) -> Outcome:
    if answered(ctx, "import-undo", key) is None:
        return say(ctx, CLOSED)
    ctx.state = ctx.state.model_copy(update={"wizard": None})
    return undo_import(ctx)


def undo_import(ctx: Ctx) -> Outcome:
    """Remove every trade (and split) the last import added (the last entry, as /undo removes one)."""
    added = set(ctx.state.last_added)
    if len(added) < 1 or not all(i.startswith("I") for i in added):
        return say(ctx, "That import was already undone, or something was entered after it; use /trades to delete.")
    trades = tuple(t for t in ctx.state.trades if t.id not in added)
    splits = tuple(s for s in ctx.state.splits if s.id not in added)
    try:
        book([*trades, *splits])
    except CalcError as error:
        return say(ctx, f"I can't undo that import: {error_words(error, ctx.fmt)}.")
    removed = len(ctx.state.trades) - len(trades)
    return say(
        ctx,
        f"Undone: removed the {ctx.fmt.counted(removed, 'imported trade')}.",
        trades=trades,
        splits=splits,
        last_added=(),
    )


STEPS: dict[tuple[str, str], Handler] = {("import", ASKING_OPENING_LOTS): answer_opening_lots}
BUTTONS: dict[str, Handler] = {"import": confirm, "import!": undo_confirmed}
