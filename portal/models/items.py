"""What the council holds about a person: assessments, data items and their restrictions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint, Uuid, event, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, new_id
from portal.encryption import Keyring, keyring_of
from portal.identifiers import normalise_nhs_number, normalise_ni_number
from portal.models.columns import EncryptedText, UtcDateTime, enum_type, utc_now
from portal.models.people import Household, Person
from portal.vocabulary import Category, ItemKind, OutcomeArea, Sensitivity, Source


class Assessment(Base):
    """An Early Help Assessment of a household, whose needs are data items by outcome area."""

    __tablename__ = "assessments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"), index=True)
    started_on: Mapped[dt.date] = mapped_column(Date)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)

    household: Mapped[Household] = relationship()


class DataItem(Base):
    """One fact held about one person, with where it came from and who must never see it."""

    __tablename__ = "data_items"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[ItemKind] = mapped_column(enum_type(ItemKind))
    # Encrypted: every item is personal data, and NI and NHS numbers, health notes and
    # addresses are items. Staff find NI and NHS numbers by `lookup_hash`, their blind index.
    value: Mapped[str] = mapped_column(EncryptedText("data_items.value"))
    lookup_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    source: Mapped[Source] = mapped_column(enum_type(Source))
    obtained_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    sensitivity: Mapped[Sensitivity] = mapped_column(
        enum_type(Sensitivity), default=Sensitivity.NORMAL
    )
    outcome_area: Mapped[OutcomeArea | None] = mapped_column(enum_type(OutcomeArea))
    assessment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("assessments.id"), index=True
    )
    # Never overwritten: a change makes a new version, and the old one points to it.
    replaced_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("data_items.id"))
    replaced_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # A contact channel someone else may read (an abuser's access to an old email or phone):
    # never told of changes.
    channel_unsafe: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set when a family member changed the item themself ("changed by you on ...").
    changed_by_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))

    person: Mapped[Person] = relationship()
    restrictions: Mapped[list[Restriction]] = relationship(back_populates="item")

    @property
    def category(self) -> Category:
        return self.kind.category

    @property
    def restricted_from(self) -> frozenset[uuid.UUID]:
        return frozenset(r.restricted_person_id for r in self.restrictions)


LOOKUP_KINDS: dict[ItemKind, Callable[[str], str | None]] = {
    ItemKind.NHS_NUMBER: normalise_nhs_number,
    ItemKind.NI_NUMBER: normalise_ni_number,
}


def lookup_hash(keyring: Keyring, kind: ItemKind, value: str) -> str | None:
    """The blind index of an NHS or NI number (None for other kinds, or a number that is not
    valid): staff people search compares it with the hash of what they typed."""
    normalise = LOOKUP_KINDS.get(kind)
    normalised = normalise(value) if normalise else None
    return keyring.blind_index(kind.value, normalised) if normalised else None


@event.listens_for(DataItem, "before_insert")
@event.listens_for(DataItem, "before_update")
def _set_lookup_hash(_mapper: Any, connection: Any, item: DataItem) -> None:
    item.lookup_hash = lookup_hash(keyring_of(connection.dialect), item.kind, item.value)


class Restriction(Base):
    """A named person who must never be shown an item, with who set it, why and when to review."""

    __tablename__ = "restrictions"
    __table_args__ = (UniqueConstraint("item_id", "restricted_person_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("data_items.id"), index=True)
    restricted_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(200))
    set_on: Mapped[dt.date] = mapped_column(Date)
    review_on: Mapped[dt.date] = mapped_column(Date)

    item: Mapped[DataItem] = relationship(back_populates="restrictions")
