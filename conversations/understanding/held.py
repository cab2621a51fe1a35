"""A ticker the user holds, typed in lowercase in a question ("is tsla long term yet", "when does aapl
go long term"). The reader alone can't tell "tsla" from a word; the user's own symbols can. A symbol
that is also everyday English ("key", "cat", "spy": words.txt, see make_words.py) is not guessed:
the chat says how to ask about it instead. Pure: the held symbols come in."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from conversations.understanding import vocabulary as v

WORDS = Path(__file__).with_name("words.txt")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[./-][A-Za-z]{1,2})?")


@dataclass(frozen=True)
class Held:
    symbol: str | None = None  # the ticker read ("tsla" -> TSLA)
    maybe: str | None = None  # a held ticker that is also a word ("key" -> KEY): not read, offered
    word: str = ""  # the word as typed


def held_ticker(text: str, held: Collection[str]) -> Held:
    """The first lowercase word of `text` that is one of the `held` symbols."""
    for word in _WORD.findall(text):
        if not word.islower() or word.upper() not in held or word in v.FILLER:
            continue
        if word in everyday():
            return Held(maybe=word.upper(), word=word)
        return Held(symbol=word.upper(), word=word)
    return Held()


@lru_cache(maxsize=1)
def everyday() -> frozenset[str]:
    lines = WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))
