"""gunicorn's settings for a production portal: `gunicorn -c portal/gunicorn_conf.py …`
(README, "Running in production").

gunicorn writes its own Server header on every response, naming itself; a response should say
nothing about the software behind it (ASVS 13.4.6). gunicorn reads that name from
`gunicorn.http.wsgi.SERVER` for each response, and gunicorn runs this file in its master process
before any worker starts, so every worker sends the neutral name instead.
"""

import gunicorn.http.wsgi

SERVER_NAME = "portal"

gunicorn.http.wsgi.SERVER = SERVER_NAME
