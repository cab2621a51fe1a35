"""/form8949 [year]: Form 8949 and the Schedule D summary as CSV and PDF (fpdf2)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from calc.form8949 import Form8949, Part, form_8949, schedule_d_lines
from conversations.events import FileOut, Reply
from conversations.machine import Ctx, Outcome, say
from conversations.reports import _year_arg
from conversations.taxview import ledger_of, summary_for

PART_TITLES = {
    "short": "Part I - Short-Term (held one year or less)",
    "long": "Part II - Long-Term (held more than one year)",
}
COLUMNS = [
    "(a) Description",
    "(b) Acquired",
    "(c) Sold",
    "(d) Proceeds",
    "(e) Cost basis",
    "(f) Code",
    "(g) Adjustment",
    "(h) Gain or (loss)",
]


def _money(amount: Decimal) -> str:
    return f"({abs(amount):,.2f})" if amount < 0 else f"{amount:,.2f}"


def _day(value: object) -> str:
    return value.strftime("%m/%d/%Y")  # type: ignore[attr-defined]


def form_csv(form: Form8949, schedule: list[tuple[str, str, Decimal]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for part in (form.short, form.long):
        writer.writerow([f"Form 8949 {form.year}", PART_TITLES[part.term]])
        writer.writerow(COLUMNS)
        for r in part.rows:
            adjustment = f"{r.adjustment:.2f}" if r.adjustment else ""
            cells = [r.description, _day(r.acquired), _day(r.sold), f"{r.proceeds:.2f}", f"{r.basis:.2f}", r.code]
            writer.writerow([*cells, adjustment, f"{r.gain:.2f}"])
        d, e, g, h = part.totals
        writer.writerow(["Totals (line 2)", "", "", f"{d:.2f}", f"{e:.2f}", "", f"{g:.2f}", f"{h:.2f}"])
        writer.writerow([])
    writer.writerow([f"Schedule D {form.year} summary"])
    for line, label, amount in schedule:
        writer.writerow([f"line {line}", label, f"{amount:.2f}"])
    return out.getvalue().encode()


def form_pdf(form: Form8949, schedule: list[tuple[str, str, Decimal]]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="Letter")
    pdf.set_auto_page_break(auto=True, margin=12)
    widths = [52, 24, 24, 30, 30, 14, 28, 32]
    for part in (form.short, form.long):
        pdf.add_page()
        _header(pdf, form.year, part)
        _table_head(pdf, widths)
        pdf.set_font("Helvetica", size=8)
        for r in part.rows:
            if pdf.will_page_break(6):
                pdf.add_page()
                _header(pdf, form.year, part, continued=True)
                _table_head(pdf, widths)
                pdf.set_font("Helvetica", size=8)
            cells = [
                r.description,
                _day(r.acquired),
                _day(r.sold),
                _money(r.proceeds),
                _money(r.basis),
                r.code,
                _money(r.adjustment) if r.adjustment else "",
                _money(r.gain),
            ]
            for width, cell, right in zip(
                widths, cells, [False, False, False, True, True, False, True, True], strict=True
            ):
                pdf.cell(width, 6, cell, border=1, align="R" if right else "L")
            pdf.ln()
        d, e, g, h = part.totals
        pdf.set_font("Helvetica", style="B", size=8)
        totals = ["2 Totals", "", "", _money(d), _money(e), "", _money(g) if g else "", _money(h)]
        for i, (width, cell) in enumerate(zip(widths, totals, strict=True)):
            pdf.cell(width, 7, cell, border=1, align="L" if i == 0 else "R")
        pdf.ln()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 10, f"Schedule D ({form.year}) - summary", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for line, label, amount in schedule:
        pdf.cell(20, 8, f"Line {line}", border="B")
        pdf.cell(150, 8, label, border="B")
        pdf.cell(40, 8, _money(amount), border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", style="I", size=8)
    pdf.multi_cell(
        0,
        5,
        "An estimate prepared from the trades you entered; not tax advice. Check box A/D (basis reported "
        "to the IRS), B/E or C/F against your Form 1099-B before filing.",
    )
    return bytes(pdf.output())


def _header(pdf, year: int, part: Part, continued: bool = False) -> None:
    pdf.set_font("Helvetica", style="B", size=13)
    pdf.cell(
        0, 8, f"Form 8949 ({year}) - Sales and Other Dispositions of Capital Assets", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 7, PART_TITLES[part.term] + (" (continued)" if continued else ""), new_x="LMARGIN", new_y="NEXT")


def _table_head(pdf, widths: list[int]) -> None:
    pdf.set_font("Helvetica", style="B", size=8)
    for width, title in zip(widths, COLUMNS, strict=True):
        pdf.cell(width, 7, title, border=1, align="C")
    pdf.ln()


def form8949(ctx: Ctx, args: str) -> Outcome:
    year = _year_arg(ctx, args)
    ledger = ledger_of(ctx.state.trades)
    form = form_8949(ledger.dispositions, year)
    if not form.short.rows and not form.long.rows:
        return say(ctx, f"No sales in {year}, so there's nothing for Form 8949.")
    schedule = schedule_d_lines(form, summary_for(ctx.state, ledger, year))
    files = (
        FileOut(name=f"form8949-{year}.csv", content=form_csv(form, schedule)),
        FileOut(name=f"form8949-{year}.pdf", content=form_pdf(form, schedule)),
    )
    washes = sum(1 for part in (form.short, form.long) for r in part.rows if r.code == "W")
    text = (
        f"Form 8949 for {year}: {len(form.short.rows)} short-term and {len(form.long.rows)} long-term rows"
        + (f", {washes} with code W (wash sale, adjustment in column (g))" if washes else "")
        + ", and the Schedule D summary. An estimate from what you entered: compare with your 1099-B."
    )
    return Outcome(ctx.state, [Reply(text=text, files=files)])
