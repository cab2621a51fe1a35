"""Replies speak the user's language, not the code's: no internal names, plurals that agree, and
headings in bold.

A broad session (trades of every kind, a wash sale, a split, options, every report and its
pages, questions, mistakes) is scanned: no lot-order codes ("lifo"), rule codes
("wash.basis_added"), identifiers (snake_case, STEP_NAMES, draft classes), lot ids ("T3.1")
or Python leftovers; and a count of one never meets a plural noun ("1 shares", "1 days").
"""

from __future__ import annotations

import itertools
import re

import pytest

from conversations.events import Reply
from tests.chat import Chat
from tests.test_phone_html import checked

INTERNAL = [
    re.compile(r"\b(fifo|lifo|hifo)\b", re.I),
    re.compile(r"\b(equity|gift|holding|income|netting|qdcg|tax|wash|split)\.[a-z_]+\b"),  # rule codes
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # snake_case: field names, draft keys
    re.compile(r"\b[A-Z]+_[A-Z_]+\b"),  # STEP_NAMES
    re.compile(r"\b\w*(Draft|Offer|YesNo)\b|\bnonce\b"),  # typed drafts
    re.compile(r"\bT\d+(\.\d+)*\b"),  # lot and trade ids (users see #3)
    re.compile(r"Decimal\(|\bTrue\b|\bFalse\b|Traceback|\{'|\[\]"),  # Python showing through
]
NOUNS = ("share", "day", "lot", "trade", "sale", "row", "year", "month", "hour", "minute", "symbol", "line", "split")
ONE_PLURAL = re.compile(rf"(?<![\d.,-])\b1 ({'|'.join(n + 's' for n in NOUNS)})\b")
MANY_SINGULAR = re.compile(rf"(?<![\d.,-])\b(0|[2-9]|\d{{2,}}|[\d,]+\.\d+) ({'|'.join(NOUNS)})\b(?!-)")


def session(chat: Chat, sent: list[Reply] | None = None) -> list[str]:
    """Every reply of a broad session, as shown (and as sent, into `sent`)."""
    shown: list[str] = []
    sent = [] if sent is None else sent

    def say(*lines: str) -> None:
        for line in lines:
            chat.send(line)
            shown.extend(checked(chat.last))
            sent.extend(chat.last)

    def tap_all(limit: int = 8) -> None:
        for button in [b for r in chat.last for row in r.buttons for b in row][:limit]:
            if any(word in button.label.lower() for word in ("delete", "yes", "undo")):
                continue
            chat.press(button.data)
            shown.extend(checked(chat.last))
            sent.extend(chat.last)

    chat.onboard()
    say(
        "/buy 1 XYZ 20 2024-01-10",
        "/buy 100 XYZ 30 2024-03-10",
        "/buy 50 ABC 10 2025-11-01",
        "/sell 1 XYZ 15 2025-06-02",
        "/buy 1 XYZ 14 2025-06-20",
        "/sell 50 ABC 8 2026-11-01",
        "/buy 10 ABC 7 2026-11-10",
        "/split XYZ 2:1 2026-01-05",
        "/exercise 100 OPT nso strike 10 fmv 50 2026-02-02",
        "/vest 10 RSU fmv 120 2026-03-03",
        "/buy 10 VTI 200 2025-02-03 in my Roth IRA",
        "/price XYZ 12",
        "/price ABC 6",
        "/price OPT 40",
    )
    for command in ("/portfolio", "/portfolio XYZ", "/gains 2025", "/gains 2026", "/harvest", "/trades"):
        say(command)
        tap_all()
    say("/whatif sell 100 XYZ 25", "/whatif sell 1 XYZ 5", "/whatif raise 500 from XYZ at 12")
    say("/sell", "XYZ", "today", "1", "12", "0")
    tap_all(3)
    say(
        "/help",
        "/settings",
        "/reminders",
        "/income 2026 wages 90,000",
        "/filing 2026 mfj",
        "/carryover 2025",
        "/form8949 2026",
        "/export",
        "how much tax do I owe?",
        "when does my XYZ go long term?",
        "is selling ABC now a wash sale?",
        "should I sell my losers before year end?",
        "what's my profit?",
        "/sell 1000 XYZ 5 2026-01-02",
        "/sell 0 XYZ 5",
        "/buy 10 XYZ 20 2030-01-01",
        "/edit 99 price 3",
        "/delete 1",
        "/sel",
        "hello",
    )
    return shown


@pytest.fixture(scope="module")
def transcript(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[Reply]]:
    sent: list[Reply] = []
    return session(Chat(tmp_path_factory.mktemp("words") / "cgt.db"), sent), sent


@pytest.fixture(scope="module")
def replies(transcript: tuple[list[str], list[Reply]]) -> list[str]:
    return transcript[0]


def test_the_session_is_broad(replies: list[str]) -> None:
    assert len(replies) > 60
    text = "\n".join(replies)
    for seen in ("wash sale", "long-term", "Realized in", "split", "bargain element", "Your holdings"):
        assert seen in text, seen


@pytest.mark.parametrize("pattern", INTERNAL, ids=lambda p: p.pattern[:30])
def test_no_internal_names_in_replies(replies: list[str], pattern: re.Pattern[str]) -> None:
    found = [(match.group(), reply[:120]) for reply in replies for match in pattern.finditer(reply)]
    assert not found, found


@pytest.mark.parametrize("pattern", [ONE_PLURAL, MANY_SINGULAR], ids=["1 shares", "2 share"])
def test_plurals_agree(replies: list[str], pattern: re.Pattern[str]) -> None:
    found = [(m.group(), reply[:160]) for reply in replies for m in pattern.finditer(reply)]
    assert not found, found


def test_a_reply_that_opens_with_a_heading_has_it_in_bold(transcript: tuple[list[str], list[Reply]]) -> None:
    """A reply of several lines whose first line introduces them ("Your trades:", "If you sold …:") sets
    that line in bold, as /portfolio, /gains, /harvest and /help do; a bold heading ends without a colon.
    So does every section further down (a line after a blank line that introduces the lines under it)."""
    unbolded, colons = headings_amiss(transcript[1])
    assert not unbolded, unbolded
    assert not colons, colons


def headings_amiss(replies: list[Reply]) -> tuple[list[str], list[str]]:
    """(section headings not in bold, bold headings ending with a colon) in these replies."""
    unbolded, colons = [], []
    for reply in replies:
        lines = reply.as_plain().split("\n")
        marked = reply.as_html().split("\n") if reply.html else []
        for i, line in enumerate(lines):
            if i and lines[i - 1].strip():
                continue  # not a section's first line: a sentence inside one ("… the income you gave me:")
            under = lines[1:] if i == 0 else list(itertools.takewhile(str.strip, lines[i + 1 :]))
            bold = len(marked) == len(lines) and marked[i].startswith("<b>")
            if bold and line.split(" · ")[0].endswith(":"):
                colons.append(line)
            elif not bold and len(under) >= 2 and line.endswith(":"):
                unbolded.append(line)
    return unbolded, colons


def test_headings_amiss_finds_a_plain_section_heading_further_down() -> None:
    """The check itself: a second section introduced by a plain line is found, a bold one is not."""
    plain = Reply(text="<b>Your lots</b>\n• one\n\nSold this year:\n• two\n• three", html=True)
    assert headings_amiss([plain]) == (["Sold this year:"], [])
    bolded = Reply(text="<b>Your lots</b>\n• one\n\n<b>Sold this year</b>\n• two\n• three", html=True)
    assert headings_amiss([bolded]) == ([], [])
    assert headings_amiss([Reply(text="<b>Sold:</b>\n• two", html=True)]) == ([], ["Sold:"])
