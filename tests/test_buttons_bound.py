"""Every button that answers a question is bound to that one question (issue 17: one mechanism,
conversations/confirming.py): a button from an earlier question of the same kind says "That question
is closed" and changes nothing, and the current question's button pressed twice acts once.

Each case opens the same kind of question twice, so the first one's button is "old" while the second
is open: exactly the case an unbound button gets wrong (it would act on the newer question).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from conversations.events import Event, FileIn
from tests.chat import NOW, Chat

FIXTURES = Path(__file__).parent / "fixtures" / "brokers"
_files = itertools.count()


def send_file(chat: Chat, name: str) -> str:
    content = (FIXTURES / name).read_bytes()
    return chat._run(Event(kind="file", id=f"bound-{next(_files)}", now=NOW, file=FileIn(name=name, content=content)))


def data(chat: Chat, label: str) -> str:
    found = [b.data for r in chat.last for row in r.buttons for b in row if b.label.startswith(label)]
    assert found, f"no {label!r} button in {[b.label for r in chat.last for row in r.buttons for b in row]}"
    return found[0]


def snapshot(chat: Chat) -> tuple[object, ...]:
    state = chat.service.state(chat.user_id)
    wizard = (state.wizard.flow, state.wizard.step, state.wizard.nonce) if state.wizard else None
    return tuple(t.id for t in state.trades), tuple(s.id for s in state.splits), wizard, state.profile.onboarded


def two_buys(chat: Chat) -> None:
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/buy 10 XYZ 30 2024-02-10")


def ask_lots(chat: Chat) -> None:
    for answer in ("/sell", "XYZ", "2024-06-03", "15", "25", "0"):
        chat.send(answer)


def stale_undo(chat: Chat) -> None:
    chat.press(chat.undo)  # type: ignore[attr-defined]


def buy_with_undo(chat: Chat) -> None:
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.undo = data(chat, "Undo")  # type: ignore[attr-defined]
    chat.now += timedelta(minutes=30)


def import_with_undo(chat: Chat) -> None:
    send_file(chat, "generic.csv")
    chat.tap("Add")
    chat.undo = data(chat, "Undo this import")  # type: ignore[attr-defined]
    chat.now += timedelta(minutes=30)


def nothing(chat: Chat) -> None:
    pass


def answering(*answers: str) -> Callable[[Chat], object]:
    """Open a wizard's question by sending these messages."""
    return lambda chat: [chat.send(answer) for answer in answers]


def settings_asking(item: str) -> Callable[[Chat], object]:
    """/settings, then the button that asks about `item` (Tax year, Filing status, ...)."""
    return lambda chat: (chat.send("/settings"), chat.tap(item))


def exercise_asking_date(chat: Chat) -> None:
    chat.send("/exercise")
    chat.tap("ISO")
    chat.send("XYZ")


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Chat], object]
    open_question: Callable[[Chat], object]
    label: str


CASES = [
    Case(
        "forget: Yes, delete everything",
        lambda c: c.send("/buy 1 XYZ 20 2024-01-10"),
        lambda c: c.send("/forget"),
        "Yes, delete everything",
    ),
    Case("delete: Yes, delete", two_buys, lambda c: c.send("/delete 1"), "Yes, delete"),
    Case("a late Undo: Yes, undo it", buy_with_undo, stale_undo, "Yes, undo it"),
    Case("a late Undo this import: Yes, undo the import", import_with_undo, stale_undo, "Yes, undo the import"),
    Case("Keep it", buy_with_undo, stale_undo, "Keep it"),
    Case("words: Save", nothing, lambda c: c.send("bought $1,500 of AAPL at 150 yesterday"), "Save"),
    Case("words: Change", nothing, lambda c: c.send("bought $1,500 of AAPL at 150 yesterday"), "Change"),
    Case("import: Add N trades", nothing, lambda c: send_file(c, "generic.csv"), "Add"),
    Case("import: Cancel", nothing, lambda c: send_file(c, "generic.csv"), "Cancel"),
    Case(
        "import: Add without those sales",
        nothing,
        lambda c: send_file(c, "fidelity_all_accounts_2025.csv"),
        "Add without",
    ),
    Case("sell: oldest first", two_buys, ask_lots, "Oldest first"),
    Case("sell: a lot", two_buys, ask_lots, "10 from Feb"),
    Case("whatif: Record this sale", two_buys, lambda c: c.send("/whatif sell 10 XYZ 25"), "Record this sale"),
    Case("figures: Save", nothing, lambda c: c.send("my salary is 95k"), "Save"),
    Case("figures: Change", nothing, lambda c: c.send("we file jointly"), "Change"),
    # A wizard's step buttons: an old /buy's No fees must not answer a newer /buy's fees question.
    Case("buy: No fees", nothing, answering("/buy", "XYZ", "2024-01-10", "10", "20"), "No fees"),
    Case("buy: Today", nothing, answering("/buy", "XYZ"), "Today"),
    Case("buy: Yesterday", nothing, answering("/buy", "XYZ"), "Yesterday"),
    Case("buy: Inherited", nothing, answering("/buy", "XYZ"), "Inherited"),
    Case("buy: A gift", nothing, answering("/buy", "XYZ"), "A gift"),
    Case("sell: Today", two_buys, answering("/sell", "XYZ"), "Today"),
    Case("sell: No fees", two_buys, answering("/sell", "XYZ", "2024-06-03", "5", "25"), "No fees"),
    Case("exercise: ISO", nothing, answering("/exercise"), "ISO"),
    Case("exercise: NSO", nothing, answering("/exercise"), "NSO"),
    Case("exercise: Today", nothing, exercise_asking_date, "Today"),
    Case("vest: Yesterday", nothing, answering("/vest", "XYZ"), "Yesterday"),
    Case("start again: a tax year", nothing, lambda c: (c.send("/start"), c.tap("Answer all five again")), "2026"),
    Case("settings: a tax year", nothing, settings_asking("Tax year"), "2025"),
    Case("settings: a filing status", nothing, settings_asking("Filing status"), "Married filing jointly"),
    Case("settings: no other income", nothing, settings_asking("Other income"), "None"),
    Case("settings: no carryover", nothing, settings_asking("Carryover"), "None"),
    Case("settings: keep the time zone", nothing, settings_asking("Time zone"), "Keep"),
    Case("1099-DIV: None", nothing, lambda c: c.press("div:2025"), "None"),
    # Menus and toggles: a button of an older /settings or /reminders answer must not act on a newer one.
    Case("settings menu: Tax year", nothing, lambda c: c.send("/settings"), "Tax year"),
    Case("settings menu: Filing status", nothing, lambda c: c.send("/settings 2025"), "Filing status"),
    Case("settings menu: Other income", nothing, lambda c: c.send("/settings"), "Other income"),
    Case("settings menu: Carryover", nothing, lambda c: c.send("/settings"), "Carryover"),
    Case("settings menu: Time zone", nothing, lambda c: c.send("/settings"), "Time zone"),
    Case("start: Settings", nothing, lambda c: c.send("/start"), "Settings"),
    Case("start: Answer all five again", nothing, lambda c: c.send("/start"), "Answer all five again"),
    Case("reminders: Turn off", nothing, lambda c: c.send("/reminders"), "Turn off"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_button_answers_only_its_own_question_and_only_once(tmp_path: Path, case: Case) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard()
    case.setup(chat)
    case.open_question(chat)
    old = data(chat, case.label)
    case.open_question(chat)  # the same kind of question again: the first one is closed now
    current = data(chat, case.label)
    assert old != current  # each button names its question
    before = snapshot(chat)
    assert "That question is closed" in chat.press(old) or case.label == "Keep it"
    assert snapshot(chat) == before  # nothing done to the open question or the data
    chat.press(current)
    after = snapshot(chat)
    assert after != before  # it acted (saved, deleted, undid, closed the question or asked on)
    chat.press(current)
    assert snapshot(chat) == after  # pressed twice: acted once


def test_a_lot_button_of_another_sale_does_not_pick_for_this_one(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard()
    two_buys(chat)
    ask_lots(chat)
    old_lot = data(chat, "10 from Jan")
    chat.send("/cancel")
    for answer in ("/sell", "XYZ", "2024-06-03", "5", "25", "0"):
        chat.send(answer)
    assert "That question is closed" in chat.press(old_lot)
    wizard = chat.service.state(1).wizard
    assert wizard is not None and wizard.step == "ASKING_LOTS"
    assert [t.side for t in chat.service.state(1).trades] == ["buy", "buy"]


def test_an_ambiguous_income_is_answered_by_its_own_buttons_as_written(tmp_path: Path) -> None:
    """A German user's "85,000" is asked both ways; the buttons answer that question only, and the one
    tapped is saved as it reads (85,00 $ is eighty-five dollars, not eighty-five thousand)."""
    chat = Chat(tmp_path / "cgt.db", locale="de")
    chat.send("/start")
    chat.tap("2026")
    chat.tap("Single")
    chat.send("85,000")
    old = data(chat, "85,00")
    chat.send("85,000")  # asked again: the first question's buttons are closed
    current = data(chat, "85,00")
    assert "That question is closed" in chat.press(old)
    assert chat.service.state(1).profile.years.given(2026).wages is None
    chat.press(current)
    assert chat.service.state(1).profile.years.given(2026).wages == Decimal("85.00")
    assert "carryover" in "\n".join(r.text for r in chat.last)


def test_an_old_reminders_button_does_not_undo_a_later_change(tmp_path: Path) -> None:
    """Turn off, tapped on an old /reminders answer after reminders were turned off and on again by
    typing: the question it answered is closed, so reminders stay on."""
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard()
    chat.send("/reminders")
    old = data(chat, "Turn off")
    chat.send("/reminders off")
    chat.send("/reminders on")
    assert "That question is closed. Reminders are on" in chat.press(old)
    assert chat.service.state(1).profile.reminders is True
    chat.send("/reminders")
    current = data(chat, "Turn off")
    assert "Reminders are off" in chat.press(current)
    chat.send("/reminders on")
    assert "That question is closed. Reminders are on" in chat.press(current)  # pressed again, later
    assert chat.service.state(1).profile.reminders is True


def test_a_reminders_button_sent_before_buttons_were_bound_works_once(tmp_path: Path) -> None:
    """A message from the release before carries "remind:off" with no question named: it still turns
    reminders off, and pressed again it says so instead of doing anything."""
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard()
    assert "Reminders are off" in chat.press("remind:off")
    assert chat.service.state(1).profile.reminders is False
    assert "Reminders are already off" in chat.press("remind:off")
    assert chat.service.state(1).profile.reminders is False
    assert "Reminders are on" in chat.press("remind:on")
    assert chat.service.state(1).profile.reminders is True


def test_a_settings_menu_sent_before_buttons_were_bound_still_opens_its_question(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard()
    assert "What is your filing status for 2025?" in chat.press("set:status:2025")
    chat.tap("Married filing jointly")
    assert chat.service.state(1).profile.years.given(2025).filing_status == "mfj"
    assert "Which tax year?" in chat.press("set:year")
    # /start's "Answer all five again", as sent before:
    assert "Which tax year are we working on?" in chat.press("restart:")


def test_a_settings_menu_answered_is_closed(tmp_path: Path) -> None:
    """The menu's question is answered by the first button: tapping another of its buttons afterwards
    is closed, and the fresh menu the answer shows works."""
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard()
    chat.send("/settings")
    carryover = data(chat, "Carryover")
    chat.tap("Filing status")
    chat.tap("Married filing jointly")
    fresh = data(chat, "Carryover")  # the menu shown with "Saved."
    assert "That question is closed. Send /settings" in chat.press(carryover)
    assert "capital-loss carryover into 2026" in chat.press(fresh)
