"""Issue 9's targets, judged against one run's figures, and the table `make bench` prints."""

from __future__ import annotations

from typing import Any

FAMILY = ("your_data", "person", "sharing_record", "complaint_status")
STAFF = (
    "complaints_queue_first",
    "complaints_queue_filtered",
    "complaints_queue_deep",
    "copy_requests_queue",
)
FAMILY_SHARE, STAFF_SHARE, FAMILY_P99_MS = 0.25, 0.15, 50.0
# "The deep page as fast as the first": within a fifth, to allow for a noisy machine.
DEEP_SLACK = 0.8
COPY_SECONDS, COPY_MB, PAGE_BYTES = 5.0, 300.0, 100 * 1024


def share(report: dict[str, Any], page: str) -> float:
    hello = report["pages"]["hello"]["requests_per_second"]
    return round(report["pages"][page]["requests_per_second"] / hello, 3)


def judge(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target: what it asks, what was measured, and whether it was met."""
    pages = report["pages"]
    found = []
    for page in FAMILY:
        found += [
            _at_least(f"{page}: share of hello", share(report, page), FAMILY_SHARE),
            _below(f"{page}: p99 ms", pages[page]["p99_ms"], FAMILY_P99_MS),
            _below(f"{page}: errors", pages[page]["errors"], 1),
        ]
    found += [
        _at_least(f"{page}: share of hello", share(report, page), STAFF_SHARE) for page in STAFF
    ]
    deep = pages["complaints_queue_deep"]["requests_per_second"]
    first = pages["complaints_queue_first"]["requests_per_second"]
    found.append(_at_least("deep queue page / first page", round(deep / first, 3), DEEP_SLACK))
    for page in (*FAMILY, *STAFF):
        found.append(_below(f"{page}: HTML bytes sent", pages[page]["html_bytes_sent"], PAGE_BYTES))
    if report.get("copy"):
        found.append(_below("5,000-item copy: seconds", report["copy"]["seconds"], COPY_SECONDS))
        found.append(_below("5,000-item copy: peak MB", report["copy"]["peak_rss_mb"], COPY_MB))
    return found


def _at_least(what: str, measured: float, limit: float) -> dict[str, Any]:
    return {"target": f"{what} >= {limit}", "measured": measured, "met": measured >= limit}


def _below(what: str, measured: float, limit: float) -> dict[str, Any]:
    return {"target": f"{what} < {limit}", "measured": measured, "met": measured < limit}


def table(report: dict[str, Any]) -> str:
    lines = [f"{'page':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'share':>8}"]
    for page, figures in report["pages"].items():
        lines.append(
            f"{page:<28}{figures['requests_per_second']:>9.1f}{figures['p50_ms']:>9.1f}"
            f"{figures['p99_ms']:>9.1f}{figures['errors']:>8}{share(report, page):>8.3f}"
        )
    if report.get("copy"):
        lines.append(f"copy of 5,000 items: {report['copy']}")
    missed = [t for t in report["targets"] if not t["met"]]
    lines.append(f"Targets met: {len(report['targets']) - len(missed)} of {len(report['targets'])}")
    lines += [f"  missed: {t['target']} (measured {t['measured']})" for t in missed]
    return "\n".join(lines)
