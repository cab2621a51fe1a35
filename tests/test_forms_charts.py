"""Charts: the bars drawn are the right numbers, and the PNG decodes at the right size."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import matplotlib.dates as mdates
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from PIL import Image

from calc import book
from conversations.files.render.charts import (
    LONG_COLOR,
    SHORT_COLOR,
    gains_by_month,
    gains_figure,
    lot_timeline,
    timeline_figure,
)
from tests.chat import Chat
from tests.ledger import ledger

# 2024: April short +$200 (QQQ) and long -$500 (DEF); June long +$250 (ABC); December short -$500 (XYZ).
SALES = """
2022-01-03 buy 10 ABC 100
2022-02-03 buy 10 DEF 100
2024-01-10 buy 100 XYZ 20
2024-03-03 buy 20 QQQ 100
2024-04-05 sell 10 QQQ 120
2024-04-06 sell 10 DEF 50
2024-06-03 sell 5 ABC 150
2024-12-01 sell 100 XYZ 15
2025-02-01 sell 5 ABC 200
"""


def decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()  # a truncated or corrupt PNG fails here
    assert image.format == "PNG"
    return image


def test_gains_bars_are_the_months_gains_stacked() -> None:
    dispositions = book(ledger(SALES)).dispositions
    fig = gains_figure(dispositions, 2024)
    (ax,) = fig.axes
    short, long_ = ax.containers
    assert [p.get_height() for p in short] == [0, 0, 0, 200, 0, 0, 0, 0, 0, 0, 0, -500]
    assert [p.get_height() for p in long_] == [0, 0, 0, -500, 0, 250, 0, 0, 0, 0, 0, 0]
    # April: short up and long down start from zero; June's long-term bar sits on an empty short bar.
    assert [p.get_y() for p in long_][3] == 0 and [p.get_y() for p in long_][5] == 0
    assert to_hex(short[3].get_facecolor()) == SHORT_COLOR and to_hex(long_[5].get_facecolor()) == LONG_COLOR
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["Jan", "Feb", "Mar"]
    assert "2024" in ax.get_title() and "-$550" in ax.get_title()  # 200 - 500 - 500 + 250
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["short-term (-$300)", "long-term (-$250)"]
    png, data = gains_by_month(dispositions, 2024)
    assert data["long"][5] == 250
    assert decoded(png).size == (800, 400)


def test_gains_bars_stack_when_both_go_the_same_way() -> None:
    led = book(ledger("2020-01-02 buy 1 A 10\n2024-05-01 buy 1 B 10\n2024-07-01 sell 1 A 40\n2024-07-02 sell 1 B 20"))
    (ax,) = gains_figure(led.dispositions, 2024).axes
    short, long_ = ax.containers
    assert short[6].get_height() == 10 and long_[6].get_height() == 30 and long_[6].get_y() == 10


def test_lot_timeline_bars_start_at_purchase_and_turn_at_long_term() -> None:
    today = date(2026, 11, 23)
    lots = book(ledger("2024-01-10 buy 100 XYZ 20\n2026-03-03 buy 5 ABC 100\n2026-10-01 buy 7 MSFT 400")).lots
    fig = timeline_figure(lots, today)
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ABC 5", "MSFT 7", "XYZ 100"]  # soonest first
    bars = [
        (round(p.get_y() + p.get_height() / 2), p.get_x(), p.get_width(), to_hex(p.get_facecolor()))
        for p in ax.patches
        if isinstance(p, Rectangle)
    ]
    start = mdates.date2num
    assert bars == [
        (0, start(date(2026, 3, 3)), 366, SHORT_COLOR),  # turns long-term 2027-03-04, still ahead
        (1, start(date(2026, 10, 1)), 366, SHORT_COLOR),
        (2, start(date(2024, 1, 10)), 367, SHORT_COLOR),  # 2024 is a leap year: long-term from 2025-01-11
        (2, start(date(2025, 1, 11)), (today - date(2025, 1, 11)).days, LONG_COLOR),
    ]
    labels = [a.get_text() for a in ax.texts]
    assert labels == ["Mar 4, 2027", "Oct 2, 2027", "Jan 11, 2025"]
    png, rows = lot_timeline(lots, today)
    assert rows[0] == ("ABC 5", date(2026, 3, 3), date(2027, 3, 4))
    image = decoded(png)
    assert image.size[0] == 800 and image.size[1] >= 250


def test_lot_timeline_shows_the_first_lots_of_many() -> None:
    trades = "\n".join(f"2026-0{1 + i % 9}-{1 + i:02d} buy 1 S{i} 10" for i in range(28))
    lots = book(ledger(trades)).lots
    (ax,) = timeline_figure(lots, date(2026, 11, 23)).axes
    assert len(ax.get_yticklabels()) == 25 and "the first 25 of 28" in ax.get_title()


def test_chart_buttons_on_gains_and_portfolio(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/sell 5 XYZ 25 2024-03-01")
    chat.send("/gains 2024")
    chat.tap("Chart by month")
    (photo,) = chat.last[0].files
    assert (photo.kind, photo.name) == ("photo", "gains-2024.png") and decoded(photo.content).size == (800, 400)
    chat.send("/portfolio")
    chat.tap("Chart: when lots")
    (photo,) = chat.last[0].files
    assert (photo.kind, photo.name) == ("photo", "lots.png") and decoded(photo.content).width == 800
