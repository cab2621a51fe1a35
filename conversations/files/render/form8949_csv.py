"""Form 8949 and the Schedule D summary as CSV: one row per sale, part totals, then Schedule D lines.

Amounts are plain numbers (a loss is negative) so a spreadsheet can add them; dates as the form writes them.
"""

from __future__ import annotations

import io
from decimal import Decimal

from calc.form8949 import Form8949, ScheduleD
from conversations.files.render.csv_cells import SafeWriter
from conversations.files.render.money import form_day

COLUMNS = [
    "Part",
    "Box",
    "(a) Description of property",
    "(b) Date acquired",
    "(c) Date sold",
    "(d) Proceeds",
    "(e) Cost or other basis",
    "(f) Code",
    "(g) Adjustment",
    "(h) Gain or (loss)",
]
PART_NAMES = {"short": "I short-term", "long": "II long-term"}


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def form_csv(form: Form8949, schedule: ScheduleD) -> bytes:
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for part in form.parts:
        name = PART_NAMES[part.term]
        for r in part.rows:
            writer.writerow(
                [
                    name,
                    part.box,
                    r.description,
                    form_day(r.acquired),
                    form_day(r.sold),
                    _amount(r.proceeds),
                    _amount(r.basis),
                    r.code,
                    _amount(r.adjustment) if r.adjustment else "",
                    _amount(r.gain),
                ]
            )
    for part in form.parts:
        t = part.totals
        writer.writerow(
            [
                f"Total Part {PART_NAMES[part.term]} (line 2)",
                part.box,
                "",
                "",
                "",
                _amount(t.proceeds),
                _amount(t.basis),
                "",
                _amount(t.adjustment),
                _amount(t.gain),
            ]
        )
    writer.writerow([])
    writer.writerow([f"Schedule D {schedule.year} line", "Description", "Amount"])
    for line in schedule.lines:
        writer.writerow([line.line, line.label, _amount(line.amount)])
    return out.getvalue().encode()
