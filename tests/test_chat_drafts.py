"""A question's answers are typed per flow, and a question stored before that (a dict of strings)
goes on where it was: the upgrade loses nobody's half-entered trade."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from calc.models import LotPick
from conversations.drafts import GrantDraft, GuessDraft, ImportDraft, SaleOffer, TradeDraft, YearDraft, YesNo
from conversations.events import Event
from conversations.router import handle
from conversations.state import Profile, UserState, Wizard
from tests.chat import NOW, Chat


def _old(flow: str, step: str, draft: dict[str, str]) -> Wizard:
    return Wizard.model_validate_json(json.dumps({"flow": flow, "step": step, "draft": draft}))


def _text(state: UserState, text: str) -> tuple[UserState, str]:
    outcome = handle(state, Event(kind="text", id="e", now=NOW, text=text))
    return outcome.state, "\n".join(r.text for r in outcome.replies)


def test_the_sale_wizard_keeps_typed_answers_and_picks(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/buy 10 XYZ 30 2024-02-10")
    for answer in ("/sell", "XYZ", "2024-06-03", "15", "25", "0"):
        chat.send(answer)
    wizard = chat.service.state(chat.user_id).wizard
    assert wizard is not None and wizard.nonce
    assert wizard.answers == TradeDraft(
        symbol="XYZ", date=date(2024, 6, 3), quantity=Decimal(15), price=Decimal(25), fees=Decimal(0)
    )
    chat.tap("10 from Feb")
    wizard = chat.service.state(chat.user_id).wizard
    assert wizard is not None and isinstance(wizard.answers, TradeDraft) and len(wizard.answers.picks) == 1
    chat.tap("10 from Jan")
    assert chat.service.state(chat.user_id).wizard is None
    (sale,) = [t for t in chat.service.state(chat.user_id).trades if t.side == "sell"]
    assert [p.quantity for p in sale.lots] == [10, 5]  # the February lot first, as tapped


def test_a_buy_stored_as_strings_goes_on_at_its_question() -> None:
    wizard = _old("buy", "ASKING_FEES", {"symbol": "XYZ", "date": "2024-01-10", "quantity": "100", "price": "20"})
    assert wizard.answers == TradeDraft(symbol="XYZ", date=date(2024, 1, 10), quantity=Decimal(100), price=Decimal(20))
    state = UserState(profile=Profile(onboarded=True, tax_year=2024), wizard=wizard)
    state, reply = _text(state, "4.95")
    (trade,) = state.trades
    assert (trade.symbol, trade.quantity, trade.price, trade.fees, trade.date) == (
        "XYZ",
        100,
        20,
        Decimal("4.95"),
        date(2024, 1, 10),
    )
    assert state.wizard is None and "XYZ" in reply


def test_old_exercise_and_whatif_answers_become_their_models() -> None:
    exercise = _old("exercise", "ASKING_FMV", {"kind": "iso", "symbol": "XYZ", "date": "2026-02-02", "quantity": "10"})
    assert exercise.answers == GrantDraft(grant="iso", symbol="XYZ", date=date(2026, 2, 2), quantity=Decimal(10))
    offer = _old(
        "whatif",
        "OFFERING_SALE",
        {"symbol": "XYZ", "quantity": "15", "price": "30", "date": "2026-11-23", "picks": "T2=10,T1=5"},
    )
    assert offer.answers == SaleOffer(
        symbol="XYZ",
        quantity=Decimal(15),
        price=Decimal(30),
        date=date(2026, 11, 23),
        picks=(LotPick(lot_id="T2", quantity=Decimal(10)), LotPick(lot_id="T1", quantity=Decimal(5))),
    )
    settings = _old("settings", "ASKING_OTHER_INCOME", {"year": "2025"})
    assert settings.answers == YearDraft(year=2025)
    preview = _old("import", "CONFIRMING_IMPORT", {"name": "x.csv", "trades": "[]"})
    assert preview.answers == ImportDraft(name="x.csv") and preview.nonce == ""  # its buttons had none
    # A yes/no question kept its nonce (and the id it named) among the strings.
    forget = _old("forget", "CONFIRMING", {"nonce": "e17"})
    assert forget.answers == YesNo() and forget.nonce == "e17"
    delete = _old("delete", "CONFIRMING", {"id": "T3", "nonce": "e18"})
    assert delete.answers == YesNo(target="T3") and delete.nonce == "e18"
    guess = _old(
        "words",
        "CONFIRMING_TRADE",
        {
            "side": "buy",
            "symbol": "AAPL",
            "quantity": "10",
            "price": "150",
            "date": "2026-11-23",
            "fees": "0",
            "account": "",
            "nonce": "e19",
        },
    )
    assert guess.answers == GuessDraft(
        side="buy", symbol="AAPL", quantity=Decimal(10), price=Decimal(150), date=date(2026, 11, 23), fees=Decimal(0)
    )
    assert guess.nonce == "e19"


def test_typed_answers_survive_storage(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    for answer in ("/exercise", "ISO", "XYZ", "2026-02-02", "100", "10", "50"):
        chat.send(answer)
    wizard = chat.restart().service.state(chat.user_id).wizard
    assert wizard is not None and wizard.step == "ASKING_GRANT_DATE"
    assert wizard.answers == GrantDraft(
        grant="iso",
        symbol="XYZ",
        date=date(2026, 2, 2),
        quantity=Decimal(100),
        strike=Decimal(10),
        fmv=Decimal(50),
    )


def _stored(tmp_path: Path, wizard: dict[str, object]) -> Chat:
    """A chat whose stored state holds `wizard` exactly as an older release wrote it (raw JSON)."""
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard()
    chat.send("/buy 10 XYZ 20 2024-01-10")
    state = json.loads(chat.service.state(chat.user_id).model_dump_json())
    old = UserState.model_validate({**state, "wizard": wizard})
    chat.service.store.save(chat.user_id, chat.service.state(chat.user_id), old, None)
    return chat.restart()


def test_a_guess_stored_as_strings_is_saved_by_its_old_save_button(tmp_path: Path) -> None:
    draft = {
        "side": "buy",
        "symbol": "AAPL",
        "quantity": "10",
        "price": "150",
        "date": "2024-02-01",
        "fees": "0",
        "account": "Roth IRA",
        "nonce": "1234",
    }
    chat = _stored(tmp_path, {"flow": "words", "step": "CONFIRMING_TRADE", "draft": draft})
    assert "That question is closed" in chat.press("save:999")  # another question's Save
    chat.press("save:1234")
    trades = chat.service.state(chat.user_id).trades
    assert [(t.symbol, t.quantity, t.price, t.account, t.account_type) for t in trades[1:]] == [
        ("AAPL", 10, 150, "Roth IRA", "ira")
    ]
    assert "That question is closed" in chat.press("save:1234")  # pressed twice: saved once
    assert len(chat.service.state(chat.user_id).trades) == 2


def test_a_delete_stored_as_strings_deletes_by_its_old_yes(tmp_path: Path) -> None:
    chat = _stored(tmp_path, {"flow": "delete", "step": "CONFIRMING", "draft": {"id": "T1", "nonce": "77"}})
    assert "Deleted: #1" in chat.press("del:77")
    assert chat.service.state(chat.user_id).trades == ()


def test_an_import_preview_stored_with_its_nonce_in_the_answers_adds_by_its_button(tmp_path: Path) -> None:
    # The typed preview of the release before: ImportDraft kept the nonce among its fields.
    answers = {"kind": "import", "name": "x.csv", "trades": [], "splits": [], "nonce": "abc"}
    chat = _stored(tmp_path, {"flow": "import", "step": "CONFIRMING_IMPORT", "answers": answers})
    wizard = chat.service.state(chat.user_id).wizard
    assert wizard is not None and wizard.nonce == "abc" and wizard.answers == ImportDraft(name="x.csv")
    assert "That question is closed" in chat.press("import:yes:abd")
    assert "Added 0 trades from x.csv" in chat.press("import:yes:abc")


def test_a_buy_stored_before_step_buttons_were_bound_takes_its_old_no_fees(tmp_path: Path) -> None:
    # The release before named each question but sent its step buttons bare ("fees:0"): a /buy left at
    # its fees question then is finished by that button after the upgrade.
    answers = {"kind": "trade", "symbol": "ABC", "date": "2024-03-01", "quantity": "5", "price": "30"}
    chat = _stored(tmp_path, {"flow": "buy", "step": "ASKING_FEES", "answers": answers, "nonce": "e42"})
    assert "Saved #2" in chat.press("fees:0")
    assert [(t.symbol, t.quantity, t.fees) for t in chat.service.state(chat.user_id).trades[1:]] == [("ABC", 5, 0)]
    # A question asked now is answered only by its own buttons: the bare one is closed for it.
    for answer in ("/buy", "ABC", "2024-03-02", "5", "31"):
        chat.send(answer)
    (no_fees,) = [b.data for r in chat.last for row in r.buttons for b in row if b.label == "No fees"]
    assert "That question is closed" in chat.press("fees:0")
    assert len(chat.service.state(chat.user_id).trades) == 2
    chat.press(no_fees)
    assert len(chat.service.state(chat.user_id).trades) == 3
