"""Pages compressed per response (Flask-Compress), at a low level that costs little CPU.

gunicorn sends what the app gives it and a load balancer usually passes it on as it is, so the
app compresses its own HTML; static files come compressed already (portal/web/assets.py).

Only pages the person asked for from this portal itself (`Sec-Fetch-Site: same-origin`, or
`none` for a typed address or bookmark) are compressed. Pages show personal data next to text
the request chose (the language links repeat the query string); compressing both lets another
site that can make the browser ask for many pages and watch their sizes on the network guess the
data a character at a time (BREACH). Pages another site asks for, and browsers too old to say
who asked, get the page uncompressed: larger, never guessable.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_compress import Compress

ASKED_BY_THE_PORTAL = frozenset({"same-origin", "none"})

SETTINGS = {
    # We call Flask-Compress ourselves, only for the requests above.
    "COMPRESS_REGISTER": False,
    "COMPRESS_MIMETYPES": ["text/html"],
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    # Low levels: a page compresses in well under a millisecond, nearly as small as at the top.
    "COMPRESS_BR_LEVEL": 3,
    "COMPRESS_LEVEL": 3,
}

compress = Compress()


def _compress_pages_the_portal_asked_for(response: Response) -> Response:
    response.vary.add("Sec-Fetch-Site")
    if request.headers.get("Sec-Fetch-Site") in ASKED_BY_THE_PORTAL:
        return compress.after_request(response)
    response.vary.add("Accept-Encoding")
    return response


def init_app(app: Flask) -> None:
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    compress.init_app(app)
    app.after_request(_compress_pages_the_portal_asked_for)
