"""A copy of a person's data (UK GDPR Article 15) in the forms we send: an accessible PDF to
read, a JSON file for a machine or an adviser, and a ZIP holding both with the JSON Schema that
documents the JSON (`portal/data/copy-schema.json`).

The document arrives already assembled (the copy-request service builds it from the database),
its words already in the copy's language. Nothing here reads the database, so what we send is
exactly what was assembled, and the same document always makes the same files.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from flask import render_template
from flask_babel import force_locale
from jsonschema import Draft202012Validator, FormatChecker
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from portal.config import STATIC
from portal.i18n import LOCALES

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "copy-schema.json"
# Read once: the ZIP carries these very bytes, the schema we validate against.
_SCHEMA_FILE = SCHEMA_PATH.read_bytes()
SCHEMA: dict[str, Any] = json.loads(_SCHEMA_FILE)

# Checked once at import: a broken schema is our bug and should stop the app, not a request.
Draft202012Validator.check_schema(SCHEMA)
_VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())

# PDF/UA-2 is the newest accessible variant WeasyPrint offers: a tagged PDF (headings, tables
# and reading order a screen reader can follow), with the title and language in its metadata.
PDF_VARIANT = "pdf/ua-2"

# Inside the ZIP every file carries this time, so the same document gives the same ZIP, byte
# for byte (WeasyPrint 70 puts no creation time in the PDF either), and the archive does not
# reveal when it was built.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def validate(document: dict[str, Any]) -> None:
    """Raises `jsonschema.ValidationError` unless the document follows the published schema.

    We promise families and their advisers that the JSON file follows the schema beside it,
    so a document that does not is never sent.
    """
    _VALIDATOR.validate(document)


def render_pdf(document: dict[str, Any]) -> bytes:
    """The copy as a tagged PDF in its own language: the covering letter with the Article 15
    information, then everything we hold. Needs an app context (templates, translations and
    the time zone for times of day)."""
    with force_locale(LOCALES[document["language"]]):
        html = render_template(
            "copies/copy.html",
            copy=document,
            accesses=[_with_moment(access) for access in document["accesses"]],
        )
    page = HTML(string=html, base_url=str(STATIC), url_fetcher=_local_files_only())
    pdf: bytes = page.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def copy_zip(document: dict[str, Any]) -> bytes:
    """The ZIP we give the person: the PDF, the JSON, and the schema that explains the JSON.

    Validates first, so an invalid document raises before any work is done, and the reference
    (which names the files) is known to be safe in a file name.
    """
    validate(document)
    name = f"copy-of-your-data-{document['reference']}"
    files = {
        f"{name}.pdf": render_pdf(document),
        f"{name}.json": _json_bytes(document),
        "copy-of-your-data-schema.json": _SCHEMA_FILE,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for filename, content in files.items():
            entry = zipfile.ZipInfo(filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16  # an ordinary readable file when unpacked
            archive.writestr(entry, content)
    return buffer.getvalue()


def _json_bytes(document: dict[str, Any]) -> bytes:
    """Readable JSON: indented, and Welsh letters (ŵ, ŷ) as themselves, not as escapes."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _with_moment(access: dict[str, Any]) -> dict[str, Any]:
    """An access with its time as a datetime, so the template shows it in UK time."""
    return {**access, "at": dt.datetime.fromisoformat(access["at"])}


def _local_files_only() -> URLFetcher:
    """The copy never fetches anything from the network: nothing in it should depend on, or
    announce itself to, another server."""
    return URLFetcher(allowed_protocols=("file", "data"))
