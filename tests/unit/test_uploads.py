"""Uploaded evidence: type by content, size, safe names, and photos without their metadata."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask_babel import Babel
from PIL import Image

from portal.uploads import JPEG, MAX_BYTES, PDF, PNG, UploadRefused, check_upload, safe_name

GPS_TAG = 0x8825


@pytest.fixture(autouse=True)
def babel_context():
    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        yield


def png(size: tuple[int, int] = (20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (32, 32), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_TAG] = {1: "N", 2: (52.0, 42.0, 30.0), 3: "W", 4: (2.0, 45.0, 10.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_photo_loses_its_gps_and_camera_metadata() -> None:
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get(GPS_TAG) is not None
    checked = check_upload(raw, "holiday.jpeg")
    assert checked.content_type == JPEG
    stored = Image.open(io.BytesIO(checked.content))
    assert dict(stored.getexif()) == {}
    assert b"PhoneMaker" not in checked.content


def test_png_and_pdf_are_accepted_by_content() -> None:
    assert check_upload(png(), "letter.png").content_type == PNG
    assert check_upload(PDF_BYTES, "letter.pdf").content == PDF_BYTES
    assert check_upload(PDF_BYTES, "letter.pdf").content_type == PDF


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg"),
        (b"MZ\x90\x00", "letter.pdf"),
        (b"GIF89a......", "cat.png"),
        (b"\xff\xd8\xff but not really a jpeg", "x.jpg"),
        (b"%PDF-1.4 with no end", "x.pdf"),
    ],
)
def test_the_wrong_content_behind_a_right_name_is_refused(raw: bytes, name: str) -> None:
    with pytest.raises(UploadRefused, match="must be a PDF, JPG or PNG"):
        check_upload(raw, name)


def test_too_big_and_empty_files_are_refused() -> None:
    with pytest.raises(UploadRefused, match="smaller than 10MB"):
        check_upload(b"%PDF-" + b"0" * MAX_BYTES + b"%%EOF", "big.pdf")
    with pytest.raises(UploadRefused, match="empty"):
        check_upload(b"", "nothing.pdf")


def test_an_image_too_large_to_decode_safely_is_refused() -> None:
    with pytest.raises(UploadRefused, match="too large"):
        check_upload(png((8000, 6000)), "huge.png")


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("../../etc/passwd.png", PNG, "passwd.png"),
        ("C:\\Users\\me\\scan.PDF", PDF, "scan.pdf"),
        ("photo.exe.jpg", JPEG, "photo.exe.jpg"),
        ("evil\u202egpj.exe", JPEG, "evilgpj.jpg"),
        ("nul\x00byte.png", PNG, "nulbyte.png"),
        ("", PDF, "evidence.pdf"),
        ("...", PNG, "evidence.png"),
    ],
)
def test_names_are_made_safe(name: str, content_type: str, expected: str) -> None:
    assert safe_name(name, content_type) == expected
