"""`make bench`: the portal at county scale, measured on this machine.

Builds (once) a PostgreSQL database of generated households, serves the portal and a plain
"hello" Flask page with gunicorn in the same way, drives each page with wrk over loopback as a
signed-in family member or DPO officer, times building a 5,000-item copy, and writes the
figures, with the issue's targets and whether each is met, to bench/results/<time>.json.

Beside hello it drives three yardsticks (bench/hello.py): an empty GOV.UK page, one database
row, and both together, the floor under any signed-in page of the portal. Their shares of
hello show how much of a target the stack itself uses up.

Each page is driven BENCH_ROUNDS times, in rounds of every page, and reported by its median
run: on a shared machine one run of a page moved by up to 45%.

Settings (environment): BENCH_DATABASE_URL, BENCH_HOUSEHOLDS (100000), BENCH_SECONDS (10 per
page and round), BENCH_ROUNDS (3), BENCH_CONNECTIONS (20), BENCH_WORKERS (gunicorn workers, 4),
REDIS_URL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess  # noqa: S404 - the benchmark runs its own helpers
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import accounts  # noqa: E402
import database  # noqa: E402
import psycopg  # noqa: E402
import servers  # noqa: E402
import targets  # noqa: E402
from wrk import drive, median_run  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench"
)
HOUSEHOLDS = int(os.environ.get("BENCH_HOUSEHOLDS", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# The pages of bench/hello.py, by the name the report gives them.
YARDSTICKS = {
    "hello": "/",
    "yardstick_govuk_page": "/govuk-page",
    "yardstick_database_row": "/database-row",
    "yardstick_signed_in_floor": "/signed-in-floor",
}
# Keys for the benchmark's own database of generated, synthetic people only: fixed, so that a
# database built by one run can be read by the next.
SETTINGS = {
    "DATABASE_URL": DATABASE_URL,
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdef0123456789",
    "AUDIT_HMAC_KEY": "0123456789abcdef0123456789abcdef",
    "DATA_KEYS": "b1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    "DATA_KEY_ID": "b1",
    "BLIND_INDEX_KEY": "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=",
    "TRUSTED_HOSTS": "127.0.0.1,localhost",
    # Plain http on loopback: cookies without the Secure flag, so that wrk can send them.
    "SECURE_COOKIES": "0",
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
    "PUBLIC_URL": "http://127.0.0.1:8701",
}


def pages(connection: psycopg.Connection, family: accounts.Family) -> list[tuple[str, str, str]]:
    """(name, who, path) of every page the benchmark drives, `family`'s and the officer's."""
    deep = _deep_cursor(connection)
    return [
        ("your_data", "family", "/your-data"),
        ("person", "family", f"/your-data/{family.child_id}"),
        ("sharing_record", "family", "/who-we-shared-with"),
        ("complaint_status", "family", f"/your-complaints/{family.complaint_reference}"),
        ("complaints_queue_first", "staff", "/staff/complaints?status=all"),
        ("complaints_queue_filtered", "staff", "/staff/complaints?status=closed&channel=post"),
        ("complaints_queue_deep", "staff", f"/staff/complaints?status=all&after={deep}"),
        ("copy_requests_queue", "staff", "/staff/copy-requests"),
    ]


def _deep_cursor(connection: psycopg.Connection) -> str:
    """The (due date, id) cursor of a complaint three quarters of the way down the whole queue."""
    row = connection.execute(
        """
        SELECT due_on, id FROM (
            SELECT CASE WHEN status = 'new' THEN acknowledgement_due_on ELSE response_due_on END
                   AS due_on, id
            FROM complaints) AS queue
        ORDER BY due_on, id
        OFFSET (SELECT count(*) * 3 / 4 FROM complaints) LIMIT 1
        """
    ).fetchone()
    assert row is not None  # noqa: S101 - the database was just filled
    return f"{row[0].isoformat()}_{row[1].hex}"


def main() -> None:
    started = dt.datetime.now(dt.UTC)
    database.ensure(DATABASE_URL, HOUSEHOLDS, SETTINGS)
    with database.connect(DATABASE_URL) as connection:
        family = accounts.a_family(connection)
        driven = pages(connection, family)
    names = [*YARDSTICKS, *(name for name, _, _ in driven)]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    with servers.hello(SETTINGS) as hello_base, servers.portal(SETTINGS) as base:
        cookies = {
            "family": accounts.sign_in_family(base, family),
            "staff": accounts.sign_in_officer(base),
        }
        # Round after round of every page, hello included: a slow spell of a shared machine
        # then falls on one round of each page, not on every run of one page.
        for _ in range(ROUNDS):
            for name, path in YARDSTICKS.items():
                runs[name].append(_measure(f"{hello_base}{path}", None, check=False))
            for name, who, path in driven:
                runs[name].append(_measure(f"{base}{path}", cookies[who]))
    results = {name: median_run(page_runs) for name, page_runs in runs.items()}
    report = {
        "started_at": started.isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "commit": _commit(),
        "settings": {
            "seconds": SECONDS,
            "connections": CONNECTIONS,
            "workers": servers.WORKERS,
            "rounds": ROUNDS,
        },
        "data": database.counts(DATABASE_URL),
        "pages": results,
        "copy": _copy_build(),
    }
    report["targets"] = targets.judge(report)
    _write(report)


def _measure(url: str, cookie: str | None, check: bool = True) -> dict[str, Any]:
    """One run of a page, which must answer 200 first; a portal page (`check`) must also
    answer 200 after (still signed in), and is weighed."""
    servers.check_page(url, cookie)
    drive(url, cookie=cookie, seconds=2, connections=CONNECTIONS)  # warm up
    figures = drive(url, cookie=cookie, seconds=SECONDS, connections=CONNECTIONS).as_dict()
    if check:
        servers.check_page(url, cookie)  # still signed in: wrk measured the page, not a redirect
        figures.update(servers.page_weight(url, cookie))
    return figures


def _copy_build() -> dict[str, Any] | None:
    script = HERE / "copy_build.py"
    if not script.exists():
        return None
    output = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(script)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **SETTINGS},
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def _commit() -> str:
    return subprocess.run(  # noqa: S603 - git, fixed arguments
        ["/usr/bin/git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()


def _write(report: dict[str, Any]) -> None:
    (HERE / "results").mkdir(exist_ok=True)
    name = report["started_at"].replace(":", "").replace("+0000", "Z")
    path = HERE / "results" / f"{name}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(targets.table(report))
    print(f"Figures written to {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
