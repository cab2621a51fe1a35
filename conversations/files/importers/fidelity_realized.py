"""Fidelity realized gain/loss (Closed Positions > Download: Realized_Gain_Loss_Account_X....csv).

  Symbol(CUSIP),Security Description,Quantity,Date Acquired,Date Sold,Proceeds,Cost Basis,
  Short Term Gain/Loss,Long Term Gain/Loss
symbols like "VEA(921943858)", amounts with a trailing space ("$12.00 "); the term is the column
the gain is in.
"""

from __future__ import annotations

from conversations.files.importers.basis import sale
from conversations.files.importers.common import Result, Row

NAME = "Fidelity realized gain/loss"
TITLE = "a Fidelity realized gain/loss report"
DATE_COLUMNS = ("date sold",)
SIGNATURE = {"symbol(cusip)", "security description", "quantity", "date acquired", "date sold", "proceeds",
             "cost basis", "short term gain/loss", "long term gain/loss"}  # fmt: skip
REQUIRED = (("symbol(cusip)",), ("quantity",), ("date acquired",), ("date sold",), ("proceeds",), ("cost basis",))


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return {"symbol(cusip)", "date acquired", "date sold", "proceeds", "cost basis"} <= names


def read(row: Row) -> Result:
    if not row.get("date sold")[:1].isdigit():
        return None  # totals and notes
    term = "long" if row.get("long term gain/loss") else "short" if row.get("short term gain/loss") else ""
    return sale(
        row,
        row.get("symbol(cusip)"),
        row.get("quantity"),
        row.get("date acquired"),
        row.get("date sold"),
        row.get("proceeds"),
        row.get("cost basis"),
        term=term,
    )
