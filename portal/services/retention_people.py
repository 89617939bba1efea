"""Deleting the Early Help case data of people whose household's retention ended, and
closing their accounts: every row that names them or points at them, so nothing is left
dangling or half-deleted.

What goes, for each person: data items (and their restrictions, the sharing events that
carried them, officers' decisions about them in copies), sharing events, relationships,
changes to their name or date of birth, invitation codes, and every restriction naming
them. Their accounts are closed: the row stays, because audit events name it, but with a
random unusable email, no person, no password or second factor, no sessions, tokens,
recovery codes or guardian requests; the outbox forgets the messages sent to them.

Caller: `retention_households.dispose_households`, inside one household's transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from portal.models import (
    Account,
    AccountToken,
    AuthSession,
    CopyItemTreatment,
    DataItem,
    GuardianRequest,
    InvitationCode,
    Notification,
    PersonChange,
    RecoveryCode,
    Relationship,
    Restriction,
    SharingEvent,
    SupplementaryStatement,
    sharing_event_items,
)
from portal.vocabulary import ItemKind

IDs = Collection[uuid.UUID]


def delete_case_data(db: Session, people: IDs) -> dict[str, int]:
    """Deletes what is held about `people` (not the people themselves); returns counts."""
    items = list(db.scalars(select(DataItem.id).where(DataItem.person_id.in_(people))))
    events = list(db.scalars(select(SharingEvent.id).where(SharingEvent.person_id.in_(people))))
    db.execute(delete(CopyItemTreatment).where(CopyItemTreatment.item_id.in_(items)))
    db.execute(delete(SupplementaryStatement).where(SupplementaryStatement.item_id.in_(items)))
    db.execute(
        delete(Restriction).where(
            or_(Restriction.item_id.in_(items), Restriction.restricted_person_id.in_(people))
        )
    )
    db.execute(
        delete(sharing_event_items).where(
            or_(
                sharing_event_items.c.item_id.in_(items),
                sharing_event_items.c.sharing_event_id.in_(events),
            )
        )
    )
    db.execute(delete(SharingEvent).where(SharingEvent.id.in_(events)))
    _delete_items(db, items)
    relationships = _delete_people_rows(db, people)
    return {"data_items": len(items), "sharing_events": len(events), **relationships}


def _delete_items(db: Session, items: list[uuid.UUID]) -> None:
    # Versions point at their successors: unlink the chain before deleting it.
    db.execute(update(DataItem).where(DataItem.id.in_(items)).values(replaced_by_id=None))
    db.execute(delete(DataItem).where(DataItem.id.in_(items)))


def _delete_people_rows(db: Session, people: IDs) -> dict[str, int]:
    related = or_(Relationship.person_id.in_(people), Relationship.related_person_id.in_(people))
    relationships = len(db.scalars(select(Relationship.id).where(related)).all())
    db.execute(delete(Relationship).where(related))
    db.execute(delete(PersonChange).where(PersonChange.person_id.in_(people)))
    db.execute(delete(InvitationCode).where(InvitationCode.person_id.in_(people)))
    return {"relationships": relationships}


def contact_addresses(db: Session, people: IDs, accounts: IDs) -> set[str]:
    """Where messages to these people went: their accounts' emails, their email and phone
    items. Read before the items go."""
    emails = db.scalars(select(Account.email).where(Account.id.in_(accounts)))
    kinds = (ItemKind.EMAIL, ItemKind.PHONE)
    values = db.scalars(
        select(DataItem.value).where(DataItem.person_id.in_(people), DataItem.kind.in_(kinds))
    )
    return {*emails, *values}


def forget_messages(db: Session, addresses: set[str]) -> None:
    db.execute(delete(Notification).where(Notification.to_address.in_(addresses)))


def close_accounts(db: Session, accounts: IDs, now: dt.datetime) -> None:
    """Closes the accounts: nothing left that names the person or lets anyone sign in."""
    requests = select(GuardianRequest.id).where(GuardianRequest.child_account_id.in_(accounts))
    db.execute(
        delete(AccountToken).where(
            or_(
                AccountToken.account_id.in_(accounts),
                AccountToken.guardian_request_id.in_(requests),
            )
        )
    )
    db.execute(delete(GuardianRequest).where(GuardianRequest.child_account_id.in_(accounts)))
    for model in (AuthSession, RecoveryCode):
        db.execute(delete(model).where(model.account_id.in_(accounts)))
    for account_id in accounts:
        db.execute(
            update(Account)
            .where(Account.id == account_id)
            .values(
                email=f"closed-{uuid.uuid4().hex}@closed.invalid",
                person_id=None,
                closed_at=now,
                **dict.fromkeys(CLEARED),
            )
        )


CLEARED = (
    "password_hash",
    "display_name",
    "team",
    "oidc_issuer",
    "oidc_subject",
    "totp_secret",
    "totp_enabled_at",
    "totp_last_step",
    "guardian_approved_at",
    "email_confirmed_at",
    "password_changed_at",
)
