"""Production's gunicorn settings refuse what would split shared state between processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "portal" / "gunicorn_conf.py"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def start(workers: int, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """gunicorn's master runs the settings file's start hook before any worker loads the app,
    so a refusal ends it at once; a start that goes ahead times out instead."""
    command = [GUNICORN, "-c", str(CONF), "--workers", str(workers), "--bind", "127.0.0.1:0"]
    return subprocess.run(  # noqa: S603 - gunicorn with fixed arguments
        [*command, "portal:create_app()"], env=env, capture_output=True, text=True, timeout=30
    )


def test_several_workers_without_redis_refuse_to_start() -> None:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    started = start(2, env)
    assert started.returncode != 0
    assert "2 workers need REDIS_URL" in started.stdout + started.stderr
