"""What the understanding layer made of a message: one Reading, plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

Intent = Literal[
    "buy",
    "sell",
    "whatif",
    "exercise",
    "vest",
    "price",
    "question",
    "greeting",
    "help",
    "undo",
    "thanks",
    "command",
    "unknown",
]
Portion = Literal["all", "half"]


@dataclass(frozen=True)
class Reading:
    """One interpretation of a message.

    Fields the message didn't give are None. `company` is set when the symbol came from a
    company name (a guess the user confirms); `unsure` names a number the user's locale reads
    two ways ("1,500" from a German user); `problem` is a message for the user when part of the
    text was recognisably wrong (a date in the future).
    """

    intent: Intent
    symbol: str | None = None
    company: str | None = None
    shares: Decimal | None = None
    portion: Portion | None = None
    dollars: Decimal | None = None
    price: Decimal | None = None
    fees: Decimal | None = None
    date: date | None = None
    account: str | None = None
    kind: str | None = None  # nso / iso for an exercise
    strike: Decimal | None = None
    fmv: Decimal | None = None
    topic: str | None = None
    year: int | None = None
    command: str | None = None  # the command meant (a typo's closest match)
    unsure: str | None = None
    problem: str | None = None

    @property
    def guessed(self) -> bool:
        """Whether saving this needs the user's yes: a company name, a dollar amount, a portion,
        a number read one of two ways, or a date the message didn't give."""
        return bool(self.company or self.dollars or self.portion or self.unsure or self.date is None)
