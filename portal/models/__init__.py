"""All models, imported here so that Base.metadata knows every table."""

from portal.models.accounts import Account
from portal.models.audit import AuditEvent
from portal.models.items import Assessment, DataItem, Restriction
from portal.models.people import Household, HouseholdMembership, Person, Relationship
from portal.models.sessions import AuthSession
from portal.models.sharing import Partner, SharingEvent, sharing_event_items

__all__ = [
    "Account",
    "Assessment",
    "AuditEvent",
    "AuthSession",
    "DataItem",
    "Household",
    "HouseholdMembership",
    "Partner",
    "Person",
    "Relationship",
    "Restriction",
    "SharingEvent",
    "sharing_event_items",
]
