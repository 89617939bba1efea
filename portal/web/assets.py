"""Static files (GOV.UK Frontend's CSS, JS and images, and ours), served the way a portal behind a
load balancer needs them: by WhiteNoise, straight from the WSGI server without touching Flask.

Families open the portal on slow phones, so each file goes out as the smallest copy the browser
can read: `scripts/build-assets` writes Brotli (.br) and gzip (.gz) copies beside each file once,
at build time, and WhiteNoise picks one by Accept-Encoding (with `Vary: Accept-Encoding`), so no
request spends CPU compressing them.

Pages link to the files under `/assets/<version>/`, where the version is a hash of the files'
contents: a browser may then keep them for a year without asking again, and a release that
changes any file changes every link. `/assets/<file>` still answers, cached for a minute only,
for anything that links to a file without the version.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from wsgiref.headers import Headers

from flask import Flask
from whitenoise import WhiteNoise  # type: ignore[import-untyped]

from portal.config import STATIC
from portal.web.security import STATIC_FILE_HEADERS

COMPRESSED_COPIES = (".br", ".gz")
UNVERSIONED_MAX_AGE = 60


def version(root: Path = STATIC) -> str:
    """A hash of every file's name and contents: the same on every machine of one release."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix not in COMPRESSED_COPIES:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def url_path() -> str:
    """Where pages link to the static files (Flask's `static_url_path`)."""
    return f"/assets/{version()}"


def serve(app: Flask) -> None:
    """Put WhiteNoise in front of the app for the versioned and the plain static URLs."""
    versioned = f"{app.static_url_path}/"

    def is_versioned(_path: str, url: str) -> bool:
        return url.startswith(versioned)

    def add_security_headers(headers: Headers, _path: str, _url: str) -> None:
        for name, value in STATIC_FILE_HEADERS.items():
            headers[name] = value

    static = WhiteNoise(
        app.wsgi_app,
        max_age=UNVERSIONED_MAX_AGE,
        allow_all_origins=False,
        immutable_file_test=is_versioned,
        add_headers_function=add_security_headers,
    )
    static.add_files(STATIC, prefix=versioned)
    static.add_files(STATIC, prefix="/assets/")
    app.wsgi_app = static  # type: ignore[method-assign]
