"""The benchmark's yardsticks, served by gunicorn exactly as the portal is (bench/run.py).

- `/`: a plain Flask "hello" page. A page's throughput is given as a share of it.
- `/govuk-page`: an empty GOV.UK Frontend page (page template, header, service navigation,
  footer), as any page of the portal is before its content.
- `/database-row`: one row read from PostgreSQL by its key through SQLAlchemy, as a signed-in
  page must at least do to check its server-side session.
- `/signed-in-floor`: both. No page that checks a session and uses the GOV.UK template can
  do better on this stack, so its share of hello shows what the share targets ask of the
  stack itself, before any of the portal's own work.
"""

import os
from pathlib import Path

from flask import Flask, render_template
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import create_engine, text

app = Flask(__name__, template_folder=None)
app.jinja_loader = ChoiceLoader(
    [
        FileSystemLoader(Path(__file__).with_name("templates")),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ]
)
engine = create_engine(os.environ["DATABASE_URL"], pool_size=1)
ROW = text("SELECT id, email FROM accounts WHERE email = :email")


@app.get("/")
def hello() -> str:
    return "Hello"


@app.get("/govuk-page")
def govuk_page() -> str:
    return render_template("empty-page.html", email="")


@app.get("/database-row")
def database_row() -> str:
    return f"Hello {_read_row()}"


@app.get("/signed-in-floor")
def signed_in_floor() -> str:
    return render_template("empty-page.html", email=_read_row())


def _read_row() -> str:
    with engine.connect() as connection:
        row = connection.execute(ROW, {"email": "dpo.officer@example.com"}).first()
    return row.email if row else ""
