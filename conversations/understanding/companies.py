"""Company names to tickers, offline: companies.tsv (generated from pytickersymbols) plus the
names people use that the index data doesn't (Google, Facebook). A name is a guess: the chat
always shows the ticker it picked and asks before saving."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

TABLE = Path(__file__).with_name("companies.tsv")
FUNDS = Path(__file__).with_name("funds.tsv")  # well-known ETFs: tickers only, never guessed from a name
# Everyday names the index data spells differently; each maps to the class most people hold.
NICKNAMES = {
    "google": "GOOGL",
    "alphabet": "GOOGL",
    "facebook": "META",
    "meta": "META",
    "berkshire": "BRK.B",
    "coca cola": "KO",
    "coke": "KO",
    "disney": "DIS",
    "ford": "F",
    "costco": "COST",
    "nvidia": "NVDA",
}
_SUFFIXES = re.compile(
    r"\b(the|inc|incorporated|corp|corporation|company|co|plc|ltd|holdings?|group|class [ab]|\.com|com)\b"
)


def normalize(name: str) -> str:
    name = name.lower().replace("&", " and ").replace("-", " ").replace(".com", " ")
    name = re.sub(r"[^a-z0-9 ]", " ", name)
    return " ".join(_SUFFIXES.sub(" ", name).split())


@lru_cache(maxsize=1)
def table() -> tuple[dict[str, str], dict[str, str]]:
    """(normalized name -> symbol, symbol -> display name)."""
    by_name: dict[str, str] = {}
    names: dict[str, str] = {}
    for symbol, name in _rows(TABLE):
        names[symbol] = name
        by_name.setdefault(normalize(name), symbol)
    for nickname, symbol in NICKNAMES.items():
        by_name[nickname] = symbol
    for symbol, name in _rows(FUNDS):  # a fund's name ("Vanguard ...") is too alike its siblings' to guess from
        names.setdefault(symbol, name)
    return by_name, names


def _rows(path: Path) -> list[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(s, n) for s, n in (line.split("\t") for line in lines if line and not line.startswith("#"))]


def tickers() -> frozenset[str]:
    return _tickers()


@lru_cache(maxsize=1)
def _tickers() -> frozenset[str]:
    return frozenset(table()[1])


def name_of(symbol: str) -> str | None:
    return table()[1].get(symbol)


def lookup(words: str) -> str | None:
    """The ticker for a company name ("apple", "Coca-Cola", "Microsfot"), or None.

    Exact names and nicknames first, then a close spelling (rapidfuzz, 88 of 100 or better, so
    "Microsfot" is Microsoft but "Metal" isn't Meta).
    """
    key = normalize(words)
    if len(key) < 3:
        return None
    by_name, _ = table()
    if key in by_name:
        return by_name[key]
    first_words = _first_words()
    if key in first_words:
        return first_words[key]
    best = process.extractOne(key, list(by_name), scorer=fuzz.ratio, score_cutoff=88)
    return by_name[best[0]] if best else None


@lru_cache(maxsize=1)
def _first_words() -> dict[str, str]:
    """A company called by the first word of its name ("Netflix" for "Netflix, Inc."), when no
    other company's name starts with that word."""
    by_name, _ = table()
    counts: dict[str, list[str]] = {}
    for name, symbol in by_name.items():
        counts.setdefault(name.split()[0], []).append(symbol)
    return {word: symbols[0] for word, symbols in counts.items() if len(set(symbols)) == 1 and len(word) >= 4}
