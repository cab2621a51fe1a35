"""How an import preview reads: what the file is, what it adds, what it left out and why,
corporate actions with what they do to the lots, and the sales whose purchases are missing."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from calc.models import Split, Trade
from calc.opening import Shortfall
from conversations.files.actions import Pending
from conversations.files.importers import CorporateAction, ImportPreview, Problem
from conversations.formatting import Fmt

MAX_PROBLEMS_SHOWN = 10
MAX_SYMBOLS_SHOWN = 12
MAX_ITEMS_SHOWN = 8


def summary(fmt: Fmt, preview: ImportPreview, already: int, problems: Sequence[Problem]) -> list[str]:
    lines = [f"That looks like {preview.title}."]
    if preview.first and preview.last:
        symbols = preview.symbols
        more = f" and {len(symbols) - MAX_SYMBOLS_SHOWN} more" if len(symbols) > MAX_SYMBOLS_SHOWN else ""
        lines.append(
            f"{fmt.counted(preview.buys, 'buy')} and {fmt.counted(preview.sells, 'sell')} from {fmt.day(preview.first)} "
            f"to {fmt.day(preview.last)}, in {', '.join(symbols[:MAX_SYMBOLS_SHOWN])}{more}."
        )
    elif preview.sales:
        first, last = min(s.sold for s in preview.sales), max(s.sold for s in preview.sales)
        lines.append(
            f"{fmt.counted(len(preview.sales), 'sold lot')} from {fmt.day(first)} to {fmt.day(last)}, each with the "
            "broker's date acquired and cost basis: I add each as its purchase and its sale."
        )
    elif preview.lots:
        lines.append(
            f"{fmt.counted(len(preview.lots), 'lot')} held, in {', '.join(sorted({lot.symbol for lot in preview.lots}))}: "
            "I add each as a purchase on its date for its cost."
        )
    else:
        lines.append("I found no stock trades in it.")
    if already:
        lines.append(
            f"{fmt.counted(already, 'trade')} you already have (from an earlier import); they won't be added twice."
        )
    for reason, count in preview.left_out.most_common():
        lines.append(f"Left out {fmt.counted(count, 'row')} {reason}.")
    if preview.dividends:
        lines.append(
            f"{fmt.counted(len(preview.dividends), 'dividend')} paid (cash or reinvested): not trades, and their "
            "tax is on your 1099-DIV; any shares they bought are among the buys."
        )
    lines.extend(_broker_notes(fmt, preview))
    if problems:
        lines.append(f"{fmt.counted(len(problems), 'row')} I couldn't read:")
        lines.extend(f"• row {p.line}: {p.reason}" for p in problems[:MAX_PROBLEMS_SHOWN])
        if len(problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"… and {len(problems) - MAX_PROBLEMS_SHOWN} more.")
        lines.append("Fix those rows and send the file again to add them too; the rest won't be added twice.")
    return lines


def _broker_notes(fmt: Fmt, preview: ImportPreview) -> list[str]:
    notes: list[str] = []
    washed = [s for s in preview.sales if s.disallowed]
    if washed:
        total = sum((s.disallowed for s in washed), Decimal(0))
        notes.append(
            f"The broker disallowed {fmt.money(total)} of loss as wash sales ({', '.join(sorted({s.symbol for s in washed}))}): "
            "I count a wash sale only when its replacement purchase is in your trades, so add those purchases "
            "(or import the transaction history) and I will too."
        )
    free = [s for s in preview.sales if s.basis == 0]
    if free:
        notes.append(
            f"{fmt.counted(len(free), 'sale')} report a cost basis of $0 ({', '.join(sorted({s.symbol for s in free}))}). "
            "If those shares came from an RSU, option or ESPP, the broker left out the part taxed as wages: "
            "record the vest or exercise with /vest or /exercise instead, so that part isn't taxed twice."
        )
    return notes


def actions(fmt: Fmt, splits: Sequence[Split], pending: Sequence[Pending]) -> list[str]:
    """Splits applied, and the other corporate actions for the user to confirm, with their effect."""
    lines: list[str] = []
    if splits:
        lines.append(
            "Stock splits in the file, applied with it (the same cost over the new number of shares, dates kept):"
        )
        lines.extend(f"• {fmt.day(s.date)}: {s.symbol} {_ratio(fmt, s.ratio)}." for s in splits)
    if pending:
        lines.append("Corporate actions for you to confirm (nothing changed for them):")
        lines.extend(f"• {fmt.day(p.action.date)}: {_effect(fmt, p)}" for p in pending[:MAX_ITEMS_SHOWN])
        if len(pending) > MAX_ITEMS_SHOWN:
            lines.append(f"… and {len(pending) - MAX_ITEMS_SHOWN} more.")
    return lines


def _ratio(fmt: Fmt, ratio: Decimal) -> str:
    if ratio >= 1:
        return f"{fmt.number(ratio)}-for-1 split"
    return f"1-for-{fmt.number(1 / ratio)} reverse split"


def _effect(fmt: Fmt, pending: Pending) -> str:
    """What the action does to the lots, and what to do about it, in plain words."""
    row = pending.action
    shares = f"{fmt.shares(abs(row.quantity))} {row.symbol}"
    old = pending.partner
    swapped = f" for {fmt.shares(abs(old.quantity))} {_named(old)}" if old is not None else ""
    match row.kind:
        case "split" | "reverse split":
            change = "received" if row.quantity > 0 else "removed"
            return (
                f"{row.kind}: {shares} {change}{swapped}. The shares held here don't match it, so I changed nothing; "
                "if it applies to shares you hold, add it with /split (cost and dates stay, the number of shares changes)."
            )
        case "merger" | "name change" | "conversion":
            return (
                f"{row.kind}: {shares}{swapped}. If that exchanged shares you hold here, their cost and purchase dates "
                "carry over to the new shares: change their symbol with /edit. Cash paid with it is a sale."
            )
        case "spin-off":
            return (
                f"spin-off: {shares} received. Part of the parent's cost moves to them, in the proportion the company "
                "publishes (its Form 8937): add them with /buy at that cost, dated as the parent shares."
            )
        case "stock dividend":
            return f"stock dividend: {shares} received. Your cost spreads over the new shares too; dates stay."
        case "reward":
            return (
                f"stock reward: {shares} received free. Its value that day is income and becomes its cost: "
                "add it with /buy at that day's price."
            )
        case _:
            direction = "in" if row.quantity > 0 else "out"
            return (
                f"{shares} transferred {direction}. Between your own accounts nothing is taxed and cost and dates go "
                "with them; shares from outside need their purchases (add them with /buy)."
            )


def _named(action: CorporateAction) -> str:
    """The old side of a pair: its CUSIP, and the company as the broker names it (before Schwab's "XXX" note)."""
    company = action.description.split("XXX")[0].strip()
    return f"{action.symbol} ({company})" if company and company != action.symbol else action.symbol


def from_broker(fmt: Fmt, opening: Sequence[Trade]) -> list[str]:
    if not opening:
        return []
    lines = ["Purchases from before the file, from the broker's own lots (its closed-lot rows):"]
    lines.extend(
        f"• {fmt.shares(t.quantity)} {t.symbol} bought {fmt.day(t.date)} for {fmt.money(t.quantity * t.price)}"
        for t in opening[:MAX_ITEMS_SHOWN]
    )
    if len(opening) > MAX_ITEMS_SHOWN:
        lines.append(f"… and {len(opening) - MAX_ITEMS_SHOWN} more.")
    return lines


def missing(fmt: Fmt, short: Sequence[Shortfall]) -> list[str]:
    lines = ["This history starts mid-way: it sells shares it never shows being bought."]
    for gap in short[:MAX_ITEMS_SHOWN]:
        held = "none held before" if gap.held == 0 else f"{fmt.shares(gap.held)} held before"
        where = f" ({gap.account})" if gap.account else ""
        lines.append(f"• {fmt.day(gap.date)}: sold {fmt.shares(gap.sold)} {gap.symbol}{where}; {held}.")
    if len(short) > MAX_ITEMS_SHOWN:
        lines.append(f"… and {len(short) - MAX_ITEMS_SHOWN} more.")
    example = short[0]
    lines.append(
        "Send the missing purchases, one lot a line — shares, symbol, date bought, total cost — like:\n"
        f"{fmt.number(example.missing)} {example.symbol} 2023-05-10 9,500\n"
        "(your broker's cost-basis page or 1099-B has them; its open-lots or realized gain/loss file works too). "
        "Or tap Add without those sales to add the rest now."
    )
    return lines
