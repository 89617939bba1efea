"""TOTP against RFC 6238's published test vectors, drift, and single use."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from portal.totp import code_for, matching_step, new_secret, provisioning_uri, step_at

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("unix_time", "expected"),
    [
        (59, "287082"),
        (1111111109, "081804"),
        (1111111111, "050471"),
        (1234567890, "005924"),
        (2000000000, "279037"),
        (20000000000, "353130"),
    ],
)
def test_rfc_6238_sha1_vectors(unix_time: int, expected: str) -> None:
    moment = dt.datetime.fromtimestamp(unix_time, dt.UTC)
    assert code_for(RFC_SECRET, step_at(moment)) == expected


def test_a_code_from_the_previous_or_next_step_is_accepted_once() -> None:
    secret = new_secret()
    now = dt.datetime(2026, 11, 25, 12, 0, 15, tzinfo=dt.UTC)
    previous = code_for(secret, step_at(now) - 1)
    step = matching_step(secret, previous, now, last_step=None)
    assert step == step_at(now) - 1
    assert matching_step(secret, previous, now, last_step=step) is None
    assert matching_step(secret, code_for(secret, step_at(now) - 2), now, None) is None
    assert matching_step(secret, code_for(secret, step_at(now) + 1), now, None) == step_at(now) + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "１２３４５６", "١٢٣٤٥٦"])
def test_malformed_codes_are_refused(code: str) -> None:
    assert matching_step(new_secret(), code, dt.datetime.now(dt.UTC), None) is None


def test_provisioning_uri() -> None:
    uri = provisioning_uri("ABCDEF", "sam@example.com", "Family Data Portal")
    assert uri.startswith("otpauth://totp/Family%20Data%20Portal%3Asam%40example.com?secret=ABCDEF")
