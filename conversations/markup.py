"""Telegram HTML for replies: headings in bold, and everything else escaped.

A reply is plain text (`Reply.html` False) or Telegram HTML (True). Telegram gets every reply in
HTML parse mode: plain text is escaped whole on the way out (`as_html`), so a symbol, an account
name or an echoed message with "<" or "&" in it shows as typed and can never break the parser
("can't parse entities"). A handler that wants bold builds its text from `bold()` and `escape()`
only, so whatever the user typed is escaped there too. The terminal shows `as_plain`.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]*>")


def escape(text: object) -> str:
    """Text for Telegram HTML: <, > and & as entities (quotes need none outside a tag)."""
    return html.escape(str(text), quote=False)


def bold(text: object) -> str:
    return f"<b>{escape(text)}</b>"


def headed(heading: str, *lines: str) -> str:
    """A reply that opens with a heading: the heading bold on its own line, the lines under it escaped."""
    return "\n".join([bold(heading), *(escape(line) for line in lines)])


def sections(lines: list[str]) -> str:
    """Lines as Telegram HTML, each one that introduces a list under it ("3 rows I couldn't read:") in
    bold as its heading, the rest escaped."""
    return "\n".join(bold(line) if _introduces(line) else escape(line) for line in lines)


def _introduces(line: str) -> bool:
    return line.endswith(":") and "\n" not in line and not line.startswith(("•", "…"))


def plain(marked: str) -> str:
    """What Telegram shows for HTML text: the tags gone, the entities read."""
    return html.unescape(_TAG.sub("", marked))


def as_html(text: str, is_html: bool) -> str:
    return text if is_html else escape(text)


def as_plain(text: str, is_html: bool) -> str:
    return plain(text) if is_html else text
