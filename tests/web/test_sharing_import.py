"""`flask --app portal import-sharing FILE`: a batch from the case management system's export,
CSV or JSON lines, validated row by row; one bad row and nothing of the batch is imported."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.demo.synthetic import demo_id
from portal.models import AuditEvent, DataItem, Partner, SharingEvent
from tests.conftest import person_id

HEADER = "person_id,partner_code,shared_on,purpose,lawful_basis,item_ids,external_reference"
SHARED_ON = (london_today() - dt.timedelta(days=10)).isoformat()


def item_id(key: str) -> str:
    return str(demo_id(f"item:{key}"))


def row(**changed: object) -> dict[str, object]:
    """One valid row about Sam, with `changed` on top."""
    return {
        "person_id": str(person_id("sam")),
        "partner_code": "housing-providers",
        "shared_on": SHARED_ON,
        "purpose": "housing_support",
        "lawful_basis": "dea_condition_2",
        "item_ids": [item_id("sam-arrears"), item_id("sam-phone")],
        "external_reference": f"CMS-{uuid.uuid4().hex[:10]}",
        **changed,
    }


def csv_line(values: dict[str, object]) -> str:
    items = values["item_ids"]
    joined = ";".join(items) if isinstance(items, list) else str(items)
    return ",".join(
        [
            *(str(values[key]) for key in HEADER.split(",")[:5]),
            joined,
            str(values["external_reference"]),
        ]
    )


def csv_file(tmp_path: Path, rows: list[dict[str, object]], name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *(csv_line(r) for r in rows)]) + "\n", encoding="utf-8")
    return path


def jsonl_file(tmp_path: Path, rows: list[dict[str, object]], name: str = "export.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def run(app: Flask, path: Path) -> Result:
    return app.test_cli_runner().invoke(args=["import-sharing", str(path)])


def count(db: Session, model: type) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_a_csv_export_is_imported_with_items_linked_and_audited(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    sam = row(external_reference="CMS-0001")
    ellie = row(
        person_id=str(person_id("ellie")),
        partner_code="schools-and-colleges",
        purpose="education_support",
        lawful_basis="public_task",
        item_ids=f"{item_id('ellie-attendance')} ; {item_id('ellie-ehcp')}",
        external_reference="CMS-0002",
    )
    result = run(app, csv_file(tmp_path, [sam, ellie]))
    assert result.exit_code == 0, result.output
    assert "Imported 2 sharing events." in result.output

    imported = db.scalar(select(SharingEvent).where(SharingEvent.external_reference == "CMS-0002"))
    assert (
        imported.person_id == person_id("ellie") and imported.partner.code == "schools-and-colleges"
    )
    assert imported.shared_on == dt.date.fromisoformat(SHARED_ON)
    assert {str(i.id) for i in imported.items} == {
        item_id("ellie-attendance"),
        item_id("ellie-ehcp"),
    }
    audits = db.scalars(select(AuditEvent).where(AuditEvent.action == "sharing.recorded")).all()
    assert len(audits) == 2
    assert all(
        a.actor_account_id is None and a.detail["imported_from"] == "export.csv" for a in audits
    )
    assert {a.subject_person_id for a in audits} == {person_id("sam"), person_id("ellie")}


def test_a_json_lines_export_is_imported(app: Flask, db: Session, tmp_path: Path) -> None:
    before = count(db, SharingEvent)
    rows = [row(), row(external_reference=None), {**row(), "external_reference": 20260101}]
    result = run(app, jsonl_file(tmp_path, rows))
    assert result.exit_code == 0, result.output
    assert "Imported 3 sharing events." in result.output
    assert count(db, SharingEvent) == before + 3
    assert db.scalar(select(SharingEvent).where(SharingEvent.external_reference == "20260101"))


def test_the_format_is_told_by_content_when_the_name_does_not_say(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    before = count(db, SharingEvent)
    assert run(app, jsonl_file(tmp_path, [row()], name="export.txt")).exit_code == 0
    assert run(app, csv_file(tmp_path, [row()], name="export")).exit_code == 0
    assert count(db, SharingEvent) == before + 2


def test_running_the_same_export_again_records_nothing_twice(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, [row(), row()])
    assert run(app, path).exit_code == 0
    before = count(db, SharingEvent)
    again = run(app, path)
    assert again.exit_code == 0, again.output
    assert "Imported 0 sharing events." in again.output
    assert "Skipped 2 sharing events already imported." in again.output
    assert count(db, SharingEvent) == before


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (
            {"item_ids": [item_id("ellie-health")]},
            f"Item {item_id('ellie-health')} is about another person",
        ),
        (
            {"partner_code": "acme-data-brokers"},
            "There is no partner with the code acme-data-brokers",
        ),
    ],
)
def test_one_bad_row_among_a_thousand_imports_nothing_and_names_the_row(
    app: Flask, db: Session, tmp_path: Path, bad: dict[str, object], reason: str
) -> None:
    rows = [row() for _ in range(1000)]
    rows[735] = row(**bad)  # the header is line 1, so the 736th row is line 737
    before = (count(db, SharingEvent), count(db, AuditEvent))

    result = run(app, csv_file(tmp_path, rows))

    assert result.exit_code != 0
    assert (
        f"Line 737, {'item_ids' if 'item_ids' in bad else 'partner_code'}: {reason}"
        in result.output
    )
    assert result.output.count("Line ") == 1
    assert "Nothing was imported: 1 row has problems." in result.output
    assert (count(db, SharingEvent), count(db, AuditEvent)) == before


def test_retired_partners_future_dates_and_unknown_words_are_refused_by_line(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    db.scalar(select(Partner).where(Partner.code == "ofsted")).retired_on = london_today()
    phone = db.get(DataItem, uuid.UUID(item_id("sam-email")))
    phone.replaced_at = dt.datetime.now(dt.UTC)
    db.commit()
    tomorrow = (london_today() + dt.timedelta(days=1)).isoformat()
    rows = [
        row(),
        row(partner_code="ofsted"),
        row(shared_on=tomorrow),
        row(purpose="marketing"),
        row(lawful_basis="consent"),
        row(shared_on="2026-02-30"),
        row(shared_on="27/03/2026"),
        row(person_id=str(uuid.uuid4())),
        row(item_ids=[item_id("sam-email")]),
        row(item_ids=[]),
        row(external_reference="=HYPERLINK()"),
    ]
    before = count(db, SharingEvent)
    result = run(app, jsonl_file(tmp_path, rows))
    assert result.exit_code != 0
    expected = [
        "Line 2, partner_code: ofsted is retired: it cannot receive new sharing",
        "Line 3, shared_on: The date it was shared must be today or in the past",
        "Line 4, purpose: marketing is not one of: coordinate_support,",
        "Line 5, lawful_basis: consent is not one of: public_task,",
        "Line 6, shared_on: The date it was shared must be a real date, like 2026-03-27",
        "Line 7, shared_on: The date it was shared must be a real date",
        "Line 8, person_id: There is no person with the ID",
        f"Line 9, item_ids: Item {item_id('sam-email')} has been replaced by a newer version",
        "Line 10, item_ids: Select the information that was shared",
        "Line 11, external_reference: The external reference must be 1 to 100 letters",
    ]
    for words in expected:
        assert words in result.output
    assert "Line 1," not in result.output
    assert "Nothing was imported: 10 rows have problems." in result.output
    assert count(db, SharingEvent) == before


def test_a_reference_repeated_in_one_file_is_refused(app: Flask, tmp_path: Path) -> None:
    result = run(
        app,
        csv_file(
            tmp_path, [row(external_reference="CMS-9"), row(), row(external_reference="CMS-9")]
        ),
    )
    assert result.exit_code != 0
    assert "Line 4, external_reference: the same reference is on line 2" in result.output


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"  \n\n", "blank.jsonl", "The file is empty."),
        (f"{HEADER}\n".encode(), "header-only.csv", "The file has no rows to import."),
        (
            b"\xff\xfe" + "p\x00e".encode("utf-16-le"),
            "utf16.csv",
            "The file is not UTF-8 text (line 1)",
        ),
        (
            f"{HEADER}\nabc,\xe9\n".encode("latin-1"),
            "latin1.csv",
            "The file is not UTF-8 text (line 2)",
        ),
        (
            b"person_id,partner,date\n1,2,3\n",
            "wrong-header.csv",
            "Line 1: the header row must name",
        ),
        (f"{HEADER},{HEADER}\n".encode(), "repeated.csv", "repeated external_reference, item_ids"),
        (
            f'{HEADER}\n"{"x" * 200_000}",b,c,d,e,f,g\n'.encode(),
            "huge.csv",
            "Line 2: the CSV cannot be read",
        ),
        (f'{HEADER}\n"unfinished,b\n'.encode(), "quote.csv", "the CSV cannot be read"),
        (b"PK\x03\x04\x00\x00", "export.csv", "it has a NUL character on line 1"),
    ],
)
def test_a_malformed_file_gets_a_clear_message_and_imports_nothing(
    app: Flask, db: Session, tmp_path: Path, content: bytes, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = count(db, SharingEvent)
    result = run(app, path)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert message in result.output
    assert "Nothing was imported." in result.output
    assert "Traceback" not in result.output
    assert count(db, SharingEvent) == before


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"person_id": ', "Line 1: not valid JSON"),
        ("[1, 2]", "Line 1: each line must be one JSON object"),
        ("[" * 100_000, "Line 1: the line is longer than 8,000 characters"),
        ("[" * 5000, "Line 1: not valid JSON"),
        (json.dumps({**row(), "colour": "red"}), "Line 1: unknown key colour"),
        (json.dumps({**row(), "shared_on": 20260101}), "Line 1, shared_on: must be a string"),
        (
            json.dumps({**row(), "item_ids": "a;b"}),
            "Line 1, item_ids: must be a list of ID strings",
        ),
        (
            json.dumps({k: v for k, v in row().items() if k != "purpose"}),
            "Line 1, purpose: missing",
        ),
        (
            json.dumps({**row(), "external_reference": "x" * 5000}),
            "Line 1, external_reference: longer than 4,000",
        ),
    ],
)
def test_broken_json_lines_are_reported_by_line(
    app: Flask, db: Session, tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(f"{line}\n{json.dumps(row())}\n", encoding="utf-8")
    before = count(db, SharingEvent)
    result = run(app, path)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert count(db, SharingEvent) == before


def test_a_csv_row_with_the_wrong_number_of_values_is_reported(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f"{HEADER}\n{csv_line(row())}\n\na,b,c\n", encoding="utf-8-sig")
    result = run(app, path)
    assert result.exit_code == 1
    assert "Line 4: expected 7 values, found 3" in result.output


def test_a_missing_file_is_refused_by_the_command(app: Flask, tmp_path: Path) -> None:
    result = run(app, tmp_path / "nowhere.csv")
    assert result.exit_code == 2
    assert "does not exist" in result.output


@contextmanager
def selects(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = app.extensions["database"].engine

    def keep(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def test_the_queries_do_not_grow_with_the_number_of_rows(app: Flask, tmp_path: Path) -> None:
    with selects(app) as few:
        assert run(app, csv_file(tmp_path, [row() for _ in range(10)], "few.csv")).exit_code == 0
    with selects(app) as many:
        assert run(app, csv_file(tmp_path, [row() for _ in range(1000)], "many.csv")).exit_code == 0
    # Already imported, people, partners, items: loaded in bulk, whatever the batch size.
    assert 0 < len(few) == len(many)
