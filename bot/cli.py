"""`cgt-bot`: Telegram when TELEGRAM_BOT_TOKEN is set, otherwise the terminal chat."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from bot.settings import Settings


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cgt-bot", description="A capital-gains tax assistant (estimates, not advice).")
    p.add_argument("--db", help="SQLite file or postgresql:// URL (default: $CGT_DB or ~/.local/share/cgt-bot/cgt.db)")
    sub = p.add_subparsers(dest="command")
    console = sub.add_parser("console", help="chat in this terminal")
    console.add_argument("--db", dest="sub_db")
    console.add_argument("--user", type=int, default=1, help="which local user (default 1)")
    sub.add_parser("telegram", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    rem = sub.add_parser("reminders", help="what reminders would be sent on a date")
    rem.add_argument("--dry-run", action="store_true", required=True, help="print, don't send")
    rem.add_argument("--date", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    rem.add_argument("--db", dest="sub_db")
    for name, what in (
        ("backup", "copy the whole database to PATH, while the bot runs"),
        ("restore", "replace the database with the backup at PATH (stop the bot first)"),
    ):
        command = sub.add_parser(name, help=what)
        command.add_argument("path", type=Path)
        command.add_argument("--db", dest="sub_db")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
        print(f"cgt-bot: bad setting: {problems}", file=sys.stderr)
        return 2
    db = getattr(args, "sub_db", None) or args.db or settings.db
    if args.command in ("backup", "restore"):
        from bot import backup

        try:
            print(getattr(backup, args.command)(str(db), args.path))
        except backup.BackupError as error:
            print(f"cgt-bot: {args.command}: {error}", file=sys.stderr)
            return 1
        return 0
    from bot.database import DatabaseUnusable

    try:
        return _run(args, settings, str(db))
    except DatabaseUnusable as error:  # one line, never a traceback: what is wrong and what to do
        print(f"cgt-bot: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, settings: Settings, db: str) -> int:
    if args.command == "reminders":
        from bot.reminders import dry_run
        from bot.service import ChatService

        print(dry_run(ChatService(db), args.date))
        return 0
    command = args.command or ("telegram" if settings.telegram_bot_token else "console")
    if command == "telegram":
        if settings.telegram_bot_token is None:
            print("cgt-bot: set TELEGRAM_BOT_TOKEN (from @BotFather) to run on Telegram.", file=sys.stderr)
            return 2
        from bot.telegram import run as run_telegram

        return run_telegram(settings.model_copy(update={"db": str(db)}))
    from bot.console import run as run_console

    run_console(str(db), getattr(args, "user", 1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
