"""Every trade has a short number the user can type, imported ones too (issue 14), drawn from the same counter
as typed trades, so numbers never collide; the import's digest stays its id, the key that keeps a file from
being added twice."""

from __future__ import annotations

from pathlib import Path

from tests.chat import Chat
from tests.test_forms_import import FIXTURES, file_event


def test_imported_trades_get_short_numbers_that_edit_and_delete_reach(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.send("/buy 1 ABC 5 2023-06-01")  # #1, typed
    content = (FIXTURES / "schwab.csv").read_bytes()
    chat._run(file_event("schwab.csv", content, 1))
    assert "Added 2 trades" in chat.tap("Add")
    listing = chat.send("/trades")
    assert "#2 " in listing and "#3 " in listing  # the purchase and the sale from the file, in date order
    trade_lines = listing.split("Splits:")[0].splitlines()
    assert not any(line.startswith("#") and len(line.split()[0]) > 6 for line in trade_lines)  # no digests
    imported = [t for t in chat.service.state(1).trades if t.id.startswith("I")]
    assert [t.number for t in imported] == [2, 3]
    # Sending the file again adds nothing twice: the digest, not the number, is what's compared.
    chat._run(file_event("schwab.csv", content, 2))
    assert "Nothing new" in "\n".join(r.text for r in chat.last)
    assert [t.number for t in chat.service.state(1).trades if t.id.startswith("I")] == [2, 3]
    assert "Changed #3" in chat.send("/edit 3 price 16")
    assert "Delete #3" in chat.send("/delete 3")
    chat.tap("Yes")
    assert [t.number for t in chat.restart().service.state(1).trades if t.id.startswith("I")] == [2]
    assert "#4" in chat.send("/buy 2 DEF 7 2024-02-01")  # typed trades go on from the same counter
