"""Import, Form 8949 and charts: reading a 20,000-row broker CSV, rendering the form for
2,000 sales (CSV and PDF), and drawing each chart. Seeded synthetic data, one process."""

from __future__ import annotations

import random
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from calc import book
from calc.form8949 import form_8949, schedule_d
from conversations.files.importers import MAX_ROWS, read_csv
from conversations.files.render.charts import gains_by_month, lot_timeline
from conversations.files.render.form8949_csv import form_csv
from conversations.files.render.form8949_pdf import form_pdf

SALES = 2_000


def schwab_csv(rows: int, rng: random.Random) -> bytes:
    """A Schwab export: each symbol bought, then sold within the file (newest first, as Schwab lists)."""
    lines = []
    for i in range(rows // 2):
        bought = date(2023, 1, 3) + timedelta(days=rng.randint(0, 500))
        sold = bought + timedelta(days=rng.randint(1, 600))
        quantity, price = rng.randint(1, 500), rng.randint(500, 50_000) / 100
        symbol = f"S{i % 400}X"
        lines.append((sold, f'"{sold:%m/%d/%Y}","Sell","{symbol}","CO","{quantity}","${price * 1.1:,.2f}","$0.05",""'))
        lines.append((bought, f'"{bought:%m/%d/%Y}","Buy","{symbol}","CO","{quantity}","${price:,.2f}","",""'))
    lines.sort(key=lambda item: item[0], reverse=True)
    header = '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"'
    return "\n".join([header, *(text for _, text in lines)]).encode()


def timed(what: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = what()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    rng = random.Random(8949)
    content = schwab_csv(MAX_ROWS, rng)
    seconds, preview = timed(lambda: read_csv("schwab.csv", content, today=date(2026, 11, 23)))
    tracemalloc.start()
    read_csv("schwab.csv", content, today=date(2026, 11, 23))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = [
        (
            f"import {MAX_ROWS:,}-row Schwab CSV",
            seconds,
            f"{len(preview.trades) / seconds:,.0f} rows/s, peak {peak / 2**20:.0f} MiB",
        )
    ]

    ledger = book(preview.trades)
    years = Counter(d.sold.year for d in ledger.dispositions)
    year = years.most_common(1)[0][0]
    dispositions = [d for d in ledger.dispositions if d.sold.year == year][:SALES]
    form = form_8949(dispositions, year)
    sched = schedule_d(form)
    count = len(form.short.rows) + len(form.long.rows)
    seconds, csv_bytes = timed(lambda: form_csv(form, sched))
    rows.append((f"Form 8949 CSV, {count:,} rows", seconds, f"{len(csv_bytes) / 1024:,.0f} KiB"))
    form_pdf(form_8949([], year), schedule_d(form_8949([], year)))  # import fpdf2 outside the timing
    seconds, pdf = timed(lambda: form_pdf(form, sched), repeat=1)
    pages = pdf.count(b"/Type /Page\n")
    rows.append((f"Form 8949 PDF, {count:,} rows", seconds, f"{pages} pages, {len(pdf) / 1024:,.0f} KiB"))
    small = form_8949(dispositions[:20], year)
    seconds, _ = timed(lambda: form_pdf(small, schedule_d(small)))
    rows.append(("Form 8949 PDF, 20 rows", seconds, ""))

    start = time.perf_counter()
    gains_by_month(ledger.dispositions, year)
    rows.append(("first chart (imports matplotlib)", time.perf_counter() - start, ""))
    seconds, (png, _) = timed(lambda: gains_by_month(ledger.dispositions, year))
    rows.append(("gains-by-month chart", seconds, f"{len(png) / 1024:,.0f} KiB PNG"))
    held = book([t for t in preview.trades if t.side == "buy"]).lots
    seconds, (png, _) = timed(lambda: lot_timeline(held, date(2026, 11, 23)))
    rows.append(
        (
            f"lot timeline ({min(25, len(held))} of {len(held):,} lots)",
            seconds,
            f"{len(png) / 1024:,.0f} KiB PNG",
        )
    )

    print(f"{'what':<44} {'seconds':>8}  notes")
    for what, secs, notes in rows:
        print(f"{what:<44} {secs:>8.3f}  {notes}")


if __name__ == "__main__":
    main()
