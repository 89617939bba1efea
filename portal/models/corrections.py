"""Requests to correct data (UK GDPR Articles 16, 18 and 19), their history and follow-up."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, Uuid
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
from portal.models.items import DataItem
from portal.models.people import Person
from portal.models.sharing import Partner
from portal.vocabulary import (
    CorrectionStatus,
    CorrectionTaskKind,
    ItemKind,
    PersonField,
    RefusalReason,
    Source,
)


class Attachment(Base):
    """An uploaded file, kept outside static/ under a random name, served only to those allowed."""

    __tablename__ = "attachments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # None for a file sent with a complaint by someone without an account.
    uploaded_by_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class CorrectionRequest(Base):
    """A family member's request to correct one item: received, worked, decided, on time."""

    __tablename__ = "correction_requests"
    __table_args__ = (
        Index("ix_correction_requests_status_due_on", "status", "due_on"),
        CheckConstraint("extended_months BETWEEN 0 AND 2", name="extension_up_to_two_months"),
        CheckConstraint("paused_days >= 0", name="paused_days_not_negative"),
        CheckConstraint(
            "(item_id IS NOT NULL AND person_field IS NULL) OR "
            "(item_id IS NULL AND person_field IS NOT NULL)",
            name="an_item_or_a_person_field",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # A one-time key from the form: a second click or a resent form makes no second request.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    # What is to be corrected: one data item, or the person's name or date of birth.
    item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("data_items.id"), index=True)
    person_field: Mapped[PersonField | None] = mapped_column(enum_type(PersonField))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    requested_by_account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id"), index=True
    )
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    received_on: Mapped[dt.date] = mapped_column(Date)
    # The family's words about the item (a new address, an NHS number, a diagnosis): encrypted.
    what_is_wrong: Mapped[str] = mapped_column(EncryptedText("correction_requests.what_is_wrong"))
    should_say: Mapped[str] = mapped_column(EncryptedText("correction_requests.should_say"))
    why: Mapped[str] = mapped_column(EncryptedText("correction_requests.why"))
    attachment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("attachments.id"))
    status: Mapped[CorrectionStatus] = mapped_column(
        enum_type(CorrectionStatus), default=CorrectionStatus.RECEIVED
    )
    due_on: Mapped[dt.date] = mapped_column(Date)
    paused_days: Mapped[int] = mapped_column(default=0)
    extended_months: Mapped[int] = mapped_column(default=0)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    claimed_by_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    decided_by_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    refusal_reason: Mapped[RefusalReason | None] = mapped_column(enum_type(RefusalReason))
    # The reasons the family is given, in the officer's words.
    decision_text: Mapped[str | None] = mapped_column(Text)

    item: Mapped[DataItem | None] = relationship()
    person: Mapped[Person] = relationship()
    requested_by: Mapped[Account] = relationship(foreign_keys=[requested_by_account_id])
    attachment: Mapped[Attachment | None] = relationship()
    events: Mapped[list[CorrectionEvent]] = relationship(
        back_populates="request", order_by="CorrectionEvent.id"
    )
    tasks: Mapped[list[CorrectionTask]] = relationship(back_populates="request")

    @property
    def subject_kind(self) -> ItemKind | PersonField:
        """What kind of information the request is about, for its label."""
        if self.item is not None:
            return self.item.kind
        if self.person_field is None:
            raise ValueError("A correction request is about an item or a person field.")
        return self.person_field

    @property
    def source(self) -> Source:
        """Where the information came from: the person's core identity is the council's own."""
        return self.item.source if self.item is not None else Source.EARLY_HELP_WORKER


class CorrectionEvent(Base):
    """The request's status history: who did what, when; internal notes never reach families."""

    __tablename__ = "correction_events"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("correction_requests.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    actor_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    action: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    visible_to_family: Mapped[bool] = mapped_column(default=False)

    request: Mapped[CorrectionRequest] = relationship(back_populates="events")


class CorrectionTask(Base):
    """Follow-up after an accepted correction: ask the source to correct its data, or tell a
    partner that received the item (Article 19)."""

    __tablename__ = "correction_tasks"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'ask_source' AND source IS NOT NULL AND partner_id IS NULL) OR "
            "(kind = 'tell_recipient' AND partner_id IS NOT NULL AND source IS NULL)",
            name="source_or_partner",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("correction_requests.id"), index=True)
    kind: Mapped[CorrectionTaskKind] = mapped_column(enum_type(CorrectionTaskKind))
    source: Mapped[Source | None] = mapped_column(enum_type(Source))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    done_by_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))

    request: Mapped[CorrectionRequest] = relationship(back_populates="tasks")
    partner: Mapped[Partner | None] = relationship()


class SupplementaryStatement(Base):
    """The person's own words beside an item whose correction was refused; shown wherever the
    item is shown."""

    __tablename__ = "supplementary_statements"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    # None for a statement about the person's name or date of birth (see the request).
    item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("data_items.id"), index=True)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("correction_requests.id"), unique=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    text: Mapped[str] = mapped_column(EncryptedText("supplementary_statements.text"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class PersonChange(Base):
    """A change to a person's name or date of birth: before and after, never lost."""

    __tablename__ = "person_changes"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    field: Mapped[PersonField] = mapped_column(enum_type(PersonField))
    # As text: a name as "given | family", a date of birth as YYYY-MM-DD.
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    changed_by_account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    correction_request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("correction_requests.id")
    )
