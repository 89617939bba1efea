"""Evidence with a correction request: checked by content, stripped of photo metadata, stored
outside static/ under a random name, and downloadable only by those allowed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.models import Attachment, CorrectionRequest
from tests.conftest import sign_in
from tests.pages import csrf_token, text_of
from tests.unit.test_uploads import GPS_TAG, jpeg_with_gps
from tests.web.test_corrections import ANSWERS, ELLIE_LANGUAGE


def send(client: FlaskClient, content: bytes, name: str):
    path = f"/your-data/items/{ELLIE_LANGUAGE}/correction"
    page = client.get(path)
    key = (
        page.get_data(as_text=True)
        .split('name="submission_key" type="hidden" value="')[1]
        .split('"')[0]
    )
    fields = {
        "csrf_token": csrf_token(page),
        "submission_key": key,
        **ANSWERS,
        "evidence": FileStorage(io.BytesIO(content), filename=name),
    }
    # Encoded in memory: the test client would spool a large body to a temporary file that
    # it never closes.
    boundary, body = encode_multipart(fields)
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_photo_is_kept_without_its_location_and_offered_only_as_a_download(
    app, client: FlaskClient, db
) -> None:
    sign_in(client, "sam.rivers@example.com")
    response = send(client, jpeg_with_gps(), "../../../etc/passwd.jpg")
    response.close()  # the test client's request body closes with its response
    assert response.status_code == 302
    attachment = db.scalar(select(Attachment))
    assert attachment.original_name == "passwd.jpg"
    stored = Path(app.config["ATTACHMENTS_DIR"]) / attachment.storage_key
    assert stored.parent == Path(app.config["ATTACHMENTS_DIR"]) and "static" not in stored.parts
    with Image.open(stored) as image:
        assert image.getexif().get(GPS_TAG) is None
    reference = db.scalar(select(CorrectionRequest)).reference
    download = client.get(f"/your-requests/{reference}/evidence")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Type"] == "image/jpeg"
    assert download.data == stored.read_bytes()
    download.close()

    other = app.test_client()
    sign_in(other, "alex.morgan@example.com")
    assert other.get(f"/your-requests/{reference}/evidence").status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script>", "letter.pdf", "must be a PDF, JPG or PNG"),
        (b"%PDF-" + b"0" * (10 * 1024 * 1024) + b"%%EOF", "big.pdf", "smaller than 10MB"),
    ],
)
def test_a_refused_file_saves_nothing_and_keeps_the_answers(
    app, client: FlaskClient, db, content: bytes, name: str, message: str
) -> None:
    sign_in(client, "sam.rivers@example.com")
    before = (
        set(Path(app.config["ATTACHMENTS_DIR"]).glob("*"))
        if Path(app.config["ATTACHMENTS_DIR"]).exists()
        else set()
    )
    response = send(client, content, name)
    response.close()
    page = text_of(response)
    assert message in page
    assert ANSWERS["should_say"] in page
    assert db.scalar(select(CorrectionRequest)) is None
    assert db.scalar(select(Attachment)) is None
    after = (
        set(Path(app.config["ATTACHMENTS_DIR"]).glob("*"))
        if Path(app.config["ATTACHMENTS_DIR"]).exists()
        else set()
    )
    assert after == before


def test_an_upload_over_the_server_limit_gets_a_clear_page(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    path = f"/your-data/items/{ELLIE_LANGUAGE}/correction"
    page = client.get(path)
    # The declared length is what the server judges by: it refuses before reading a byte.
    response = client.post(
        path,
        data={"csrf_token": csrf_token(page)},
        environ_overrides={"CONTENT_LENGTH": str(13 * 1024 * 1024)},
    )
    response.close()
    assert response.status_code == 413
    assert "The file you chose is too big" in text_of(response)


def test_staff_download_the_evidence(app, client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    send(client, b"%PDF-1.4\n%%EOF\n", "school letter.pdf").close()
    reference = db.scalar(select(CorrectionRequest)).reference
    officer = app.test_client()
    sign_in(officer, "dpo.officer@example.com")
    assert "school letter.pdf" in text_of(officer.get(f"/staff/corrections/{reference}"))
    download = officer.get(f"/staff/corrections/{reference}/evidence")
    assert download.data == b"%PDF-1.4\n%%EOF\n"
    download.close()
