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
    "income",
    "filing",
    "carryover",
    "unknown",
]
# A part of the position held: "all", "half", or a fraction "1/3", "2/3", "1/4" (see vocabulary.FRACTIONS).
Portion = str


@dataclass(frozen=True)
class Reading:
    """One interpretation of a message.

    Fields the message didn't give are None. Income, filing status and carryover statements ("my
    salary is 95k", "we file jointly", "I carried over 5,000 of losses") read as intents of their own,
    with the amount in `dollars` and the field, status or character in `kind`. `company` is set when the symbol came from a
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
    # nso / iso for an exercise; the income field (wages, interest, ordinary_dividends, ...); the filing
    # status (single, mfj, mfs, hoh, qss); short / long for a carryover
    kind: str | None = None
    strike: Decimal | None = None
    fmv: Decimal | None = None
    topic: str | None = None
    year: int | None = None  # a question's year; for a carryover, the year it is carried into
    per: int | None = None  # income said by the period ("8k a month"): periods in a year; `dollars` is the year's
    command: str | None = None  # the command meant (a typo's closest match)
    unsure: str | None = None
    problem: str | None = None

    @property
    def guessed(self) -> bool:
        """Whether saving this needs the user's yes: a company name, a dollar amount, a portion,
        a number read one of two ways, or a date the message didn't give."""
        return bool(self.company or self.dollars or self.portion or self.unsure or self.date is None)
