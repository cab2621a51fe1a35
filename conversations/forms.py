"""/form8949 [year] [A|B|C]: Form 8949 and the Schedule D summary, sent as CSV and PDF documents."""

from __future__ import annotations

from typing import cast

from calc.form8949 import BOX_MEANING, ShortBox, form_8949, schedule_d
from conversations.events import FileOut, Reply
from conversations.files.render.form8949_csv import form_csv
from conversations.files.render.form8949_pdf import form_pdf
from conversations.kernel import Ctx, Outcome, say
from conversations.parsing import InputError
from conversations.taxview import asked_year, ledger_for, year_tax

# How the ESPP rows carry the pay the 1099-B's basis leaves out, by box (Instructions for Form 8949, code B).
ESPP_ROWS = {
    "A": "their rows have the 1099-B's basis in column (e), code B, and the pay as a negative adjustment in column (g).",
    "B": "their rows have code B and the basis with the pay in column (e).",
    "C": "with no 1099-B, column (e) has the basis with the pay.",
}
USAGE = "Send /form8949 2025, or /form8949 2025 B when your 1099-B says basis wasn't reported (C: no 1099-B)."


def form8949(ctx: Ctx, args: str) -> Outcome:
    words = args.upper().split()
    box = next((w for w in words if w in BOX_MEANING), "A")
    rest = [w for w in words if w not in BOX_MEANING]
    if len(rest) > 1:
        raise InputError(USAGE)
    year = asked_year(ctx, rest[0] if rest else "")
    ledger = ledger_for(ctx.state)
    form = form_8949(ledger.dispositions, year, box=cast(ShortBox, box))
    if not form.short.rows and not form.long.rows:
        return say(ctx, f"No sales in {year}, so there's nothing for Form 8949.")
    view = year_tax(ctx.state, ledger, year)
    summary = view.summary
    schedule = schedule_d(form, summary.carryover_short, summary.carryover_long, summary.filing_status)
    files = (
        FileOut(name=f"form8949-{year}.csv", content=form_csv(form, schedule), caption=f"Form 8949 {year} (CSV)"),
        FileOut(
            name=f"form8949-{year}.pdf",
            content=form_pdf(form, schedule, ctx.event.now),
            caption=f"Form 8949 {year} (PDF)",
        ),
    )
    fmt = ctx.fmt
    washes = sum(1 for part in form.parts for r in part.rows if "W" in r.code)
    lines = [
        f"Form 8949 for {year}: {fmt.counted(len(form.short.rows), 'short-term row')} (Part I, total "
        f"{fmt.money(form.short.totals.gain)}) and {fmt.counted(len(form.long.rows), 'long-term row')} (Part II, total "
        f"{fmt.money(form.long.totals.gain)}), with the Schedule D summary: line 16 {fmt.money(schedule.amount('16'))}"
        + (f", line 21 {fmt.money(schedule.amount('21'))} allowed this year." if schedule.has("21") else "."),
    ]
    if washes:
        lines.append(
            f"{fmt.counted(washes, 'row')} with code W: a wash sale, the disallowed loss added back in column (g)."
        )
    if view.espp_wages:
        lines.append(
            f"ESPP shares: {fmt.money(view.espp_wages)} of your sales is pay, not capital gain (IRC 423(c)); it goes on "
            "Form 1040 line 1 with your W-2. Brokers report these shares' basis as the price you paid, without "
            "it: " + ESPP_ROWS[box]
        )
    if view.sale_wages - view.espp_wages:
        lines.append(
            f"ISO shares sold too soon (a disqualifying disposition): {fmt.money(view.sale_wages - view.espp_wages)} of the gain is "
            "wages, not capital gain (IRC 422(c)(2)). It goes on Form 1040 line 1 (your W-2 may already show it), "
            "and the basis in column (e) here includes it, so Form 8949 has only the rest."
        )
    granted = {t.id for t in ctx.state.trades if t.source in ("nso", "iso", "rsu")}
    if any(d.purchase_id in granted for d in ledger.dispositions if d.sold.year == year):
        lines.append(
            "Some sales are of shares from options or RSUs. Brokers often report their basis on the 1099-B as the "
            "strike or $0, leaving out the part already taxed as wages: if yours does, enter the 1099-B's basis in "
            "column (e) and the difference in column (g) with code B, so that income isn't taxed twice. "
            "The basis here already includes it."
        )
    lines.append(
        f"Box {box}/{form.long.box} is checked: {BOX_MEANING[box]}. "
        + ("If your 1099-B says otherwise, send /form8949 {year} B (or C). " if box == "A" else "").format(year=year)
        + "An estimate from what you entered: compare it with your 1099-B."
    )
    return Outcome(ctx.state, [Reply(text="\n".join(lines), files=files)])
