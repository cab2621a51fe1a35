"""Broker CSV import: detect the format from the header, read rows into trades, report what can't be read.

One module per format, each with `NAME`, `detect(header)` and `read(rows)`; FORMATS lists them.
Trade ids come from the row's content, so importing the same file twice adds nothing twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from calc.models import Trade
from conversations.importers import fidelity, generic, ibkr, robinhood, schwab
from conversations.importers.common import Problem, Row

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
FORMATS = [generic, schwab, fidelity, robinhood, ibkr]


class ImportError_(ValueError):
    """The file as a whole can't be imported; the message says why."""


@dataclass
class ImportPreview:
    format: str
    trades: list[Trade] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0  # rows that aren't trades (dividends, transfers, totals)

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


def read_csv(name: str, content: bytes) -> ImportPreview:
    if len(content) > MAX_BYTES:
        raise ImportError_(
            f"{name} is {len(content) / 1024 / 1024:.1f} MB; I take files up to {MAX_BYTES // 1024 // 1024} MB."
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) > MAX_ROWS:
        raise ImportError_(
            f"{name} has {len(rows):,} rows; I take up to {MAX_ROWS:,} at a time. Split it and send the parts."
        )
    for index, header in enumerate(rows[:30]):
        cells = [c.strip() for c in header]
        for fmt in FORMATS:
            if fmt.detect(cells):
                return _read(fmt, cells, rows[index + 1 :], index + 2)
    raise ImportError_(
        f"I don't recognise the columns in {name}. I read Schwab, Fidelity, Robinhood and Interactive Brokers exports, "
        "or a simple CSV with the columns date, side, symbol, quantity, price, fees."
    )


def _read(fmt, header: list[str], rows: list[list[str]], first_line: int) -> ImportPreview:
    preview = ImportPreview(format=fmt.NAME)
    seen: Counter[str] = Counter()
    for offset, cells in enumerate(rows):
        line = first_line + offset
        if not any(c.strip() for c in cells):
            continue
        result = fmt.read(Row(header, cells, line))
        if result is None:
            preview.skipped += 1
        elif isinstance(result, Problem):
            preview.problems.append(result)
        else:
            key = (
                f"{fmt.NAME}|{result.date}|{result.side}|{result.symbol}|{result.quantity}|{result.price}|{result.fees}"
            )
            seen[key] += 1
            digest = hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()[:16]
            preview.trades.append(result.model_copy(update={"id": f"I{digest}"}))
    return preview
