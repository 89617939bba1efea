"""A failed job's error, as RQ keeps it in Redis for 90 days and the log shows it, says what
failed and where, never what the error's message quoted."""

from __future__ import annotations

import traceback

import pytest

from portal.jobs.tasks import CopiesNotBuilt, JobFailed, quiet_errors


def test_an_errors_message_is_not_kept_but_its_type_and_place_are() -> None:
    @quiet_errors
    def look_up(email: str) -> None:
        raise KeyError(email)

    address = "sam.rivers@example.com"  # a variable: the traceback quotes the calling line
    with pytest.raises(JobFailed) as raised:
        look_up(address)
    kept = "".join(traceback.format_exception(raised.value))
    assert "sam.rivers" not in kept
    assert f"KeyError at {__file__}:" in str(raised.value) and "in look_up" in str(raised.value)


def test_the_portals_own_job_errors_pass_unchanged() -> None:
    @quiet_errors
    def sweep() -> None:
        raise CopiesNotBuilt("2 copies not built (see the log); still due")

    with pytest.raises(CopiesNotBuilt, match="2 copies not built"):
        sweep()
