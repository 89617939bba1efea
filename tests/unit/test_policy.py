"""The one rule of who may see what: every persona against every kind of item."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from dateutil.relativedelta import relativedelta

from portal.models import DataItem, Person, Restriction
from portal.policy import Viewer, can_view_item, can_view_person, needs_guardian_approval
from portal.vocabulary import ItemKind, Role, Sensitivity, Source

TODAY = dt.date(2026, 11, 25)


def person(name: str, age: int, shares: bool = False) -> Person:
    return Person(
        id=uuid.uuid5(uuid.NAMESPACE_URL, name),
        given_name=name,
        family_name="Test",
        date_of_birth=TODAY - relativedelta(years=age, days=30),
        recorded_on=TODAY,
        shares_record_with_guardians=shares,
    )


PARENT = person("parent", 38)
PARTNER = person("partner", 41)
TEEN = person("teen", 15)
SHARING_TEEN = person("sharing-teen", 16, shares=True)
CHILD = person("child", 9)
FORMER = person("former", 40)
ADULT_CHILD = person("adult-child", 19, shares=True)
EVERYONE = [PARENT, PARTNER, TEEN, SHARING_TEEN, CHILD, FORMER, ADULT_CHILD]
CHILDREN = frozenset({TEEN.id, SHARING_TEEN.id, CHILD.id, ADULT_CHILD.id})

VIEWERS = {
    "parent": Viewer(Role.FAMILY, PARENT.id, children=CHILDREN),
    "partner": Viewer(Role.FAMILY, PARTNER.id),
    "teen": Viewer(Role.FAMILY, TEEN.id),
    "child waiting": Viewer(Role.FAMILY, CHILD.id, awaiting_guardian=True),
    "child approved": Viewer(Role.FAMILY, CHILD.id),
    "former member": Viewer(Role.FAMILY, FORMER.id, children=frozenset({CHILD.id})),
    "dpo officer": Viewer(Role.DPO_OFFICER),
    "administrator": Viewer(Role.ADMINISTRATOR),
}

# Which subjects' records each viewer may open.
SEES = {
    "parent": {PARENT, SHARING_TEEN, CHILD},
    "partner": {PARTNER},
    "teen": {TEEN},
    "child waiting": set(),
    "child approved": {CHILD},
    "former member": {FORMER, CHILD},
    "dpo officer": set(EVERYONE),
    "administrator": set(),
}


def item(
    subject: Person, sensitivity: Sensitivity, restricted_from: Person | None = None
) -> DataItem:
    data_item = DataItem(
        id=uuid.uuid4(),
        person_id=subject.id,
        person=subject,
        kind=ItemKind.ADDRESS,
        value="14 Alder Close",
        source=Source.FAMILY,
        obtained_on=TODAY,
        sensitivity=sensitivity,
    )
    if restricted_from is not None:
        data_item.restrictions = [
            Restriction(
                item_id=data_item.id,
                restricted_person_id=restricted_from.id,
                reason="safety",
                set_by="team manager",
                set_on=TODAY,
                review_on=TODAY,
            )
        ]
    return data_item


@pytest.mark.parametrize("viewer_name", VIEWERS)
@pytest.mark.parametrize("subject", EVERYONE, ids=lambda p: p.given_name)
def test_who_may_open_whose_record(viewer_name: str, subject: Person) -> None:
    expected = subject in SEES[viewer_name]
    assert can_view_person(VIEWERS[viewer_name], subject, TODAY) is expected


@pytest.mark.parametrize("viewer_name", VIEWERS)
@pytest.mark.parametrize("subject", EVERYONE, ids=lambda p: p.given_name)
def test_normal_and_restricted_items_follow_the_record(viewer_name: str, subject: Person) -> None:
    viewer = VIEWERS[viewer_name]
    for sensitivity in (Sensitivity.NORMAL, Sensitivity.RESTRICTED):
        expected = subject in SEES[viewer_name]
        assert can_view_item(viewer, item(subject, sensitivity), TODAY) is expected


@pytest.mark.parametrize("viewer_name", VIEWERS)
@pytest.mark.parametrize("subject", EVERYONE, ids=lambda p: p.given_name)
def test_withheld_items_are_shown_to_no_family_member(viewer_name: str, subject: Person) -> None:
    expected = viewer_name == "dpo officer"
    assert (
        can_view_item(VIEWERS[viewer_name], item(subject, Sensitivity.WITHHELD), TODAY) is expected
    )


@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_item_restricted_from_the_former_member_is_hidden_from_them_alone(viewer_name: str) -> None:
    restricted = item(CHILD, Sensitivity.NORMAL, restricted_from=FORMER)
    expected = CHILD in SEES[viewer_name] and viewer_name != "former member"
    assert can_view_item(VIEWERS[viewer_name], restricted, TODAY) is expected


def test_former_member_with_parental_responsibility_still_sees_unrestricted_items() -> None:
    assert can_view_item(VIEWERS["former member"], item(CHILD, Sensitivity.NORMAL), TODAY)


def test_parent_cannot_see_fifteen_year_olds_record_without_consent() -> None:
    assert not can_view_person(VIEWERS["parent"], TEEN, TODAY)


def test_parent_sees_child_on_the_day_before_thirteenth_birthday_only() -> None:
    twelve = Person(
        id=uuid.uuid4(),
        given_name="Twelve",
        family_name="Test",
        recorded_on=TODAY,
        date_of_birth=TODAY - relativedelta(years=13) + dt.timedelta(days=1),
    )
    parent = Viewer(Role.FAMILY, PARENT.id, children=frozenset({twelve.id}))
    assert can_view_person(parent, twelve, TODAY)
    assert not can_view_person(parent, twelve, TODAY + dt.timedelta(days=1))


def test_parental_responsibility_for_an_adult_child_gives_no_access() -> None:
    assert not can_view_person(VIEWERS["parent"], ADULT_CHILD, TODAY)


def test_under_thirteen_account_waits_for_a_guardian_until_thirteen() -> None:
    born = dt.date(2014, 3, 1)
    assert needs_guardian_approval(born, approved=False, today=dt.date(2027, 2, 28))
    assert not needs_guardian_approval(born, approved=False, today=dt.date(2027, 3, 1))
    assert not needs_guardian_approval(born, approved=True, today=dt.date(2027, 2, 28))
