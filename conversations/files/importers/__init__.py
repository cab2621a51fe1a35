"""Broker CSV import: detect the format from the header, read rows into trades, report what can't be read.

One module per format, each with `NAME`, `detect(header)` and `read(row)` (and optionally
`keep(rows)` to choose among rows that describe the same trade); FORMATS lists them, in the
order they are tried. Trade ids come from the row's content, so importing the same file
twice adds nothing twice (and two identical fills in one file stay two trades).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import ModuleType

from calc.models import Trade
from conversations.files.importers import fidelity, generic, ibkr, robinhood, schwab
from conversations.files.importers.common import Problem, Row, Skip

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
FORMATS: tuple[ModuleType, ...] = (generic, schwab, fidelity, robinhood, ibkr)
OLDEST = date(1970, 1, 1)

__all__ = ["FORMATS", "MAX_BYTES", "MAX_ROWS", "ImportError_", "ImportPreview", "Problem", "read_csv"]


class ImportError_(ValueError):
    """The file as a whole can't be imported; the message says why and what to do."""


@dataclass
class ImportPreview:
    format: str
    trades: list[Trade] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)  # reason -> rows deliberately not imported

    @property
    def skipped(self) -> int:
        return sum(self.left_out.values())

    @property
    def buys(self) -> int:
        return sum(1 for t in self.trades if t.side == "buy")

    @property
    def sells(self) -> int:
        return sum(1 for t in self.trades if t.side == "sell")

    @property
    def first(self) -> date | None:
        return min((t.date for t in self.trades), default=None)

    @property
    def last(self) -> date | None:
        return max((t.date for t in self.trades), default=None)

    @property
    def symbols(self) -> list[str]:
        return sorted({t.symbol for t in self.trades})


def read_csv(name: str, content: bytes, today: date | None = None) -> ImportPreview:
    """Read a broker export. Raises ImportError_ when the file as a whole can't be used;
    rows that can't be read become `problems`, each with its line number and reason."""
    if len(content) > MAX_BYTES:
        raise ImportError_(
            f"{name} is {len(content) / 1024 / 1024:.1f} MB; I take files up to {MAX_BYTES // 1024 // 1024} MB. "
            "Export a shorter date range and send the parts one by one."
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:  # NUL bytes, runaway fields: a binary file or a spreadsheet
        raise ImportError_(
            f"{name} isn't a CSV file I can read. Export your history from your broker as CSV."
        ) from None
    if len(rows) > MAX_ROWS + 1:
        raise ImportError_(
            f"{name} has {len(rows) - 1:,} rows; I take up to {MAX_ROWS:,} at a time. "
            "Export a shorter date range and send the parts one by one."
        )
    for index, cells in enumerate(rows):
        header = [c.strip() for c in cells]
        for fmt in FORMATS:
            if fmt.detect(header):
                return _read(fmt, header, rows[index + 1 :], index + 2, today)
    raise ImportError_(
        f"I don't recognise the columns in {name}. I read Charles Schwab transaction history, Fidelity account "
        "history, Robinhood activity reports and Interactive Brokers trades (activity statement or Flex query), "
        "or a simple CSV whose first row is: date,side,symbol,quantity,price,fees"
    )


def _read(
    fmt: ModuleType, header: list[str], rows: list[list[str]], first_line: int, today: date | None
) -> ImportPreview:
    table: list[Row] = []
    for offset, cells in enumerate(rows):
        stripped = [c.strip() for c in cells]
        if sum(1 for c in stripped if c) < 2:
            continue  # blank lines, notes and disclaimers
        if fmt.detect(stripped):
            header = stripped  # a repeated header: a new section or account
            continue
        table.append(Row(header, cells, first_line + offset))
    if hasattr(fmt, "keep"):
        table = fmt.keep(table)
    preview = ImportPreview(format=fmt.NAME)
    seen: Counter[str] = Counter()
    latest = (today or date.today()) + timedelta(days=1)  # a day's grace for time zones
    for row in table:
        result = fmt.read(row)
        if result is None:
            continue
        if isinstance(result, Skip):
            preview.left_out[result.reason] += 1
        elif isinstance(result, Problem):
            preview.problems.append(result)
        elif result.date > latest or result.date < OLDEST:
            preview.problems.append(
                Problem(
                    row.line,
                    f"the date {result.date.isoformat()} is in the future"
                    if result.date > latest
                    else f"the date {result.date.isoformat()} is too early",
                )
            )
        else:
            preview.trades.append(_with_id(fmt.NAME, result, seen))
    return preview


def _with_id(source: str, t: Trade, seen: Counter[str]) -> Trade:
    """The id is a digest of what the row says, numbered among identical rows of the file."""
    key = f"{source}|{t.account or ''}|{t.date}|{t.side}|{t.symbol}|{t.quantity.normalize()}|{t.price.normalize()}|{t.fees.normalize()}"
    seen[key] += 1
    digest = hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()[:16]
    return t.model_copy(update={"id": f"I{digest}"})
