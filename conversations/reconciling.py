"""The broker's 1099-B (or realized gain/loss report) beside the user's own sales: where they
differ, why, in plain words, and what goes on Form 8949. The matching is calc.reconcile."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from calc.models import Trade
from calc.reconcile import Difference, Reported, Side, reconcile
from conversations.files.importers import BrokerLot, BrokerSale, ImportPreview
from conversations.formatting import Fmt
from conversations.kernel import Ctx
from conversations.taxview import ledger_of

MAX_SHOWN = 12


def overlaps(trades: Sequence[Trade], sales: Sequence[BrokerSale]) -> bool:
    """Whether the user's trades already hold sales the file reports (same symbol, same year):
    then the file is compared with them, not added on top."""
    years = {(s.symbol, s.sold.year) for s in sales}
    return any(t.side == "sell" and (t.symbol, t.date.year) in years for t in trades)


def sold_lots(sales: Sequence[BrokerSale]) -> list[BrokerLot]:
    """The lots a report's sales closed, as lots: to cover a history that starts mid-way."""
    return [
        BrokerLot(s.line, s.symbol, s.acquired, s.quantity, s.basis, s.account)
        for s in sales
        if s.acquired is not None and s.basis is not None and s.basis > 0
    ]


def report(ctx: Ctx, preview: ImportPreview) -> list[str]:
    ledger = ledger_of(ctx.state.trades)
    reported = [
        Reported(s.symbol, s.sold, s.quantity, s.proceeds, s.basis, s.disallowed, s.acquired) for s in preview.sales
    ]
    differences = reconcile(ledger.dispositions, ctx.state.trades, reported)
    fmt = ctx.fmt
    years = sorted({s.sold.year for s in preview.sales})
    head = f"That looks like {preview.title} for {', '.join(map(str, years))}. You already have these sales, so I compared them with yours; nothing was added."
    if not differences:
        return [
            head,
            f"All {fmt.counted(len(preview.sales), 'line')} match your trades (shares, proceeds, basis and "
            "wash sales, to the dollar). Form 8949 can use the 1099-B figures as they are: /form8949.",
        ]
    lines = [head, f"{fmt.counted(len(differences), 'difference')}:"]
    lines.extend(f"• {_words(fmt, d)}" for d in differences[:MAX_SHOWN])
    if len(differences) > MAX_SHOWN:
        lines.append(f"… and {len(differences) - MAX_SHOWN} more.")
    lines.append(
        "Where the cause is a sale or purchase missing here, add it (or import that account's history) and send "
        "the 1099-B again. Codes B and W go in Form 8949 column (f), the adjustment in (g)."
    )
    return lines


def _words(fmt: Fmt, d: Difference) -> str:
    when = f"{fmt.day(d.sold)} {d.symbol}"
    mine, broker = d.ours, d.theirs
    match d.code:
        case "missing_here":
            assert broker is not None
            return (
                f"{when}: the broker reports selling {fmt.counted(broker.quantity, 'share')} for {fmt.money(broker.proceeds)}, "
                "a sale that isn't in your trades here. Add it (with its purchase) so the year is complete."
            )
        case "not_on_form":
            assert mine is not None
            return (
                f"{when}: you sold {fmt.counted(mine.quantity, 'share')}, but this 1099-B doesn't list it: another account "
                "or broker reports it (its own 1099-B), or its date differs."
            )
        case "shares_differ":
            assert mine is not None and broker is not None
            return (
                f"{when}: you sold {fmt.counted(mine.quantity, 'share')}, the broker reports {fmt.shares(broker.quantity)}. "
                "Check the sale's quantity with /trades."
            )
        case "proceeds_differ":
            assert mine is not None and broker is not None
            return (
                f"{when}: proceeds {fmt.money(mine.proceeds)} here, {fmt.money(broker.proceeds)} on the 1099-B "
                "(fees or the fill price recorded differently). Use the 1099-B's proceeds in column (d), or correct the sale with /edit."
            )
        case "wash_not_seen":
            return (
                f"{when}: I disallow {fmt.money(d.amount)} more of the loss as a wash sale than the broker does. "
                f"The replacement purchase is in {_accounts(mine)}, which the broker couldn't see; the rule still "
                f"applies across all your accounts. Form 8949: the broker's (d) and (e), code W, and {fmt.money(d.amount)} in (g)."
            )
        case "wash_not_here":
            return (
                f"{when}: the broker disallows {fmt.money(d.amount)} more of the loss as a wash sale than I do: its "
                "replacement purchase isn't in your trades here (add it), or it was an option or a reinvestment. "
                f"Form 8949: code W and the broker's {fmt.money(_disallowed(broker))} in (g), unless the broker is wrong."
            )
        case "wage_basis":
            assert mine is not None and broker is not None
            return (
                f"{when}: the broker's basis is {fmt.money(broker.basis or Decimal(0))}, yours {fmt.money(mine.basis or Decimal(0))}: "
                "these shares came from an RSU, option exercise or ESPP, and the broker left out the part already taxed "
                f"as wages. Form 8949: the broker's basis in (e), code B, and {fmt.money(d.amount)} in (g), so that part "
                "isn't taxed twice."
            )
        case "basis_not_reported":
            assert mine is not None
            return (
                f"{when}: the broker didn't report a basis (box B or E: noncovered shares). Form 8949: your basis, "
                f"{fmt.money(mine.basis or Decimal(0))}, in column (e); no adjustment."
            )
        case _:  # lot_differs
            assert mine is not None and broker is not None
            theirs_dates = ", ".join(fmt.day(x) for x in sorted(broker.acquired)) or "dates not given"
            ours_dates = ", ".join(fmt.day(x) for x in sorted(mine.acquired))
            return (
                f"{when}: basis {fmt.money(mine.basis or Decimal(0))} here, {fmt.money(broker.basis or Decimal(0))} on the "
                f"1099-B: the broker sold shares bought {theirs_dates}, your trades matched {ours_dates}. A purchase may "
                "be missing here, or lots were chosen differently at the sale. If the broker is right, fix the trades; "
                f"if it is wrong, Form 8949: its basis in (e), code B, and {fmt.money(d.amount)} in (g)."
            )


def _accounts(side: Side | None) -> str:
    accounts = sorted(side.accounts) if side is not None else []
    return " and ".join(accounts) if accounts else "another account"


def _disallowed(side: Side | None) -> Decimal:
    return side.disallowed if side is not None else Decimal(0)
