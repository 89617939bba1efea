"""The benchmark's own arithmetic (bench/): reading wrk's report and judging the targets, so
that a figure it prints is the figure wrk measured."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from targets import judge  # noqa: E402
from wrk import median_run, parse  # noqa: E402

REPORT = """Running 10s test @ http://127.0.0.1:8701/your-data
  1 threads and 20 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    38.20ms   10.11ms 180.00ms   90.00%
    Req/Sec   520.00     40.00   600.00     70.00%
  Latency Distribution
     50%   36.50ms
     75%   40.00ms
     90%   48.00ms
     99%    1.20s
  5210 requests in 10.01s, 60.00MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    520.48
Transfer/sec:      6.00MB
"""


def test_wrk_report_is_read_with_its_units_and_every_kind_of_error() -> None:
    load = parse(REPORT)
    assert load.requests_per_second == 520.48
    assert load.p50_ms == 36.5
    assert load.p99_ms == 1200.0
    assert load.requests == 5210
    assert load.errors == 9


def test_a_report_without_latencies_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot read"):
        parse("unable to connect to 127.0.0.1:8701 Connection refused")


def figures(rate: float, p99: float = 10.0) -> dict[str, float]:
    return {
        "requests_per_second": rate,
        "p50_ms": 5.0,
        "p99_ms": p99,
        "errors": 0,
        "html_bytes_sent": 9000,
    }


def test_targets_are_shares_of_the_hello_pages_throughput() -> None:
    pages = {"hello": figures(1000)}
    pages |= {name: figures(300) for name in ("your_data", "person", "sharing_record")}
    pages["complaint_status"] = figures(200, p99=60.0)
    for name in ("complaints_queue_first", "complaints_queue_filtered", "copy_requests_queue"):
        pages[name] = figures(150)
    pages["complaints_queue_deep"] = figures(100)
    missed = {t["target"] for t in judge({"pages": pages}) if not t["met"]}
    assert missed == {
        "complaint_status: share of hello >= 0.25",
        "complaint_status: p99 ms < 50.0",
        "complaints_queue_deep: share of hello >= 0.15",
        "deep queue page / first page >= 0.8",
    }


def run(rate: float, p99: float, errors: int = 0) -> dict[str, float]:
    return {"requests_per_second": rate, "p50_ms": 1.0, "p99_ms": p99, "errors": errors}


def test_a_page_is_reported_by_its_median_run_whole_with_every_runs_errors() -> None:
    runs = [run(120.0, 300.0), run(230.0, 110.0, errors=2), run(200.0, 130.0)]
    chosen = median_run(runs)
    assert (chosen["requests_per_second"], chosen["p99_ms"]) == (200.0, 130.0)
    assert chosen["errors"] == 2
    assert chosen["each_run_requests_per_second"] == [120.0, 230.0, 200.0]


def test_of_an_even_number_of_runs_the_slower_middle_one_is_reported() -> None:
    assert median_run([run(300.0, 1.0), run(100.0, 1.0)])["requests_per_second"] == 100.0


def test_the_yardsticks_answer_with_a_govuk_page_and_a_database_row(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bench/hello.py's pages, which `make bench` drives beside the portal's."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delitem(sys.modules, "hello", raising=False)
    hello = importlib.import_module("hello")
    client = hello.app.test_client()
    try:
        assert client.get("/").text == "Hello"
        assert client.get("/database-row").text == "Hello dpo.officer@example.com"
        for path in ("/govuk-page", "/signed-in-floor"):
            page = client.get(path).text
            assert "<title>Empty page – Benchmark</title>" in page
            assert 'class="govuk-service-navigation' in page and 'class="govuk-footer' in page
        assert "dpo.officer@example.com" in client.get("/signed-in-floor").text
    finally:
        hello.engine.dispose()
