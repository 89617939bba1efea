"""A large household's copies still come out complete and correct: every item the requester
may see, in the JSON and in the PDF, and nothing withheld, restricted or left out. (How fast
they build is measured by bench/copy_build.py, not here.)"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.demo.large_household import ensure_large_household
from portal.models import CopyRequest, DataItem, SharingEvent
from portal.models.columns import utc_now
from portal.policy import can_view_item
from portal.services.copy_builds import build_one
from portal.services.copy_requests import copy_file
from portal.services.viewers import viewer_for
from portal.templating import shown_value
from portal.vocabulary import CopyTreatment

# 250 items: the parent holds 100 (two withheld), the child 50 (one withheld, three
# restricted from the parent), and an officer left out three of the parent's and redacted two.
ITEMS = 250
REDACTED = "Redacted – this is about another person"


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    """A folder of this test's own for the ZIPs."""
    return tmp_path / "copies"


@pytest.fixture
def built(app: Flask, db: Session, copies: Path) -> Iterator[list[CopyRequest]]:
    """The parent's copies of their own data and of their nine-year-old's, built by the job."""
    with app.app_context():
        ids = ensure_large_household(db, "LARGE2", ITEMS, london_today(utc_now()))
        db.commit()
        requests = [db.get(CopyRequest, request_id) for request_id in ids[:2]]
        built = [build_one(db, request_id, app.config, copies, utc_now()) for request_id in ids[:2]]
        assert [report.built for report in built] == [1, 1]
        yield [request for request in requests if request is not None]


def expected(db: Session, request: CopyRequest) -> tuple[list[str], int, int]:
    """What the copy should hold, worked out from the record: the values shown, how many
    items are redacted, and how many sharing events are listed."""
    viewer = viewer_for(db, request.requester, london_today(utc_now()))
    treated = {t.item_id: t.treatment for t in request.treatments}
    items = db.scalars(
        select(DataItem).where(
            DataItem.person_id == request.subject_person_id, DataItem.replaced_at.is_(None)
        )
    ).all()
    visible = [item for item in items if can_view_item(viewer, item, utc_now().date())]
    shown = [item for item in visible if item.id not in treated]
    redacted = [item for item in visible if treated.get(item.id) is CopyTreatment.REDACT]
    in_copy = {item.id for item in shown + redacted}
    events = db.scalars(
        select(SharingEvent).where(SharingEvent.person_id == request.subject_person_id)
    ).all()
    listed = [e for e in events if all(item.id in in_copy for item in e.items)]
    return [shown_value(item) for item in shown], len(redacted), len(listed)


def opened(copies: Path, request: CopyRequest) -> tuple[str, dict[str, Any]]:
    """The PDF's text with its line breaks as spaces, and the JSON."""
    path = copy_file(request, copies)
    assert path is not None
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        pdf = next(name for name in names if name.endswith(".pdf"))
        document = next(n for n in names if n.endswith(".json") and "schema" not in n)
        reader = PdfReader(io.BytesIO(archive.read(pdf)))
        text = " ".join(page.extract_text() for page in reader.pages)
        return " ".join(text.split()), json.loads(archive.read(document))


def test_a_large_households_copies_hold_every_item_the_requester_may_see_and_no_other(
    db: Session, copies: Path, built: list[CopyRequest]
) -> None:
    parents_own, childs = built
    # The household really is large, with items for each of the copy rules to act on.
    values, redacted, listed = expected(db, parents_own)
    assert (len(values), redacted) == (100 - 2 - 5, 2) and listed > 15
    assert len(expected(db, childs)[0]) == 50 - 1 - 3
    for request in built:
        values, redacted, listed = expected(db, request)
        text, document = opened(copies, request)
        items = [item for section in document["sections"] for item in section["items"]]
        in_json = [item["value"] for item in items if not item["redacted"]]
        assert sorted(in_json) == sorted(values)
        assert sum(item["redacted"] for item in items) == redacted
        assert len(document["sharing"]) == listed
        missing = [value for value in values if " ".join(value.split()) not in text]
        assert missing == []
        assert text.count(REDACTED) == redacted
