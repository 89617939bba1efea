"""Races between DPO officers: a database of their own, with eight officers, and work that
starts in eight threads at the same moment, each with its own session."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from portal.audit_keys import SESSION_INFO, AuditKeys
from portal.config import BASE, for_tests
from portal.models import Account
from portal.vocabulary import Role
from tests.databases import empty_database, keyed_engine, migrate_and_load_demo, run_database_kind

WORKERS = 8


@contextmanager
def race_database(
    folder: Path, make_rows: Callable[[Session], list[str]]
) -> Iterator[tuple[str, list[str]]]:
    """A migrated database with the demo data, the officers, and the rows `make_rows` adds
    (it returns their references): the URL and the references."""
    with empty_database(run_database_kind(), folder) as url:
        migrate_and_load_demo(url)
        engine = keyed_engine(url)
        with race_session(engine) as session:
            session.add_all(
                Account(email=f"officer{n}@example.com", role=Role.DPO_OFFICER)
                for n in range(WORKERS)
            )
            references = make_rows(session)
            session.commit()
        engine.dispose()
        yield url, references


def race_session(engine: Engine) -> Session:
    """A session of its own on `engine`, carrying the test settings' audit keys as the app's
    sessions do, so the audit events it adds are chained."""
    keys = AuditKeys.from_config({**BASE, **for_tests(str(engine.url))})
    return Session(engine, info={SESSION_INFO: keys})


def officer(session: Session, n: int) -> Account:
    found = session.scalar(select(Account).where(Account.email == f"officer{n}@example.com"))
    assert found is not None
    return found


def all_at_once(work: Callable[[int, threading.Barrier], None]) -> list[BaseException]:
    """Runs work(n, start) in WORKERS threads; each waits at `start` so they race. Returns
    what any thread raised, for the caller to assert is nothing."""
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            work(n, start)
        except BaseException as error:  # reported by the caller, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors
