"""Editing a sent message changes the trade it recorded: tiny conversations, one rule each.

Figures are worked by hand: 10 shares bought at $15.00 and sold at $200.00 are $2,000.00 of proceeds
less $150.00 of basis, a $1,850.00 gain; bought at $150.00 the basis is $1,500.00 and the gain $500.00.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from calc import Trade
from conversations.events import Event, FileIn
from conversations.router import handle
from conversations.state import UserState
from conversations.taxview import ledger_of
from tests.chat import Chat


def trades(chat: Chat) -> list[tuple[str, str, str, Decimal, Decimal, Decimal]]:
    return [(t.id, t.side, t.symbol, t.quantity, t.price, t.fees) for t in chat.service.state(chat.user_id).trades]


def test_a_corrected_price_changes_the_trade_and_says_so(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 15 2026-03-02")
    reply = chat.edit("/buy 10 AAPL 150 2026-03-02")
    assert reply.startswith("Changed #1: price $15.00 → $150.00.")
    assert "Basis $1,500.00; it turns long-term on Mar 3, 2027." in reply
    assert trades(chat) == [("T1", "buy", "AAPL", 10, 150, 0)]  # the same trade, not a second one
    assert "Saved #2" in chat.send("/buy 1 MSFT 400 2026-03-02")  # and the numbers go on as before


def test_a_later_sale_s_gain_is_told_again(chat: Chat) -> None:
    purchase = chat.send("/buy 10 AAPL 15 2026-03-02") and chat.sent[-1]
    chat.send("/sell 10 AAPL 200 2026-06-01")
    assert "$1,850.00 short-term gain" in chat.last[0].text
    reply = chat.edit("/buy 10 AAPL 150 2026-03-02", message=purchase)
    assert "#2, sold 10 AAPL on Jun 1, 2026: now a $500.00 short-term gain, was a $1,850.00 short-term gain." in reply


def test_editing_the_sale_tells_its_new_gain(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 150 2026-03-02")
    chat.send("/sell 10 AAPL 200 2026-06-01")
    reply = chat.edit("/sell 10 AAPL 140 2026-06-01 fees 5")
    assert reply.startswith("Changed #2: price $200.00 → $140.00; fees $0.00 → $5.00.")
    # $1,400.00 - $5.00 of proceeds less $1,500.00 of basis
    assert "$105.00 short-term loss: 10 shares held" in reply


def test_several_changes_at_once_and_words_too(chat: Chat) -> None:
    chat.send("bought 10 AAPL at 15 on 2026-03-02")
    reply = chat.edit("bought 12 MSFT at 15 on 2026-03-04")
    assert reply.startswith("Changed #1: symbol AAPL → MSFT; date Mar 2, 2026 → Mar 4, 2026; shares 10 → 12.")
    assert trades(chat) == [("T1", "buy", "MSFT", 12, 15, 0)]


def test_a_sale_moved_to_another_stock_is_checked_against_that_stock(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 150 2026-03-02")
    chat.send("/buy 10 MSFT 300 2026-03-02")
    chat.send("/sell 5 AAPL 160 2026-06-01")
    reply = chat.edit("/sell 5 MSFT 310 2026-06-01")
    assert reply.startswith("Changed #3: symbol AAPL → MSFT; price $160.00 → $310.00.")
    # 5 x (310 - 300)
    assert "$50.00 short-term gain: 5 shares held" in reply
    refused = chat.edit("/sell 15 MSFT 310 2026-06-01")
    assert refused.startswith("I can't change #3 that way: on Jun 1, 2026 you held 10 MSFT, so you can't sell 15.")
    assert refused.endswith("Nothing changed: #3 stays as it was: sell 5 MSFT at $310.00 on Jun 1, 2026.")


def test_a_same_day_purchase_and_sale_keep_their_order(chat: Chat) -> None:
    purchase = chat.send("/buy 10 AAPL 15 2026-03-02") and chat.sent[-1]
    chat.send("/sell 10 AAPL 20 2026-03-02")
    reply = chat.edit("/buy 10 AAPL 16 2026-03-02", message=purchase)
    assert "#2, sold 10 AAPL on Mar 2, 2026: now a $40.00 short-term gain, was a $50.00 short-term gain." in reply


def test_an_unreadable_edit_keeps_the_trade(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 15 2026-03-02")
    reply = chat.edit("/buy 10 AAPL fifteenish 2026-03-02")
    assert reply.startswith("About your edit:")
    assert reply.endswith("#1 stays as it was: buy 10 AAPL at $15.00 on Mar 2, 2026.")
    assert trades(chat) == [("T1", "buy", "AAPL", 10, 15, 0)]


def test_an_edit_that_is_no_trade_any_more_keeps_it(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 15 2026-03-02")
    reply = chat.edit("/buy")
    assert "doesn't read as a trade any more, so #1 stays as it was" in reply
    assert trades(chat) == [("T1", "buy", "AAPL", 10, 15, 0)]
    assert chat.service.state(1).wizard is None  # no question opened by the edit


def test_an_edit_that_makes_a_later_sale_oversell_is_refused(chat: Chat) -> None:
    purchase = chat.send("/buy 10 AAPL 15 2026-03-02") and chat.sent[-1]
    chat.send("/sell 10 AAPL 200 2026-06-01")
    before = chat.service.store.version(1)
    reply = chat.edit("/buy 5 AAPL 15 2026-03-02", message=purchase)
    assert "I can't change #1 that way" in reply and "so you can't sell 10" in reply
    assert reply.endswith("Nothing changed: #1 stays as it was: buy 10 AAPL at $15.00 on Mar 2, 2026.")
    assert [t[3] for t in trades(chat)] == [10, 10]
    assert chat.service.store.version(1) == before


def test_an_edit_reading_as_a_guess_waits_for_save(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 15 2026-03-02")
    reply = chat.edit("bought 10 shares of Apple at 150 on 2026-03-02")
    assert "recorded #1 (buy 10 AAPL at $15.00 on Mar 2, 2026). I now read it as:" in reply
    assert "Bought 10 AAPL (Apple Inc.) at $150.00 on Mar 2, 2026 — save it?" in reply
    assert trades(chat) == [("T1", "buy", "AAPL", 10, 15, 0)]  # nothing yet
    assert chat.tap("Save").startswith("Changed #1: price $15.00 → $150.00.")
    assert trades(chat) == [("T1", "buy", "AAPL", 10, 150, 0)]


def test_change_on_an_edit_s_guess_keeps_the_trade(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 15 2026-03-02")
    chat.edit("bought 10 shares of Apple at 150 on 2026-03-02")
    assert chat.tap("Change").startswith("#1 stays as it was. Edit the message again")
    assert trades(chat) == [("T1", "buy", "AAPL", 10, 15, 0)]


def test_a_saved_guess_is_linked_to_its_message(chat: Chat) -> None:
    chat.send("Bought 10 shares of Apple at $150.00 on 2026-03-02")
    message = chat.sent[-1]
    chat.tap("Save")
    chat.send("what's my profit?")
    chat.edit("Bought 10 shares of Apple at $160.00 on 2026-03-02", message=message)
    assert chat.tap("Save").startswith("Changed #1: price $150.00 → $160.00.")
    assert trades(chat) == [("T1", "buy", "AAPL", 10, 160, 0)]


def test_an_edit_to_another_kind_of_trade_is_refused(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 15 2026-03-02")
    chat.send("/buy 5 AAPL 20 2026-03-03")
    reply = chat.edit("/sell 5 AAPL 20 2026-03-03")
    assert "Your edit makes it a sale, but #2 is a purchase" in reply and "/delete 2" in reply
    assert [t[1] for t in trades(chat)] == ["buy", "buy"]


def test_an_undone_trade_is_not_brought_back(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 15 2026-03-02")
    message = chat.sent[-1]
    chat.send("/undo")
    reply = chat.edit("/buy 10 AAPL 150 2026-03-02", message=message)
    assert "(#1) no longer exists: it was undone or deleted since" in reply
    assert trades(chat) == []


def test_the_same_edit_delivered_twice_changes_it_once(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 15 2026-03-02")
    first = chat.edit("/buy 10 AAPL 150 2026-03-02", event_id="u500")
    version = chat.service.store.version(1)
    assert chat.edit("/buy 10 AAPL 150 2026-03-02", event_id="u500") == first  # the kept answer again
    assert chat.service.store.version(1) == version
    # A second edit saying the same (a client resending it under a new update id) changes nothing either.
    assert chat.edit("/buy 10 AAPL 150 2026-03-02").startswith("Nothing to change: #1 already says")
    assert chat.service.store.version(1) == version
    assert trades(chat) == [("T1", "buy", "AAPL", 10, 150, 0)]


def test_an_option_exercise_edit_tells_the_new_wages(chat: Chat) -> None:
    chat.send("/exercise 100 XYZ nso strike 10 fmv 50 2026-02-02")
    reply = chat.edit("/exercise 100 XYZ nso strike 10 fmv 60 2026-02-02")
    assert reply.startswith("Changed #1: market value $50.00 → $60.00.")
    assert "$5,000.00 is wages for 2026" in reply  # (60 - 10) x 100


def test_an_edited_question_is_answered_again(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 15 2026-03-02")
    chat.send("what is the tax on my ISOs?")
    reply = chat.edit("when does my AAPL go long term?")
    assert "Mar 3, 2027" in reply


def test_an_edited_answer_to_a_question_changes_nothing(chat: Chat) -> None:
    chat.send("/buy")
    chat.send("AAPL")
    reply = chat.edit("MSFT")
    assert "didn't record anything on its own, so nothing changed" in reply
    wizard = chat.service.state(1).wizard
    assert wizard is not None and wizard.step == "ASKING_TRADE_DATE"  # the open question stays


def test_an_edit_while_a_question_is_open_keeps_the_question(chat: Chat) -> None:
    purchase = chat.send("/buy 10 AAPL 15 2026-03-02") and chat.sent[-1]
    chat.send("/sell")
    assert chat.edit("/buy 10 AAPL 150 2026-03-02", message=purchase).startswith("Changed #1")
    wizard = chat.service.state(1).wizard
    assert wizard is not None and (wizard.flow, wizard.step) == ("sell", "ASKING_SYMBOL")


def test_a_failed_line_fixed_by_an_edit_is_recorded_then(chat: Chat) -> None:
    assert "you can't sell" in chat.send("/sell 10 AAPL 200 2026-06-01") or trades(chat) == []
    chat.send("/buy 10 AAPL 15 2026-03-02")
    first = chat.sent[0 - 2]
    assert "Saved #2: bought 10 AAPL" in chat.edit("/buy 10 AAPL 16 2026-03-01", message=first)
    # That message recorded #2 now: edited again, it changes #2.
    assert chat.edit("/buy 10 AAPL 17 2026-03-01", message=first).startswith("Changed #2: price $16.00 → $17.00.")


def test_a_split_line_s_edit_says_how_to_change_it(chat: Chat) -> None:
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/split XYZ 2:1 2024-06-10")
    reply = chat.edit("/split XYZ 3:1 2024-06-10")
    assert "recorded split #2; edits change trades, not splits" in reply and "/delete 2" in reply


NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def test_a_message_that_recorded_several_trades_or_a_file() -> None:
    bought = [
        Trade(date=datetime(2026, 3, 2).date(), symbol="XYZ", side="buy", quantity=Decimal(1), price=Decimal(5), id=i)
        for i in ("T1", "T2")
    ]
    state = UserState(trades=tuple(bought), next_trade_number=3, recorded={"7": ("T1", "T2")})
    several = handle(state, Event(kind="edit", id="u1", now=NOW, message="7", text="/buy 1 XYZ 6 2026-03-02"))
    assert "That message recorded 2 trades" in several.replies[0].text and several.state is state
    file = FileIn(name="schwab.csv", content=b"")
    edited = handle(state, Event(kind="edit", id="u2", now=NOW, message="8", file=file))
    assert "Edits change trades typed on one line, not files" in edited.replies[0].text
    assert edited.state is state


def test_one_user_s_edit_never_touches_another_s_trade(tmp_path: Path) -> None:
    """Message ids count per chat: both users' first message is number 1."""
    ann, bob = Chat(tmp_path / "cgt.db", user_id=1), Chat(tmp_path / "cgt.db", user_id=2)
    ann.send("/buy 10 AAPL 15 2026-03-02")
    bob.send("/price MSFT 290")
    assert ann.sent == bob.sent == ["1"]
    # Bob's message 1 recorded no trade: his edit records one, for him; Ann's message 1 is hers.
    assert "Saved #1: bought 10 MSFT" in bob.edit("/buy 10 MSFT 300 2026-03-02")
    assert "Changed #1: price $300.00 → $310.00" in bob.edit("/buy 10 MSFT 310 2026-03-02")
    assert "Changed #1: price $15.00 → $16.00" in ann.edit("/buy 10 AAPL 16 2026-03-02")
    assert trades(ann) == [("T1", "buy", "AAPL", 10, 16, 0)]
    assert trades(bob) == [("T1", "buy", "MSFT", 10, 310, 0)]


def test_an_edit_of_a_message_from_before_notes_never_records_a_second_copy() -> None:
    """A trade recorded before messages were noted: its message's edit can't be told from a new trade."""
    bought = Trade(date=datetime(2026, 3, 2).date(), symbol="AAPL", side="buy", quantity=Decimal(10), price=Decimal(15))
    state = UserState(trades=(bought.model_copy(update={"id": "T1"}),), next_trade_number=2)
    outcome = handle(state, Event(kind="edit", id="u1", now=NOW, message="3", text="/buy 10 AAPL 150 2026-03-02"))
    assert "I haven't saved anything from your edit" in outcome.replies[0].text
    assert outcome.state.trades == state.trades
    guess = handle(state, Event(kind="edit", id="u4", now=NOW, message="3", text="bought 10 Apple at 150 on 3/2"))
    assert "I haven't saved anything" in guess.replies[0].text and guess.state.wizard is None  # no Save to tap
    asked = handle(state, Event(kind="edit", id="u2", now=NOW, message="3", text="when does my AAPL go long term?"))
    assert "Mar 3, 2027" in asked.replies[0].text  # a question is still answered
    # From the first message that changes something, messages are noted: a later one's edit is followed.
    priced = handle(state, Event(kind="text", id="u3", now=NOW, message="9", text="/price AAPL 190"))
    assert priced.state.messages_from == 9


@settings(max_examples=30, deadline=None)
@given(
    buys=st.lists(st.tuples(st.integers(1, 50), st.integers(1, 400), st.integers(1, 28)), min_size=1, max_size=5),
    pick=st.integers(0, 4),
    shares=st.integers(1, 50),
    price=st.integers(1, 400),
    day=st.integers(1, 28),
)
def test_an_edit_leaves_what_sending_the_corrected_line_would_have(
    buys: list[tuple[int, int, int]], pick: int, shares: int, price: int, day: int
) -> None:
    """Edit one purchase of a history (buys in February, a sale of what is left in June): the trades and
    every gain are those of the same history sent with the corrected line in the first place."""
    lines = [f"/buy {n} XYZ {p} 2026-02-{d:02d}" for n, p, d in buys]
    held = sum(n for n, _, _ in buys)
    k = pick % len(lines)
    corrected = f"/buy {shares} XYZ {price} 2026-02-{day:02d}"
    sale = f"/sell {min(held, held - buys[k][0] + shares)} XYZ 300 2026-06-01"

    def sent(texts: list[str]) -> UserState:
        state = UserState(messages_from=1)
        for i, text in enumerate(texts, start=1):
            state = handle(state, Event(kind="text", id=f"u{i}", now=NOW, text=text, message=str(i))).state
        return state

    edited = handle(
        sent([*lines, sale]), Event(kind="edit", id="u99", now=NOW, text=corrected, message=str(k + 1))
    ).state
    fresh = sent([*lines[:k], corrected, *lines[k + 1 :], sale])
    assert edited.trades == fresh.trades
    assert ledger_of(edited.trades).dispositions == ledger_of(fresh.trades).dispositions
