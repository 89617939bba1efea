"""Family members change their own phone number, email address and postal address at once.

The change makes a new version of the item (nothing is overwritten) and both the old and
the new channel are told, unless the old one is flagged unsafe: account takeover through a
changed contact detail is a known route for abusers (DESIGN.md "Identity"). The account's
email address always hears; a changed phone number also texts the old and new mobiles.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.contact_formats import text_message_number
from portal.models import Account, DataItem, NotificationKind
from portal.policy import Viewer
from portal.services.audit import record_event
from portal.services.corrections import item_for_correction
from portal.services.item_versions import replace_item
from portal.services.notifications import enqueue, enqueue_text_message
from portal.vocabulary import ItemKind, Source

CONTACT_KINDS = frozenset({ItemKind.PHONE, ItemKind.EMAIL, ItemKind.ADDRESS})
# A contact change needs a sign-in (or password check) this recent.
REAUTHENTICATION_WINDOW = dt.timedelta(minutes=15)


def is_self_service(item: DataItem, viewer: Viewer) -> bool:
    """Contact details on the viewer's own record are changed, not asked about."""
    return item.kind in CONTACT_KINDS and item.person_id == viewer.person_id


def own_contact_item(
    db: Session, viewer: Viewer, item_id: uuid.UUID, today: dt.date
) -> DataItem | None:
    """The current contact item on the viewer's own record, or None (the caller answers 404)."""
    item = item_for_correction(db, viewer, item_id, today)
    return item if item is not None and is_self_service(item, viewer) else None


def change_contact(
    db: Session,
    *,
    account: Account,
    viewer: Viewer,
    item_id: uuid.UUID,
    new_value: str,
    now: dt.datetime,
    session_ref: str | None,
) -> DataItem | None:
    """Applies the change at once and tells the old and new channels (never an unsafe one)."""
    item = own_contact_item(db, viewer, item_id, london_today(now))
    if item is None:
        return None
    newer = replace_item(
        db,
        item,
        value=new_value,
        source=Source.FAMILY,
        now=now,
        obtained_on=london_today(now),
        changed_by=account,
    )
    _tell(db, item, new_value, account)
    record_event(
        db,
        actor=account,
        action="contact.changed",
        subject_person_id=item.person_id,
        session_ref=session_ref,
        detail={"kind": item.kind.value},
    )
    db.commit()
    return newer


def _tell(db: Session, item: DataItem, new_value: str, account: Account) -> None:
    """An email to each address and, for a phone number, a text to each mobile number."""
    kind, language, detail = NotificationKind.CONTACT_CHANGED, account.language, item.kind.value
    for address in _who_to_tell(item, new_value, account):
        enqueue(db, kind, address, language, detail_kind=detail)
    for number in _numbers_to_text(item, new_value):
        enqueue_text_message(db, kind, number, language, detail_kind=detail)


def _numbers_to_text(item: DataItem, new_value: str) -> list[str]:
    """The old number and the new, each once (as E.164), if they can take a text. Never an
    unsafe old number: not even when it is typed again as the new one."""
    if item.kind is not ItemKind.PHONE:
        return []
    old, new = text_message_number(item.value), text_message_number(new_value)
    if item.channel_unsafe:
        return [new] if new is not None and new != old else []
    return list(dict.fromkeys(number for number in (old, new) if number is not None))


def _who_to_tell(item: DataItem, new_value: str, account: Account) -> list[str]:
    addresses = []
    if item.kind is ItemKind.EMAIL:
        if not item.channel_unsafe:
            addresses.append(item.value)
        addresses.append(new_value)
    unsafe_account_email = item.channel_unsafe and item.value.lower() == account.email.lower()
    if not unsafe_account_email:
        addresses.append(account.email)
    # Each address once, in the order found.
    return list(dict.fromkeys(address.lower() for address in addresses))
