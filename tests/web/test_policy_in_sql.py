"""The policy's rule for items, as SQL (`items_hidden_from`), hides exactly the items that
`can_view_item` hides: for every account of the demo household, staff included, and every
item the database holds. Long lists (the sharing record) are filtered and paged with it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.ages import london_today
from portal.demo.household import DEMO_ACCOUNTS
from portal.models import Account, DataItem, Person
from portal.policy import can_view_item, can_view_person, items_hidden_from
from portal.services.viewers import viewer_for


@pytest.mark.parametrize("email", [account.email for account in DEMO_ACCOUNTS])
def test_the_sql_form_hides_what_the_policy_hides(db: Session, email: str) -> None:
    today = london_today()
    account = db.scalar(select(Account).where(Account.email == email))
    assert account is not None
    viewer = viewer_for(db, account, today)
    people = {p.id for p in db.scalars(select(Person)) if can_view_person(viewer, p, today)}
    items = db.scalars(
        select(DataItem).options(joinedload(DataItem.person), selectinload(DataItem.restrictions))
    ).all()
    expected = {item.id for item in items if not can_view_item(viewer, item, today)}
    hidden = set(db.scalars(select(DataItem.id).where(items_hidden_from(viewer, people))))
    assert hidden == expected


def test_each_way_an_item_is_hidden_is_among_those_compared(db: Session) -> None:
    """The comparison above is only as good as the household: it holds a withheld item, an
    item restricted from one person, and records a parent may and may not see."""
    today = london_today()
    sam = db.scalar(select(Account).where(Account.email == "sam.rivers@example.com"))
    lee = db.scalar(select(Account).where(Account.email == "lee.rivers@example.com"))
    assert sam is not None and lee is not None
    items = db.scalars(select(DataItem).options(selectinload(DataItem.restrictions))).all()
    assert any(item.sensitivity == "withheld" for item in items)
    assert any(lee.person_id in item.restricted_from for item in items)
    people = db.scalars(select(Person)).all()
    sams = [can_view_person(viewer_for(db, sam, today), p, today) for p in people]
    assert any(sams) and not all(sams)
