"""Security headers on every response, and the nonce for the page's one inline script."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    nonce: str = g.csp_nonce
    return nonce


def _content_security_policy() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{csp_nonce()}'",
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Static files never reach Flask (portal/web/assets.py): the same headers, a policy without the
# page's nonce, and only this portal's pages may load them.
STATIC_FILE_HEADERS = {
    **FIXED_HEADERS,
    "Content-Security-Policy": "default-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = _content_security_policy()
    headers.update(FIXED_HEADERS)
    # same-origin, not no-referrer: Flask-WTF checks the Referer of HTTPS form posts. A view
    # that must send none at all (a secret link, which has no form) sets its own.
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if not request.path.startswith("/assets/"):
        # Pages may show personal data: never keep them in a shared cache or the back button.
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
    app.add_template_global(csp_nonce, "csp_nonce")
