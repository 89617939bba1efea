"""Time-based one-time passwords (RFC 6238), as authenticator apps make them.

Six digits, 30-second steps, SHA-1 (what every authenticator app supports), one step
of clock drift either way, and each step usable once.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import secrets
from urllib.parse import quote, urlencode

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.hotp import HOTP

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1


def new_secret() -> str:
    """160 random bits in base 32, the form authenticator apps accept."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def step_at(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def code_for(secret: str, step: int) -> str:
    key = base64.b32decode(secret)
    # SHA-1 is what RFC 6238 and every authenticator app use; HMAC-SHA-1 is not broken.
    hotp = HOTP(key, DIGITS, SHA1(), enforce_key_length=False)  # noqa: S303  # nosec B303
    return hotp.generate(step).decode("ascii")


def matching_step(secret: str, code: str, now: dt.datetime, last_step: int | None) -> int | None:
    """The step this code belongs to, or None: wrong, too old, or already used."""
    code = code.replace(" ", "")
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    current = step_at(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(code_for(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, account_name: str, issuer: str) -> str:
    """The otpauth:// link an authenticator app reads from a QR code."""
    label = quote(f"{issuer}:{account_name}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"
