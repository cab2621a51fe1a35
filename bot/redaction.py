"""Secrets (the bot token, the webhook secret) kept out of every log line, tracebacks included.

A logging.Filter sees a record before any Formatter has turned its exception into text
(`record.exc_text` is still empty then), so editing `exc_text` in a filter redacts nothing:
the formatter fills it afterwards, token and all. The filter here formats the exception and
the stack itself, redacts them, and leaves the text in `exc_text`, which every Formatter uses
as is. It sits on the handlers (a logger's filters never see records from its children).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "[REDACTED]"
_FORMATTER = logging.Formatter()


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        words = sorted({s for s in secrets if s}, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(s) for s in words)) if words else None

    def redact(self, text: str) -> str:
        return self._pattern.sub(MASK, text) if self._pattern is not None else text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._pattern is None:
            return True
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(secrets: Iterable[str | None]) -> RedactingFilter:
    """Redact on every handler of the root logger (and on the loggers that log requests)."""
    redactor = RedactingFilter(secrets)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(redactor)
    for name in ("", "httpx", "telegram", "cgt_bot"):
        logging.getLogger(name).addFilter(redactor)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return redactor
