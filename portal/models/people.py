"""People, the households they live in, and who holds parental responsibility for whom."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, ColumnElement, Date, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, new_id
from portal.models.columns import enum_type
from portal.vocabulary import RelationshipKind


class Household(Base):
    __tablename__ = "households"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    reference: Mapped[str] = mapped_column(String(20), unique=True)

    memberships: Mapped[list[HouseholdMembership]] = relationship(back_populates="household")


class Person(Base):
    """Someone the Early Help record is about: the record's core identity only.

    Everything else held about them is a DataItem, so that every fact carries
    its source, date, sensitivity and restrictions.
    """

    __tablename__ = "people"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    # A 13-to-17-year-old's choice; default no (DESIGN.md "Who may see what").
    shares_record_with_guardians: Mapped[bool] = mapped_column(default=False)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class HouseholdMembership(Base):
    """Who lived in which household, when: former members stay in history."""

    __tablename__ = "household_memberships"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)

    household: Mapped[Household] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship()


class Relationship(Base):
    """`person` is `kind` of `related_person`; parental responsibility is recorded, not implied."""

    __tablename__ = "relationships"
    __table_args__ = (
        CheckConstraint("person_id <> related_person_id", name="not_self"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
        Index("ix_relationships_person_id_related_person_id", "person_id", "related_person_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    related_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[RelationshipKind] = mapped_column(enum_type(RelationshipKind))
    parental_responsibility: Mapped[bool] = mapped_column(default=False)
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    related_person: Mapped[Person] = relationship(foreign_keys=[related_person_id])

    def is_current(self, on: dt.date) -> bool:
        return self.started_on <= on and (self.ended_on is None or self.ended_on > on)

    @classmethod
    def current_on(cls, on: dt.date) -> ColumnElement[bool]:
        """`is_current` as SQL, for a query that asks it of many relationships at once."""
        return (cls.started_on <= on) & (cls.ended_on.is_(None) | (cls.ended_on > on))
