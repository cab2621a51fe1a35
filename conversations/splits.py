"""Stock splits told in the chat: `/split XYZ 2:1 2024-06-10`, or "XYZ split 2-for-1 on June 10".

A split changes the number of shares, never the basis or the holding period (Publication 550,
Stock Splits): each lot's shares are multiplied by the ratio and its cost per share divided by it.
Cash in lieu of a fractional share is a sale of that fraction. The engine does the booking
(calc.booking); this module reads the line, checks it against what the user held, saves it as
`UserState.splits` (numbered with the trades, "S<n>") and says what it did.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from calc import CalcError, Ledger, Lot, Split
from calc.limits import SPLIT_RATIO
from calc.models import ZERO
from conversations.confirming import undo_button
from conversations.events import Reply
from conversations.formatting import Fmt, error_words, gain_line
from conversations.kernel import Ctx, Outcome, say
from conversations.parsing import InputError, money, short, symbol, trade_date
from conversations.taxview import books_without, held, ledger_as_of, ledger_of

HELP = (
    "Write it like /split XYZ 2:1 2024-06-10 (2 new shares for each old one), /split XYZ 2-for-1 on June 10, "
    "or a reverse split /split XYZ 1:10 2024-06-10; add “cash 12.50” for cash paid in lieu of a fractional share."
)
# "2:1", "2-for-1", "2 for 1", "1 for 10"; not "/" (6/10 is a date).
RATIO = re.compile(r"(?<![\d.,/-])(\d+(?:\.\d+)?)\s*(?::|-?\s*for\s*-?)\s*(\d+(?:\.\d+)?)(?![\d/-])", re.I)
CASH = re.compile(r"\b(?:cash(?:\s+in\s+lieu)?|cil)\s*(?:of\s+)?(?P<amount>\$?\s*[\d.,]+)", re.I)
# Words a split line may carry besides the symbol, ratio and date.
WORDS = {
    "split",
    "splits",
    "stock",
    "reverse",
    "on",
    "did",
    "had",
    "a",
    "an",
    "of",
    "the",
    "was",
    "effective",
    "shares",
}
# Plain words only when the sentence is about a split of something the user holds.
PLAIN = re.compile(r"\bsplit\b", re.I)
MOST = SPLIT_RATIO


@dataclass(frozen=True)
class SplitLine:
    symbol: str
    ratio: Decimal  # new shares per old
    date: date
    cash_in_lieu: Decimal


def split_line(text: str, today: date, fmt: Fmt, known: set[str] | None = None) -> SplitLine:
    """Read a split line; InputError says what's missing. `known`: the only symbols plain words may name."""
    cash = ZERO
    if found := CASH.search(text):
        cash = money(found["amount"].replace("$", "").strip(), "cash in lieu", locale=fmt.locale)
        text = text[: found.start()] + " " + text[found.end() :]
    found = RATIO.search(text)
    if found is None:
        raise InputError(f"I need the ratio. {HELP}")
    try:
        new, old = Decimal(found[1]), Decimal(found[2])
    except InvalidOperation:
        raise InputError(f"I couldn't read the ratio “{short(found[0])}”. {HELP}") from None
    if not new or not old or new == old:
        raise InputError(f"“{short(found[0])}” isn't a split: the share count must change. {HELP}")
    rest = (text[: found.start()] + " " + text[found.end() :]).replace(",", " ")
    words = rest.split()
    if any(w.lower() == "reverse" for w in words) and new > old:
        new, old = old, new  # "reverse 10:1" means one new share for ten old ones
    ratio = new / old
    if not 1 / MOST <= ratio <= MOST:
        raise InputError(f"A {short(found[0])} split is beyond what I can take. {HELP}")
    ticker = _symbol(words, known)
    date_words = [w for w in words if w.lower() not in WORDS and w.upper().lstrip("$") != ticker]
    if not date_words:
        raise InputError(f"On what date? {HELP}")
    when = trade_date(" ".join(date_words), today, fmt.locale)
    return SplitLine(symbol=ticker, ratio=ratio, date=when, cash_in_lieu=cash)


def _symbol(words: list[str], known: set[str] | None) -> str:
    if known is None:  # /split: the symbol comes first
        if not words:
            raise InputError(f"Which stock? {HELP}")
        return symbol(words[0])
    for word in words:
        if word.lower() not in WORDS and word.upper().lstrip("$") in known:
            return word.upper().lstrip("$")
    raise InputError(f"Which of your stocks split? {HELP}")


def split(ctx: Ctx, args: str) -> Outcome:
    if not args.strip():
        raise InputError(f"Which stock split, how, and when? {HELP}")
    return _record(ctx, split_line(args, ctx.today, ctx.fmt))


def from_plain_text(ctx: Ctx, text: str) -> Outcome | None:
    """ "XYZ split 2-for-1 on 2024-06-10": a split of a stock the user has, or None (not about a split)."""
    if not PLAIN.search(text) or not RATIO.search(text):
        return None
    known = {t.symbol for t in ctx.state.trades}
    if not known:
        return None
    return _record(ctx, split_line(text, ctx.today, ctx.fmt, known))


def _record(ctx: Ctx, line: SplitLine) -> Outcome:
    state, fmt = ctx.state, ctx.fmt
    for seen in state.splits:
        if seen.symbol == line.symbol and seen.date == line.date:
            if seen.ratio == line.ratio:  # said twice (or Telegram delivered it twice): nothing new
                return say(ctx, f"Already recorded: {_words(fmt, seen)} (#{seen.id[1:]}).")
            raise InputError(
                f"You already have a split of {line.symbol} on {fmt.day(line.date)}: {_words(fmt, seen)}. "
                f"If that one is wrong, /delete {seen.id[1:]} first."
            )
    before = ledger_as_of(state, line.date)
    owned = held(before, line.symbol)
    if not owned:
        raise InputError(
            f"On {fmt.day(line.date)} you held no {line.symbol}, so a split then changes nothing I keep "
            "(shares bought after a split are already new shares). Record the purchase first, or check the date."
        )
    new = Split(
        date=line.date,
        symbol=line.symbol,
        ratio=line.ratio,
        cash_in_lieu=line.cash_in_lieu,
        id=f"S{state.next_trade_number}",
    )
    splits = (*state.splits, new)
    try:
        after = ledger_of(state.trades, splits)
    except CalcError as error:
        raise InputError(f"I can't record that split: {error_words(error, fmt)}. Nothing was saved.") from None
    text = describe(fmt, new, owned, before.lots, after)
    return Outcome(state.with_entry(new), [Reply(text=text, buttons=((undo_button(ctx, new.id),),))])


def describe(fmt: Fmt, new: Split, owned: Decimal, lots_before: Sequence[Lot], after: Ledger) -> str:
    """What the split did to the shares held that day; basis and holding periods stay."""
    basis = sum((lot.basis for lot in lots_before if lot.symbol == new.symbol), ZERO)
    now = owned * new.ratio
    lines = [
        f"Recorded #{new.id[1:]}: {_words(fmt, new)}.",
        f"The {fmt.counted(owned, 'share')} you held then became {fmt.shares(now)}, with the same basis "
        f"{fmt.money(basis)} ({fmt.money(basis / now)} a share instead of {fmt.money(basis / owned)}). "
        "Each lot keeps its purchase date, so no holding period changes (Publication 550).",
    ]
    sold = [d for d in after.dispositions if d.sale_id == new.id]
    if sold:
        shares = sum((d.quantity for d in sold), ZERO)
        gain = sum((d.gain for d in sold), ZERO)
        lines.append(
            f"The {fmt.money(new.cash_in_lieu)} cash in lieu of {fmt.shares(shares)} share is a sale of that "
            f"fraction: {gain_line(gain, sold[0].term, fmt)}. It's in /gains."
        )
    elif new.cash_in_lieu:
        lines.append("You held whole new shares, so there was no fraction for that cash to pay for; I left it out.")
    return "\n".join(lines)


def _words(fmt: Fmt, s: Split) -> str:
    kind = "reverse split" if s.ratio < 1 else "split"
    ratio = Fraction(s.ratio).limit_denominator(int(MOST))  # 1.5 reads back as 3-for-2, 0.1 as 1-for-10
    return f"{s.symbol} {kind} {ratio.numerator}-for-{ratio.denominator} on {fmt.day(s.date)}"


def short_split(fmt: Fmt, s: Split) -> str:
    """A split's line in /trades."""
    cash = f", {fmt.money(s.cash_in_lieu)} cash in lieu" if s.cash_in_lieu else ""
    return f"{_words(fmt, s)}{cash}"


def remove(ctx: Ctx, s: Split, verb: str) -> Outcome:
    """Take a split back out (undo, delete); refused if a later sale needs the shares it made."""
    after = ctx.state.without_entry(s)
    books_without(ctx, after, f"#{s.id[1:]}")
    return say(ctx, f"{verb}: #{s.id[1:]} {short_split(ctx.fmt, s)}.", splits=after.splits, last_added=after.last_added)
