"""Importing sharing events in a batch from the case management system's export: CSV with a
header row, or JSON lines. Every row is read and validated (by `sharing_events`, as the staff
form is) before anything is written; one bad row and nothing is imported, so a batch is never
half in. Rows whose external reference an earlier import recorded are skipped, so running the
same export twice records nothing twice.

Caller: `flask --app portal import-sharing FILE`. Messages are for the operator (English).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.plain_text import text_problem
from portal.services import sharing_events
from portal.services.sharing_events import CheckedSharing, ProposedSharing

MAX_BYTES = 20 * 1024 * 1024
MAX_FIELD = 4000
HIDDEN = "has a control, direction-changing or unreadable character"
REQUIRED = ("person_id", "partner_code", "shared_on", "purpose", "lawful_basis", "item_ids")
OPTIONAL = ("external_reference",)
ITEM_SEPARATORS = re.compile(r"[;\s]+")


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing was imported."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str | None
    message: str


@dataclass(frozen=True)
class Row:
    line: int
    proposal: ProposedSharing


@dataclass(frozen=True)
class ImportReport:
    imported: int
    already_imported: int
    problems: list[RowProblem]


def read_export(path: Path) -> bytes:
    """The file's bytes, refusing one too big to be a sensible batch."""
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: "
            "split it into smaller batches."
        )
    return data


def import_sharing(db: Session, data: bytes, filename: str, today: dt.date) -> ImportReport:
    """Reads, validates every row, and imports all of them in one transaction or none."""
    rows, problems = read_rows(data, filename)
    recorded = sharing_events.already_recorded(
        db, [r.proposal.external_reference for r in rows if r.proposal.external_reference]
    )
    new = [row for row in rows if row.proposal.external_reference not in recorded]
    results = sharing_events.validate_all(db, [row.proposal for row in new], today)
    checked: list[CheckedSharing] = []
    for row, result in zip(new, results, strict=True):
        if isinstance(result, CheckedSharing):
            checked.append(result)
        else:
            problems += [RowProblem(row.line, p.field, str(p.message)) for p in result]
    if problems:
        db.rollback()
        return ImportReport(0, len(rows) - len(new), sorted(problems, key=lambda p: p.line))
    _record_all(db, checked, filename)
    return ImportReport(len(checked), len(rows) - len(new), [])


def _record_all(db: Session, checked: list[CheckedSharing], filename: str) -> None:
    for sharing in checked:
        sharing_events.record(db, sharing, actor=None, session_ref=None, imported_from=filename)
    try:
        db.commit()
    except IntegrityError as error:
        db.rollback()
        raise ImportFileError(
            "Another import recorded some of these external references at the same time. "
            "Nothing was imported: run the import again."
        ) from error


def read_rows(data: bytes, filename: str) -> tuple[list[Row], list[RowProblem]]:
    """Every row as a proposal, and what is wrong with the shape of any row. Raises
    ImportFileError when the file itself is unreadable (not UTF-8, no header, empty)."""
    text = _decoded(data)
    rows, problems = _json_lines(text) if _is_json_lines(text, filename) else _csv(text)
    if not rows and not problems:
        raise ImportFileError("The file has no rows to import.")
    return rows, problems + _repeated_references(rows)


def _decoded(data: bytes) -> str:
    if not data.strip():
        raise ImportFileError("The file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(
            f"The file is not UTF-8 text (line {line}): export it again as UTF-8."
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFileError(f"The file is not text: it has a NUL character on line {line}.")
    return text


def _is_json_lines(text: str, filename: str) -> bool:
    suffix = Path(filename).suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return True
    if suffix == ".csv":
        return False
    return text.lstrip().startswith("{")


def _csv(text: str) -> tuple[list[Row], list[RowProblem]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines = _csv_records(reader)
    first = next(lines, None)
    if first is None:
        raise ImportFileError("The file has no header row and no rows to import.")
    header_line, header = first
    columns = _columns([name.strip().lower() for name in header], header_line)
    rows, problems = [], []
    for line, values in lines:
        if len(values) != len(columns):
            problems.append(
                RowProblem(line, None, f"expected {len(columns)} values, found {len(values)}")
            )
            continue
        found = dict(zip(columns, (value.strip() for value in values), strict=True))
        too_long = _too_long(line, found)
        if too_long:
            problems += too_long
            continue
        rows.append(Row(line, _proposal(found, _split_items(found["item_ids"]))))
    return rows, problems


def _csv_records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on (a quoted value may span lines)."""
    start = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(
                f"Line {reader.line_num}: the CSV cannot be read ({error})."
            ) from None
        if any(value.strip() for value in values):
            yield start, values
        start = reader.line_num + 1


def _columns(names: list[str], line: int) -> list[str]:
    counts = Counter(names)
    missing = [name for name in REQUIRED if name not in counts]
    unknown = [name for name in counts if name not in REQUIRED + OPTIONAL][:5]
    repeated = sorted(name for name, count in counts.items() if count > 1)[:5]
    if missing or unknown or repeated:
        wrong = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(_short(n) for n in unknown)}" if unknown else "",
                f"repeated {', '.join(repeated)}" if repeated else "",
            )
            if part
        )
        raise ImportFileError(
            f"Line {line}: the header row must name the columns {', '.join(REQUIRED)} "
            f"(and optionally {', '.join(OPTIONAL)}): {wrong}."
        )
    return names


def _json_lines(text: str) -> tuple[list[Row], list[RowProblem]]:
    rows, problems = [], []
    # Split on line feeds only: str.splitlines would also split at characters JSON allows
    # inside strings, and the line numbers would no longer be the file's.
    for line, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        found, wrong = _json_row(raw)
        if wrong:
            problems += [RowProblem(line, column, message) for column, message in wrong]
            continue
        too_long = _too_long(line, found)
        if too_long:
            problems += too_long
            continue
        rows.append(Row(line, _proposal(found, tuple(found["item_ids"]))))
    return rows, problems


def _json_row(raw: str) -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
    if len(raw) > MAX_FIELD * 2:
        return {}, [(None, f"the line is longer than {MAX_FIELD * 2:,} characters")]
    try:
        found = json.loads(raw)
    except (ValueError, RecursionError) as error:
        return {}, [(None, f"not valid JSON ({error})")]
    if not isinstance(found, dict):
        return {}, [(None, "each line must be one JSON object")]
    reference = found.get("external_reference")
    if isinstance(reference, int) and not isinstance(reference, bool):
        found["external_reference"] = str(reference)  # systems that number their records
    return found, _json_shape(found)


def _json_shape(found: dict[str, Any]) -> list[tuple[str | None, str]]:
    unknown = [key for key in found if key not in REQUIRED + OPTIONAL]
    wrong: list[tuple[str | None, str]] = [
        (None, f"unknown key {_short(key)}") for key in unknown[:5]
    ]
    wrong += [(key, "missing") for key in REQUIRED if key not in found]
    wrong += [
        (key, "must be a string")
        for key in REQUIRED[:-1]
        if key in found and not isinstance(found[key], str)
    ]
    items = found.get("item_ids", [])
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        wrong.append(("item_ids", "must be a list of ID strings"))
    reference = found.get("external_reference")
    if reference is not None and not isinstance(reference, str):
        wrong.append(("external_reference", "must be a string"))
    return wrong + [(key, HIDDEN) for key in REQUIRED + OPTIONAL if _hidden(found.get(key))]


def _hidden(value: object) -> bool:
    """A JSON string may spell NUL or a direction override as \\u0000 or \\u202e: no column
    may hold one (PostgreSQL could not store NUL; a reversed reference misleads)."""
    texts = value if isinstance(value, list) else [value]
    return any(isinstance(text, str) and text_problem(text) for text in texts)


def _too_long(line: int, found: dict[str, Any]) -> list[RowProblem]:
    return [
        RowProblem(line, column, f"longer than {MAX_FIELD:,} characters")
        for column, value in found.items()
        if len(value if isinstance(value, str) else " ".join(value or [])) > MAX_FIELD
    ]


def _proposal(found: dict[str, Any], item_ids: tuple[str, ...]) -> ProposedSharing:
    return ProposedSharing(
        person_id=found["person_id"].strip(),
        partner_code=found["partner_code"].strip(),
        shared_on=found["shared_on"].strip(),
        purpose=found["purpose"].strip(),
        lawful_basis=found["lawful_basis"].strip(),
        item_ids=tuple(item.strip() for item in item_ids if item.strip()),
        external_reference=(found.get("external_reference") or "").strip() or None,
    )


def _split_items(value: str) -> tuple[str, ...]:
    return tuple(part for part in ITEM_SEPARATORS.split(value) if part)


def _repeated_references(rows: list[Row]) -> list[RowProblem]:
    first: dict[str, int] = {}
    problems = []
    for row in rows:
        reference = row.proposal.external_reference
        if reference is None:
            continue
        if reference in first:
            problems.append(
                RowProblem(
                    row.line,
                    "external_reference",
                    f"the same reference is on line {first[reference]}",
                )
            )
        else:
            first[reference] = row.line
    return problems


def _short(value: str) -> str:
    return sharing_events.quoted(value)
