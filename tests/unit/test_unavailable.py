"""Which database errors mean "unavailable, try again" (503) and which are bugs (500)."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from portal.web.unavailable import is_unavailable


def test_lost_connections_full_disks_and_locks_are_unavailability() -> None:
    full = sqlite3.OperationalError("database or disk is full")
    assert is_unavailable(OperationalError("INSERT", {}, full))
    assert is_unavailable(InterfaceError("SELECT 1", {}, Exception("connection already closed")))
    dropped = DBAPIError("SELECT 1", {}, Exception("server closed"), connection_invalidated=True)
    assert is_unavailable(dropped)


def test_a_broken_constraint_is_a_bug_not_an_outage() -> None:
    assert not is_unavailable(IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE")))
    assert not is_unavailable(DBAPIError("SELECT", {}, Exception("syntax error")))
