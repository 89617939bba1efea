"""Complaints to the Data Protection Officer (DPA 2018 s164A): every channel in one queue,
never deleted (retention anonymises them)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, String, Table, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, new_id
from portal.models.accounts import Account
from portal.models.columns import (
    BigIntegerKey,
    EncryptedText,
    UtcDateTime,
    enum_type,
    utc_now,
)
from portal.models.corrections import Attachment
from portal.models.people import Person
from portal.vocabulary import ComplaintCategory, ComplaintChannel, ComplaintStatus

complaint_attachments = Table(
    "complaint_attachments",
    Base.metadata,
    Column("complaint_id", ForeignKey("complaints.id"), primary_key=True),
    Column("attachment_id", ForeignKey("attachments.id"), primary_key=True, unique=True),
)


class Complaint(Base):
    """One complaint, whoever made it and however it arrived."""

    __tablename__ = "complaints"
    __table_args__ = (
        # The queue's keyset, per status: due date (the acknowledgement's while new), then id;
        # and the same per officer, for "mine" and "unassigned" (NULL is indexed too).
        Index("ix_complaints_status_response_due_on_id", "status", "response_due_on", "id"),
        Index(
            "ix_complaints_status_acknowledgement_due_on_id",
            "status",
            "acknowledgement_due_on",
            "id",
        ),
        Index(
            "ix_complaints_assignee_status_response_due_on_id",
            "assigned_account_id",
            "status",
            "response_due_on",
            "id",
        ),
        Index(
            "ix_complaints_assignee_status_acknowledgement_due_on_id",
            "assigned_account_id",
            "status",
            "acknowledgement_due_on",
            "id",
        ),
        Index("ix_complaints_response_due_on_id", "response_due_on", "id"),
        CheckConstraint("paused_days >= 0", name="paused_days_not_negative"),
        CheckConstraint(
            "complainant_account_id IS NOT NULL OR complainant_name IS NOT NULL "
            "OR anonymised_at IS NOT NULL",
            name="someone_complains",
        ),
        CheckConstraint(
            "(channel = 'portal') = (logged_by_account_id IS NULL)",
            name="staff_log_other_channels",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # A one-time key from the form: a second click or a resent form makes no second complaint.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[ComplaintChannel] = mapped_column(enum_type(ComplaintChannel))
    category: Mapped[ComplaintCategory] = mapped_column(enum_type(ComplaintCategory))
    # A family member signed in, or someone without an account (name and how to reply).
    complainant_account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id"), index=True
    )
    complainant_name: Mapped[str | None] = mapped_column(String(200))
    complainant_email: Mapped[str | None] = mapped_column(String(320))
    complainant_phone: Mapped[str | None] = mapped_column(String(40))
    complainant_address: Mapped[str | None] = mapped_column(
        EncryptedText("complaints.complainant_address")
    )
    language: Mapped[str] = mapped_column(String(5), default="en")
    # Which person in the household it concerns, if any (one the complainant may see).
    about_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), index=True)
    what_happened: Mapped[str] = mapped_column(Text)
    desired_outcome: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    received_on: Mapped[dt.date] = mapped_column(Date)
    acknowledgement_due_on: Mapped[dt.date] = mapped_column(Date)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The policy target for the outcome; moves on by the days spent waiting for the complainant.
    response_due_on: Mapped[dt.date] = mapped_column(Date)
    paused_days: Mapped[int] = mapped_column(default=0)
    paused_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[ComplaintStatus] = mapped_column(
        enum_type(ComplaintStatus), default=ComplaintStatus.NEW
    )
    # Indexed by the queue's indexes, which start with it.
    assigned_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    assigned_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The outcome letter as sent: it always says how to complain to the ICO.
    outcome_text: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The officer who logged a complaint that came by post, email or phone.
    logged_by_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    # For a complainant without an account: the keyed hash of the link we emailed them.
    access_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    complainant: Mapped[Account | None] = relationship(foreign_keys=[complainant_account_id])
    assigned_to: Mapped[Account | None] = relationship(foreign_keys=[assigned_account_id])
    about_person: Mapped[Person | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(secondary=complaint_attachments)
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id"
    )
    messages: Mapped[list[ComplaintMessage]] = relationship(
        back_populates="complaint", order_by="ComplaintMessage.at"
    )


class ComplaintEvent(Base):
    """The complaint's history: status changes and internal notes. Only rows marked visible
    ever reach the complainant; internal notes never do."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    complaint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    actor_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    action: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    visible_to_complainant: Mapped[bool] = mapped_column(default=False)

    complaint: Mapped[Complaint] = relationship(back_populates="events")


class ComplaintMessage(Base):
    """A message between the complainant and the DPO team, which both see."""

    __tablename__ = "complaint_messages"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    complaint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    from_complainant: Mapped[bool]
    # The officer who wrote it (never shown to the complainant: they see "the DPO team").
    author_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    text: Mapped[str] = mapped_column(Text)

    complaint: Mapped[Complaint] = relationship(back_populates="messages")
