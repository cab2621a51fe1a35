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
