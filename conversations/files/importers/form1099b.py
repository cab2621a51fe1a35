"""A Form 1099-B as CSV: one line per sale, columns named after the form's boxes.

  Description,Date Acquired,Date Sold,Proceeds,Cost Basis,Wash Sale Loss Disallowed,Term,Box
"Description" is box 1a ("100 sh. XYZ"; a Symbol and a Quantity column may be given instead);
"Date Acquired" may be "Various"; an empty Cost Basis is basis not reported to the IRS; Term is
short or long; Box is the Form 8949 box (A, B, D, E). Optional: Account.
"""

from __future__ import annotations

import re

from conversations.files.importers.basis import sale
from conversations.files.importers.common import Result, Row

NAME = "Form 1099-B"
TITLE = "a Form 1099-B"
DATE_COLUMNS = ("date sold",)
SIGNATURE = {"description", "symbol", "quantity", "date acquired", "date sold", "proceeds", "cost basis",
             "wash sale loss disallowed", "term", "box"}  # fmt: skip
REQUIRED = (("description", "symbol"), ("date acquired",), ("date sold",), ("proceeds",), ("cost basis",))
_SHARES = re.compile(r"^\s*([\d,.]+)\s")


def detect(header: list[str]) -> bool:
    names = {h.lower() for h in header}
    return {"date acquired", "date sold", "proceeds", "cost basis"} <= names and bool({"description", "symbol"} & names)


def read(row: Row) -> Result:
    if not row.get("date sold")[:1].isdigit():
        return None  # totals and notes
    description = row.get("description")
    shares = _SHARES.match(description)
    return sale(
        row,
        row.get("symbol") or description,
        row.get("quantity") or (shares[1] if shares else ""),
        row.get("date acquired"),
        row.get("date sold"),
        row.get("proceeds"),
        row.get("cost basis"),
        disallowed=row.get("wash sale loss disallowed"),
        term=row.get("term"),
        box=row.get("box"),
        account=row.get("account"),
    )
