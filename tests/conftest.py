"""Fixtures shared by the storage tests: the same test on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chat import Chat
from tests.pg import Server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "cgt.db")
    server: Server = request.getfixturevalue("postgres_server")
    if not server.url:
        pytest.skip(f"PostgreSQL not available: {server.problem}")
    return server.new_database()


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    """A user who answered /start's questions with the usual answers (single, $85,000); a module whose
    user starts otherwise defines its own `chat`."""
    c = Chat(tmp_path / "cgt.db")
    c.onboard()
    return c
