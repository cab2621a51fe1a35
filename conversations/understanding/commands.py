"""Commands with typos: "/sel" is most likely /sell. rapidfuzz picks the closest known command."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

# Spellings people use for a command that aren't typos of it.
ALIASES = {"what-if": "whatif", "what_if": "whatif", "bye": "buy", "8949": "form8949", "trade": "trades"}


def closest(name: str, known: Iterable[str]) -> str | None:
    """The command a mistyped name most likely meant, or None when none is close."""
    name = name.lower()
    commands = list(known)
    if name in ALIASES and ALIASES[name] in commands:
        return ALIASES[name]
    if not name:
        return None
    prefixed = [c for c in commands if c.startswith(name) and len(name) >= 2]
    if len(prefixed) == 1:
        return prefixed[0]
    best = process.extractOne(name, commands, scorer=fuzz.ratio, score_cutoff=60)
    return best[0] if best else None
