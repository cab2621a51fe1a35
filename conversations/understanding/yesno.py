"""A typed yes or no ("ok", "yes please", "nope"): the answer to a Save / Change question, and never
a ticker at a "which stock?" question."""

from __future__ import annotations

import re

YES = {"yes", "y", "save", "ok", "okay", "yep", "yeah", "sure", "correct", "right", "confirm", "ja"}
NO = {"no", "n", "change", "nope", "nah", "wrong", "cancel", "nein"}
POLITE = {"it", "please", "that", "thanks", "pls"}  # "yes please", "save it", "no thanks"


def yes_or_no(text: str) -> bool | None:
    """True for yes ("Save", "yes please"), False for no ("change it", "nope"), None for anything else."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words or len(words) > 3 or any(w not in YES | NO | POLITE for w in words):
        return None
    said = {w for w in words if w not in POLITE}
    if said and said <= YES:
        return True
    return False if said and said <= NO else None
