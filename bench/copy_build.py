"""How long building the copies of a 5,000-item household's data takes, and how much memory
it needs (issue 9: under 5 seconds and under 300 MB on the project's 2-core machines).

Run with the portal's settings in the environment (DATABASE_URL on PostgreSQL, SECRET_KEY,
AUDIT_HMAC_KEY, DATA_KEYS, DATA_KEY_ID, BLIND_INDEX_KEY, TRUSTED_HOSTS) after `flask --app
portal migrate` and `demo-data`:

    .venv/bin/python bench/copy_build.py [--runs N]

It adds the household once (portal/demo/large_household.py: four people, 5,000 items with
sharing events, withheld and restricted items and an officer's exemptions, and a copy
request from each member), marks its copies out of date, and builds them in a fresh child
process through the build job's own path, as `flask --app portal build-copies` would. The
child's peak resident memory comes from the kernel (wait4's rusage); its resident memory
before building (Python and the app loaded) is the baseline. Prints one JSON object on
stdout; with --runs N, seconds and peak are the median and the highest of N runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from portal import create_app
from portal.ages import london_today
from portal.db import session
from portal.demo.large_household import ensure_large_household
from portal.models import CopyRequest, DataItem, Household, HouseholdMembership
from portal.models.columns import utc_now

TAG = "BENCHC"
ITEMS = 5000
CHILD_FLAG = "--build-in-this-process"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(CHILD_FLAG, action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.build_in_this_process:
        print(json.dumps(_build_here()))
        return
    runs = [_one_run() for _ in range(arguments.runs)]
    print(json.dumps(_summary(runs)))


def _one_run() -> dict[str, Any]:
    """Marks the copies out of date, builds them in a child process, and reads the ZIPs."""
    app = create_app()
    with app.app_context():
        db = session()
        ids = ensure_large_household(db, TAG, ITEMS, london_today(utc_now()))
        db.execute(
            update(CopyRequest)
            .where(CopyRequest.id.in_(ids))
            .values(copy_fingerprint=None, build_leased_until=None)
        )
        db.commit()
        items = _household_items(db)
        child = _build_in_child()
        db.expire_all()
        keys = db.scalars(select(CopyRequest.copy_storage_key).where(CopyRequest.id.in_(ids)))
        files = [Path(app.config["COPIES_DIR"]) / key for key in keys if key]
        db.close()
    return {"items": items, **child, **_read_copies(files)}


def _household_items(db: Any) -> int:
    members = select(HouseholdMembership.person_id).join(Household)
    query = select(func.count(DataItem.id)).where(
        DataItem.person_id.in_(members.where(Household.reference == f"EH-{TAG}"))
    )
    return int(db.scalar(query) or 0)


def _build_in_child() -> dict[str, Any]:
    """Runs this script's build in a fresh interpreter and adds its peak resident memory."""
    child = subprocess.Popen(  # noqa: S603 - our own script, with our own interpreter
        [sys.executable, __file__, CHILD_FLAG], stdout=subprocess.PIPE
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"the build failed (exit {child.returncode})")
    # ru_maxrss is in kilobytes on Linux.
    return {**json.loads(output), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def _build_here() -> dict[str, Any]:
    """In the child: load what the build command loads, then time the building alone."""
    started = time.perf_counter()
    from portal.services.copy_builds import BuildReport, build_one

    app = create_app()
    with app.app_context():
        db = session()
        ids = ensure_large_household(db, TAG, ITEMS, london_today(utc_now()))
        db.commit()
        baseline = _resident_mb()
        loaded, cpu = time.perf_counter(), _cpu_seconds()
        report, now = BuildReport(), utc_now()
        for request_id in ids:
            done = build_one(db, request_id, app.config, Path(app.config["COPIES_DIR"]), now)
            report.built += done.built
        seconds, cpu = time.perf_counter() - loaded, _cpu_seconds() - cpu
    if report.built != len(ids):
        raise SystemExit(f"built {report.built} of {len(ids)} copies: {report}")
    return {
        "copies": report.built,
        "seconds": round(seconds, 2),
        # The machine is shared: CPU time shows the work when others slow the clock down.
        "cpu_seconds": round(cpu, 2),
        "startup_seconds": round(loaded - started, 2),
        "baseline_rss_mb": round(baseline, 1),
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _read_copies(files: list[Path]) -> dict[str, Any]:
    """PDF pages and ZIP sizes of the copies just built, and how many items their JSON holds."""
    # Imported here, in the parent only: the child that builds, and is measured, never reads
    # a PDF, and pypdf would add some 10 MB to its baseline and peak.
    from pypdf import PdfReader

    pages = in_copies = size = 0
    for path in files:
        size += path.stat().st_size
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(".pdf"):
                    pages += len(PdfReader(io.BytesIO(archive.read(name))).pages)
                elif name.endswith(".json") and "schema" not in name:
                    document = json.loads(archive.read(name))
                    in_copies += sum(len(s["items"]) for s in document["sections"])
    return {"pdf_pages": pages, "zip_bytes": size, "items_in_copies": in_copies}


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    last = runs[-1]
    return {
        **last,
        "seconds": round(statistics.median(run["seconds"] for run in runs), 2),
        "cpu_seconds": round(statistics.median(run["cpu_seconds"] for run in runs), 2),
        "peak_rss_mb": max(run["peak_rss_mb"] for run in runs),
        "runs": len(runs),
        "each_run_seconds": [run["seconds"] for run in runs],
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


if __name__ == "__main__":
    main()
