"""A copy of someone's data (Article 15): the JSON follows its published schema, the PDF says
what the document says (and never a redacted value), in Welsh too, and the ZIP holds the three
files we promise. Synthetic data only."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from jsonschema import ValidationError
from pypdf import PdfReader

from portal.services.copy_documents import SCHEMA, copy_zip, render_pdf, validate


def sample_document() -> dict[str, Any]:
    """Sam Rivers asks for everything we hold about Ellie, aged 9."""
    return {
        "schema_version": 1,
        "reference": "SAR-ABCD2345",
        "language": "en",
        "generated_on": "2026-11-25",
        "council": {
            "name": "Shropshire Council",
            "dpo_email": "information.request@shropshire.gov.uk",
        },
        "requester": {"name": "Sam Rivers"},
        "subject": {
            "name": "Ellie Rivers",
            "date_of_birth": "2017-03-02",
            "is_requester": False,
            "statements": ["Ellie is known as Elle at school."],
        },
        "request": {
            "received_on": "2026-11-02",
            "due_on": "2026-12-02",
            "everything": True,
            "categories": [],
            "from": None,
            "to": None,
        },
        "sections": [
            {
                "category": "personal_details",
                "title": "Personal details",
                "items": [
                    item("address", "Address", "14 Alder Close, Shrewsbury SY99 4TQ"),
                ],
            },
            {
                "category": "identifiers",
                "title": "National Insurance and NHS numbers",
                "items": [item("nhs_number", "NHS number", "999 123 4568", source="family")],
            },
            {
                "category": "health",
                "title": "Health",
                "items": [
                    item(
                        "health_note",
                        "Health note",
                        "Asthma, uses an inhaler at school",
                        statements=["The inhaler is only for sport now."],
                    ),
                    item("health_note", "Health note", None, redacted=True),
                ],
            },
        ],
        "household": [
            {"name": "Sam Rivers", "relationship": "Parent", "redacted": False, "current": True},
            {"name": None, "relationship": None, "redacted": True, "current": False},
        ],
        "sharing": [
            {
                "shared_on": "2026-01-05",
                "partner": "West Mercia Police",
                "partner_kind": "Emergency services",
                "purpose": "Keeping a child safe",
                "lawful_basis": "Safeguarding duty (Children Act 1989 and 2004)",
                "categories": ["Personal details", "Health"],
            }
        ],
        "sources": [
            {
                "source": "schools_one_system",
                "label": "Schools and colleges (One system)",
                "categories": ["Education"],
            },
            {"source": "family", "label": "You or your family", "categories": ["Health"]},
        ],
        "accesses": [
            {
                "at": "2026-07-20T10:15:00+00:00",
                "team": "Information Governance",
                "reason": "Looked at the record",
            }
        ],
    }


SOURCE_LABELS = {
    "family": "You or your family",
    "early_help_worker": "Your Early Help worker",
    "dwp": "Department for Work and Pensions",
}


def item(
    kind: str,
    label: str,
    value: str | None,
    *,
    redacted: bool = False,
    source: str = "early_help_worker",
    statements: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "label": label,
        "value": value,
        "redacted": redacted,
        "source": source,
        "source_label": SOURCE_LABELS[source],
        "obtained_on": "2024-05-01",
        "statements": statements or [],
    }


def welsh_document() -> dict[str, Any]:
    document = sample_document()
    document["language"] = "cy"
    document["council"]["name"] = "Cyngor Swydd Amwythig"
    document["sections"][0]["title"] = "Manylion personol"
    document["sections"][0]["items"][0]["value"] = "Tŷ'r Ŵyn, Heol y Dŵr, Amwythig SY99 4TQ"
    return document


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


def pdf_text(pdf: bytes) -> str:
    """The PDF's words with line breaks and repeated spaces folded, as a reader hears them."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_sample_document_follows_the_schema() -> None:
    validate(sample_document())


@pytest.mark.parametrize(
    "path",
    [("reference",), ("council", "dpo_email"), ("subject", "is_requester"), ("accesses",)],
)
def test_document_missing_a_required_field_is_refused(path: tuple[str, ...]) -> None:
    document = sample_document()
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    with pytest.raises(ValidationError):
        validate(document)


def test_document_with_a_field_the_schema_does_not_know_is_refused() -> None:
    document = sample_document()
    document["sections"][0]["items"][0]["internal_note"] = "Not for the family"
    with pytest.raises(ValidationError):
        validate(document)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("generated_on", "25/11/2026"),
        ("language", "fr"),
        ("schema_version", 2),
        ("reference", "../../etc/passwd"),
    ],
)
def test_document_with_a_malformed_value_is_refused(field: str, value: object) -> None:
    document = sample_document()
    document[field] = value
    with pytest.raises(ValidationError):
        validate(document)


def test_access_time_without_its_offset_from_utc_is_refused() -> None:
    document = sample_document()
    document["accesses"][0]["at"] = "2026-11-20T10:15:00"
    with pytest.raises(ValidationError):
        validate(document)


def test_redacted_item_cannot_carry_its_value() -> None:
    document = sample_document()
    document["sections"][2]["items"][1]["value"] = "Another person's diagnosis"
    with pytest.raises(ValidationError):
        validate(document)


def test_schema_describes_every_property() -> None:
    undocumented = [where for where, described in properties(SCHEMA, "") if not described]
    assert undocumented == []


def properties(node: dict[str, Any], where: str) -> Iterator[tuple[str, bool]]:
    """Every property the schema declares, and whether it says what it means. Conditions
    (if/then/else) only narrow properties already declared, so they are not walked."""
    for name, child in node.get("properties", {}).items():
        yield f"{where}.{name}", "description" in child
        yield from properties(child, f"{where}.{name}")
    if isinstance(node.get("items"), dict):
        yield from properties(node["items"], f"{where}[]")
    for name, child in node.get("$defs", {}).items():
        yield from properties(child, f"$defs.{name}")


@pytest.mark.usefixtures("app_context")
def test_pdf_shows_the_requester_every_value_the_partner_and_the_ico() -> None:
    text = pdf_text(render_pdf(sample_document()))
    assert "Dear Sam Rivers" in text
    for value in ("14 Alder Close, Shrewsbury SY99 4TQ", "999 123 4568", "Asthma, uses an"):
        assert value in text
    assert "West Mercia Police" in text
    assert "ico.org.uk/make-a-complaint" in text
    assert "0303 123 1113" in text
    assert "Statement from the family: The inhaler is only for sport now." in text


@pytest.mark.usefixtures("app_context")
def test_pdf_prints_typst_code_in_the_data_and_runs_none_of_it() -> None:
    document = sample_document()
    code = '#read("/etc/passwd") *bold* $x^2$ @ref <label> #{1 + 1} \\ [text]'
    document["sections"][0]["items"][0]["value"] = code
    document["requester"]["name"] = '#panic("ran")'
    text = pdf_text(render_pdf(document))
    assert code in text
    assert 'Dear #panic("ran"),' in text
    assert "root:" not in text


@pytest.mark.usefixtures("app_context")
def test_pdf_says_redacted_where_a_value_or_a_person_is_hidden() -> None:
    text = pdf_text(render_pdf(sample_document()))
    assert "Redacted – this is about another person" in text
    assert "Another person – details removed" in text
    assert "None" not in text  # a null value must not be printed as Python's None


@pytest.mark.usefixtures("app_context")
def test_pdf_of_your_own_data_lists_the_kinds_and_dates_you_asked_for() -> None:
    document = sample_document()
    document["subject"] = {
        "name": "Sam Rivers",
        "date_of_birth": "1988-06-14",
        "is_requester": True,
        "statements": [],
    }
    document["request"].update(
        everything=False,
        categories=[{"code": "health", "label": "Health"}],
        **{"from": "2025-01-01", "to": "2026-01-01"},
    )
    document["sections"][1]["items"].append(
        item("ni_number", "National Insurance number", "MW 12 34 56 C", source="dwp")
    )
    validate(document)
    text = pdf_text(render_pdf(document))
    assert "MW 12 34 56 C" in text
    assert "A copy of the information we hold about you" in text
    assert "You asked for these kinds of information: Health" in text
    assert "You asked only for information from 1 January 2025 to 1 January 2026." in text
    assert "Who lives with you" in text


@pytest.mark.usefixtures("app_context")
def test_pdf_says_none_for_each_empty_section() -> None:
    document = sample_document()
    document["sections"][0]["items"] = []
    for empty in ("household", "sharing", "sources", "accesses"):
        document[empty] = []
    validate(document)
    text = pdf_text(render_pdf(document))
    assert text.count("None") == 5


@pytest.mark.usefixtures("app_context")
def test_pdf_shows_access_times_in_uk_time() -> None:
    text = pdf_text(render_pdf(sample_document()))
    assert "20 July 2026" in text
    assert "11:15" in text  # 10:15 UTC in British Summer Time


@pytest.mark.usefixtures("app_context")
def test_pdf_is_tagged_with_its_title_and_language() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(sample_document())))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    assert b"<pdfuaid:part>1</pdfuaid:part>" in catalog["/Metadata"].get_object().get_data()
    assert reader.metadata is not None
    assert reader.metadata.title == "Copy of your data, SAR-ABCD2345"


@pytest.mark.usefixtures("app_context")
def test_welsh_copy_has_welsh_headings_and_keeps_w_and_y_circumflex() -> None:
    pdf = render_pdf(welsh_document())
    text = pdf_text(pdf)
    assert "Annwyl Sam Rivers" in text
    assert "Gyda phwy y gwnaethom rannu'r data hwn" in text
    assert "Wedi'i olygu – mae hyn yn ymwneud â pherson arall" in text
    assert "Tŷ'r Ŵyn, Heol y Dŵr, Amwythig SY99 4TQ" in text
    assert "ŵ" in text and "ŷ" in text
    assert "ico.org.uk/make-a-complaint" in text
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "cy"


@pytest.mark.usefixtures("app_context")
def test_zip_holds_the_pdf_the_json_and_the_schema() -> None:
    document = sample_document()
    with zipfile.ZipFile(io.BytesIO(copy_zip(copy.deepcopy(document)))) as archive:
        assert sorted(archive.namelist()) == [
            "copy-of-your-data-SAR-ABCD2345.json",
            "copy-of-your-data-SAR-ABCD2345.pdf",
            "copy-of-your-data-schema.json",
        ]
        assert json.loads(archive.read("copy-of-your-data-SAR-ABCD2345.json")) == document
        assert json.loads(archive.read("copy-of-your-data-schema.json")) == SCHEMA
        assert archive.read("copy-of-your-data-SAR-ABCD2345.pdf").startswith(b"%PDF-")
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}


@pytest.mark.usefixtures("app_context")
def test_same_document_gives_the_same_zip() -> None:
    assert copy_zip(sample_document()) == copy_zip(sample_document())


@pytest.mark.usefixtures("app_context")
def test_zip_keeps_welsh_letters_readable_in_the_json() -> None:
    with zipfile.ZipFile(io.BytesIO(copy_zip(welsh_document()))) as archive:
        raw = archive.read("copy-of-your-data-SAR-ABCD2345.json").decode("utf-8")
    assert "Tŷ'r Ŵyn" in raw


def test_invalid_document_makes_no_zip() -> None:
    document = sample_document()
    document["reference"] = "../SAR"
    with pytest.raises(ValidationError):
        copy_zip(document)
