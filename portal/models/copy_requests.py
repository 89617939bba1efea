"""Requests for a copy of one's data (UK GDPR Article 15): what was asked, its clock, the
officers' decisions about what to leave out or redact, and the copy built for release."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, new_id
from portal.models.accounts import Account
from portal.models.columns import BigIntegerKey, UtcDateTime, enum_type, utc_now
from portal.models.items import DataItem
from portal.models.people import Person
from portal.vocabulary import CopyDelivery, CopyReason, CopyRefusal, CopyStatus, CopyTreatment


class CopyRequest(Base):
    """One request for a copy of the data about one person, by a family member who may act
    for them (themself, or a child under 13 for whom they hold parental responsibility)."""

    __tablename__ = "copy_requests"
    __table_args__ = (
        # The queue's keyset: due date, then id.
        Index("ix_copy_requests_status_due_on_id", "status", "due_on", "id"),
        # The same per officer, for "mine" and "unassigned" (NULL is indexed too).
        Index(
            "ix_copy_requests_assignee_status_due_on_id",
            "assigned_account_id",
            "status",
            "due_on",
            "id",
        ),
        Index("ix_copy_requests_due_on_id", "due_on", "id"),
        CheckConstraint("paused_days >= 0", name="paused_days_not_negative"),
        CheckConstraint("extended_months BETWEEN 0 AND 2", name="extension_up_to_two_months"),
        CheckConstraint(
            "date_from IS NULL OR date_to IS NULL OR date_from <= date_to",
            name="dates_in_order",
        ),
        CheckConstraint(
            "release_requested_by_id IS NULL OR approved_by_id IS NULL "
            "OR release_requested_by_id <> approved_by_id",
            name="a_second_officer_approves",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # A one-time key from the form: a second click makes no second request.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    requester_account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    subject_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    # What was asked for: everything, or these categories (Category values); and dates.
    everything: Mapped[bool] = mapped_column(default=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    date_from: Mapped[dt.date | None] = mapped_column(Date)
    date_to: Mapped[dt.date | None] = mapped_column(Date)
    delivery: Mapped[CopyDelivery] = mapped_column(enum_type(CopyDelivery))
    language: Mapped[str] = mapped_column(String(5), default="en")
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    received_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    paused_days: Mapped[int] = mapped_column(default=0)
    paused_on: Mapped[dt.date | None] = mapped_column(Date)
    extended_months: Mapped[int] = mapped_column(default=0)
    status: Mapped[CopyStatus] = mapped_column(enum_type(CopyStatus), default=CopyStatus.RECEIVED)
    # Indexed by the queue's index, which starts with it.
    assigned_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    assigned_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Two-person release: who asked to release a copy that leaves out or redacts something,
    # and the different officer who approved it.
    release_requested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    release_requested_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    released_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The download link stops working then (and the file is deleted by retention).
    download_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    refusal_reason: Mapped[CopyRefusal | None] = mapped_column(enum_type(CopyRefusal))
    refusal_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The built copy: a ZIP under COPIES_DIR, and a hash of the content it holds. The build
    # job rebuilds it when the record's content no longer matches the hash.
    copy_storage_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    copy_fingerprint: Mapped[str | None] = mapped_column(String(64))
    copy_built_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # A build job's lease: another worker leaves the request alone until then.
    build_leased_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    requester: Mapped[Account] = relationship(foreign_keys=[requester_account_id])
    subject: Mapped[Person] = relationship()
    assigned_to: Mapped[Account | None] = relationship(foreign_keys=[assigned_account_id])
    treatments: Mapped[list[CopyItemTreatment]] = relationship(
        back_populates="request", order_by="CopyItemTreatment.id"
    )
    events: Mapped[list[CopyRequestEvent]] = relationship(
        back_populates="request", order_by="CopyRequestEvent.id"
    )


class CopyItemTreatment(Base):
    """An officer's decision to leave one item out of a copy, or redact its value, with the
    exemption relied on: staff see it on the review screen; the family never does."""

    __tablename__ = "copy_item_treatments"
    __table_args__ = (UniqueConstraint("copy_request_id", "item_id"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    copy_request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("copy_requests.id"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("data_items.id"), index=True)
    treatment: Mapped[CopyTreatment] = mapped_column(enum_type(CopyTreatment))
    reason: Mapped[CopyReason] = mapped_column(enum_type(CopyReason))
    note: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)

    request: Mapped[CopyRequest] = relationship(back_populates="treatments")
    item: Mapped[DataItem] = relationship()


class CopyRequestEvent(Base):
    """The request's history. Rows marked visible reach the requester (a question asked, an
    extension and why); internal notes never do."""

    __tablename__ = "copy_request_events"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    copy_request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("copy_requests.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    actor_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    action: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    visible_to_requester: Mapped[bool] = mapped_column(default=False)

    request: Mapped[CopyRequest] = relationship(back_populates="events")
