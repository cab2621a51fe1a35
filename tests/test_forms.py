"""Broker CSV import, Form 8949 export and charts."""

from __future__ import annotations

import struct
import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path

from calc import book
from calc.form8949 import form_8949, schedule_d_lines
from calc.netting import summarize_year
from conversations.charts import gains_by_month, lot_timeline
from conversations.forms import form_csv, form_pdf
from tests.chat import Chat
from tests.ledger import ledger

FIXTURES = Path(__file__).parent / "fixtures" / "brokers"
D = Decimal


def test_form_8949_rows_totals_and_schedule_d() -> None:
    led = book(
        ledger("""
        2024-01-10 buy  100 XYZ 20
        2024-12-01 sell 100 XYZ 15
        2024-12-15 buy  75 XYZ 14
        2022-01-03 buy  10 ABC 100
        2024-06-03 sell 10 ABC 150
        """)
    )
    form = form_8949(led.dispositions, 2024)
    (w,) = form.short.rows
    assert (w.description, w.code, w.adjustment, w.gain) == ("100 sh. XYZ", "W", D(375), D(-125))
    assert form.short.totals == (D(1500), D(2000), D(375), D(-125))
    assert form.long.totals == (D(1500), D(1000), D(0), D(500))
    lines = dict((line, amount) for line, _, amount in schedule_d_lines(form, summarize_year(led.dispositions, 2024)))
    assert lines["7"] == -125 and lines["15"] == 500 and lines["16"] == 375 and "21" not in lines
    csv_text = form_csv(form, list(schedule_d_lines(form, summarize_year(led.dispositions, 2024)))).decode()
    assert "100 sh. XYZ,01/10/2024,12/01/2024,1500.00,2000.00,W,375.00,-125.00" in csv_text


def test_form_8949_pdf_has_rows_and_totals() -> None:
    led = book(ledger("2024-01-10 buy 100 XYZ 20\n2024-12-01 sell 100 XYZ 15\n2024-12-15 buy 75 XYZ 14"))
    form = form_8949(led.dispositions, 2024)
    pdf = form_pdf(form, schedule_d_lines(form, summarize_year(led.dispositions, 2024)))
    assert pdf.startswith(b"%PDF")
    text = b"".join(zlib.decompress(s) for s in _streams(pdf))
    # PDF strings escape parentheses.
    for expected in (
        b"Form 8949 \\(2024\\)",
        b"100 sh. XYZ",
        b"\\(125.00\\)",
        b"375.00",
        b"Schedule D \\(2024\\)",
        b"Line 21",
    ):
        assert expected in text


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for chunk in pdf.split(b"stream\n")[1:]:
        body = chunk.split(b"\nendstream")[0]
        try:
            zlib.decompress(body)
            out.append(body)
        except zlib.error:
            continue
    return out


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_gains_chart_plots_the_right_months() -> None:
    led = book(
        ledger(
            "2024-01-10 buy 100 XYZ 20\n2024-12-01 sell 100 XYZ 15\n2022-01-03 buy 10 ABC 100\n2024-06-03 sell 10 ABC 150"
        )
    )
    png, data = gains_by_month(led.dispositions, 2024)
    assert data["short"][11] == -500 and data["long"][5] == 500
    assert sum(data["short"]) == -500 and sum(data["long"]) == 500
    assert _png_size(png) == (800, 400)


def test_lot_timeline_plots_each_lot() -> None:
    led = book(ledger("2024-01-10 buy 100 XYZ 20\n2026-03-03 buy 5 ABC 100"))
    png, rows = lot_timeline(led.lots, date(2026, 11, 23))
    assert rows == [("XYZ 100", date(2024, 1, 10), date(2025, 1, 11)), ("ABC 5", date(2026, 3, 3), date(2027, 3, 4))]
    assert _png_size(png)[0] == 800


def test_gains_and_portfolio_send_pictures(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/sell 5 XYZ 25 2024-03-01")
    chat.send("/gains 2024")
    chat.tap("Chart by month")
    assert [(f.kind, f.name) for f in chat.last[0].files] == [("photo", "gains-2024.png")]
    chat.send("/portfolio")
    chat.tap("Chart: when lots")
    assert chat.last[0].files[0].name == "lots.png"
    chat.send("/form8949 2024")
    assert [f.name for f in chat.last[0].files] == ["form8949-2024.csv", "form8949-2024.pdf"]
