"""A throwaway PostgreSQL server of the test's own, to stop and start under a running portal.

initdb refuses to run as root (as CI runs), so as root the server runs as the `postgres` user,
in a folder of its own under the system's temporary folder (pytest's are private to root).
It listens on a Unix socket only, in that folder: no port is shared with anything else.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess  # nosec B404: runs the PostgreSQL tools, with fixed arguments
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PORT = 5432  # Only names the socket file: the server listens on no TCP port.


class Cluster:
    """One PostgreSQL data folder and its server."""

    def __init__(self, folder: Path, run_as: list[str]) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.run_as = run_as

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}&port={PORT}"

    def start(self) -> None:
        options = f"-p {PORT} -k {self.folder} -c listen_addresses='' -c fsync=off"
        log = self.folder / "server.log"
        self._pg_ctl("start", "-w", "-l", str(log), "-o", options)

    def stop(self) -> None:
        """As an operator's restart does: every connection is cut at once."""
        self._pg_ctl("stop", "-w", "-m", "fast")

    def _run(self, *command: str) -> None:
        subprocess.run([*self.run_as, *command], check=True, capture_output=True)  # nosec B603

    def _pg_ctl(self, *arguments: str) -> None:
        self._run(_tool("pg_ctl"), "-D", str(self.data), *arguments)

    def initialise(self) -> None:
        self._run(
            _tool("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not on PATH: the PostgreSQL server tools are needed")
    return found


def _run_as() -> tuple[list[str], int | None]:
    """The command prefix that runs a tool as a user initdb accepts, and that user's uid."""
    if os.geteuid() != 0:
        return [], None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root with no `postgres` user: initdb refuses to run as root")
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("running as root without runuser: initdb refuses to run as root")
    return [runuser, "-u", "postgres", "--"], user.pw_uid


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A running server with no databases but its own; stopped and removed afterwards."""
    run_as, uid = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="portal-pg-"))
    if uid is not None:
        os.chown(folder, uid, -1)
    cluster = Cluster(folder, run_as)
    try:
        cluster.initialise()
        cluster.start()
        yield cluster
    finally:
        subprocess.run(  # nosec B603
            [*run_as, _tool("pg_ctl"), "-D", str(cluster.data), "stop", "-m", "immediate"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
