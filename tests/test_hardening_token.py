"""The bot token never reaches a log line, a traceback or stderr, start-up failures included."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import redaction
from tests.emulator import TOKEN

# Runs the real `run()` (run_polling and all) in its own interpreter, against the emulator,
# so what is checked is everything the process prints: its logging set-up, PTB's own log
# lines, and whatever would escape as an uncaught traceback.
START = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pydantic import SecretStr
    from telegram.request import HTTPXRequest
    from bot.settings import Settings
    from bot.telegram import run
    from tests.emulator import TOKEN, Emulator

    emulator = Emulator(**{sys.argv[1]: True})
    settings = Settings(
        TELEGRAM_BOT_TOKEN=SecretStr(TOKEN), CGT_DB=Path(sys.argv[2]), TELEGRAM_BASE_URL="http://bot-api.local"
    )
    transport = {"transport": emulator.transport()}
    sys.exit(run(
        settings,
        request=HTTPXRequest(httpx_kwargs=transport),
        get_updates_request=HTTPXRequest(httpx_kwargs=transport),
    ))
    """
)


def start(failure: str, tmp_path: Path, log_format: str = "text") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", START, failure, str(tmp_path / "cgt.db")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent), "CGT_LOG_FORMAT": log_format},
    )


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_rejected_token_is_one_line_without_the_token(tmp_path: Path, log_format: str) -> None:
    result = start("reject_token", tmp_path, log_format)
    assert result.returncode == 2
    output = result.stdout + result.stderr
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert redaction.MASK in output  # PTB logs the rejection with its traceback: redacted there
    assert "rejected TELEGRAM_BOT_TOKEN" in result.stderr.strip().splitlines()[-1]


def test_an_unreachable_server_is_one_line_without_the_token(tmp_path: Path) -> None:
    result = start("unreachable", tmp_path)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert "can't reach Telegram (http://bot-api.local)" in result.stderr.strip().splitlines()[-1]


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def test_a_traceback_that_quotes_the_token_is_redacted(captured: io.StringIO) -> None:
    redaction.install([TOKEN, "webhook-secret-value"])
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected; secret webhook-secret-value")
    except RuntimeError:
        logging.getLogger("telegram.ext.Application").exception("polling failed for %s", TOKEN)
    try:
        raise ValueError("no secret here")
    except ValueError:
        # A child logger's record with the secret only in the stack: handler filters see it too.
        logging.getLogger("cgt_bot.some.child").error("stack %s", "x", stack_info=True, exc_info=True)
    text = captured.getvalue()
    assert "RuntimeError" in text and "Traceback" in text  # the traceback is kept, only the secret goes
    assert TOKEN not in text and "webhook-secret-value" not in text
    assert text.count(redaction.MASK) >= 3
