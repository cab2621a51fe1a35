"""understand(): a message in, one Reading out. Pure: no state, no I/O.

The order of the checks is the order of precedence: a slash command; a hypothetical sale
("what if I sell 10 AAPL at 200"); a question by its subject; an option exercise or RSU vest;
a trade in words; a price; greetings, help, undo, thanks. Each check is a small function.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from conversations.parsing import SYMBOL
from conversations.shelters import said_account
from conversations.understanding import companies, dates, figures, numbers
from conversations.understanding import vocabulary as v
from conversations.understanding.commands import closest
from conversations.understanding.reading import Reading
from conversations.understanding.topics import out_of_scope, topic_of

WHEN_TOPICS = {"longterm", "lastday", "wash"}  # questions about when to sell, not what a sale would do
TRADE_COMMANDS = {"buy": "buy", "sell": "sell", "whatif": "whatif", "exercise": "exercise", "vest": "vest"}
YEAR = re.compile(r"\b(20\d\d)\b")
_MAIN_VERBS = {"bought": "buy", "buy": "buy", "purchased": "buy", "sold": "sell", "sell": "sell"}


def understand(text: str, today: date, locale: str = "en_US", commands: Iterable[str] = ()) -> Reading:
    text = " ".join(text.split())
    if not text:
        return Reading("unknown")
    if text.startswith("/"):
        return _slash(text, today, locale, frozenset(commands))
    checks = (
        _not_covered,
        _whatif,
        _question,
        _take_back,
        _options,
        _figures,
        _trade_in_words,
        _price,
        _small_talk,
        _subject,
    )
    for check in checks:
        reading = check(text, today, locale)
        if reading is not None:
            return reading
    symbol = _symbol(_tokens(text), text, companies_too=False)[0]
    return Reading("unknown", symbol=symbol)


# --- each kind of message ------------------------------------------------------------------------
def _slash(text: str, today: date, locale: str, known: frozenset[str]) -> Reading:
    name, _, args = text[1:].partition(" ")
    name = name.split("@")[0].lower()
    if name in known or not known:
        if name in ("buy", "sell", "whatif"):
            return _trade(name, args, today, locale)
        if name in ("exercise", "vest"):
            return _option(name, args, today, locale)
        if name == "price":
            return _price(args, today, locale) or Reading("price")
        return Reading("command", command=name)
    guess = closest(name, known)
    return Reading("command", command=guess) if guess else Reading("unknown")


def _not_covered(text: str, today: date, locale: str) -> Reading | None:
    topic = out_of_scope(text)
    return None if topic is None else Reading("question", topic=topic)


def _whatif(text: str, today: date, locale: str) -> Reading | None:
    if not (v.SALE_WORD.search(text) and v.HYPOTHETICAL.search(text)):
        return None
    reading = _trade("whatif", text, today, locale)
    if reading.price is None and reading.shares is None and topic_of(text) in WHEN_TOPICS:
        return None  # "should I wait to sell my NVDA until it's long term?" asks when, not what if
    return reading if reading.symbol and reading.unsure != "symbol" else None


def _question(text: str, today: date, locale: str) -> Reading | None:
    if not (v.QUESTION_START.search(text) or text.rstrip().endswith("?")):
        return None
    return _subject(text, today, locale)


def _subject(text: str, today: date, locale: str) -> Reading | None:
    topic = topic_of(text)
    if topic is None:
        return None
    symbol, company = _symbol(_tokens(text), text, companies_too="capitalised")
    if symbol is None:
        symbol, company = _owned(text)
    return Reading("question", topic=topic, symbol=symbol, company=company, year=_asked_year(text, today))


def _asked_year(text: str, today: date) -> int | None:
    """The year a question names: "in 2025", or "last year" / "this yr" counted from today, as the
    figures in words are ("my income this year is 95k"); none said is the chat's own year."""
    found = YEAR.search(text)
    if found:
        return int(found.group(1))
    if figures.LAST_YEAR.search(text):
        return today.year - 1
    return today.year if figures.THIS_YEAR.search(text) else None


def _take_back(text: str, today: date, locale: str) -> Reading | None:
    """ "cancel that purchase" takes the last entry back (asked first); it isn't a new purchase."""
    return Reading("undo") if v.UNDO.search(text) and not re.search(r"\d", text) else None


def _options(text: str, today: date, locale: str) -> Reading | None:
    if v.EXERCISE.search(text):
        return _option("exercise", text, today, locale)
    if v.VEST.search(text) and re.search(r"\d", text):
        return _option("vest", text, today, locale)
    return None


def _figures(text: str, today: date, locale: str) -> Reading | None:
    if _symbol(_tokens(text), text, companies_too=False)[0] is not None:
        return None  # "I made 500 on TSLA" is about a stock, not income
    return figures.statement(text, today, locale)


def _trade_in_words(text: str, today: date, locale: str) -> Reading | None:
    side = _side(text)
    if side is None:
        return None
    reading = _trade(side, text, today, locale)
    if reading.shares is None and reading.dollars is None and reading.portion is None and topic_of(text):
        return None  # "last day to sell stock for 2026": a question about selling, not a sale of 2026 shares
    return reading


def _price(text: str, today: date, locale: str) -> Reading | None:
    found = v.PRICE_STATEMENT.match(text) or re.match(r"^\s*\$?(?P<sym>\S+)\s+\$?(?P<price>\d[\d.,]*)\s*$", text)
    if not found:
        return None
    symbol = _as_symbol(found.group("sym"), text)
    price = numbers.read(found.group("price"), locale)
    return None if symbol is None or price is None else Reading("price", symbol=symbol, price=price)


def _small_talk(text: str, today: date, locale: str) -> Reading | None:
    for intent, pattern in (("greeting", v.GREETING), ("help", v.HELP), ("undo", v.UNDO), ("thanks", v.THANKS)):
        if pattern.search(text):
            return Reading(intent)  # type: ignore[arg-type]
    return None


# --- trades: which side, then the slots -----------------------------------------------------------
def _side(text: str) -> str | None:
    found: list[tuple[int, int, str]] = []
    for priority, (pattern, side) in enumerate(((v.SELL_IDIOMS, "sell"), (v.BUY_IDIOMS, "buy"))):
        for match in pattern.finditer(text):
            found.append((match.start(), priority, side))
    position = 0
    for word in text.split():
        token = re.sub(r"(\w)\1{2,}", r"\1\1", word.strip(",.;:!?()").lower())  # "sellled": a key held down
        if token in v.SELL_VERBS:
            found.append((position, 2, "sell"))
        elif token in v.BUY_VERBS:
            found.append((position, 2, "buy"))
        position += len(word) + 1
    if found:
        return min(found)[2]
    first = text.split()[0].strip(",.;:!?").lower()
    if len(first) >= 3 and re.search(r"\d", text):
        from rapidfuzz import fuzz, process

        best = process.extractOne(first, list(_MAIN_VERBS), scorer=fuzz.ratio, score_cutoff=80)
        if best:
            return _MAIN_VERBS[best[0]]
    return None


@dataclass
class _Slots:
    shares: Decimal | None = None
    price: Decimal | None = None
    dollars: Decimal | None = None
    strike: Decimal | None = None
    fmv: Decimal | None = None
    unsure: str | None = None
    numbers: list[str] = field(default_factory=list)


def _trade(intent: str, text: str, today: date, locale: str) -> Reading:
    rest, part_of_one = _part_of_a_share(text)
    rest, fraction = _fraction(rest)
    when, rest, problem = dates.find(rest, today, locale)
    rest, account = _account(rest)
    rest, fees = _fees(rest, locale)
    tokens = _tokens(rest)
    symbol, company = _symbol(tokens, rest, companies_too=True)
    slots = _numbers(tokens, locale, option=None)
    if part_of_one is not None and slots.shares is None:
        slots.shares, slots.price = part_of_one, slots.price or slots.dollars
        slots.dollars = None
    if symbol is None:
        symbol = _lowercase_ticker(tokens)
        slots.unsure = slots.unsure or ("symbol" if symbol else None)
    portion = None
    if slots.shares is None and slots.dollars is None:
        if fraction is not None:
            portion = fraction
        elif v.HALF_WORDS.search(rest):
            portion = "half"
        elif intent in ("sell", "whatif") and (v.ALL_WORDS.search(rest) or v.WHOLE_POSITION.search(rest)):
            portion = "all"
    return Reading(
        intent,  # type: ignore[arg-type]
        symbol=symbol,
        company=company,
        shares=slots.shares,
        portion=portion,
        dollars=slots.dollars,
        price=slots.price,
        fees=fees,
        date=when,
        account=account,
        unsure=slots.unsure,
        problem=problem,
    )


def _option(intent: str, text: str, today: date, locale: str) -> Reading:
    when, rest, problem = dates.find(text, today, locale)
    kind = None
    if intent == "exercise":
        kind = "iso" if v.ISO_WORDS.search(rest) else "nso" if v.NSO_WORDS.search(rest) else None
    tokens = _tokens(rest)
    symbol, company = _symbol(tokens, rest, companies_too=True)
    slots = _numbers(tokens, locale, option=intent)
    return Reading(
        intent,  # type: ignore[arg-type]
        symbol=symbol,
        company=company,
        shares=slots.shares,
        kind=kind,
        strike=slots.strike,
        fmv=slots.fmv,
        date=when,
        unsure=slots.unsure,
        problem=problem,
    )


def _part_of_a_share(text: str) -> tuple[str, Decimal | None]:
    """ "half a share of AMZN": 0.5 shares, and the text without it (so "half" isn't half the position)."""
    for pattern, shares in v.PART_OF_A_SHARE:
        found = pattern.search(text)
        if found:
            return text[: found.start()] + " " + text[found.end() :], Decimal(shares)
    return text, None


def _fraction(text: str) -> tuple[str, str | None]:
    """ "a third of my NVDA": the fraction ("1/3"), and the text without it (so "two thirds" isn't 2 shares)."""
    for pattern, fraction in v.FRACTIONS:
        found = pattern.search(text)
        if found:
            if fraction == "n/d":
                fraction = f"{found.group('n')}/{found.group('d')}"
                if int(found.group("n")) >= int(found.group("d")):
                    continue
            return text[: found.start()] + " " + text[found.end() :], fraction
    return text, None


def _account(text: str) -> tuple[str, str | None]:
    rest, account = said_account(text)
    if account is None and (roth := v.ROTH_ALONE.search(text)):
        return text[: roth.start()] + " " + text[roth.end() :], "Roth IRA"
    return rest, account


def _fees(text: str, locale: str) -> tuple[str, Decimal | None]:
    found = v.FEES_AFTER.search(text) or v.FEES_BEFORE.search(text)
    if not found:
        return text, None
    value = numbers.read(found.group("n"), locale)
    return text[: found.start()] + " " + text[found.end() :], value


# --- words into tokens, numbers and a symbol ------------------------------------------------------
def _tokens(text: str) -> list[str]:
    text = re.sub(r"@", " @ ", text)
    text = re.sub(r"(?i)(\d)\s*/\s*(share|sh)\b", r"\1 per share", text)
    text = re.sub(r"(?i)\bx(\d)", r"\1", text)  # "x10" shares
    text = re.sub(r"(?i)\b(\d+)x\b", r"\1", text)  # "10x AAPL"
    tokens = []
    for word in text.split():
        token = word.strip(",;:!?()\"'")
        if token.endswith(".") and not re.fullmatch(r"[A-Z]+\.[A-Z]", token):
            token = token[:-1]
        if token:
            tokens.append(token)
    return tokens


def _numbers(tokens: list[str], locale: str, option: str | None) -> _Slots:
    slots = _Slots()
    lowered = [t.lower() for t in tokens]
    raising = "raise" in lowered
    last_number = -1
    for i, token in enumerate(tokens):
        money_marked = token.startswith("$") or bool(re.fullmatch(r"\$?\d[\d.,]*k", token, re.I))
        value = numbers.dollars(token, locale) if money_marked else numbers.read(token, locale)
        if value is None:
            continue
        before = lowered[last_number + 1 : i]
        after = " ".join(lowered[i + 1 : i + 3])
        nxt = lowered[i + 1] if i + 1 < len(lowered) else ""
        last_number = i
        money_marked = money_marked or nxt in ("dollars", "bucks", "usd", "worth") or raising
        unsure = numbers.ambiguous(token.lstrip("$"), locale)
        if option is not None:
            role = _option_role(before, slots, option)
        elif (before and before[-1] in v.PRICE_BEFORE and i > 1 and not _the_verb(before[-1], slots)) or any(
            after.startswith(suffix) for suffix in v.PRICE_AFTER
        ):  # not "Got 5 NVDA" nor "i got 3 shares": there it is the verb
            role = "price"
        elif money_marked and (nxt in v.DOLLARS_AFTER or any(w in before for w in ("put", "invested", "spent"))):
            role = "dollars"
        elif slots.shares is None and slots.dollars is None and not (before and before[-1] in ("/", "per")):
            role = "shares"
        else:
            role = "price"
        if getattr(slots, role) is not None:
            continue  # a second number for a slot already filled is not this trade's
        setattr(slots, role, value)
        if unsure:
            slots.unsure = role
    return slots


def _the_verb(word: str, slots: _Slots) -> bool:
    """ "got" before the first number is the verb ("I got 3 shares"); after it, the price ("sold 10, got 175")."""
    return word in v.BUY_VERBS and slots.shares is None and slots.dollars is None


def _option_role(before: list[str], slots: _Slots, option: str) -> str:
    if any(w in v.FMV_BEFORE - {"at", "price"} for w in before) or "market" in before:
        return "fmv"
    if option == "exercise" and slots.shares is not None and slots.strike is None:
        return "strike"
    if slots.shares is None:
        return "shares"
    return "fmv"


def _symbol(tokens: list[str], text: str, companies_too: bool | str) -> tuple[str | None, str | None]:
    """(the ticker, the company name it came from or None)."""
    for token in tokens:
        symbol = _as_symbol(token, text, lowercase=companies_too is True)
        if symbol:
            return symbol, None
    if not companies_too:
        return None, None
    runs: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        word = token.lstrip("$")
        usable = word.lower() not in v.FILLER and not re.search(r"\d", word) and re.match(r"^[A-Za-z][\w.&'-]*$", word)
        if usable and (companies_too is True or (word[0].isupper() and i > 0)):
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    for run in runs:
        for size in range(min(len(run), 3), 0, -1):
            for start in range(len(run) - size + 1):
                words = " ".join(run[start : start + size])
                symbol = companies.lookup(words)
                if symbol:
                    return symbol, companies.name_of(symbol) or words
    return None, None


def _owned(text: str) -> tuple[str | None, str | None]:
    """What "my ..." names, in lowercase too: a listed ticker ("my tsla") or a company's exact name or
    nickname ("my apple", "my coca cola"). Only exact names: a close spelling or a first word would
    make "my capital gains" Capital One."""
    found = v.OWNED.search(text)
    if found is None:
        return None, None
    words = [w.strip(".'\"()").lstrip("$") for w in found.group("words").split()]
    symbol = _as_symbol(words[0], text, lowercase=True) if words[0].lower() not in v.FILLER else None
    if symbol:
        return symbol, None
    by_name, _ = companies.table()
    for size in range(len(words), 0, -1):
        key = companies.normalize(" ".join(words[:size]))
        if key in by_name and words[0].lower() not in v.FILLER:
            symbol = by_name[key]
            return symbol, companies.name_of(symbol) or key
    return None, None


def _lowercase_ticker(tokens: list[str]) -> str | None:
    """In a trade with no ticker found, one short unknown word ("sofi") is probably the ticker typed in
    lowercase: a guess, confirmed before saving."""
    words = [t for t in tokens if t.isalpha() and t.lower() not in v.FILLER and not _is_vocabulary(t.lower())]
    if len(words) == 1 and len(words[0]) <= 5 and SYMBOL.match(words[0].upper()):
        return words[0].upper()
    return None


def _as_symbol(token: str, text: str, lowercase: bool = False) -> str | None:
    """A ticker: "$aapl", "AAPL", "BRK.B"; in a trade also "aapl" when it is a listed ticker."""
    if token.startswith("$") and len(token) > 1 and token[1].isalpha():
        candidate = token[1:].upper()
        return candidate if SYMBOL.match(candidate) else None
    if SYMBOL.match(token) and token not in v.NOT_TICKERS:
        shouting = text.upper() == text
        if shouting and (token.lower() in v.FILLER or _is_vocabulary(token.lower())):
            return None
        return token
    listed = lowercase and token.islower() and len(token) >= 3 and token.upper() in companies.tickers()
    if listed and token not in v.FILLER and not _is_vocabulary(token):
        return token.upper()
    return None


def _is_vocabulary(word: str) -> bool:
    return word in v.BUY_VERBS or word in v.SELL_VERBS or word in dates_words() or word in numbers.WORDS


def dates_words() -> frozenset[str]:
    return _DATE_WORDS


_DATE_WORDS = frozenset(
    [
        "today",
        "yesterday",
        "morning",
        "afternoon",
        "evening",
        "tonight",
        "last",
        "week",
        "weeks",
        "day",
        "days",
        "ago",
        "on",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "heute",
        "gestern",
        "am",
    ]
)
