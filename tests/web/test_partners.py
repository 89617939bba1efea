"""The partner register: administrators add, change, retire, restore and delete partners, in
English and Welsh; a partner that sharing events or correction tasks name is never deleted."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.deadlines import statutory_due_date
from portal.demo.synthetic import demo_id
from portal.models import Account, AuditEvent, CorrectionRequest, CorrectionTask, Partner
from portal.services import partners
from portal.vocabulary import CorrectionTaskKind, PartnerKind, PersonField
from tests.conftest import person_id, sign_in
from tests.pages import csrf_token, errors_of, text_of

ADMIN = "portal.admin@example.com"
OFFICER = "dpo.officer@example.com"
SAM = "sam.rivers@example.com"
REGISTER = "/staff/partners"

YOUTH_JUSTICE = {
    "code": "youth-justice-service",
    "kind": "providers",
    "name_en": "Youth Justice Service",
    "name_cy": "Gwasanaeth Cyfiawnder Ieuenctid",
    "description_en": "The team that works with young people in trouble with the law.",
    "description_cy": "Y tîm sy'n gweithio gyda phobl ifanc mewn trafferth â'r gyfraith.",
}


def add(client: FlaskClient, **overrides: str):
    page = client.get(f"{REGISTER}/new")
    assert page.status_code == 200
    return client.post(
        f"{REGISTER}/new", data={"csrf_token": csrf_token(page), **YOUTH_JUSTICE, **overrides}
    )


def post(client: FlaskClient, path: str, token_page: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_token(client.get(token_page)), **data})


def partner(db: Session, code: str) -> Partner | None:
    db.expire_all()
    return db.scalar(select(Partner).where(Partner.code == code))


def audited(db: Session, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def value_of(response, name: str) -> str:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    field = page.find(attrs={"name": name})
    assert field is not None, name
    return str(field.get("value") if field.name == "input" else field.get_text())


def test_an_administrator_adds_a_partner_that_families_read_in_english_and_welsh(
    app, client: FlaskClient, db
) -> None:
    sign_in(client, ADMIN)
    response = add(client)
    assert response.headers["Location"] == f"{REGISTER}?outcome=added"
    register = text_of(client.get(response.headers["Location"]))
    assert "The partner has been added" in register
    assert "Youth Justice Service youth-justice-service" in register

    added = partner(db, "youth-justice-service")
    assert added is not None and added.kind is PartnerKind.PROVIDERS and added.retired_on is None
    [event] = audited(db, "partner.added")
    assert event.actor_account_id == demo_id(f"account:{ADMIN}")
    assert event.detail["code"] == "youth-justice-service"

    family = app.test_client()
    english = text_of(family.get("/partners/youth-justice-service"))
    assert YOUTH_JUSTICE["description_en"] in english and "Youth Justice Service" in english
    family.get("/language/cy?next=/partners/youth-justice-service")
    welsh = family.get("/partners/youth-justice-service")
    assert 'lang="cy"' in welsh.get_data(as_text=True)
    assert YOUTH_JUSTICE["description_cy"] in text_of(welsh)
    assert "Gwasanaeth Cyfiawnder Ieuenctid" in text_of(welsh)


def test_the_register_lists_current_partners_before_retired_ones(client: FlaskClient, db) -> None:
    sign_in(client, ADMIN)
    post(client, f"{REGISTER}/council-departments/retire", REGISTER)
    names = [
        link.get_text()
        for link in BeautifulSoup(
            client.get(REGISTER).get_data(as_text=True), "html.parser"
        ).select("tbody a")
    ]
    assert len(names) == len(db.scalars(select(Partner)).all())
    assert names[-1] == "Council departments"
    assert names[:-1] == sorted(names[:-1])


def test_an_administrator_changes_a_partners_words_but_never_its_code(
    client: FlaskClient, db
) -> None:
    sign_in(client, ADMIN)
    path = f"{REGISTER}/ofsted/edit"
    page = client.get(path)
    assert value_of(page, "name_cy") == "Ofsted"
    changed = {
        "code": "hijacked",
        "kind": "regulators_and_government",
        "name_en": "Ofsted",
        "name_cy": "Ofsted",
        "description_en": "The inspectorate for children's services and schools in England.",
        "description_cy": "Yr arolygiaeth ar gyfer gwasanaethau plant ac ysgolion yn Lloegr.",
    }
    response = client.post(path, data={"csrf_token": csrf_token(page), **changed})
    assert response.headers["Location"] == f"{path}?outcome=changed"
    assert "Your changes have been saved" in text_of(client.get(response.headers["Location"]))
    ofsted = partner(db, "ofsted")
    assert ofsted is not None and ofsted.description_cy == changed["description_cy"]
    assert partner(db, "hijacked") is None
    [event] = audited(db, "partner.changed")
    assert event.detail == {
        "code": "ofsted",
        "name": "Ofsted",
        "changed": "description_en,description_cy",
        "was_description_en": "The inspectorate that checks the quality of children's services.",
        "was_description_cy": "Yr arolygiaeth sy'n gwirio ansawdd gwasanaethau plant.",
    }


def test_a_retired_partner_stays_on_past_sharing_and_its_page_says_so(
    app, client: FlaskClient, db
) -> None:
    sign_in(client, ADMIN)
    edit = f"{REGISTER}/schools-and-colleges/edit"
    response = post(client, f"{REGISTER}/schools-and-colleges/retire", edit)
    assert response.headers["Location"] == f"{edit}?outcome=retired"
    assert "Retired" in text_of(client.get(REGISTER))
    assert partner(db, "schools-and-colleges").retired_on == london_today()

    public = text_of(app.test_client().get("/partners/schools-and-colleges"))
    assert "this organisation no longer receives information from the council" in public
    parent = app.test_client()
    sign_in(parent, SAM)
    assert "Schools and colleges" in text_of(parent.get("/who-we-shared-with"))

    response = post(client, f"{REGISTER}/schools-and-colleges/restore", edit)
    assert response.headers["Location"] == f"{edit}?outcome=restored"
    assert partner(db, "schools-and-colleges").retired_on is None
    assert "no longer receives" not in text_of(parent.get("/partners/schools-and-colleges"))
    assert [e.detail["code"] for e in audited(db, "partner.retired")] == ["schools-and-colleges"]
    assert [e.detail["code"] for e in audited(db, "partner.restored")] == ["schools-and-colleges"]


def test_a_code_already_taken_is_refused_with_the_answers_kept(client: FlaskClient, db) -> None:
    sign_in(client, ADMIN)
    response = add(client, code="ofsted")
    assert response.status_code == 400
    assert errors_of(response) == ["A partner with this code already exists: choose another"]
    assert value_of(response, "name_en") == "Youth Justice Service"
    assert value_of(response, "description_cy") == YOUTH_JUSTICE["description_cy"]
    assert partner(db, "ofsted").name_en == "Ofsted"
    assert audited(db, "partner.added") == []


@pytest.mark.parametrize(
    ("code", "message"),
    [
        *(
            (code, "Code must be 3 to 60 characters: lowercase letters, digits and hyphens only")
            for code in ["ab", "Youth-Justice", "youth_justice", "youth justice", "ysgol-ŵ"]
        ),
        ("a" * 61, "Code must be 60 characters or fewer"),
    ],
)
def test_a_code_that_is_not_lowercase_letters_digits_and_hyphens_is_refused(
    client: FlaskClient, db, code: str, message: str
) -> None:
    sign_in(client, ADMIN)
    response = add(client, code=code)
    assert errors_of(response) == [message]
    assert partner(db, code) is None


def test_a_missing_welsh_name_is_refused_and_nothing_is_saved(client: FlaskClient, db) -> None:
    sign_in(client, ADMIN)
    response = add(client, name_cy="   ")
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.title.string.startswith("Error:")
    assert errors_of(response) == ["Enter the partner's name in Welsh"]
    assert value_of(response, "code") == "youth-justice-service"
    assert value_of(response, "description_en") == YOUTH_JUSTICE["description_en"]
    assert partner(db, "youth-justice-service") is None


def test_every_field_is_required_with_its_own_message(client: FlaskClient) -> None:
    sign_in(client, ADMIN)
    page = client.get(f"{REGISTER}/new")
    response = client.post(f"{REGISTER}/new", data={"csrf_token": csrf_token(page)})
    assert errors_of(response) == [
        "Enter the partner's name in English",
        "Enter the partner's name in Welsh",
        "Select what kind of organisation it is",
        "Enter the description in English",
        "Enter the description in Welsh",
        "Enter a code for the partner",
    ]


def test_a_description_over_1000_characters_is_refused(client: FlaskClient) -> None:
    sign_in(client, ADMIN)
    response = client.post(
        f"{REGISTER}/ofsted/edit",
        data={
            "csrf_token": csrf_token(client.get(f"{REGISTER}/ofsted/edit")),
            **YOUTH_JUSTICE,
            "description_en": "x" * 1001,
        },
    )
    assert errors_of(response) == ["The description in English must be 1,000 characters or fewer"]


def test_two_administrators_adding_one_code_at_once_get_an_error_not_a_500(
    db, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check before the insert cannot see the other's uncommitted row; the unique
    constraint then decides, and the loser is told the code is taken."""
    admin = db.get(Account, demo_id(f"account:{ADMIN}"))
    monkeypatch.setattr(partners, "by_code", lambda _db, _code: None)
    details = partners.PartnerDetails(
        kind=PartnerKind.REGULATORS_AND_GOVERNMENT,
        name_en="Ofsted again",
        name_cy="Ofsted eto",
        description_en="A second Ofsted.",
        description_cy="Ail Ofsted.",
    )
    with pytest.raises(partners.PartnerRefused) as refused:
        partners.add_partner(db, admin, "ofsted", details, None)
    assert refused.value.reason is partners.Refusal.CODE_TAKEN
    assert db.scalars(select(Partner.name_en).where(Partner.code == "ofsted")).all() == ["Ofsted"]
    assert audited(db, "partner.added") == []


def test_a_partner_with_sharing_events_cannot_be_deleted(client: FlaskClient, db) -> None:
    sign_in(client, ADMIN)
    edit = f"{REGISTER}/schools-and-colleges/edit"
    assert "This partner cannot be deleted" in text_of(client.get(edit))
    delete = f"{REGISTER}/schools-and-colleges/delete"
    assert client.get(delete).headers["Location"] == f"{edit}?outcome=in-use"
    response = post(client, delete, edit)
    assert response.headers["Location"] == f"{edit}?outcome=in-use"
    assert "Retire it instead" in text_of(client.get(response.headers["Location"]))
    assert partner(db, "schools-and-colleges") is not None
    assert audited(db, "partner.deleted") == []


def test_a_partner_with_only_a_correction_task_cannot_be_deleted(client: FlaskClient, db) -> None:
    today = london_today()
    request = CorrectionRequest(
        reference="COR-PARTNER1",
        submission_key="partner-register-test",
        person_field=PersonField.NAME,
        person_id=person_id("ellie"),
        requested_by_account_id=demo_id(f"account:{SAM}"),
        received_on=today,
        what_is_wrong="Wrong",
        should_say="Right",
        why="Because",
        due_on=statutory_due_date(today),
    )
    db.add(request)
    db.flush()
    ofsted = partner(db, "ofsted")
    db.add(
        CorrectionTask(
            request_id=request.id, kind=CorrectionTaskKind.TELL_RECIPIENT, partner_id=ofsted.id
        )
    )
    db.commit()
    sign_in(client, ADMIN)
    response = post(client, f"{REGISTER}/ofsted/delete", f"{REGISTER}/ofsted/edit")
    assert response.headers["Location"] == f"{REGISTER}/ofsted/edit?outcome=in-use"
    assert partner(db, "ofsted") is not None


def test_an_unused_partner_can_be_deleted(client: FlaskClient, db) -> None:
    sign_in(client, ADMIN)
    edit = text_of(client.get(f"{REGISTER}/ofsted/edit"))
    assert "Nothing names this partner yet" in edit
    confirm = client.get(f"{REGISTER}/ofsted/delete")
    assert "Are you sure you want to delete Ofsted?" in text_of(confirm)
    response = client.post(f"{REGISTER}/ofsted/delete", data={"csrf_token": csrf_token(confirm)})
    assert response.headers["Location"] == f"{REGISTER}?outcome=deleted"
    assert "The partner has been deleted" in text_of(client.get(response.headers["Location"]))
    assert partner(db, "ofsted") is None
    assert client.get("/partners/ofsted").status_code == 404
    [event] = audited(db, "partner.deleted")
    assert event.detail == {"code": "ofsted", "name": "Ofsted"}


def test_unknown_codes_are_404(client: FlaskClient) -> None:
    sign_in(client, ADMIN)
    assert client.get(f"{REGISTER}/no-such-partner/edit").status_code == 404
    assert client.get(f"{REGISTER}/no-such-partner/delete").status_code == 404


def test_administrators_find_the_register_from_staff_home(client: FlaskClient) -> None:
    sign_in(client, ADMIN)
    home = client.get("/staff")
    assert f'href="{REGISTER}"' in home.get_data(as_text=True)
    assert "Your role does not give you access to families' records" in text_of(home)


@pytest.mark.parametrize(
    ("email", "token_page"), [(OFFICER, "/staff"), (SAM, "/your-data"), (None, "/sign-in")]
)
def test_dpo_officers_families_and_strangers_get_404(
    client: FlaskClient, db, email: str | None, token_page: str
) -> None:
    if email:
        sign_in(client, email)
    assert f'href="{REGISTER}"' not in client.get("/staff").get_data(as_text=True)
    for path in (
        REGISTER,
        f"{REGISTER}/new",
        f"{REGISTER}/ofsted/edit",
        f"{REGISTER}/ofsted/delete",
    ):
        assert client.get(path).status_code == 404, path
    token = csrf_token(client.get(token_page))
    posts = {
        f"{REGISTER}/new": YOUTH_JUSTICE,
        f"{REGISTER}/ofsted/edit": {**YOUTH_JUSTICE, "name_en": "Changed"},
        f"{REGISTER}/ofsted/retire": {},
        f"{REGISTER}/ofsted/restore": {},
        f"{REGISTER}/ofsted/delete": {},
    }
    for path, data in posts.items():
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404, path
    ofsted = partner(db, "ofsted")
    assert ofsted is not None and ofsted.name_en == "Ofsted" and ofsted.retired_on is None
    assert partner(db, "youth-justice-service") is None
