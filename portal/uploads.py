"""Checking and storing uploaded evidence: PDF, JPEG or PNG up to 10 MB, the type judged by
the content and never by the name, photos re-encoded so no metadata (GPS, camera) survives,
kept outside static/ under a random name."""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask_babel import LazyString
from PIL import Image, UnidentifiedImageError

from portal.i18n import lazy_gettext as _l

MAX_BYTES = 10 * 1024 * 1024
# Decompression bombs: refuse images bigger than this many pixels.
MAX_PIXELS = 40_000_000
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
_EXTENSION = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}


class UploadRefused(ValueError):
    """The file cannot be accepted; the message says what to do, in the user's language."""

    def __init__(self, message: LazyString) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    original_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_upload(raw: bytes, filename: str) -> CheckedFile:
    """Accepts a PDF, JPEG or PNG by its content; photos come back without metadata."""
    if not raw:
        raise UploadRefused(_l("The selected file is empty"))
    if len(raw) > MAX_BYTES:
        raise UploadRefused(_l("The selected file must be smaller than 10MB"))
    content_type = _sniff(raw)
    if content_type is None:
        raise UploadRefused(_l("The selected file must be a PDF, JPG or PNG"))
    content = raw if content_type == PDF else _without_metadata(raw, content_type)
    return CheckedFile(content, content_type, safe_name(filename, content_type))


def safe_name(filename: str, content_type: str) -> str:
    """A name fit to show and to offer as a download: the last part of any path, printable
    characters only, the extension matching what the file really is."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", filename or ""))[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] not in {"C", "Z"} or c == " ")
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", base).strip(" .")[:100] or "evidence"
    return stem + _EXTENSION[content_type]


def store(folder: Path, checked: CheckedFile) -> str:
    """Writes the file under a new random key and returns the key (never a user's name)."""
    key = secrets.token_hex(16)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / key).write_bytes(checked.content)
    return key


def _sniff(raw: bytes) -> str | None:
    if raw.startswith(b"%PDF-") and b"%%EOF" in raw[-2048:]:
        return PDF
    if raw.startswith(b"\xff\xd8\xff"):
        return JPEG
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _without_metadata(raw: bytes, content_type: str) -> bytes:
    """Decodes and re-encodes the pixels only: EXIF, GPS, XMP and comments are left behind."""
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise UploadRefused(_l("The selected image is too large: choose a smaller photo"))
            image.load()
            pixels = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P" and image.getpalette():
                pixels.putpalette(image.getpalette() or [])
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise UploadRefused(_l("The selected file must be a PDF, JPG or PNG")) from None
    out = io.BytesIO()
    if content_type == JPEG:
        pixels.convert("RGB").save(out, "JPEG", quality=90)
    else:
        pixels.save(out, "PNG")
    return out.getvalue()
