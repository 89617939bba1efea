"""The audit chain: each event carries its position, the previous event's MAC, and its own
MAC = HMAC-SHA256(key, canonical JSON of its fields and the previous MAC).

Chaining happens in one place, a before_flush hook on every session, so no caller of
record_event (or anyone adding an AuditEvent) can forget it. Appends are serialised so the
chain never forks: the hook takes the chain's lock before it reads the tail, and holds it
until the caller's transaction ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from typing import Any, cast

from sqlalchemy import Connection, Row, Table, event, func, select, update
from sqlalchemy.orm import Session, UOWTransaction

from portal.audit_keys import keys_of
from portal.models.audit import CHAIN_ROW, AuditChain, AuditEvent
from portal.models.columns import utc_now

CHAIN = cast(Table, AuditChain.__table__)
# pg_advisory_xact_lock's key for appending to the chain ("audi").
LOCK_KEY = 0x61756469


def lock_chain(connection: Connection) -> Row[Any]:
    """Takes the chain's lock for the rest of the transaction, then reads the chain's row.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: a write first (a no-op UPDATE of
    the chain's row), so the transaction holds the write lock before it reads; reading first
    and writing later fails ("database is locked") once another connection has appended."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))
    else:
        connection.execute(
            update(CHAIN).where(CHAIN.c.id == CHAIN_ROW).values(tail_position=CHAIN.c.tail_position)
        )
    return connection.execute(select(CHAIN).where(CHAIN.c.id == CHAIN_ROW)).one()


@event.listens_for(Session, "before_flush")
def _chain_new_events(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    """Gives every new audit event its place at the end of the chain, and moves the tail."""
    new = [instance for instance in session.new if isinstance(instance, AuditEvent)]
    if not new:
        return
    keys = keys_of(session)
    connection = session.connection()
    tail = lock_chain(connection)
    position, previous = tail.tail_position, tail.tail_mac
    for audit_event in new:
        position += 1
        if audit_event.occurred_at is None:
            audit_event.occurred_at = utc_now()
        audit_event.detail = audit_event.detail or {}
        audit_event.chain_position, audit_event.previous_mac = position, previous
        audit_event.key_id = keys.current_id
        audit_event.mac = previous = mac_of(keys.current, audit_event)
    connection.execute(
        update(CHAIN)
        .where(CHAIN.c.id == CHAIN_ROW)
        .values(tail_position=position, tail_mac=previous)
    )


def mac_of(key: bytes, audit_event: AuditEvent, position: int | None = None) -> str:
    """The event's MAC, hex; `position` asks what it would be at another position."""
    return hmac.new(key, canonical(audit_event, position), hashlib.sha256).hexdigest()


def canonical(audit_event: AuditEvent, position: int | None = None) -> bytes:
    """Sorted keys, compact separators, UTF-8; datetimes in UTC as 2024-01-31T09:05:00.000000Z,
    UUIDs as their hyphenated lower-case strings."""
    fields = {
        "position": audit_event.chain_position if position is None else position,
        "occurred_at": _utc(audit_event.occurred_at),
        "actor_account_id": _text(audit_event.actor_account_id),
        "action": audit_event.action,
        "subject_person_id": _text(audit_event.subject_person_id),
        "session_ref": audit_event.session_ref,
        "detail": audit_event.detail,
        "key_id": audit_event.key_id,
        "previous_mac": audit_event.previous_mac,
    }
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def _utc(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime in an audit event")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _text(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)
