"""Every reply is valid Telegram HTML: what the user typed shows as typed and never breaks the parser.

Telegram gets every reply in HTML parse mode (conversations/markup.py); a "<" or "&" left
unescaped is refused whole ("can't parse entities"), so the user would get no answer at all.
tests/telegram_html.py reads replies as strictly as Telegram does, or more.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from conversations.commands import COMMANDS
from conversations.events import Event, FileIn, Reply
from conversations.markup import bold, escape, plain
from tests.chat import NOW, Chat
from tests.telegram_html import BadHtml, parse

HOSTILE = ("<b>", "&", "</i>", "<script>alert(1)</script>", "AT&T <3", "&amp;", "a > b")
_files = itertools.count()


def checked(replies: list[Reply]) -> list[str]:
    """Each reply as Telegram would show it; fails where Telegram would refuse it."""
    shown = []
    for reply in replies:
        try:
            text = parse(reply.as_html())
        except BadHtml as error:
            raise AssertionError(f"Telegram would refuse {reply.text!r}: {error}") from None
        assert text == reply.as_plain(), "the terminal and Telegram show different text"
        assert 0 < len(text) <= 4096
        shown.append(text)
    return shown


def scenario(tmp_path: Path) -> Chat:
    """A user with several symbols, a wash sale, prices, an IRA and imported accounts named with markup."""
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard()
    for line in (
        "/buy 100 XYZ 20 2024-01-10",
        "/buy 50 ABC 10 2025-03-01",
        "/sell 40 XYZ 15 2025-06-02",
        "/buy 40 XYZ 14 2025-06-20",
        "/buy 10 VTI 200 2025-02-03 in my Roth IRA",
        "/price XYZ 30",
        "/price ABC 8",
    ):
        chat.send(line)
    rows = [
        f'2025-0{i + 1}-1{i},buy,QQQ,1,400,0,"{account.replace(chr(34), chr(34) * 2)}"'
        for i, account in enumerate(HOSTILE)
    ]
    content = ("date,side,symbol,quantity,price,fees,account\n" + "\n".join(rows) + "\n").encode()
    event = Event(kind="file", id=f"f{next(_files)}", now=NOW, file=FileIn(name="<b>&.csv", content=content))
    chat.last = chat.service.process(chat.user_id, event)
    checked(chat.last)
    chat.tap("Add")
    checked(chat.last)
    return chat


@pytest.mark.parametrize("command", [c.name for c in COMMANDS if c.name not in ("forget", "start")])
def test_every_command_with_hostile_input_is_valid_telegram_html(tmp_path: Path, command: str) -> None:
    chat = scenario(tmp_path)
    for args in ("", *HOSTILE, "XYZ <b>", "2025 & </i>"):
        chat.send(f"/{command} {args}".strip())
        checked(chat.last)
        for button in [b for reply in chat.last for row in reply.buttons for b in row][:6]:
            if any(word in button.label.lower() for word in ("delete", "undo", "yes")):
                continue
            chat.press(button.data)
            checked(chat.last)
        chat.send("/cancel")


def test_free_text_and_unknown_commands_echo_hostile_text_escaped(tmp_path: Path) -> None:
    chat = scenario(tmp_path)
    for text in (*HOSTILE, "/<b>", "/s&ll", "bought 10 <b>AAPL</b> at 150", "sold 5 XYZ at 20 & more <i>"):
        chat.send(text)
        checked(chat.last)
    chat.send("/sel<b>")
    assert "<b>" in checked(chat.last)[0]  # shown as typed, not as bold


def test_forged_buttons_with_markup_in_their_data(tmp_path: Path) -> None:
    chat = scenario(tmp_path)
    for data in ("<b>:</i>", "cmd:<b>", "chart:lots&", "pg:<b>:1", "keep:&"):
        chat.press(data)
        checked(chat.last)


def test_the_markup_helpers() -> None:
    assert escape("AT&T <3 > 2") == "AT&amp;T &lt;3 &gt; 2"
    assert bold("<b>") == "<b>&lt;b&gt;</b>"
    assert parse(bold("R&D")) == "R&D" == plain(bold("R&D"))
    assert Reply(text="a < b & c").as_html() == "a &lt; b &amp; c"
    assert Reply(text=bold("x") + " &amp;", html=True).as_plain() == "x &"


@pytest.mark.parametrize(
    "bad", ["<b>x", "x</b>", "<b><i>x</b></i>", "a & b", "a < b", "<p>x</p>", "&nbsp;", "<pre><b>x</b></pre>"]
)
def test_the_checker_refuses_what_telegram_refuses(bad: str) -> None:
    with pytest.raises(BadHtml):
        parse(bad)


def test_the_checker_reads_what_telegram_reads() -> None:
    assert parse('<b>a</b> <i>b <u>c</u></i> &lt;&gt;&amp;&quot;&#39; <a href="https://x.y/">l</a>') == "a b c <>&\"' l"
    assert parse('<pre><code class="language-python">x</code></pre>') == "x"
