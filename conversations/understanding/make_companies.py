"""Regenerates companies.tsv, the offline company name -> ticker table, from pytickersymbols.

pytickersymbols (MIT, a dev dependency) bundles the members of the large indices with their names.
Run `python -m conversations.understanding.make_companies` after upgrading it; the chat itself reads
only the generated file, so it starts without importing the package.
"""

from __future__ import annotations

from pathlib import Path

INDICES = ("S&P 500", "NASDAQ 100", "DOW JONES", "S&P 100")
OUT = Path(__file__).with_name("companies.tsv")


def rows() -> list[tuple[str, str]]:
    from pytickersymbols import PyTickerSymbols

    seen: dict[str, str] = {}
    tickers = PyTickerSymbols()
    for index in INDICES:
        for stock in tickers.get_stocks_by_index(index):
            symbol, name = stock["symbol"].strip().upper(), " ".join(stock["name"].split())
            if symbol and name:
                seen.setdefault(symbol, name)
    return sorted(seen.items())


def main() -> None:
    lines = ["# symbol\tname  (generated from pytickersymbols by make_companies.py; do not edit by hand)"]
    lines += [f"{symbol}\t{name}" for symbol, name in rows()]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} companies written to {OUT}")


if __name__ == "__main__":
    main()
