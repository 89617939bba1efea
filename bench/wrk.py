"""Driving one page with wrk (Debian's package) and reading its report: requests per second,
latency percentiles and errors."""

from __future__ import annotations

import re
import subprocess  # noqa: S404 - the benchmark runs wrk, a fixed local program
from dataclasses import asdict, dataclass
from typing import Any

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def drive(url: str, *, cookie: str | None, seconds: int, connections: int) -> Load:
    """`connections` keep-alive connections from one wrk thread for `seconds`; errors are
    socket errors plus answers other than 2xx and 3xx."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for name, value in browser_headers(cookie).items():
        command += ["-H", f"{name}: {value}"]
    report = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [*command, url], check=True, capture_output=True, text=True
    ).stdout
    return parse(report)


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """A page's figures from its run of median throughput (the lower middle of an even count),
    whole, so its p50 and p99 come from the same run; with every run's throughput beside them,
    and the errors of all runs, which the median must not hide."""
    ordered = sorted(runs, key=lambda run: float(run["requests_per_second"]))
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["errors"] = sum(int(run["errors"]) for run in runs)
    chosen["each_run_requests_per_second"] = [run["requests_per_second"] for run in runs]
    return chosen


def browser_headers(cookie: str | None) -> dict[str, str]:
    """What a browser sends for a page of the portal's own: compression accepted, and marked as
    asked for by the portal itself (which it compresses: portal/web/compression.py)."""
    headers = {"Accept-Encoding": "gzip, br", "Sec-Fetch-Site": "same-origin"}
    return headers | ({"Cookie": cookie} if cookie else {})


def parse(report: str) -> Load:
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)\s*$", report, re.MULTILINE))
    requests = re.search(r"(\d+) requests in", report)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", report)
    if not (requests and rate and "50" in percentiles and "99" in percentiles):
        raise ValueError(f"cannot read wrk's report:\n{report}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    sockets = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", report)
    errors = (int(bad.group(1)) if bad else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0
    )
    return Load(
        requests_per_second=float(rate.group(1)),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        requests=int(requests.group(1)),
        errors=errors,
    )


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return round(float(number) * UNITS[unit], 3)
