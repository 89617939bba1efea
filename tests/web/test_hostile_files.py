"""Hostile files: a 50 MB upload, names that climb out of folders, content that is not what
its name says, and sharing imports with formula cells and hidden characters. Each gets a
clear answer and nothing is kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.models import Attachment, CorrectionRequest, SharingEvent
from tests.conftest import sign_in
from tests.pages import csrf_token, errors_of, text_of
from tests.unit.test_uploads import jpeg_with_gps
from tests.web.test_correction_evidence import send
from tests.web.test_corrections import ANSWERS, ELLIE_LANGUAGE
from tests.web.test_sharing_import import count, csv_file, jsonl_file, row, run

FIFTY_MEGABYTES = 50 * 1024 * 1024


def test_a_fifty_megabyte_upload_gets_413_with_the_limit_and_a_way_back(
    client: FlaskClient, db: Session
) -> None:
    sign_in(client, "sam.rivers@example.com")
    path = f"/your-data/items/{ELLIE_LANGUAGE}/correction"
    page = client.get(path)
    fields = {
        "csrf_token": csrf_token(page),
        **ANSWERS,
        "evidence": FileStorage(io.BytesIO(b"%PDF-" + bytes(FIFTY_MEGABYTES)), "big.pdf"),
    }
    boundary, body = encode_multipart(fields)
    response = client.post(
        path,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Referer": f"http://localhost{path}"},
    )
    response.close()
    assert response.status_code == 413
    assert "Files must be smaller than 10MB" in text_of(response)
    assert f'href="{path}"' in response.get_data(as_text=True)
    assert db.scalar(select(CorrectionRequest)) is None


def test_the_way_back_from_a_too_large_upload_never_leaves_the_portal(client: FlaskClient) -> None:
    response = client.post(
        "/sign-in",
        environ_overrides={"CONTENT_LENGTH": str(FIFTY_MEGABYTES)},
        headers={"Referer": "https://evil.example/phish"},
    )
    response.close()
    assert response.status_code == 413
    assert "evil.example" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a pdf", "../../etc/passwd.pdf", "must be a PDF, JPG or PNG"),
        (b"<html><script>alert(1)</script>", "..\\..\\evidence.png", "must be a PDF, JPG or PNG"),
        (b"%PDF-1.4 no end", "report.pdf", "must be a PDF, JPG or PNG"),
        (b"\xff\xd8\xff\xe0 broken jpeg", "photo.jpg", "must be a PDF, JPG or PNG"),
    ],
)
def test_a_file_whose_content_is_not_its_type_is_refused_and_answers_kept(
    app: Flask, client: FlaskClient, db: Session, content: bytes, name: str, message: str
) -> None:
    sign_in(client, "sam.rivers@example.com")
    response = send(client, content, name)
    response.close()
    assert response.status_code == 400
    assert any(message in error for error in errors_of(response))
    assert ANSWERS["should_say"] in text_of(response)
    assert db.scalar(select(Attachment)) is None


def test_a_file_name_that_climbs_folders_is_kept_as_its_last_part_only(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    sign_in(client, "sam.rivers@example.com")
    response = send(client, jpeg_with_gps(), "../../../../tmp/evil\u202egpj.exe.jpg")
    assert response.status_code == 302
    attachment = db.scalar(select(Attachment))
    assert attachment is not None
    assert "/" not in attachment.original_name and ".." not in attachment.original_name
    assert "\u202e" not in attachment.original_name
    stored = Path(app.config["ATTACHMENTS_DIR"]) / attachment.storage_key
    assert stored.resolve().parent == Path(app.config["ATTACHMENTS_DIR"]).resolve()


FORMULAS = ['=HYPERLINK("http://evil.example")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]


@pytest.mark.parametrize("column", ["partner_code", "purpose", "external_reference"])
@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_leading_cell_in_an_import_is_read_as_text_and_refused_by_line(
    app: Flask, db: Session, tmp_path: Path, column: str, formula: str
) -> None:
    before = count(db, SharingEvent)
    result = run(app, csv_file(tmp_path, [row(**{column: formula})]))
    assert result.exit_code == 1, result.output
    assert f"Line 2, {column}:" in result.output
    assert "Nothing was imported" in result.output
    assert count(db, SharingEvent) == before


@pytest.mark.parametrize(
    "changed",
    [
        {"external_reference": "CMS-1\u202e2"},
        {"external_reference": "CMS-1\x002"},
        {"person_id": "١٢٣"},
        {"shared_on": "２０２６-０１-０１"},
        {"shared_on": "2023-02-29"},
        {"shared_on": "2024-04-31"},
    ],
)
def test_hidden_characters_other_digits_and_impossible_dates_in_an_import_are_refused(
    app: Flask, db: Session, tmp_path: Path, changed: dict[str, str]
) -> None:
    before = count(db, SharingEvent)
    for path in (csv_file(tmp_path, [row(**changed)]), jsonl_file(tmp_path, [row(**changed)])):
        result = run(app, path)
        assert result.exit_code == 1, result.output
        assert "line " in result.output.lower() and "Nothing was imported" in result.output
        assert "Traceback" not in result.output
    assert count(db, SharingEvent) == before
