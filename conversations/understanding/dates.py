"""Finding the trade date in a sentence and reading it in the user's locale.

Regular expressions only find where a date is ("on 3/15", "last Friday", "2 days ago", "gestern");
reading it is left to the parsers that know calendars: conversations.parsing.trade_date (numeric
dates in the locale's order, month names) and dateparser (relative words, in English and the
user's own language).
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache

from conversations.parsing import InputError, trade_date

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:mon|tues?|wed|thu|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_COUNT = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple(?:\s+of)?)"
_ON = r"(?:\b(?:on|am|from)\s+)?"

# Where a date is, most specific first. Group "d" is the date itself, without "on".
CALENDAR = [
    re.compile(_ON + r"(?P<d>\b\d{4}-\d{1,2}-\d{1,2}\b)", re.I),
    re.compile(_ON + r"(?P<d>\b\d{1,2}/\d{1,2}(?:/\d{2,4})?)(?![\d/])", re.I),
    re.compile(_ON + r"(?P<d>\b\d{1,2}\.\d{1,2}\.(?:\d{2,4}\b)?)", re.I),
    re.compile(_ON + r"(?P<d>\b" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4}\b)?)", re.I),
    re.compile(_ON + r"(?P<d>\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+\d{4}\b)?)", re.I),
]
# "on the 18th": a day of the month without the month, the latest one that isn't in the future.
DAY_OF_MONTH = re.compile(r"(?:\b(?:on|am)\s+)?\bthe\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b", re.I)
RELATIVE = [
    re.compile(r"(?P<d>\b(?:tomorrow|morgen|next\s+" + _WEEKDAY + r"|next\s+week)\b)", re.I),
    re.compile(
        r"(?P<d>\b(?:this\s+(?:morning|afternoon|evening)|earlier\s+today|today|tonight|just\s+now|right\s+now)\b)",
        re.I,
    ),
    re.compile(r"(?P<d>\b(?:the\s+)?day\s+before\s+yesterday\b)", re.I),  # before "yesterday", which it contains
    re.compile(r"(?P<d>\b(?:yesterday|yday|yest)" + _PART + r"\b)", re.I),  # "yday": as typed on a phone
    re.compile(r"(?P<d>\b(?:heute|gestern|vorgestern)\b)", re.I),
    re.compile(r"(?P<d>\b" + _COUNT + r"\s+(?:days?|weeks?)\s+ago\b)", re.I),
    re.compile(r"(?P<d>\blast\s+week\b)", re.I),
    re.compile(r"(?:\bon\s+)?(?P<d>\b(?:last|this\s+past|past)\s+" + _WEEKDAY + r"\b)", re.I),
    re.compile(r"(?:\bon\s+)?(?P<d>\b" + _WEEKDAY + r"\b)" + _PART, re.I),
]
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GERMAN = {"heute": 0, "gestern": 1, "vorgestern": 2}


def find(text: str, today: date, locale: str) -> tuple[date | None, str, str | None]:
    """(the date, the text without it, a problem to tell the user) — the date None when there is none."""
    for pattern in CALENDAR:
        found = pattern.search(text)
        if found:
            rest = text[: found.start()] + " " + text[found.end() :]
            try:
                return trade_date(_complete(found.group("d"), today), today, locale), rest, None
            except InputError as error:
                return None, rest, str(error)
    found = DAY_OF_MONTH.search(text)
    if found:
        rest = text[: found.start()] + " " + text[found.end() :]
        day = _day_of_month(int(found.group("d")), today)
        problem = (
            None if day else f"“{found.group(0).strip()}” isn't a day of the month. Send the date like {today:%b} 3."
        )
        return day, rest, problem
    for pattern in RELATIVE:
        found = pattern.search(text)
        if found:
            rest = text[: found.start()] + " " + text[found.end() :]
            if found.group("d").lower().startswith(("tomorrow", "morgen", "next")):
                return None, rest, f"“{found.group('d')}” is in the future. Send the date the trade happened."
            return _relative(found.group("d"), today, locale), rest, None
    return None, text, None


def _day_of_month(day: int, today: date) -> date | None:
    """The latest date on or before today whose day of the month is `day` (the 31st skips short months)."""
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(12):
        if day <= monthrange(year, month)[1] and date(year, month, day) <= today:
            return date(year, month, day)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _complete(text: str, today: date) -> str:
    """ "3.11." (a German day and month, no year) gets this year for the date parser."""
    return text + str(today.year) if re.fullmatch(r"\d{1,2}\.\d{1,2}\.", text) else text


def _relative(text: str, today: date, locale: str) -> date:
    words = text.lower().split()
    if words[0] in ("today", "tonight", "this", "earlier", "just", "right"):
        return today
    if words[-1] == "yesterday" and "before" in words:
        return today - timedelta(days=2)
    if words[0] in ("yesterday", "yday", "yest"):
        return today - timedelta(days=1)
    if words[0] in _GERMAN:
        return today - timedelta(days=_GERMAN[words[0]])
    weekday = next((i for i, day in enumerate(_WEEKDAYS) if words[-1].startswith(day)), None)
    if weekday is not None:
        back = (today.weekday() - weekday) % 7 or 7  # the last one before today
        return today - timedelta(days=back)
    return _dateparser(text, today, locale) or today


def _dateparser(text: str, today: date, locale: str) -> date | None:
    parsed = _parser()(
        text,
        languages=sorted({"en", locale.split("_")[0]}),
        settings={"RELATIVE_BASE": datetime(today.year, today.month, today.day), "PREFER_DATES_FROM": "past"},
    )
    return None if parsed is None else parsed.date()


@lru_cache(maxsize=1)
def _parser() -> Callable[..., datetime | None]:
    """dateparser on first use: importing it costs about 60 ms, which the chat's start-up needn't pay."""
    import dateparser

    return dateparser.parse
