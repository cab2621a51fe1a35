"""Tax-advantaged accounts other than IRAs (HSAs, 401(k)s, 403(b)s...) are sheltered like IRAs.

fidelity_all_accounts_hsa_2025.csv follows Fidelity's all-accounts layout as published in
redstreet/beancount_reds_importers (tests/fixtures/brokers/README.md), with its "HSA" and "Brokerage"
accounts; the trades are ours:
- HSA: 20 BND bought Mar 3, 2025 for $1,440, sold Jun 2 for $1,480: a $40 gain inside an HSA, which is
  exempt from tax (IRC 223(e)(1)), so there is nothing to report.
- Brokerage: 10 VTI bought Sep 2 for $3,000, sold Oct 1 for $2,800: a $200 loss.
- HSA: 10 VTI bought Oct 15 for $2,850, 14 days after that loss: a wash sale (IRC 1091). Rev. Rul. 2008-5
  disallows the loss for good when the replacement is bought in an IRA; the bot treats an HSA the same way.
So 2025's gains are $0.00 net: no BND gain, and the $200 VTI loss disallowed for good.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from calc.booking import book
from conversations.files.importers import read_csv
from conversations.files.importers.common import BrokerLot
from conversations.files.opening import lots_as_trades
from tests.chat import Chat
from tests.test_chat_import_brokers import send_file

FIXTURE = Path(__file__).parent / "fixtures" / "brokers" / "fidelity_all_accounts_hsa_2025.csv"


def test_the_file_books_the_hsa_trades_as_sheltered_and_keeps_its_name() -> None:
    preview = read_csv(FIXTURE.name, FIXTURE.read_bytes())
    accounts = {(t.date.isoformat(), t.symbol, t.side): (t.account, t.account_type) for t in preview.trades}
    assert accounts == {
        ("2025-03-03", "BND", "buy"): ("HSA 222222222", "ira"),
        ("2025-06-02", "BND", "sell"): ("HSA 222222222", "ira"),
        ("2025-09-02", "VTI", "buy"): ("Brokerage 333333333", "taxable"),
        ("2025-10-01", "VTI", "sell"): ("Brokerage 333333333", "taxable"),
        ("2025-10-15", "VTI", "buy"): ("HSA 222222222", "ira"),
    }


@pytest.mark.parametrize("account", ["401(K)", "403(b) Plan", "457(b)", "Health Savings Account", "BrokerageLink"])
def test_other_sheltered_account_names_in_a_file(account: str) -> None:
    text = FIXTURE.read_text().replace('"HSA"', f'"{account}"')
    preview = read_csv(FIXTURE.name, text.encode())
    assert {t.account_type for t in preview.trades if t.account and t.account.startswith(account)} == {"ira"}


def test_an_hsa_sale_is_not_in_gains_and_an_hsa_purchase_loses_the_loss_for_good(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard(income="85000")
    send_file(chat, "fidelity_all_accounts_hsa_2025.csv")
    chat.tap("Add 5 trades")
    ledger = book(chat.service.state(1).trades)
    assert [(d.symbol, d.gain, d.wash_sale_disallowed) for d in ledger.dispositions] == [
        ("VTI", Decimal(0), Decimal(200))  # the gain after the wash sale: -$200 + $200 disallowed
    ]
    gains = chat.send("/gains 2025")
    assert "BND" not in gains  # the HSA's $40 gain is not on the return
    assert "Together: $0.00" in gains
    assert "Wash sales into an HSA: $200.00 of losses are disallowed for good" in gains
    assert "The IRS ruled that for IRAs" in gains and "(Rev. Rul. 2008-5)" in gains
    assert "No ruling covers HSAs; I treat your HSA the same way, as the cautious reading." in gains
    assert "Wash sales into an IRA" not in gains and "added to the new shares' basis" not in gains
    holdings = chat.send("/portfolio VTI")
    assert "in an HSA, sheltered from tax" in holdings and "IRA" not in holdings


def test_one_liner_in_my_hsa(chat: Chat) -> None:
    chat.send("/buy 10 VTI 210 2026-10-01")
    chat.send("/sell 10 VTI 190 2026-11-03")  # a $200 loss, 20 days before...
    text = chat.send("bought 10 VTI at 200 in my HSA")  # ...replaced in an HSA today, Nov 23 (no date: asked)
    assert "Bought 10 VTI at $200.00 today in your HSA — save it?" in text
    saved = chat.tap("Save")
    assert "in your HSA" in saved and "Trades inside an HSA aren't taxed as they happen" in saved
    assert "$200.00 of that loss is disallowed for good" in saved
    assert "No ruling covers HSAs; I treat your HSA the same way" in saved and "IRA" in saved  # the ruling's word
    trade = chat.service.state(1).trades[-1]
    assert (trade.account, trade.account_type) == ("HSA", "ira")


@pytest.mark.parametrize(
    ("line", "account"),
    [
        ("/buy 10 VTI 200 2026-11-02 in my 401k", "401(k)"),
        ("/buy 10 VTI 200 2026-11-02 in my 401(k)", "401(k)"),
        ("/buy 10 VTI 200 2026-11-02 in my 403b", "403(b)"),
        ("/buy 10 VTI 200 2026-11-02 in my HSA", "HSA"),
        ("bought 10 VTI at 200 on Nov 2 in my 401k", "401(k)"),
        ("/buy 10 VTI 200 2026-11-02 in my 401k account", "401(k)"),
        ("/buy 10 VTI 200 2026-11-02 in my health savings account", "HSA"),
        ("bought 10 VTI at 200 on Nov 2 in my HSA account", "HSA"),
        ("/buy 10 VTI 200 2026-11-02 in my IRA account", "IRA"),
    ],
)
def test_plan_accounts_in_one_liners(chat: Chat, line: str, account: str) -> None:
    text = chat.send(line)
    if "save it?" in text:  # read as a guess: shown first, as an IRA line would be
        assert f"in your {account}" in text
        text = chat.tap("Save")
    assert f"in your {account}." in text and ("IRA" not in text or account == "IRA")
    trade = chat.service.state(1).trades[-1]
    assert (trade.account, trade.account_type, trade.quantity) == (account, "ira", Decimal(10))


def test_a_bare_number_is_not_an_account(chat: Chat) -> None:
    chat.send("/buy 529 VTI 200 2026-11-02")  # 529 shares, not a 529 plan
    trade = chat.service.state(1).trades[-1]
    assert (trade.quantity, trade.account_type) == (Decimal(529), "taxable")


def test_opening_lots_in_an_hsa_are_sheltered() -> None:
    # open_lots.csv's layout (Symbol, Date Acquired, Quantity, Cost Basis, Account) with its VVV lot in an HSA.
    lots = [
        BrokerLot(
            line=2, symbol="VVV", acquired=date(2023, 5, 10), quantity=Decimal(341), cost=Decimal(9500), account=name
        )
        for name in ("HSA 222222222", "Brokerage 333333333")
    ]
    trades = lots_as_trades("open_lots.csv", lots)
    assert [(t.account, t.account_type) for t in trades] == [
        ("HSA 222222222", "ira"),
        ("Brokerage 333333333", "taxable"),
    ]
