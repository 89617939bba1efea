"""Changing an item without overwriting it: a new version, the old one kept and pointing to it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from portal.models import Account, DataItem, Restriction
from portal.vocabulary import Source


def replace_item(
    db: Session,
    item: DataItem,
    *,
    value: str,
    source: Source,
    now: dt.datetime,
    obtained_on: dt.date,
    changed_by: Account | None = None,
) -> DataItem:
    """A new version of `item` with `value`; restrictions carry over, so whoever must never see
    the old value never sees the new one either. The caller commits."""
    newer = DataItem(
        person_id=item.person_id,
        kind=item.kind,
        value=value,
        source=source,
        obtained_on=obtained_on,
        recorded_at=now,
        sensitivity=item.sensitivity,
        outcome_area=item.outcome_area,
        assessment_id=item.assessment_id,
        changed_by_account_id=changed_by.id if changed_by else None,
    )
    newer.restrictions = [
        Restriction(
            restricted_person_id=old.restricted_person_id,
            reason=old.reason,
            set_by=old.set_by,
            set_on=old.set_on,
            review_on=old.review_on,
        )
        for old in item.restrictions
    ]
    db.add(newer)
    db.flush()
    item.replaced_by_id = newer.id
    item.replaced_at = now
    return newer
