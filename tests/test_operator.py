"""The operator's tools: backup and restore on both backends, JSON log lines."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli, redaction
from bot.logs import JsonFormatter
from bot.service import ChatService
from tests.chat import Chat
from tests.emulator import TOKEN


def test_backup_then_restore_brings_back_every_trade(
    db_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chat = Chat(db_target)  # type: ignore[arg-type]
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/buy 5 ABC 7 2024-02-01")
    copy = tmp_path / "backup" / "cgt.backup"
    assert cli.main(["backup", str(copy), "--db", db_target]) == 0
    assert "Backed up" in capsys.readouterr().out
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600  # as private as the database
    chat.send("/forget")
    chat.tap("Yes")
    chat.send("/buy 1 NEW 1 2024-03-01")
    assert cli.main(["restore", str(copy), "--db", db_target]) == 0
    assert [t.symbol for t in ChatService(db_target).state(1).trades] == ["XYZ", "ABC"]
    assert "#3" in Chat(db_target).send("/buy 1 DEF 2 2024-04-01")  # type: ignore[arg-type]


@pytest.mark.parametrize(("content", "reason"), [(b"", "not a cgt-bot database"), (b"x" * 5000, "can't be read")])
def test_restore_refuses_a_file_that_is_not_a_good_backup(
    tmp_path: Path, content: bytes, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Chat(tmp_path / "cgt.db").send("/buy 10 XYZ 20 2024-01-10")
    bad = tmp_path / "bad.backup"
    bad.write_bytes(content)
    assert cli.main(["restore", str(bad), "--db", str(tmp_path / "cgt.db")]) == 1
    err = capsys.readouterr().err
    assert reason in err and len(err.strip().splitlines()) == 1
    assert len(ChatService(tmp_path / "cgt.db").state(1).trades) == 1  # the live data untouched


def test_json_log_lines_carry_fields_and_keep_secrets_out() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(redaction.RedactingFilter([TOKEN]))
    logger = logging.getLogger("cgt_bot.test_json")
    logger.addHandler(handler)
    try:
        logger.warning("update applied", extra={"user": "3f2a9c0d1e7b", "ms": 4.2})
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
        except RuntimeError:
            logger.exception("start-up failed")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["message"] == "update applied" and first["user"] == "3f2a9c0d1e7b" and first["ms"] == 4.2
    assert first["level"] == "warning" and first["logger"] == "cgt_bot.test_json"
    assert "RuntimeError" in second["error"] and TOKEN not in out.getvalue()


def test_pseudonyms_are_stable_and_not_the_id(tmp_path: Path) -> None:
    store = ChatService(tmp_path / "cgt.db").store
    assert store.pseudonym(123456789) == store.pseudonym(123456789) != store.pseudonym(123456780)
    assert "123456789" not in store.pseudonym(123456789)


# The webhook workers' start-up path (bot/webhook.py) fails as the polling one does (tests/test_hardening_token.py):
# one line on stderr, the token nowhere, with JSON logs too.
WEBHOOK_START = """
import sys
from pathlib import Path
from pydantic import SecretStr
from telegram.request import HTTPXRequest
from bot.settings import Settings
from bot.telegram import run
from tests.emulator import TOKEN, Emulator

emulator = Emulator(**{sys.argv[1]: True})
settings = Settings(
    TELEGRAM_BOT_TOKEN=SecretStr(TOKEN), CGT_DB=Path(sys.argv[2]), TELEGRAM_BASE_URL="http://bot-api.local",
    CGT_WEBHOOK_URL="https://bot.example.org/telegram", CGT_WEBHOOK_SECRET=SecretStr("s3cret-hook"),
    CGT_LISTEN="127.0.0.1", CGT_PORT=sys.argv[3], CGT_LOG_FORMAT="json",
)
sys.exit(run(settings, request=HTTPXRequest(httpx_kwargs={"transport": emulator.transport()})))
"""


@pytest.mark.parametrize(
    ("failure", "code", "line"),
    [
        ("reject_token", 2, "rejected TELEGRAM_BOT_TOKEN"),
        ("unreachable", 1, "can't reach Telegram (http://bot-api.local)"),
    ],
)
def test_webhook_worker_start_up_failures_are_one_line_without_secrets(
    tmp_path: Path, failure: str, code: int, line: str
) -> None:
    from tests.test_workers_e2e import free_port

    root = Path(__file__).parent.parent
    result = subprocess.run(
        [sys.executable, "-c", WEBHOOK_START, failure, str(tmp_path / "cgt.db"), str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output and "s3cret-hook" not in output
    assert line in result.stderr.strip().splitlines()[-1]
