"""Checking the audit chain: walks it in order, from its anchor to its tail, and names the
first broken link, so an event edited or deleted with raw SQL is found.

Caller: `flask --app portal verify-audit` (nightly, and after a restore).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portal.audit_keys import AuditKeys, keys_of
from portal.models.audit import CHAIN_ROW, AuditEvent
from portal.services.audit_chain import CHAIN, mac_of

# How far from its place a moved event is looked for.
NEARBY = 1000


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken: str | None = None


def verify_chain(db: Session) -> Verdict:
    """Every event after the anchor up to the tail, read in one statement (one snapshot, so
    appends and retention running meanwhile do not look like breaks)."""
    keys = keys_of(db)
    last: AuditEvent | None = None
    with db.execute(_walk()) as rows:
        for event, anchor, anchor_mac, tail in rows:
            position, previous = (last.chain_position, last.mac) if last else (anchor, anchor_mac)
            broken = _broken_link(keys, event, position + 1, previous)
            if broken:
                return Verdict(position - anchor, broken)
            last, ends = event, (anchor, tail)
    if last is None:  # nothing after the anchor: read the ends on their own
        chain = db.execute(select(CHAIN).where(CHAIN.c.id == CHAIN_ROW)).one()
        ends = (chain.anchor_position, chain.tail_position)
    return _check_tail(last, *ends)


def _walk() -> Select[AuditEvent, int, str, int]:
    return (
        select(AuditEvent, CHAIN.c.anchor_position, CHAIN.c.anchor_mac, CHAIN.c.tail_position)
        .join(CHAIN, CHAIN.c.id == CHAIN_ROW)
        .where(
            AuditEvent.chain_position > CHAIN.c.anchor_position,
            AuditEvent.chain_position <= CHAIN.c.tail_position,
        )
        .order_by(AuditEvent.chain_position)
        .execution_options(yield_per=1000)
    )


def _broken_link(
    keys: AuditKeys, event: AuditEvent, position: int, previous: str | None
) -> str | None:
    where = f"event {event.id} (position {event.chain_position})"
    if event.chain_position != position:
        gone = f"{position}" + (
            f" to {event.chain_position - 1}" if position + 1 < event.chain_position else ""
        )
        return f"{where}: the event before it is missing (deleted): position {gone}"
    key = keys.keys.get(event.key_id or "")
    if key is None:
        return f"{where}: signed with key id {event.key_id!r}, which is not configured"
    if event.mac is None or not hmac.compare_digest(mac_of(key, event), event.mac):
        return f"{where}: {_edited_or_moved(key, event)}"
    if event.previous_mac != previous:
        return (
            f"{where}: does not follow the event before it (reordered, or deleted and renumbered)"
        )
    return None


def _edited_or_moved(key: bytes, event: AuditEvent) -> str:
    """An event whose MAC fails was edited; unless it verifies at a nearby position, in which
    case it was moved there from that position."""
    here = event.chain_position
    for written_at in range(max(1, here - NEARBY), here + NEARBY + 1):
        mac = mac_of(key, event, written_at)
        if written_at != here and event.mac and hmac.compare_digest(mac, event.mac):
            return f"reordered: it was written at position {written_at}"
    return "edited: its contents do not match its MAC"


def _check_tail(last: AuditEvent | None, anchor: int, tail: int) -> Verdict:
    """The last events deleted leave no gap: the chain's tail says where it should end."""
    end = last.chain_position if last else anchor
    if end < tail:
        after = f"after event {last.id} (position {end})" if last else f"after position {end}"
        return Verdict(
            end - anchor, f"the last events, {after} to position {tail}, are missing (deleted)"
        )
    return Verdict(end - anchor)
