"""A year's figures told in words: income ("my salary is 95k", "I make about 120,000 a year"), filing
status ("we file jointly", "I'm married filing separately") and a loss carryover ("I carried over
5,000 of losses from last year"). Read into the same fields as /income, /filing and /carryover.

Each is a guess (the year assumed, "about", "k"), so the chat shows it with Save / Change before
storing anything. Questions ("what's my filing status?") are not statements: the question check
runs first and answers them by topic.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from conversations.understanding import numbers
from conversations.understanding.reading import Reading

# Which income a sentence is about, narrowest first ("qualified dividends" before "dividends").
INCOME_FIELDS: list[tuple[str, re.Pattern[str]]] = [
    ("capital_gain_distributions", re.compile(r"\bcap(ital)?\.?\s+gains?\s+distributions?\b", re.I)),
    ("qualified_dividends", re.compile(r"\bqualified\s+div(idend)?s?\b", re.I)),
    ("ordinary_dividends", re.compile(r"\b(ordinary\s+|total\s+)?div(idend)?s?\b|\bdividenden\b", re.I)),
    ("interest", re.compile(r"\binterest\b|\bzinsen\b", re.I)),
    (
        "wages",
        re.compile(
            r"\b(salary|salaries|wages?|paycheck|w-?2|income|earn|earns|earned|earning|make|makes|making|made|"
            r"gehalt|einkommen|lohn|verdiene\w*)\b",
            re.I,
        ),
    ),
]
# Words that make "I made 5k" about trading, not about income.
TRADING_TALK = re.compile(
    r"\b(stocks?|shares?|trades?|trading|sales?|sell\w*|sold|buy\w*|bought|gains?|profits?|loss(es)?|options?|"
    r"crypto|portfolio|positions?|carr(y|ied|ying)|carryover|carryforward)\b",
    re.I,
)
# Filing statuses, the specific before the general ("married filing separately" before "married").
FILING: list[tuple[str | None, re.Pattern[str]]] = [
    ("mfs", re.compile(r"\bfil(e|ing)\s+separate(ly)?\b|\bseparate\s+returns?\b|\bmfs\b", re.I)),
    (
        "mfj",
        re.compile(r"\bfil(e|ing)\s+(jointly|joint|together)\b|\bjoint\s+return\b|\bmfj\b|\bgemeinsam\b", re.I),
    ),
    ("hoh", re.compile(r"\bhead\s+of\s+(the\s+)?household\b|\bhoh\b", re.I)),
    ("qss", re.compile(r"\bqualifying\s+(surviving\s+spouse|widow(er)?)\b|\bqss\b", re.I)),
    ("single", re.compile(r"\b(i'?m|i\s+am|fil(e|ing)(\s+as)?)\s+single\b|\bsingle\s+filer\b", re.I)),
    (None, re.compile(r"\b(i'?m|i\s+am|we'?re|we\s+are|got)\s+married\b|\bverheiratet\b", re.I)),  # which way: asked
]
CARRYOVER = re.compile(
    r"\bcarr(y|ied|ying)[- ]?(over|forward)\b|\bcarryover\b|\bcarryforward\b|\bverlustvortrag\b", re.I
)
CHARACTER = [("short", re.compile(r"\bshort\b", re.I)), ("long", re.compile(r"\blong\b", re.I))]
# A year: "in 2025", "for 2025", "2025"; "into 2026"; "from 2024" (a carryover from 2024 goes into 2025).
YEAR = re.compile(r"\b(?P<word>into|in|for|from|of)?\s*\b(?P<year>20[1-3]\d)\b", re.I)
THIS_YEAR = re.compile(r"\bthis\s+(?:year|yr)\b|\bdieses\s+jahr\b", re.I)  # "yr": as typed on a phone
LAST_YEAR = re.compile(r"\b(from\s+)?last\s+(?:year|yr)\b|\bletztes\s+jahr\b|\bvorjahr\b", re.I)
AMOUNT = re.compile(r"(?<![\w.,])\$?\d[\d.,']*k?\b", re.I)
# Pay by the period, as the number of periods in a year: "8k a month", "7,500/month", "$4k biweekly",
# "6.000 im Monat". Every two weeks and twice a month before monthly and weekly, which they contain.
_EVERY = r"(?:\b(?:a|an|per|each|every|im|pro|die|in\s+a)\s+|/\s*)"
PAY_PERIODS: list[tuple[re.Pattern[str], int]] = [
    (
        re.compile(
            r"\bbi-?weekly\b|\bevery\s+(?:two|2|other)\s+weeks?\b|\bfortnight(?:ly)?\b|\balle\s+zwei\s+wochen\b", re.I
        ),
        26,
    ),
    (re.compile(r"\bsemi-?monthly\b|\btwice\s+a\s+month\b|\bzweimal\s+im\s+monat\b", re.I), 24),
    (re.compile(_EVERY + r"(?:month|mo|mth|monat)\b|\bmonthly\b|\bmonatlich\b|\bp\.?\s?m\b\.?", re.I), 12),
    (re.compile(_EVERY + r"(?:week|wk|woche)\b|\bweekly\b|\bwöchentlich\b", re.I), 52),
    (re.compile(_EVERY + r"(?:year|yr|jahr)\b|\bannually\b|\byearly\b|\bp\.?\s?a\b\.?|\bjährlich\b", re.I), 1),
]
# What may stand around a bare amount of pay with its period: "8k a month", "I'm on 55k a year".
BARE_PAY = re.compile(
    r"^\W*(?:(?:i'?m|i\s+am)\s+on|i\s+get(?:\s+paid)?|ich\s+bekomme|about|around|roughly|"
    r"approx\.?|approximately|~)?\W*(?:gross|before\s+tax(?:es)?|pre-?tax|brutto)?\W*$",
    re.I,
)


def statement(text: str, today: date, locale: str) -> Reading | None:
    """Income, filing status or a carryover told in words; None when the text is none of them.
    (The reader calls it only for text that names no ticker.)"""
    if CARRYOVER.search(text):
        return _carryover(text, today, locale)
    for status, pattern in FILING:
        if pattern.search(text):
            return Reading("filing", kind=status, year=_year(text, today)[0])
    return _income(text, today, locale)


def _income(text: str, today: date, locale: str) -> Reading | None:
    per, text = pay_period(text)
    field = next((name for name, pattern in INCOME_FIELDS if pattern.search(text)), None)
    if field is None and per is not None and _bare_pay(text, locale):
        field = "wages"  # "8k a month": pay, said the short way
    if field is None or (field == "wages" and TRADING_TALK.search(text)):
        return None
    year, rest = _year(text, today)
    amount, unsure = _amount(rest, locale)
    if amount is None:
        return None
    times = per or 1
    return Reading(
        "income", kind=field, dollars=amount * times, year=year, unsure=unsure, per=times if times > 1 else None
    )


def pay_period(text: str) -> tuple[int | None, str]:
    """How many of the periods a text names are in a year ("a month": 12, "biweekly": 26, "a year": 1),
    and the text without them; None when it names none."""
    for pattern, times in PAY_PERIODS:
        found = pattern.search(text)
        if found:
            return times, text[: found.start()] + " " + text[found.end() :]
    return None, text


def _bare_pay(text: str, locale: str) -> bool:
    """An amount and little else ("8k", "I'm on 55k"): with a pay period, that is pay."""
    found = AMOUNT.search(text)
    return found is not None and bool(BARE_PAY.match(text[: found.start()] + " " + text[found.end() :]))


def _carryover(text: str, today: date, locale: str) -> Reading | None:
    year, rest = _year(text, today, carried=True)
    amount, unsure = _amount(rest, locale)
    if amount is None:
        if re.search(r"\b(no|none|don'?t have( a| any)?|zero)\b", text, re.I):
            return Reading("carryover", dollars=Decimal(0), year=year)
        return None
    character = next((name for name, pattern in CHARACTER if pattern.search(rest)), None)
    return Reading("carryover", dollars=amount, kind=character, year=year, unsure=unsure)


def _year(text: str, today: date, carried: bool = False) -> tuple[int | None, str]:
    """The year the figures are for (for a carryover, the year it goes into) and the text without it."""
    if LAST_YEAR.search(text):
        found = LAST_YEAR.search(text)
        assert found is not None
        # "5,000 from last year" is carried into this year; "made 90k last year" is last year's income
        year = today.year if carried else today.year - 1
        return year, text[: found.start()] + " " + text[found.end() :]
    found = THIS_YEAR.search(text)
    if found:
        return today.year, text[: found.start()] + " " + text[found.end() :]
    for found in YEAR.finditer(text):
        year = int(found.group("year"))
        if carried and (found.group("word") or "").lower() == "from":
            year += 1
        return year, text[: found.start()] + " " + text[found.end() :]
    return None, text


def _amount(text: str, locale: str) -> tuple[Decimal | None, str | None]:
    """The first amount ("95k", "$4,200", "85.000"), and "dollars" when the locale reads it two ways."""
    for found in AMOUNT.finditer(text):
        token = found.group(0).rstrip(".,")
        value = numbers.dollars(token, locale)
        if value is not None:
            return value, "dollars" if numbers.ambiguous(token.lstrip("$"), locale) else None
    return None, None
