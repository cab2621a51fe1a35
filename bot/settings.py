"""Settings from the environment or a .env file (pydantic-settings)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TOKEN_SHAPE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,}$")


def default_db_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "cgt-bot" / "cgt.db"


class Settings(BaseSettings):
    # hide_input_in_errors: a validation error must never echo a (mistyped) token.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    # A SQLite file, or a postgresql:// URL (kept as text: a Path would fold its "//").
    db: str = Field(default_factory=lambda: str(default_db_path()), alias="CGT_DB")
    webhook_url: str | None = Field(default=None, alias="CGT_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(default=None, alias="CGT_WEBHOOK_SECRET")
    telegram_base_url: str | None = Field(default=None, alias="TELEGRAM_BASE_URL")
    listen: str = Field(default="0.0.0.0", alias="CGT_LISTEN")
    port: int = Field(default=8443, alias="CGT_PORT")
    # Every worker registers the webhook (setWebhook) at start by default; off when a deploy step does it.
    webhook_register: bool = Field(default=True, alias="CGT_WEBHOOK_REGISTER")
    log_format: Literal["text", "json"] = Field(default="text", alias="CGT_LOG_FORMAT")
    # Off only to measure the bot itself against an emulator: Telegram limits a bot to about 30 messages/s.
    rate_limit: bool = Field(default=True, alias="CGT_RATE_LIMIT")
    # Child processes for heavy users' steps (bot/steps.py): each holds its users' booked ledgers
    # (a 100,000-trade user's is about 0.7 GB). 0: heavy users' steps run in threads of the bot's process.
    heavy_processes: int = Field(default=2, ge=0, le=64, alias="CGT_HEAVY_PROCESSES")

    @field_validator("db", mode="before")
    @classmethod
    def _db_text(cls, value: object) -> object:
        return str(value) if isinstance(value, Path) else value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if not TOKEN_SHAPE.match(text.strip()):
            # Never echo the value: it may be a real token with a typo.
            raise ValueError("TELEGRAM_BOT_TOKEN doesn't look like a bot token (digits, a colon, then 30+ characters)")
        return text.strip()
