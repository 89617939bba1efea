"""The partner register and the record of what was shared with whom."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, new_id
from portal.models.columns import enum_type
from portal.models.items import DataItem
from portal.models.people import Person
from portal.vocabulary import LawfulBasis, PartnerKind, SharingPurpose


class Partner(Base):
    """An organisation named in the privacy notice; retired, never deleted, once used."""

    __tablename__ = "partners"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[PartnerKind] = mapped_column(enum_type(PartnerKind))
    name_en: Mapped[str] = mapped_column(String(200))
    name_cy: Mapped[str] = mapped_column(String(200))
    description_en: Mapped[str] = mapped_column(Text)
    description_cy: Mapped[str] = mapped_column(Text)
    retired_on: Mapped[dt.date | None] = mapped_column(Date)


sharing_event_items = Table(
    "sharing_event_items",
    Base.metadata,
    Column("sharing_event_id", ForeignKey("sharing_events.id"), primary_key=True),
    Column("item_id", ForeignKey("data_items.id"), primary_key=True, index=True),
)


class SharingEvent(Base):
    """Items about one person that went to one partner, when, why and on what lawful basis."""

    __tablename__ = "sharing_events"
    __table_args__ = (Index("ix_sharing_events_person_id_shared_on", "person_id", "shared_on"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"), index=True)
    shared_on: Mapped[dt.date] = mapped_column(Date)
    purpose: Mapped[SharingPurpose] = mapped_column(enum_type(SharingPurpose))
    lawful_basis: Mapped[LawfulBasis] = mapped_column(enum_type(LawfulBasis))
    # The case management system's own reference, when imported: importing the same export
    # again records nothing twice.
    external_reference: Mapped[str | None] = mapped_column(String(100), unique=True)

    person: Mapped[Person] = relationship()
    partner: Mapped[Partner] = relationship()
    items: Mapped[list[DataItem]] = relationship(secondary=sharing_event_items)
