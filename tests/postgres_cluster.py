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

    def __init__(self, folder: Path, run_as: list[str], tools: tuple[str, str]) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.run_as = run_as
        self.initdb, self.pg_ctl = tools

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
        done = subprocess.run([*self.run_as, *command], capture_output=True, text=True)  # nosec B603
        log = self.folder / "server.log"
        if done.returncode != 0:
            server_log = log.read_text() if log.exists() else ""
            raise AssertionError(f"{command[0]} failed:\n{done.stderr}\n{server_log}")

    def _pg_ctl(self, *arguments: str) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), *arguments)

    def initialise(self) -> None:
        self._run(
            self.initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip


def _tool(name: str) -> str:
    """A server tool from PATH, or from Debian's versioned folder (not on PATH there)."""
    debian = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_major_version)
    found = shutil.which(name) or (str(debian[-1]) if debian else None)
    if found is None:
        pytest.skip(f"{name} not found: the PostgreSQL server tools are needed")
    return found


def _major_version(path: Path) -> int:
    version = path.parent.parent.name
    return int(version) if version.isdigit() else 0


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
    tools = (_tool("initdb"), _tool("pg_ctl"))
    folder = Path(tempfile.mkdtemp(prefix="portal-pg-"))
    if uid is not None:
        os.chown(folder, uid, -1)
    cluster = Cluster(folder, run_as, tools)
    try:
        cluster.initialise()
        cluster.start()
        yield cluster
    finally:
        subprocess.run(  # nosec B603
            [*run_as, cluster.pg_ctl, "-D", str(cluster.data), "stop", "-m", "immediate"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
