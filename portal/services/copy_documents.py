"""A copy of a person's data (UK GDPR Article 15) in the forms we send: an accessible PDF to
read, a JSON file for a machine or an adviser, and a ZIP holding both with the JSON Schema that
documents the JSON (`portal/data/copy-schema.json`).

The document arrives already assembled (the copy-request service builds it from the database),
its words already in the copy's language. Nothing here reads the database, so what we send is
exactly what was assembled, and the same document always makes the same files.
"""

from __future__ import annotations

import functools
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any, Final

import typst
from flask_babel import force_locale
from jsonschema import Draft202012Validator, FormatChecker

from portal.config import TEMPLATES
from portal.i18n import LOCALES
from portal.services.copy_page import copy_page

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "copy-schema.json"
# Read once: the ZIP carries these very bytes, the schema we validate against.
_SCHEMA_FILE = SCHEMA_PATH.read_bytes()
SCHEMA: dict[str, Any] = json.loads(_SCHEMA_FILE)

# Words that describe a rule without checking anything: a reference beside them is merged.
_ANNOTATIONS = frozenset({"title", "description", "examples", "default", "$comment"})


def _without_references(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with each reference to one of its $defs replaced by the rules it names.

    The same rules, checked in half the time: looking references up took half of the time
    jsonschema spent on a 5,000-item copy. Rules beside a reference are kept with allOf
    unless they only describe it. A reference to anything else fails at import."""
    if isinstance(node, list):
        return [_without_references(child, defs) for child in node]
    if not isinstance(node, dict):
        return node
    rules = {
        key: _without_references(value, defs)
        for key, value in node.items()
        if key not in ("$ref", "$defs")
    }
    if "$ref" not in node:
        return rules
    named = _without_references(defs[node["$ref"].removeprefix("#/$defs/")], defs)
    if rules.keys() <= _ANNOTATIONS:
        return {**named, **rules}
    return {**rules, "allOf": [*rules.get("allOf", []), named]}


# Checked once at import: a broken schema is our bug and should stop the app, not a request.
Draft202012Validator.check_schema(SCHEMA)
_VALIDATOR = Draft202012Validator(
    _without_references(SCHEMA, SCHEMA["$defs"]), format_checker=FormatChecker()
)

# The Typst template, and the folder it may read: itself and nothing else.
PDF_TEMPLATE = TEMPLATES / "copies" / "copy.typ"
# PDF/UA-1, the accessible PDF Typst writes: tagged (headings, lists and reading order a screen
# reader can follow), with the title and language in its metadata.
PDF_STANDARD: Final = "ua-1"

# Inside the ZIP every file carries this time, so the same document gives the same ZIP, byte
# for byte (the template asks Typst for no creation time in the PDF either), and the archive
# does not reveal when it was built.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def validate(document: dict[str, Any]) -> None:
    """Raises `jsonschema.ValidationError` unless the document follows the published schema.

    We promise families and their advisers that the JSON file follows the schema beside it,
    so a document that does not is never sent.
    """
    _VALIDATOR.validate(document)


def render_pdf(document: dict[str, Any]) -> bytes:
    """The copy as a tagged PDF in its own language: the covering letter with the Article 15
    information, then everything we hold. Needs an app context (translations, and the time
    zone for times of day)."""
    with force_locale(LOCALES[document["language"]]):
        page = copy_page(document)
    return pdf_of(page)


def pdf_of(page: dict[str, Any]) -> bytes:
    """The Typst template laid out with this page (`copy_page`'s words, in order).

    The page goes in as JSON data, never as markup: the template only displays its strings,
    so nothing a family, a partner or a translator wrote can run as Typst code. The template
    reads no file but itself (its folder is the root), imports no package, and asks for no
    creation date, so the same page always gives the same bytes.
    """
    compiler = typst.Compiler(
        PDF_TEMPLATE, root=PDF_TEMPLATE.parent, font_paths=_fonts(), ignore_system_fonts=True
    )
    pdf, warnings = compiler.compile_with_warnings(
        sys_inputs={"copy": json.dumps(page, ensure_ascii=False)}, pdf_standards=[PDF_STANDARD]
    )
    _forget_layout(compiler)
    if warnings:
        # Typst warns, for one, when a font is missing; a copy is not sent looking wrong.
        raise RuntimeError("; ".join(warning.message for warning in warnings))
    assert isinstance(pdf, bytes)  # one PDF, not a list of page images
    return pdf


@functools.cache
def _fonts() -> typst.Fonts:
    """The machine's fonts, found once per process rather than for every copy. Typst's own
    fonts are left out: the template names Liberation Sans and DejaVu Sans.

    Before Typst first runs, it is also told to work on one thread, unless the environment
    says otherwise: on the 2-core machines that build copies beside PostgreSQL, a second
    thread saved no time and raised the peak memory by up to 20 MB, by a different amount
    each run (issue 9). Rayon, which runs Typst's threads, reads RAYON_NUM_THREADS when it
    first starts them."""
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=False)


def _forget_layout(compiler: typst.Compiler) -> None:
    """Lets Typst free what it cached while laying out this copy. typst-py drops what ten
    compilations in a row have not used; without these ten empty ones, a process building
    many copies (the sweep) would hold the layouts of the last ten, hundreds of MB."""
    for _ in range(10):
        compiler.compile(b"", format="svg")


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
