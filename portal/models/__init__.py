"""All models, imported here so that Base.metadata knows every table."""

from portal.models.accounts import Account, RecoveryCode
from portal.models.audit import AuditChain, AuditEvent
from portal.models.complaints import (
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    complaint_attachments,
)
from portal.models.copy_requests import CopyItemTreatment, CopyRequest, CopyRequestEvent
from portal.models.corrections import (
    Attachment,
    CorrectionEvent,
    CorrectionRequest,
    CorrectionTask,
    PersonChange,
    SupplementaryStatement,
)
from portal.models.identity import (
    AccountToken,
    GuardianRequest,
    GuardianRequestStatus,
    InvitationCode,
    TokenPurpose,
)
from portal.models.items import Assessment, DataItem, Restriction
from portal.models.notifications import (
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationStatus,
)
from portal.models.people import Household, HouseholdMembership, Person, Relationship
from portal.models.retention import RetentionRule, Tombstone, TombstoneKind
from portal.models.sessions import AuthSession
from portal.models.sharing import Partner, SharingEvent, sharing_event_items

__all__ = [
    "Complaint",
    "ComplaintEvent",
    "ComplaintMessage",
    "complaint_attachments",
    "Account",
    "CopyItemTreatment",
    "CopyRequest",
    "CopyRequestEvent",
    "AccountToken",
    "Attachment",
    "CorrectionEvent",
    "CorrectionRequest",
    "CorrectionTask",
    "SupplementaryStatement",
    "GuardianRequest",
    "GuardianRequestStatus",
    "InvitationCode",
    "Notification",
    "NotificationChannel",
    "NotificationKind",
    "NotificationStatus",
    "TokenPurpose",
    "Assessment",
    "AuditChain",
    "AuditEvent",
    "AuthSession",
    "DataItem",
    "Household",
    "HouseholdMembership",
    "Partner",
    "Person",
    "PersonChange",
    "RecoveryCode",
    "Relationship",
    "Restriction",
    "RetentionRule",
    "Tombstone",
    "TombstoneKind",
    "SharingEvent",
    "sharing_event_items",
]
