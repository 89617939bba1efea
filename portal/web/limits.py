"""Rate limits on guessing: sign-in, account creation, password reset and codes.

Two keys each: the client's address (one attacker, many accounts) and the account
named in the form (many addresses, one account). The per-account window is short
(15 minutes), so an attacker cannot lock a victim out for long, and a locked-out
owner can still reset their password. Storage is Redis in production (REDIS_URL),
so every process and machine counts together; memory in the embedded default.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from portal.services.accounts import normalise_email

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)

PER_ADDRESS = "30 per minute;300 per day"
PER_ACCOUNT = "10 per 15 minutes"
ACCOUNT_CREATION = "10 per hour"
RESET_PER_ACCOUNT = "3 per hour"


def email_in_form() -> str:
    """The account a form names: the key for per-account limits."""
    return "account:" + normalise_email(request.form.get("email", ""))[:320]


def _too_many_requests(_error: RateLimitExceeded) -> ResponseReturnValue:
    return render_template("errors/too-many-requests.html"), 429


def init_app(app: Flask) -> None:
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
