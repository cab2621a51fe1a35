"""Reads the phrasing tables (tuned.tsv, heldout*.tsv) and compares a Reading with a row's expectation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from conversations.understanding.reading import Reading

HERE = Path(__file__).parent
TODAY = date(2026, 11, 23)  # a Monday; "last Friday" is 2026-11-20
FIELDS = ("intent", "symbol", "shares", "dollars", "price", "fees", "date", "account", "kind", "strike", "fmv",
          "topic", "year", "command", "company", "unsure")  # fmt: skip
DECIMALS = {"dollars", "price", "fees", "strike", "fmv"}
PORTION = re.compile(r"all|half|\d+/\d+")  # shares=all, shares=half, shares=1/3: a part of the position held


@dataclass(frozen=True)
class Row:
    locale: str
    text: str
    expected: dict[str, str]
    line: int

    def __str__(self) -> str:
        return f"{self.locale} {self.text!r}"


def rows(name: str) -> list[Row]:
    out = []
    for number, line in enumerate((HERE / name).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        locale, text, expected = line.split("\t")
        pairs = re.split(r"\s+(?=\w+=)", expected.strip())
        out.append(Row(locale, text, dict(p.split("=", 1) for p in pairs), number))
    return out


def actual(reading: Reading) -> dict[str, str]:
    """The reading in the table's terms: only the fields it set."""
    seen: dict[str, str] = {}
    for name in FIELDS:
        if name == "shares":
            value: object = reading.portion or reading.shares
        elif name == "company":
            value = "yes" if reading.company else None
        else:
            value = getattr(reading, name)
        if value is None:
            continue
        if isinstance(value, Decimal):
            value = _plain(value)
        elif isinstance(value, date):
            value = value.isoformat()
        seen[name] = str(value)
    return seen


def expected(row: Row) -> dict[str, str]:
    return {k: _plain(Decimal(v)) if k in DECIMALS or (k == "shares" and not PORTION.fullmatch(v)) else v
            for k, v in row.expected.items()}  # fmt: skip


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
