"""Paged answers make only the entries of the page shown, and an old page button of /gains says when
what it listed has changed, from a few figures rather than every sale (conversations/paging.py)."""

from __future__ import annotations

from conversations import paging
from conversations.events import Event
from conversations.kernel import Ctx
from conversations.paging import CHANGED, NEXT, Each, Entry, Paged
from conversations.state import UserState
from tests.chat import NOW, Chat
from tests.test_phone_html import checked


def _lines(count: int, made: list[int]) -> Paged:
    def entry(n: int) -> Entry:
        made.append(n)
        return Entry("", lambda: f"• line number {n} of a long answer")

    return Paged(
        view="t",
        arg="",
        title="Lines",
        summary="<b>Lines</b>",
        entries=Each(range(count), entry),
        noun=("line", "lines"),
        about=count,
    )


def test_a_page_makes_only_the_entries_it_reaches() -> None:
    ctx = Ctx(UserState(), Event(kind="text", id="p", now=NOW, text="/lines"))
    made: list[int] = []
    paged = _lines(20_000, made)
    assert len(paged.entries) == 20_000 and not made
    (summary,) = paging.answer(ctx, paged).replies
    assert summary.buttons[0][0].label == paged.more
    assert 0 < len(made) < 100  # the summary tries one page to see whether everything fits
    made.clear()
    (page,) = paging.button(lambda _ctx, _arg: paged)(ctx, f":3:{paged.fingerprint}").replies
    assert made[0] == 0 and made[-1] < 200  # three pages' worth (and the next page's first), not 20,000
    shown = [int(line.split()[3]) for line in page.text.splitlines() if line.startswith("• ")]
    assert page.text.startswith("<b>Lines</b> · Lines ") and " of 20,000" in page.text.splitlines()[0]
    assert shown and shown[0] > 0 and shown[-1] <= made[-1]


def test_entries_are_read_like_a_list() -> None:
    made: list[int] = []
    entries = _lines(10, made).entries
    assert entries[3].line() == "• line number 3 of a long answer"
    assert [e.line() for e in entries[8:]] == ["• line number 8 of a long answer", "• line number 9 of a long answer"]
    assert len(list(entries)) == 10 and made == [3, 8, 9, *range(10)]


def _sales(chat: Chat) -> None:
    chat.send("/buy 500 AAA 10 2025-01-02")
    for i in range(30):
        chat.send(f"/sell 1 AAA {11 + i} 2025-02-{10 + i // 10:02d}")


def _old_next(chat: Chat) -> str:
    chat.send("/gains 2025")
    chat.tap("Every sale")
    return next(b.data for r in chat.last for row in r.buttons for b in row if b.label == NEXT)


def test_an_old_gains_page_says_a_sale_moved_to_another_day(chat: Chat) -> None:
    _sales(chat)
    old_next = _old_next(chat)
    # The same sale a day later, still between the first and the last: the count, the shares, the
    # gains and the tax stay as they were, so only the days sold tell the pages apart.
    assert "sell 1 AAA at $12.00 on Feb 10, 2025" in chat.send("/delete 3")
    chat.tap("Yes, delete")
    chat.send("/sell 1 AAA 12 2025-02-11")
    chat.press(old_next)
    (text,) = checked(chat.last)
    assert text.startswith(CHANGED)


def test_an_old_gains_page_says_a_sale_was_added(chat: Chat) -> None:
    _sales(chat)
    old_next = _old_next(chat)
    chat.send("/sell 1 AAA 10 2025-03-03")  # no gain: only the count and the shares change
    chat.press(old_next)
    assert checked(chat.last)[0].startswith(CHANGED)


def test_a_change_to_another_year_leaves_the_pages_as_they_were(chat: Chat) -> None:
    _sales(chat)
    old_next = _old_next(chat)
    chat.send("/buy 5 BBB 10 2026-03-03")
    chat.press(old_next)
    (text,) = checked(chat.last)
    assert not text.startswith(CHANGED) and text.startswith("Sales in 2025 · Sales")
