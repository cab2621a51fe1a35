"""Every answer fits a phone: a reply longer than one screenful is cut, and the whole of it is attached.

A big position made answers hundreds of messages long (a sale of 19,999 lots, /whatif listing
every disposition, /trades with thousands of trades). Topic handlers summarise with counts where
they can; this is the backstop for every reply, in one place: the first lines, a count of what
was left out, and the full text as a file (a document in Telegram, ./out/ in the terminal).
"""

from __future__ import annotations

import re

from conversations.events import FileOut, Reply
from conversations.formatting import Fmt
from conversations.markup import escape

PLAIN = Fmt()  # en_US, for callers without a user (tests)
MAX_REPLY_CHARS = 3500  # under Telegram's 4,096, with room for the note below


def capped(replies: list[Reply], fmt: Fmt = PLAIN) -> list[Reply]:
    return [_cap(reply, fmt) if len(reply.text) > MAX_REPLY_CHARS else reply for reply in replies]


def _cap(reply: Reply, fmt: Fmt) -> Reply:
    lines = reply.text.splitlines()
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > MAX_REPLY_CHARS:
            break
        kept.append(line)
        size += len(line) + 1
    whole = reply.as_plain()
    if not kept:  # one enormous line: cut as plain text (in HTML a cut could split a tag or an entity)
        kept = [(escape(whole[:MAX_REPLY_CHARS]) if reply.html else reply.text[:MAX_REPLY_CHARS]) + "…"]
    elif reply.html:
        kept[-1] += _closing(kept)  # a tag opened above the cut and closed below it is closed here
    left = len(lines) - len(kept)
    note = (
        f"… and {fmt.counted(left, 'more line')}: the whole answer is in answer.txt."
        if left > 0
        else "… the whole answer is in answer.txt."
    )
    file = FileOut(name="answer.txt", content=whole.encode(), caption="The whole answer.")
    return reply.model_copy(update={"text": "\n".join([*kept, note]), "files": (*reply.files, file)})


_OPEN_OR_CLOSE = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def _closing(lines: list[str]) -> str:
    """The closing tags for the tags left open in `lines` (Telegram refuses unbalanced HTML)."""
    open_tags: list[str] = []
    for match in _OPEN_OR_CLOSE.finditer("\n".join(lines)):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            open_tags.append(name)
        elif name in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name)]
    return "".join(f"</{name}>" for name in reversed(open_tags))


MAX_ITEMS_LISTED = 10  # lots of a sale, suggestions of a plan: the rest as a count


def first_few(items: list[str], noun: str, fmt: Fmt) -> list[str]:
    """At most MAX_ITEMS_LISTED of `items`, then "… and N more <noun>s" (the totals say the rest)."""
    if len(items) <= MAX_ITEMS_LISTED:
        return items
    more = len(items) - MAX_ITEMS_LISTED
    return [*items[:MAX_ITEMS_LISTED], f"• … and {fmt.counted(more, 'more ' + noun)}."]
