"""The two servers a benchmark run drives, started the same way: gunicorn with the portal's
production settings file (portal/gunicorn_conf.py) and BENCH_WORKERS sync workers."""

from __future__ import annotations

import os
import subprocess  # noqa: S404 - starts gunicorn
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from wrk import browser_headers

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


@contextmanager
def portal(settings: dict[str, str]) -> Iterator[str]:
    with _serve("portal:create_app()", 8701, "/healthz", settings, ROOT) as base:
        yield base


@contextmanager
def hello(settings: dict[str, str]) -> Iterator[str]:
    with _serve("hello:app", 8702, "/", settings, ROOT / "bench") as base:
        yield base


def check_page(url: str, cookie: str | None) -> None:
    """The page answers 200 itself (not a redirect to sign in, not an error)."""
    answer = requests.get(url, headers=_headers(cookie), allow_redirects=False, timeout=30)
    if answer.status_code != 200:
        raise SystemExit(f"{url} answered {answer.status_code}, not 200")


def page_weight(url: str, cookie: str | None) -> dict[str, Any]:
    """The HTML's size as sent to a browser that accepts compression, and uncompressed. (The
    whole page, with its styles and scripts, is weighed in a browser by
    tests/browser/test_page_weight.py.)"""
    answer = requests.get(url, headers=_headers(cookie), stream=True, timeout=30)
    sent = len(answer.raw.read(decode_content=False))
    plain = requests.get(
        url, headers={**_headers(cookie), "Accept-Encoding": "identity"}, timeout=30
    )
    return {
        "html_bytes_sent": sent,
        "html_bytes": len(plain.content),
        "content_encoding": answer.headers.get("Content-Encoding", "identity"),
    }


def _headers(cookie: str | None) -> dict[str, str]:
    return browser_headers(cookie)


@contextmanager
def _serve(
    application: str, port: int, ready: str, settings: dict[str, str], folder: Path
) -> Iterator[str]:
    config = str(ROOT / "portal" / "gunicorn_conf.py")
    command = [GUNICORN, "-c", config, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"]
    log = open(ROOT / "bench" / "results" / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603 - gunicorn with fixed arguments
        [*command, "--chdir", str(folder), application],
        env={**os.environ, **settings},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + ready, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see bench/results/gunicorn-*.log ({url})")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not answer within 30 seconds")
