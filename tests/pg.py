"""A throwaway PostgreSQL server for the tests: initdb into a temporary directory, pg_ctl start, stop at the end.

Uses `CGT_TEST_POSTGRES` (a postgresql:// URL of a server whose databases the tests may create and drop)
when set; otherwise the machine's PostgreSQL binaries (`initdb` and `pg_ctl` on PATH or under
/usr/lib/postgresql/*/bin). PostgreSQL refuses to run as root, so as root the server runs as the
`postgres` user. `skip_reason()` says why there is no server, for a skip that names the cause.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def _binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self) -> None:
        self.url = os.environ.get("CGT_TEST_POSTGRES", "")
        self.problem = ""
        self._dir: Path | None = None
        self._bin: Path | None = None
        self._user: str | None = None

    def start(self) -> None:
        if self.url:
            return
        self._bin = _binaries()
        if self._bin is None:
            self.problem = "no PostgreSQL server binaries (initdb, pg_ctl); install postgresql or set CGT_TEST_POSTGRES"
            return
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                self.problem = "running as root and there is no postgres user to run the server as"
                return
            self._user = "postgres"
        self._dir = Path(tempfile.mkdtemp(prefix="cgt-pg-"))
        if self._user:
            shutil.chown(self._dir, self._user)
        data = self._dir / "data"
        port = _free_port()
        self._run(str(self._bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {port} -k {self._dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(
            str(self._bin / "pg_ctl"), "-D", str(data), "-l", str(self._dir / "log"), "-o", options, "-w", "start"
        )
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self._user, "--"] if self._user else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, cwd="/", check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    def stop(self) -> None:
        if self._dir is not None and self._bin is not None:
            self._run(str(self._bin / "pg_ctl"), "-D", str(self._dir / "data"), "-m", "immediate", "stop")
            shutil.rmtree(self._dir, ignore_errors=True)

    def new_database(self) -> str:
        """A fresh, empty database on the server; its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        base, _, _ = self.url.rpartition("/")
        return f"{base}/{name}"
