"""Form 8949 and a Schedule D summary as a PDF laid out like the IRS form (fpdf2).

Each page carries the form's header, the part's title and box checkboxes; the table of
columns (a)-(h) repeats its headings on continuation pages; line 2 totals close each part;
a last page summarises Schedule D. Letter portrait, as the form is printed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from calc.form8949 import BOX_MEANING, Form8949, Part, ScheduleD
from conversations.files.render.money import form_day, form_money
from conversations.formatting import STATUS_NAMES

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

COLUMN_HEADINGS = (
    "(a)\nDescription of property\n(Example: 100 sh. XYZ Co.)",
    "(b)\nDate acquired\n(Mo., day, yr.)",
    "(c)\nDate sold or disposed of\n(Mo., day, yr.)",
    "(d)\nProceeds\n(sales price)",
    "(e)\nCost or other basis",
    "(f)\nCode",
    "(g)\nAmount of adjustment",
    "(h)\nGain or (loss): (d) minus (e), combined with (g)",
)
WIDTHS = (42, 20, 22, 24, 24, 12, 22, 29)  # 195 mm: Letter less 10 mm margins
ALIGN = ("LEFT", "CENTER", "CENTER", "RIGHT", "RIGHT", "CENTER", "RIGHT", "RIGHT")
PART_TITLE = {
    "short": (
        "Part I  Short-Term. Transactions involving capital assets you held 1 year or less are generally short-term."
    ),
    "long": (
        "Part II  Long-Term. Transactions involving capital assets you held more than 1 year are generally long-term."
    ),
}
DISCLAIMER = (
    "An estimate prepared from the trades you entered or imported; not tax advice. Compare every row with "
    "your Form 1099-B and check the box that matches it before filing."
)


def form_pdf(form: Form8949, schedule: ScheduleD, made: datetime | None = None) -> bytes:
    """The PDF; stamped `made` (the message's time) so the same data and message give the same bytes."""
    pdf = _document(form.year)
    if made is not None:
        pdf.set_creation_date(made)
    for part in form.parts:
        _part(pdf, part)
    _schedule_d(pdf, schedule)
    return bytes(pdf.output())


def _document(year: int) -> FPDF:
    from fpdf import FPDF

    class FormPDF(FPDF):
        part: Part | None = None
        part_first_page = 0

        def header(self) -> None:
            if self.part is None:
                return  # the Schedule D page has its own title
            self.set_font("Helvetica", style="B", size=14)
            self.cell(22, 7, "Form 8949")
            self.set_font("Helvetica", style="B", size=11)
            self.cell(130, 7, "Sales and Other Dispositions of Capital Assets", align="C")
            self.set_font("Helvetica", style="B", size=14)
            self.cell(0, 7, str(year), align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_font("Helvetica", size=7)
            self.cell(
                0,
                4,
                "Attach to your Schedule D to list your transactions for lines 1b, 2, 3, 8b, 9, and 10 of Schedule D.",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            self.cell(150, 6, "Name(s) shown on return", border=1)
            self.cell(0, 6, "Social security number", border=1, new_x="LMARGIN", new_y="NEXT")
            _part_heading(self, self.part, continued=self.page_no() > self.part_first_page)
            _column_headings(self)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=7)
            self.cell(
                0, 5, f"Form 8949 and Schedule D ({year}), page {self.page_no()} of {{nb}}  -  an estimate", align="C"
            )

    pdf = FormPDF(orientation="P", unit="mm", format="Letter")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_title(f"Form 8949 ({year})")
    return pdf


def _part_heading(pdf: FPDF, part: Part, continued: bool) -> None:
    pdf.ln(2)
    pdf.set_font("Helvetica", style="B", size=9)
    pdf.set_fill_color(225, 225, 225)
    title = PART_TITLE[part.term] + ("  (continued)" if continued else "")
    pdf.multi_cell(0, 5, title, fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    boxes = ("A", "B", "C") if part.term == "short" else ("D", "E", "F")
    for box, meaning in zip(boxes, BOX_MEANING.values(), strict=True):
        mark = "X" if box == part.box else " "
        pdf.cell(5, 4.5, mark, border=1, align="C")
        pdf.cell(0, 4.5, f" ({box}) {'Short' if part.term == 'short' else 'Long'}-term transactions {meaning}")
        pdf.ln(5)
    pdf.ln(1)


def _part(pdf: FPDF, part: Part) -> None:
    """The part's rows as single-line cells (a table of wrapping cells costs ten times more for
    a heavy trader's thousands of rows); the page header redraws the headings on each new page."""
    pdf.part = part  # type: ignore[attr-defined]  # the header of each page of this part shows it
    pdf.part_first_page = pdf.page_no() + 1  # type: ignore[attr-defined]
    pdf.add_page()
    rows = [
        (
            r.description,
            form_day(r.acquired),
            form_day(r.sold),
            form_money(r.proceeds),
            form_money(r.basis),
            r.code,
            form_money(r.adjustment) if r.adjustment else "",
            form_money(r.gain),
        )
        for r in part.rows
    ] or [("(no transactions)", "", "", "", "", "", "", "")]
    for cells in rows:
        if pdf.will_page_break(ROW_HEIGHT * 2):  # keep room for the totals under the last row
            pdf.add_page()
        _row(pdf, cells)
    t = part.totals
    pdf.set_font("Helvetica", style="B", size=8)
    pdf.set_fill_color(235, 235, 235)
    pdf.cell(
        sum(WIDTHS[:3]),
        ROW_HEIGHT + 1,
        "2  Totals. Add the amounts in columns (d), (e), (g), and (h)",
        border=1,
        fill=True,
    )
    totals = (
        form_money(t.proceeds),
        form_money(t.basis),
        "",
        form_money(t.adjustment) if t.adjustment else "",
        form_money(t.gain),
    )
    for width, text in zip(WIDTHS[3:], totals, strict=True):
        pdf.cell(width, ROW_HEIGHT + 1, text, border=1, align="R", fill=True)
    pdf.ln(ROW_HEIGHT + 1)
    pdf.set_font("Helvetica", size=7)
    pdf.ln(1)
    pdf.multi_cell(
        0,
        3.5,
        "Code W: wash sale; the loss not allowed is entered in column (g) as a positive adjustment. "
        f"Include the totals on Schedule D line {'1b, 2 or 3' if part.term == 'short' else '8b, 9 or 10'} "
        f"for the box checked (box {part.box}).",
    )


ROW_HEIGHT = 5.0
HEADING_LINE = 3.2


def _column_headings(pdf: FPDF) -> None:
    """The (a)-(h) heading boxes, each text wrapped inside its column, all the same height."""
    pdf.set_font("Helvetica", style="B", size=7)
    pdf.set_fill_color(235, 235, 235)
    top, x = pdf.get_y(), pdf.l_margin
    height = HEADING_LINE * 5
    for width, text in zip(WIDTHS, COLUMN_HEADINGS, strict=True):
        pdf.rect(x, top, width, height, style="DF")
        lines = cast(list[str], pdf.multi_cell(width, HEADING_LINE, text, align="C", dry_run=True, output="LINES"))
        pdf.set_xy(x, top + (height - HEADING_LINE * len(lines)) / 2)
        pdf.multi_cell(width, HEADING_LINE, text, align="C")
        x += width
    pdf.set_xy(pdf.l_margin, top + height)


def _row(pdf: FPDF, cells: tuple[str, ...]) -> None:
    """One row of boxes and text, drawn directly: fpdf2's cell() costs about ten times more, and a
    heavy trader's form has thousands of rows. A description too long for column (a) is set smaller."""
    pdf.set_font("Helvetica", size=8)
    top, x = pdf.get_y(), pdf.l_margin
    baseline = top + ROW_HEIGHT / 2 + 1.0
    for width, text, align in zip(WIDTHS, cells, ALIGN, strict=True):
        pdf.rect(x, top, width, ROW_HEIGHT)
        if text:
            size = 8.0
            while size > 5 and pdf.get_string_width(text) > width - 2:
                size -= 0.5
                pdf.set_font_size(size)
            text_width = pdf.get_string_width(text)
            left = {"L": x + 1, "C": x + (width - text_width) / 2, "R": x + width - 1 - text_width}[align[0]]
            pdf.text(left, baseline, text)
            if size != 8.0:
                pdf.set_font_size(8)
        x += width
    pdf.set_xy(pdf.l_margin, top + ROW_HEIGHT)


SCHEDULE_D_PARTS = (
    (
        "Part I  Short-Term Capital Gains and Losses - Generally Assets Held One Year or Less",
        ("1b", "2", "3", "6", "7"),
    ),
    (
        "Part II  Long-Term Capital Gains and Losses - Generally Assets Held More Than One Year",
        ("8b", "9", "10", "14", "15"),
    ),
    ("Part III  Summary", ("16", "21")),
)


def _schedule_d(pdf: FPDF, schedule: ScheduleD) -> None:
    pdf.part = None  # type: ignore[attr-defined]
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(70, 8, "SCHEDULE D (Form 1040)")
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(90, 8, "Capital Gains and Losses (summary)", align="C")
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 8, str(schedule.year), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    pdf.cell(0, 5, f"Filing status: {STATUS_NAMES[schedule.filing_status]}", new_x="LMARGIN", new_y="NEXT")
    widths = (12, 79, 26, 26, 24, 28)
    for title, numbers in SCHEDULE_D_PARTS:
        items = [item for item in schedule.lines if item.line in numbers]
        if not items:
            continue
        pdf.ln(2)
        pdf.set_font("Helvetica", style="B", size=9)
        pdf.set_fill_color(225, 225, 225)
        pdf.cell(0, 5, title, fill=True, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=8)
        with pdf.table(
            col_widths=widths,
            width=sum(widths),
            text_align=("CENTER", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
            line_height=4.5,
            headings_style=_bold(),
        ) as table:
            table.row(("Line", "", "(d) Proceeds", "(e) Cost or other basis", "(g) Adjustments", "(h) Gain or (loss)"))
            for item in items:
                t = item.totals
                cells = (
                    (form_money(t.proceeds), form_money(t.basis), form_money(t.adjustment) if t.adjustment else "")
                    if t is not None
                    else ("", "", "")
                )
                table.row((item.line, item.label, *cells, form_money(item.amount)))
    pdf.ln(3)
    pdf.set_font("Helvetica", style="I", size=8)
    pdf.multi_cell(0, 4, DISCLAIMER)


def _bold() -> FontFace:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
