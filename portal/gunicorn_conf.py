"""gunicorn's settings for a production portal: `gunicorn -c portal/gunicorn_conf.py …`
(README, "Running in production").

gunicorn writes its own Server header on every response, naming itself; a response should say
nothing about the software behind it (ASVS 13.4.6). gunicorn reads that name from
`gunicorn.http.wsgi.SERVER` for each response, and gunicorn runs this file in its master process
before any worker starts, so every worker sends the neutral name instead.
"""

import os

import gunicorn.http.wsgi

SERVER_NAME = "portal"

gunicorn.http.wsgi.SERVER = SERVER_NAME


def on_starting(server: object) -> None:
    """Several workers share nothing in memory: without Redis each would count sign-in
    attempts alone (a brute-force limit several times too weak) and run jobs in the request.
    Refuse to start them so; one worker without Redis is the embedded, single-process case."""
    workers = server.cfg.workers  # type: ignore[attr-defined]
    if workers > 1 and not os.environ.get("REDIS_URL"):
        raise SystemExit(
            f"{workers} workers need REDIS_URL (shared rate limits and the job queue): "
            "set it, or run one worker (docs/deploy.md)."
        )
