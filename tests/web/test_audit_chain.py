"""The audit chain: every event is chained by HMAC-SHA256 at flush, appends from many
connections at once never fork it, and verify-audit names the first link broken by raw SQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal import create_app
from portal.config import BASE, for_tests, from_environment
from portal.db import make_engine
from portal.migrate import upgrade
from portal.models import AuditEvent
from portal.services.audit import record_event
from portal.services.audit_verify import verify_chain
from tests.databases import empty_database, run_database_kind
from tests.races import WORKERS, all_at_once, race_session


def three_events(db: Session) -> list[int]:
    events = [
        record_event(db, actor=None, action="test.chain", detail={"n": str(n)}) for n in range(3)
    ]
    db.commit()
    return [event.id for event in events]


def verify_audit(app: Flask) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    return result.exit_code, result.output


def test_each_event_follows_the_one_before_it_and_verify_audit_says_ok(
    app: Flask, db: Session
) -> None:
    first, second, _ = three_events(db)
    one, two = db.get(AuditEvent, first), db.get(AuditEvent, second)
    assert two.chain_position == one.chain_position + 1 and two.previous_mac == one.mac
    assert len(two.mac) == 64 and two.key_id == "1"
    code, output = verify_audit(app)
    count = db.scalar(select(AuditEvent.chain_position).order_by(AuditEvent.id.desc()).limit(1))
    assert (code, output) == (0, f"Audit chain OK: {count} events verified.\n")


def test_an_event_edited_with_sql_is_named(app: Flask, db: Session) -> None:
    _, edited, _ = three_events(db)
    db.execute(
        text("UPDATE audit_events SET detail = :detail WHERE id = :id"),
        {"detail": '{"n": "9"}', "id": edited},
    )
    db.commit()
    code, output = verify_audit(app)
    assert code == 1
    assert f"event {edited} (position " in output and "edited" in output


def test_a_middle_event_deleted_with_sql_is_named(app: Flask, db: Session) -> None:
    _, deleted, after = three_events(db)
    db.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": deleted})
    db.commit()
    code, output = verify_audit(app)
    assert code == 1
    assert f"event {after} (position " in output and "missing (deleted)" in output


def test_the_last_event_deleted_with_sql_is_named(app: Flask, db: Session) -> None:
    _, before, deleted = three_events(db)
    db.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": deleted})
    db.commit()
    code, output = verify_audit(app)
    assert code == 1 and f"the last events, after event {before}" in output


def test_two_events_swapped_with_sql_are_named_reordered(app: Flask, db: Session) -> None:
    first, second, _ = three_events(db)
    positions = dict(db.execute(select(AuditEvent.id, AuditEvent.chain_position)).all())
    for event_id, position in [(first, -1), (second, positions[first]), (first, positions[second])]:
        db.execute(
            text("UPDATE audit_events SET chain_position = :position WHERE id = :id"),
            {"position": position, "id": event_id},
        )
    db.commit()
    code, output = verify_audit(app)
    assert code == 1
    assert f"event {second} (position {positions[first]}): reordered" in output


def test_events_signed_before_a_key_change_verify_with_the_retired_key(
    app: Flask, db: Session
) -> None:
    three_events(db)
    app.extensions["database"].info["audit_keys"] = _keys(
        AUDIT_HMAC_KEY="a-new-audit-key-after-the-change-0123456789",
        AUDIT_HMAC_KEY_ID="2",
        AUDIT_HMAC_RETIRED_KEYS={"1": for_tests("")["AUDIT_HMAC_KEY"]},
    )
    later = app.extensions["database"].sessions()
    record_event(later, actor=None, action="test.chain")
    later.commit()
    assert verify_audit(app)[0] == 0
    app.extensions["database"].info["audit_keys"] = _keys(
        AUDIT_HMAC_KEY="a-new-audit-key-after-the-change-0123456789", AUDIT_HMAC_KEY_ID="2"
    )
    code, output = verify_audit(app)
    assert code == 1 and "signed with key id '1', which is not configured" in output


def _keys(**settings: object) -> object:
    from portal.audit_keys import AuditKeys

    return AuditKeys.from_config({**BASE, **for_tests(""), **settings})


def test_appends_from_eight_connections_at_once_never_fork_the_chain(tmp_path: Path) -> None:
    with empty_database(run_database_kind(), tmp_path) as url:
        upgrade(url)
        engine = make_engine(url)

        def append(n: int, start: threading.Barrier) -> None:
            with race_session(engine) as session:
                start.wait(timeout=30)
                for round_ in range(5):
                    record_event(
                        session, actor=None, action="test.race", detail={"n": f"{n}.{round_}"}
                    )
                    session.commit()

        assert all_at_once(append) == []
        with race_session(engine) as session:
            positions = session.scalars(
                select(AuditEvent.chain_position).order_by(AuditEvent.chain_position)
            ).all()
            assert positions == list(range(1, WORKERS * 5 + 1))
            verdict = verify_chain(session)
        engine.dispose()
    assert (verdict.checked, verdict.broken) == (WORKERS * 5, None)


def test_the_portal_will_not_start_without_an_audit_key_or_with_a_short_one(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("SECRET_KEY", "production-like-test-key")
    monkeypatch.delenv("AUDIT_HMAC_KEY", raising=False)
    with pytest.raises(KeyError, match="AUDIT_HMAC_KEY"):
        from_environment()
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        create_app({**for_tests(database_url), "AUDIT_HMAC_KEY": "short"})


def test_a_session_without_the_apps_audit_keys_cannot_write_an_event(app: Flask) -> None:
    with Session(app.extensions["database"].engine) as bare:
        record_event(bare, actor=None, action="test.unchained")
        with pytest.raises(RuntimeError, match="no audit keys"):
            bare.flush()


def test_events_from_before_the_chain_stay_before_its_anchor(tmp_path: Path) -> None:
    with empty_database(run_database_kind(), tmp_path) as url:
        upgrade(url, "0010")
        engine = make_engine(url)
        with engine.begin() as connection:
            for action in ("before.one", "before.two"):
                connection.execute(
                    text(
                        "INSERT INTO audit_events (occurred_at, action, detail) "
                        "VALUES (CURRENT_TIMESTAMP, :action, '{}')"
                    ),
                    {"action": action},
                )
        upgrade(url)
        app = create_app(for_tests(url))
        with app.extensions["database"].sessions() as session:
            record_event(session, actor=None, action="after")
            session.commit()
            positions = session.execute(
                select(
                    AuditEvent.action, AuditEvent.chain_position, AuditEvent.mac.is_(None)
                ).order_by(AuditEvent.chain_position)
            ).all()
        assert verify_audit(app) == (0, "Audit chain OK: 1 event verified.\n")
        app.extensions["database"].engine.dispose()
        engine.dispose()
    assert positions == [("before.one", 1, True), ("before.two", 2, True), ("after", 3, False)]
