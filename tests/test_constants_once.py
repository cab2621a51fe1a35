"""Law values are stated once (calc/params, calc/booking.WASH_WINDOW); the chat reads them instead of
writing "30 days", "3.8%" or "$3,000" into its replies, so a change in the law is one change."""

from __future__ import annotations

import re
from pathlib import Path

import calc.planner
import conversations.reminders
from calc.booking import WASH_WINDOW

HARD_CODED = re.compile(r"\b30 days\b|3\.8%|\$3,000|\$1,500|days=30\b|_DAYS = 30\b")
CHAT = Path(__file__).parent.parent / "conversations"


def test_the_wash_window_is_one_value() -> None:
    assert calc.planner.WASH_WINDOW is WASH_WINDOW and conversations.reminders.WASH_WINDOW is WASH_WINDOW


def test_no_reply_hard_codes_a_law_value() -> None:
    found = []
    for path in CHAT.rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            if HARD_CODED.search(code) and not code.strip().startswith(('"""', "'''")):
                found.append(f"{path.relative_to(CHAT)}:{number}: {line.strip()}")
    assert found == []
