"""Error pages: GOV.UK wording, the right status, nothing about the inside."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from portal.web import unavailable


def _page_not_found(_error: HTTPException) -> ResponseReturnValue:
    return render_template("errors/not-found.html"), 404


def _csrf_error(_error: CSRFError) -> ResponseReturnValue:
    return render_template("errors/form-expired.html"), 400


def _too_large(_error: HTTPException) -> ResponseReturnValue:
    return render_template("errors/too-large.html"), 413


def _other_http_error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    if code == 405:
        return render_template("errors/not-found.html"), 405
    return render_template("errors/problem.html"), code


def _untrusted_host(_error: SecurityError) -> ResponseReturnValue:
    # A Host not in TRUSTED_HOSTS: no page, since no link on it could be built for that host.
    return "Bad request", 400, {"Content-Type": "text/plain; charset=utf-8"}


def _server_error(_error: Exception) -> ResponseReturnValue:
    return render_template("errors/problem.html"), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(404, _page_not_found)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(HTTPException, _other_http_error)
    unavailable.init_app(app)
    app.register_error_handler(500, _server_error)
