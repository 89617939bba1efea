"""When the database goes away, the portal answers 503, keeps what the user typed, recovers by
itself, and loses no request it gave a reference: a real PostgreSQL restart, a real full SQLite
database."""

from __future__ import annotations

import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, select, text
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from portal import create_app
from portal.config import for_tests
from portal.models import Complaint, CorrectionRequest
from tests.conftest import PASSWORDS, sign_in
from tests.databases import NO_POSTGRES, POSTGRES_URL, migrate_and_load_demo, run_database_kind
from tests.pages import CheckingClient, csrf_token, text_of
from tests.postgres_cluster import Cluster, throwaway_cluster
from tests.web.test_complaints import answer_all_without_account, submission_key
from tests.web.test_corrections import ELLIE_LANGUAGE

ASK = f"/your-data/items/{ELLIE_LANGUAGE}/correction"
CHECK = "/complaints/new/check"
REFERENCE = re.compile(r"(?:COR|CMP)-[A-Z0-9]{8}")
HOSTILE = '"><script>alert(1)</script>'
SORRY = "Sorry, there is a problem with the service"


def portal_on(url: str) -> Flask:
    app = create_app(for_tests(url))
    app.test_client_class = CheckingClient
    return app


def answers(n: int) -> dict[str, str]:
    return {
        "submission_key": secrets.token_urlsafe(24),
        "what_is_wrong": f"Request {n} of the run {HOSTILE}",
        "should_say": "English and Polish " + "x" * 1900,
        "why": "We speak Polish at home " + "y" * 1900,
    }


def send(client: FlaskClient, token: str, n: int) -> tuple[TestResponse, dict[str, str]]:
    sent = answers(n)
    return client.post(ASK, data={"csrf_token": token, **sent}), sent


def references_in(response: TestResponse) -> set[str]:
    shown = REFERENCE.findall(response.headers.get("Location", ""))
    return set(shown + REFERENCE.findall(response.get_data(as_text=True)))


def assert_kept(response: TestResponse, sent: dict[str, str], to: str = ASK) -> None:
    """503, Retry-After, the GOV.UK apology, and a form that posts the same answers back."""
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"
    assert SORRY in text_of(response)
    assert HOSTILE not in response.get_data(as_text=True), "input written back unescaped"
    action, fields = retry_form(response)
    assert action == to
    typed = {name: value for name, value in sent.items() if name != "csrf_token"}
    assert {name: fields[name] for name in typed} == typed
    assert not references_in(response)


def retry_form(response: TestResponse) -> tuple[str, MultiDict[str, str]]:
    form = BeautifulSoup(response.get_data(as_text=True), "html.parser").find("main").find("form")
    fields = MultiDict((field["name"], field["value"]) for field in form.find_all("input"))
    return form["action"], fields


def try_again(client: FlaskClient, kept: TestResponse) -> TestResponse:
    """The user presses "Try again" on the 503 page."""
    action, fields = retry_form(kept)
    return client.post(action, data=fields)


def follow(client: FlaskClient, response: TestResponse) -> set[str]:
    """A successful POST redirects; the page it leads to shows the reference."""
    assert response.status_code == 302, response.status_code
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return references_in(response) | references_in(page)


@pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)
def test_a_postgresql_restart_answers_503_keeps_input_and_loses_no_reference() -> None:
    with throwaway_cluster() as cluster:
        app = portal_on(demo_database(cluster))
        client = app.test_client()
        sign_in(client, "sam.rivers@example.com")
        token = csrf_token(client.get(ASK))
        # Someone without an account, who reaches "Check your answers" of a complaint.
        someone = app.test_client()
        answer_all_without_account(someone)
        check = someone.get(CHECK)
        shown: set[str] = set()
        for n in range(2):
            shown |= follow(client, send(client, token, n)[0])

        # Committed, redirected, and then the server goes before the page is read.
        last, _ = send(client, token, 2)
        cluster.stop()
        shown |= references_in(last)
        assert client.get(last.headers["Location"]).status_code == 503
        kept = []
        for n in (3, 4):
            response, sent = send(client, token, n)
            assert_kept(response, sent)
            kept.append(response)
        complaint = {"csrf_token": csrf_token(check), "submission_key": submission_key(check)}
        complaint_kept = someone.post(CHECK, data=complaint)
        assert_kept(complaint_kept, complaint, to=CHECK)

        cluster.start()
        for response in kept:
            shown |= follow(client, try_again(client, response))
        shown |= follow(client, send(client, token, 5)[0])
        shown |= follow(someone, try_again(someone, complaint_kept))
        app.extensions["database"].engine.dispose()
        assert len(shown) == 7
        assert shown <= stored_references(cluster.url("portal"))


def demo_database(cluster: Cluster) -> str:
    server = create_engine(cluster.url("postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text("CREATE DATABASE portal"))
    server.dispose()
    migrate_and_load_demo(cluster.url("portal"))
    return cluster.url("portal")


def stored_references(url: str) -> set[str]:
    """Every correction request's and complaint's reference in the database."""
    engine = create_engine(url)
    with engine.connect() as connection:
        references = set(connection.scalars(select(CorrectionRequest.reference)))
        references |= set(connection.scalars(select(Complaint.reference)))
    engine.dispose()
    return references


class TroubledSqlite:
    """A copy of the run's SQLite database under a portal, whose disk can be made full (SQLite's
    own "database or disk is full" as soon as a write needs one more page) or whose database
    another process can lock (SQLite's "database is locked" after a short busy timeout)."""

    def __init__(self, app: Flask, path: Path) -> None:
        self.app = app
        self.path = path
        self.engine = app.extensions["database"].engine
        self.full = False
        event.listen(self.engine, "checkout", self._limit)

    def _limit(self, dbapi_connection: sqlite3.Connection, *_: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages if self.full else 2**30}")
        dbapi_connection.execute("PRAGMA busy_timeout = 200")

    @contextmanager
    def locked(self) -> Iterator[None]:
        other = sqlite3.connect(self.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()

    def references(self) -> set[str]:
        with self.engine.connect() as connection:
            return set(connection.scalars(select(CorrectionRequest.reference)))


SQLITE_ONLY = pytest.mark.skipif(
    run_database_kind() != "sqlite", reason="SQLite only: runs in the SQLite pass of the suite"
)


@pytest.fixture
def sqlite(database_url: str, tmp_path: Path) -> Iterator[TroubledSqlite]:
    copy = tmp_path / "portal.db"
    source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    target = sqlite3.connect(copy, isolation_level=None)
    source.backup(target)
    source.close()
    # No free pages left over, so that a write that needs room needs a new page.
    if target.execute("PRAGMA freelist_count").fetchone()[0]:
        target.execute("VACUUM")
    target.close()
    troubled = TroubledSqlite(portal_on(f"sqlite:///{copy}"), copy)
    yield troubled
    troubled.engine.dispose()


@SQLITE_ONLY
def test_a_full_sqlite_database_answers_503_keeps_input_and_recovers(
    sqlite: TroubledSqlite, caplog: pytest.LogCaptureFixture
) -> None:
    client = sqlite.app.test_client()
    sign_in(client, "sam.rivers@example.com")
    token = csrf_token(client.get(ASK))
    before = sqlite.references()
    sqlite.full = True
    response, sent = send(client, token, 1)
    assert_kept(response, sent)
    assert "database or disk is full" in caplog.text
    assert sqlite.references() == before

    sqlite.full = False
    shown = follow(client, try_again(client, response))
    assert len(shown) == 1 and shown <= sqlite.references()


@SQLITE_ONLY
def test_a_locked_database_answers_in_welsh_and_never_writes_a_password_back(
    sqlite: TroubledSqlite, caplog: pytest.LogCaptureFixture
) -> None:
    client = sqlite.app.test_client()
    client.get("/language/cy")
    token = csrf_token(client.get("/sign-in"))
    password = PASSWORDS["sam.rivers@example.com"]
    with sqlite.locked():
        response = client.post(
            "/sign-in",
            data={"csrf_token": token, "email": "sam.rivers@example.com", "password": password},
        )
    assert response.status_code == 503
    assert "database is locked" in caplog.text
    page = text_of(response)
    assert "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth" in page
    assert "nid ydym wedi cadw eich cyfrinair" in page
    action, fields = retry_form(response)
    assert action == "/sign-in" and fields["email"] == "sam.rivers@example.com"
    assert "password" not in fields and password not in response.get_data(as_text=True)
