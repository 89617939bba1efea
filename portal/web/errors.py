"""Error pages: GOV.UK wording, the right status, nothing about the inside."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from forms.base import refused_in_this_request
from portal.uploads import MAX_BYTES
from portal.web import unavailable


def _page_not_found(_error: HTTPException) -> ResponseReturnValue:
    return render_template("errors/not-found.html"), 404


def _csrf_error(_error: CSRFError) -> ResponseReturnValue:
    return render_template("errors/form-expired.html"), 400


def _too_large(_error: HTTPException) -> ResponseReturnValue:
    """The limit per file, and a way back to the form: the page they came from, if it is one
    of ours (the Referer's path only, so the link never leaves the portal)."""
    came_from = urlsplit(request.referrer or "")
    path = came_from.path
    ours = came_from.netloc in {"", request.host} and path.startswith("/")
    back = path if ours and not path.startswith("//") else url_for("pages.start")
    megabytes = MAX_BYTES // (1024 * 1024)
    return render_template("errors/too-large.html", back=back, megabytes=megabytes), 413


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


def _refused_form_is_a_bad_request(response: Response) -> Response:
    """A form shown again with what is wrong answers 400, not 200: every view that re-shows
    a refused form gets this without saying so (forms/base.py marks the refusal)."""
    if response.status_code == 200 and refused_in_this_request():
        response.status_code = 400
    return response


def init_app(app: Flask) -> None:
    app.after_request(_refused_form_is_a_bad_request)
    app.register_error_handler(404, _page_not_found)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(HTTPException, _other_http_error)
    unavailable.init_app(app)
    app.register_error_handler(500, _server_error)
