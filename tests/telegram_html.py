"""A strict reader of Telegram's HTML parse mode, for the emulator and the reply tests.

Written from the Bot API's "HTML style" (core.telegram.org/bots/api#html-style): only its tags
(b, strong, i, em, u, ins, s, strike, del, span class="tg-spoiler", tg-spoiler, a href, tg-emoji
emoji-id, code, pre, code class="language-…" inside pre, blockquote [expandable]), properly
nested; "<", ">" and "&" that are not part of a tag or an entity must be written as entities;
named entities only &lt; &gt; &amp; &quot;, numeric ones all. Stricter than Telegram where
Telegram is lenient (a bare ">" or "& " it may let through is an error here), never laxer.
"""

from __future__ import annotations

import html
import re

TAGS = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "span": {"class"},
    "tg-spoiler": set(),
    "a": {"href"},
    "tg-emoji": {"emoji-id"},
    "code": {"class"},
    "pre": set(),
    "blockquote": {"expandable"},
}
_TAG = re.compile(r"<(/?)([a-z][a-z-]*)((?:\s+[a-z-]+(?:=\"[^\"<>]*\")?)*)\s*>")
_ATTRIBUTE = re.compile(r"([a-z-]+)(?:=\"([^\"]*)\")?")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


class BadHtml(ValueError):
    """What Telegram answers with 400 "Bad Request: can't parse entities: …"."""


def parse(text: str) -> str:
    """The text Telegram would show (tags gone, entities read); BadHtml where Telegram would refuse it."""
    shown: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            tag = _TAG.match(text, i)
            if tag is None:
                raise BadHtml(f"unsupported start tag or a bare '<' at byte offset {i}: {text[i : i + 20]!r}")
            _tag(tag, open_tags, i)
            i = tag.end()
        elif char == "&":
            entity = _ENTITY.match(text, i)
            if entity is None:
                raise BadHtml(f"a bare '&' or an unsupported entity at offset {i}: {text[i : i + 12]!r}")
            shown.append(html.unescape(entity.group()))
            i = entity.end()
        elif char == ">":
            raise BadHtml(f"a bare '>' at offset {i}")
        else:
            shown.append(char)
            i += 1
    if open_tags:
        raise BadHtml(f"can't find end tag corresponding to start tag {open_tags[-1]!r}")
    return "".join(shown)


def _tag(tag: re.Match[str], open_tags: list[str], at: int) -> None:
    closing, name, attributes = tag.group(1), tag.group(2), tag.group(3)
    if name not in TAGS:
        raise BadHtml(f"unsupported start tag {name!r} at offset {at}")
    if closing:
        if attributes.strip() or not open_tags or open_tags[-1] != name:
            raise BadHtml(f"unexpected end tag {name!r} at offset {at}")
        open_tags.pop()
        return
    for attribute, _value in _ATTRIBUTE.findall(attributes):
        if attribute not in TAGS[name]:
            raise BadHtml(f"attribute {attribute!r} not allowed on {name!r}")
    if name == "span" and 'class="tg-spoiler"' not in attributes:
        raise BadHtml("a span must be a spoiler")
    if open_tags and open_tags[-1] in ("code", "pre") and not (open_tags[-1] == "pre" and name == "code"):
        raise BadHtml(f"no entity inside {open_tags[-1]!r}")
    if name == "blockquote" and "blockquote" in open_tags:
        raise BadHtml("block quotes can't be nested")
    open_tags.append(name)
