"""Form 8949 rows and totals, Schedule D lines, and the CSV and PDF they are sent as.

Each ledger's figures are worked by hand in the comments, following the 2024 Instructions for
Form 8949 (columns (a)-(h), code W, line 2 totals) and for Schedule D (lines 1b-21).
"""

from __future__ import annotations

import re
import time
import zlib
from decimal import Decimal
from pathlib import Path

import pytest

from calc import book, summarize_year
from calc.form8949 import Form8949, Totals, form_8949, schedule_d
from conversations.files.render.form8949_csv import form_csv
from conversations.files.render.form8949_pdf import form_pdf
from tests.chat import Chat
from tests.ledger import ledger

D = Decimal

# XYZ: bought 100 at $20 ($2,000), sold at $15 ($1,500): a $500 short-term loss; 75 shares bought back
#   14 days later, so 75/100 of it ($375) is a wash sale: code W, (g) 375, (h) -500 + 375 = -125.
# QQQ: 3 bought at $100, sold at $110 a month later: short-term gain of $30.
# ABC: 10 bought 2022 at $100 plus $5 fees ($1,005), sold 2024 at $150 less $5 ($1,495): long-term $490.
# MSFT: sold in 2023, not on the 2024 form.
LEDGER = """
2022-01-03 buy  10 ABC 100 fees=5
2023-02-01 buy  2 MSFT 250
2023-03-01 sell 2 MSFT 260
2024-01-02 buy  3 QQQ 100
2024-01-10 buy  100 XYZ 20
2024-02-01 sell 3 QQQ 110
2024-06-03 sell 10 ABC 150 fees=5
2024-12-01 sell 100 XYZ 15
2024-12-15 buy  75 XYZ 14
"""


def worked_form(box: str = "A") -> Form8949:
    return form_8949(book(ledger(LEDGER)).dispositions, 2024, box=box)  # type: ignore[arg-type]


def test_rows_in_sale_order_with_code_w() -> None:
    form = worked_form()
    assert [
        (r.description, r.acquired.isoformat(), r.sold.isoformat(), r.proceeds, r.basis, r.code, r.adjustment, r.gain)
        for r in form.short.rows
    ] == [
        ("3 sh. QQQ", "2024-01-02", "2024-02-01", 330, 300, "", 0, 30),
        ("100 sh. XYZ", "2024-01-10", "2024-12-01", 1500, 2000, "W", 375, -125),
    ]
    ((abc),) = form.long.rows
    assert (abc.description, abc.proceeds, abc.basis, abc.code, abc.gain) == ("10 sh. ABC", 1495, 1005, "", 490)


def test_part_totals_line_2() -> None:
    form = worked_form()
    assert form.short.totals == Totals(proceeds=D(1830), basis=D(2300), adjustment=D(375), gain=D(-95))
    assert form.long.totals == Totals(proceeds=D(1495), basis=D(1005), adjustment=D(0), gain=D(490))
    assert (form.short.box, form.long.box) == ("A", "D")


def test_schedule_d_without_carryover() -> None:
    sched = schedule_d(worked_form())
    assert [(line.line, line.amount) for line in sched.lines] == [
        ("1b", D(-95)),
        ("6", D(0)),
        ("7", D(-95)),
        ("8b", D(490)),
        ("14", D(0)),
        ("15", D(490)),
        ("16", D(395)),
    ]  # a net gain: no line 21
    assert sched.lines[0].totals == worked_form().short.totals


@pytest.mark.parametrize(("status", "allowed"), [("single", -3000), ("mfj", -3000), ("mfs", -1500)])
def test_schedule_d_loss_limit_line_21(status: str, allowed: int) -> None:
    # A $4,000 short-term carryover: line 7 = -95 - 4,000 = -4,095; line 16 = -4,095 + 490 = -3,605;
    # line 21 is the smaller of the loss or $3,000 ($1,500 married filing separately).
    sched = schedule_d(worked_form(), carryover_short=D(4000), filing_status=status)  # type: ignore[arg-type]
    assert (sched.amount("6"), sched.amount("7"), sched.amount("16"), sched.amount("21")) == (
        -4000,
        -4095,
        -3605,
        allowed,
    )
    # The engine's own netting agrees line by line.
    summary = summarize_year(book(ledger(LEDGER)).dispositions, 2024, D(4000), D(0), filing_status=status)  # type: ignore[arg-type]
    assert (summary.short_term_net, summary.long_term_net, summary.net) == (D(-4095), D(490), D(-3605))
    assert summary.deductible_loss == -allowed


def test_boxes_choose_the_schedule_d_lines() -> None:
    sched = schedule_d(worked_form("B"))
    assert [line.line for line in sched.lines][:4] == ["2", "6", "7", "9"]
    assert [line.line for line in schedule_d(worked_form("C")).lines if line.totals] == ["3", "10"]


def test_fractional_shares_and_an_empty_year() -> None:
    form = form_8949(book(ledger("2024-01-10 buy 0.5 XYZ 20\n2024-03-01 sell 0.5 XYZ 30")).dispositions, 2024)
    assert form.short.rows[0].description == "0.5 sh. XYZ" and form.short.totals.gain == 5
    empty = form_8949(book(ledger("2024-01-10 buy 1 XYZ 20")).dispositions, 2024)
    assert empty.short.rows == () and empty.long.totals.gain == 0


def test_csv_rows_totals_and_schedule_d() -> None:
    form = worked_form()
    text = form_csv(form, schedule_d(form, carryover_short=D(4000), filing_status="mfs")).decode()
    lines = text.splitlines()
    assert lines[0].startswith("Part,Box,(a) Description of property,(b) Date acquired")
    assert "I short-term,A,100 sh. XYZ,01/10/2024,12/01/2024,1500.00,2000.00,W,375.00,-125.00" in lines
    assert "II long-term,D,10 sh. ABC,01/03/2022,06/03/2024,1495.00,1005.00,,,490.00" in lines
    assert "Total Part I short-term (line 2),A,,,,1830.00,2300.00,,375.00,-95.00" in lines
    assert "Total Part II long-term (line 2),D,,,,1495.00,1005.00,,0.00,490.00" in lines
    assert "16,Combine lines 7 and 15,-3605.00" in lines
    assert any(line.startswith("21,") and line.endswith(",-1500.00") for line in lines)
    assert "MSFT" not in text


def pdf_text(pdf: bytes) -> str:
    """The text drawn on the PDF's pages: fpdf2 compresses each page's content stream with zlib."""
    out = []
    for body in re.findall(rb"stream\n(.*?)\nendstream", pdf, re.DOTALL):
        try:
            out.append(zlib.decompress(body).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out).replace("\\(", "(").replace("\\)", ")")


def test_pdf_shows_the_rows_totals_and_schedule_d() -> None:
    form = worked_form()
    pdf = form_pdf(form, schedule_d(form, carryover_short=D(4000), filing_status="mfs"))
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") == 3  # Part I, Part II, Schedule D
    text = pdf_text(pdf)
    for expected in (
        "Form 8949",
        "Part I  Short-Term",
        "Part II  Long-Term",
        "Description of property",  # column headings (a)-(h), each on lines of its own
        *(f"(({column})) Tj" for column in "abcdefgh"),
        "100 sh. XYZ",
        "01/10/2024",
        "12/01/2024",
        "1,500.00",
        "2,000.00",
        "375.00",
        "(125.00)",
        "1,830.00",  # line 2 totals of Part I
        "2,300.00",
        "(95.00)",
        "10 sh. ABC",
        "490.00",
        "SCHEDULE D (Form 1040)",
        "Married filing separately",
        "(3,605.00)",  # line 16
        "(1,500.00)",  # line 21
    ):
        assert expected in text, expected
    assert "MSFT" not in text


def test_pdf_continues_a_long_part_on_more_pages() -> None:
    trades = "\n".join(
        f"2024-01-{1 + i % 28:02d} buy 1 S{i} 10\n2024-03-{1 + i % 28:02d} sell 1 S{i} 11" for i in range(120)
    )
    form = form_8949(book(ledger(trades)).dispositions, 2024)
    pdf = form_pdf(form, schedule_d(form))
    pages = pdf.count(b"/Type /Page\n")
    assert pages >= 4  # 120 rows of Part I need at least 3 pages, then Part II and Schedule D
    text = pdf_text(pdf)
    assert text.count("Part I  Short-Term. Transactions") == pages - 2 and "(continued)" in text
    assert text.count("Description of property") == pages - 1  # the headings repeat on every page of the form
    assert "120.00" in text  # the total gain: 120 rows of $1


def test_form8949_command_sends_csv_and_pdf(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    for line in ledger_lines():
        chat.send(line)
    text = chat.send("/form8949 2024")
    assert "2 short-term rows" in text and "1 long-term row (" in text and "1 row with code W" in text
    assert "Box A/D" in text and "/form8949 2024 B" in text
    files = chat.last[0].files
    assert [(f.name, f.kind) for f in files] == [("form8949-2024.csv", "document"), ("form8949-2024.pdf", "document")]
    assert b"100 sh. XYZ,01/10/2024,12/01/2024,1500.00,2000.00,W,375.00,-125.00" in files[0].content
    assert files[1].content.startswith(b"%PDF")
    chat.send("/form8949 2024 b")
    assert b"I short-term,B," in chat.last[0].files[0].content
    assert "nothing for Form 8949" in chat.send("/form8949 2025")
    assert "/form8949 2025" in chat.send("/form8949 2024 2025")


def test_form8949_pdf_is_stamped_with_the_message_time_so_the_same_message_gives_the_same_bytes(
    tmp_path: Path,
) -> None:
    chat = Chat(tmp_path / "cgt.db")
    for line in ledger_lines():
        chat.send(line)
    chat.send("/form8949 2024")
    first = chat.last[0].files[1].content
    time.sleep(1.1)  # the clock's stamp has a resolution of a second
    chat.send("/form8949 2024")
    assert chat.last[0].files[1].content == first
    assert chat.now.strftime("/CreationDate (D:%Y%m%d%H%M%S").encode() in first


def ledger_lines() -> list[str]:
    return [
        "/buy 10 ABC 100 2022-01-03",
        "/buy 3 QQQ 100 2024-01-02",
        "/buy 100 XYZ 20 2024-01-10",
        "/sell 3 QQQ 110 2024-02-01",
        "/sell 10 ABC 150 2024-06-03",
        "/sell 100 XYZ 15 2024-12-01",
        "/buy 75 XYZ 14 2024-12-15",
    ]


def test_pdf_sets_a_long_description_smaller_rather_than_cutting_it() -> None:
    form = form_8949(
        book(
            ledger("2024-01-10 buy 12345.678901 ABCDEFGHIJ 20\n2024-03-01 sell 12345.678901 ABCDEFGHIJ 30")
        ).dispositions,
        2024,
    )
    text = pdf_text(form_pdf(form, schedule_d(form)))
    # Set in a size under the rows' 8 points, whole.
    assert re.search(r"/F\d [5-7]\.\d0 Tf ET\nBT [\d.]+ [\d.]+ Td \(12345\.678901 sh\. ABCDEFGHIJ\)", text)
