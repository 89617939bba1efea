"""What a copy leaves out or redacts, and why: listed on the staff review screen, never in
the copy itself."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import LazyString

from portal.i18n import lazy_gettext as _l
from portal.vocabulary import CopyReason, CopyTreatment

HOUSEHOLD_MEMBER = _l("Household member")
SHARING_EVENT = _l("Sharing with a partner")


@dataclass(frozen=True)
class Exclusion:
    # What kind of thing (an item's kind, a household member, a sharing event), in the
    # officer's language; and the detail that identifies it, for the officer.
    what: LazyString
    detail: str
    reason: CopyReason
    treatment: CopyTreatment
    item_id: uuid.UUID | None = None
    # Set when an officer decided it (they can undo it); the portal's own are fixed.
    decided_by_officer: bool = False
    note: str | None = None
