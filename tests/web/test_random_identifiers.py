"""Identifiers in URLs are random, not sequential (issue 8): ids are UUID4 and references
(CMP-, COR-, SAR-) eight random characters, so a URL hints at no other record and no count."""

from __future__ import annotations

import itertools
import re
import uuid

from flask.testing import FlaskClient
from sqlalchemy import Uuid, select
from sqlalchemy.orm import Session

from portal.db import Base
from portal.demo.synthetic import demo_id
from portal.models import Complaint, CopyRequest, CorrectionRequest
from tests.conftest import sign_in
from tests.web.test_complaints import answer_all_without_account, send
from tests.web.test_copy_assembly import ask as ask_for_copy
from tests.web.test_corrections import ask as ask_for_correction

REFERENCE = re.compile(r"^(CMP|COR|SAR)-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{8}$")


def test_every_table_keyed_by_a_uuid_makes_a_random_one() -> None:
    for table in Base.metadata.tables.values():
        for column in table.primary_key.columns:
            if isinstance(column.type, Uuid) and not column.foreign_keys:
                assert column.default is not None, f"{table.name}.{column.name} has no default"
                made = [column.default.arg(None) for _ in range(3)]  # type: ignore[attr-defined]
                assert all(value.version == 4 for value in made), table.name
                assert_not_sequential([value.int for value in made])


def assert_not_sequential(numbers: list[int]) -> None:
    """No two are close: neither counted up from one another nor sharing a stem."""
    for a, b in itertools.combinations(numbers, 2):
        assert abs(a - b) > 1_000_000, (a, b)


def assert_random_references(references: list[str]) -> None:
    assert len(set(references)) == len(references)
    for reference in references:
        assert REFERENCE.match(reference), reference
    for a, b in itertools.combinations(references, 2):
        # Random characters share a five-character stem once in 24 million pairs.
        assert a[:9] != b[:9], (a, b)


def test_requests_made_through_the_portal_have_random_ids_and_references(
    client: FlaskClient, db: Session
) -> None:
    made_complaints = []
    for n in range(3):
        visitor = client.application.test_client()
        answer_all_without_account(visitor, email=f"visitor{n}@example.com")
        assert send(visitor)[0].status_code == 302
    sign_in(client, "sam.rivers@example.com")
    for key in ("ellie-language", "ellie-school", "ellie-gp"):
        assert ask_for_correction(client, demo_id(f"item:{key}"))[0].status_code == 302
    copies = [ask_for_copy(db, "sam.rivers@example.com", "ellie", str(n)) for n in range(3)]
    demo = demo_id("household")  # the demo's own ids are fixed names, not counted either
    made_complaints = [c for c in db.scalars(select(Complaint)) if c.id.version == 4]
    corrections = list(db.scalars(select(CorrectionRequest)))
    for records in (made_complaints, corrections, copies):
        assert len(records) == 3
        assert all(isinstance(r.id, uuid.UUID) and r.id.version == 4 for r in records)
        assert_not_sequential([r.id.int for r in records])
        assert_random_references([r.reference for r in records])
    assert demo.version == 5
    assert db.scalar(select(CopyRequest.id).where(CopyRequest.reference.like("SAR-%")))
