"""The Family Data Portal: create_app() only."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import cli, config, db, i18n, templating, web
from portal.extensions import csrf
from portal.jobs import commands as job_commands
from portal.jobs import dispatch as jobs
from portal.web import assets


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app from the environment, or from `test_config` in tests."""
    app = Flask(
        __name__,
        template_folder=None,
        static_folder=str(config.STATIC),
        static_url_path=assets.url_path(),
        instance_path=str(config.INSTANCE),
    )
    app.config.update(config.BASE)
    app.config.update(test_config if test_config is not None else config.from_environment())
    assets.serve(app)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    db.init_app(app)
    jobs.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    job_commands.init_app(app)
    return app
