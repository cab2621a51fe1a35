"""The phrasing table: every row is a message as people type it on a phone, with the exact reading
expected (intent, symbol, shares or all/half, dollar amount, price, date, account...)."""

from __future__ import annotations

import pytest

from conversations.commands import BY_NAME
from conversations.understanding.reader import understand
from tests.phrasings.table import TODAY, Row, actual, expected, rows

TUNED = rows("tuned.tsv")


def test_the_table_is_large() -> None:
    assert len(TUNED) >= 300


@pytest.mark.parametrize("row", TUNED, ids=str)
def test_phrasing(row: Row) -> None:
    reading = understand(row.text, TODAY, row.locale, commands=BY_NAME)
    assert actual(reading) == expected(row), f"line {row.line}"
